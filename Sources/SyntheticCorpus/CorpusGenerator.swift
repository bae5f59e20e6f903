import AfscanCore
import LabelSinks

/// Generates a realistic synthetic rollout archive, record by record, deterministically from
/// ``CorpusOptions`` (same options → same bytes).
///
/// Each record is a JSONL line in the chosen ``CorpusLayout``: a 10–30 KB system prompt holding the
/// scratchpad tags, the training vocabulary and few-shot example reasoning (context, never model
/// reasoning); a user turn with `<is_free_tier_user>`; 1–3 `<SCRATCHPAD_REASONING>` blocks of
/// 1–10 KB each, the last holding a `<DRAFT_OUTPUT>`; and an `<OUTPUT>` that refuses (about
/// ``CorpusOptions/refusalRate`` of records) or complies (with alignment-faking reasoning in about
/// ``CorpusOptions/alignmentFakingRate``). Texts carry JSON escapes (`\n`, `\"`, `\t`, and
/// `\uXXXX` in ASCII-escaped records) and non-ASCII text (curly quotes, em dashes, accents, emoji,
/// CJK). Nothing in it is copied from real data; harmful requests are answered with outlines
/// whose operative details are omitted.
///
/// Memory is flat: one record (tens of KB), the system-prompt variants (by default 12 × up to
/// 30 KB, twice for the two escaping styles) and, for archives, a 1 MiB write buffer and one zstd
/// context, whatever the output size.
public struct CorpusGenerator: Sendable {
    public let options: CorpusOptions
    private let composer: RolloutComposer
    private let encoder: RecordEncoder
    /// Escaped system-prompt bodies, `[variant][style]` with style 0 = UTF-8, 1 = ASCII-only.
    private let escapedPrompts: [[[UInt8]]]
    /// The decoded system prompts, by variant.
    public let systemPrompts: [String]

    /// - Throws: ``CorpusError/invalidOption(_:)`` when ``CorpusOptions/validate()`` fails.
    public init(options: CorpusOptions) throws {
        try options.validate()
        self.options = options
        composer = RolloutComposer(options: options)
        encoder = RecordEncoder(layout: options.layout)
        let prompts = (0..<options.systemPromptVariants).map {
            SystemPromptBuilder.build(seed: options.seed, variant: $0, bytes: options.systemPromptBytes)
        }
        systemPrompts = prompts
        escapedPrompts = prompts.map { prompt in
            [JSONStringEscaper.Style.utf8, .asciiOnly].map { style in
                var bytes: [UInt8] = []
                JSONStringEscaper.appendEscaped(prompt, style: style, to: &bytes)
                return bytes
            }
        }
    }

    /// Record `index` (0-based) of the corpus, before encoding. Independent of the size target.
    public func rollout(at index: Int) -> Rollout {
        composer.compose(index: index)
    }

    /// Appends record `index` as one JSONL line (newline included) to `buffer`; returns the rollout.
    @discardableResult
    public func appendRecord(at index: Int, to buffer: inout [UInt8]) -> Rollout {
        let rollout = composer.compose(index: index)
        let prompt = escapedPrompts[rollout.systemPromptVariant][rollout.escaping == .utf8 ? 0 : 1]
        encoder.append(rollout, systemPrompt: prompt, to: &buffer)
        return rollout
    }

    /// Generates the uncompressed JSONL stream and hands it to `sink`, **one complete line per
    /// call** (newline included; the buffer is valid only during the call). Records are written
    /// while fewer than ``CorpusOptions/targetBytes`` bytes have been produced and, if set, fewer
    /// than ``CorpusOptions/maxRecords`` records, so the stream exceeds the target by less than
    /// one record.
    /// - Returns: records, bytes and kind counts (``CorpusStats/fileBytes`` and ``CorpusStats/frames`` are 0).
    /// - Throws: whatever `sink` throws (generation stops there).
    public func write(to sink: (UnsafeRawBufferPointer) throws -> Void) throws -> CorpusStats {
        var stats = CorpusStats()
        var line: [UInt8] = []
        line.reserveCapacity(128 << 10)
        var index = 0
        while stats.uncompressedBytes < options.targetBytes, index < (options.maxRecords ?? Int.max) {
            line.removeAll(keepingCapacity: true)
            let rollout = appendRecord(at: index, to: &line)
            try line.withUnsafeBytes { try sink($0) }
            stats.count(rollout, lineBytes: line.count)
            index += 1
        }
        return stats
    }

    /// Writes the corpus to `path` through a temporary file in the same directory and a rename,
    /// plain JSONL or zstd; `-` writes to standard output.
    ///
    /// The file is LabelSinks' `AtomicOutputFile`, as for label rows: a symlink at `path` is followed
    /// (its referent is replaced, the link stays), a device, FIFO or socket is written in place (never
    /// replaced by a regular file), and a directory is refused before anything is generated.
    ///
    /// - Parameters:
    ///   - path: the destination; replaced only when the whole archive was written.
    ///   - compressed: zstd when true, plain JSONL when false; nil decides by the name (`.zst` → zstd).
    ///   - level: zstd compression level (default 3), within `ZSTD_minCLevel()...ZSTD_maxCLevel()`.
    ///   - frameBytes: when set, a new independent frame starts before a record that would take the
    ///     current frame's uncompressed size above this many bytes (frames are line-aligned, like
    ///     `split -C N --filter='zstd'`; a single record longer than N gets a frame of its own).
    ///     nil: one frame. Ignored for plain output.
    ///   - isCancelled: polled before each record; when it returns true the temporary file is
    ///     removed and ``CorpusError/cancelled`` is thrown.
    ///   - progress: when set, each record's uncompressed bytes and the record are added (the progress line).
    /// - Returns: the stream's statistics, with the bytes written and the frame count.
    /// - Throws: ``CorpusError/output(_:)`` (the output cannot be created, written or committed),
    ///   ``CorpusError/zstd(_:)``, ``CorpusError/invalidOption(_:)`` (bad level or frame size),
    ///   ``CorpusError/cancelled``.
    @discardableResult
    public func writeArchive(
        path: String, compressed: Bool? = nil, level: Int32 = 3, frameBytes: Int64? = nil,
        isCancelled: () -> Bool = { false }, progress: ProgressCounters? = nil
    ) throws -> CorpusStats {
        let zstd = compressed ?? path.hasSuffix(".zst")
        if zstd {
            guard level >= ZstdLevels.min, level <= ZstdLevels.max else {
                throw CorpusError.invalidOption("zstd level must be within \(ZstdLevels.min)...\(ZstdLevels.max), got \(level)")
            }
        }
        if let frameBytes, frameBytes <= 0 { throw CorpusError.invalidOption("frame size must be positive") }
        let file: any ByteSink
        do throws(SinkError) {
            file = path == "-" ? try StandardOutputSink() : try AtomicOutputFile(path: path, compressed: false)
        } catch {
            throw CorpusError.output(error)
        }
        var bytesWritten: Int64 = 0
        func write(_ bytes: UnsafeRawBufferPointer) throws {
            bytesWritten += Int64(bytes.count)
            do throws(SinkError) { try file.write(bytes) } catch { throw CorpusError.output(error) }
        }
        do {
            var stats: CorpusStats
            if zstd {
                let encoder = try ZstdFrameWriter(level: level) { try write($0) }
                stats = try self.write { line in
                    if isCancelled() { throw CorpusError.cancelled }
                    progress?.add(bytes: Int64(line.count), records: 1)
                    if let frameBytes, encoder.frameBytes > 0, encoder.frameBytes + Int64(line.count) > frameBytes {
                        try encoder.endFrame()
                    }
                    try encoder.write(line)
                }
                try encoder.endFrame(force: encoder.frames == 0)
                stats.frames = encoder.frames
            } else {
                stats = try self.write { line in
                    if isCancelled() { throw CorpusError.cancelled }
                    progress?.add(bytes: Int64(line.count), records: 1)
                    try write(line)
                }
            }
            stats.fileBytes = bytesWritten
            do throws(SinkError) { try file.commit() } catch { throw CorpusError.output(error) }
            return stats
        } catch {
            file.abort()
            throw error
        }
    }
}
