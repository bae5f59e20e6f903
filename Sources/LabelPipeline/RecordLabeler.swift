import AfscanCore
import LabelSinks
import PatternScoring
import RecordFraming
import Scratchpad
import SimdJSON

/// Labels one record at a time: parse (simdjson, full validation) → extract (layout, blocks,
/// condition) → normalize → scan (Vectorscan) → score → one `LabelRecord`.
///
/// One per worker thread: it owns a JSON parser and a Vectorscan scratch, which are not thread-safe.
/// The rule database, extractor and scorer are shared read-only.
public final class RecordLabeler {
    public let ruleSet: RuleSet
    private let scanner: RuleScanner
    private let scorer: Scorer
    private let extractor: RecordExtractor
    private let parser: JSONParser
    private let maxRecordBytes: Int
    /// The last system prompt seen and its shingles: records of one run usually share their system
    /// prompt, so each worker hashes it once.
    private var lastPrompt: [UInt8] = []
    private var lastEcho: PromptEcho?

    public init(ruleSet: RuleSet, compiled: CompiledRules, scorer: Scorer, mapping: FieldMapping, maxRecordBytes: Int) {
        self.ruleSet = ruleSet
        self.scanner = RuleScanner(compiled)
        self.scorer = scorer
        self.extractor = RecordExtractor(mapping: mapping)
        self.parser = JSONParser(maxCapacity: maxRecordBytes)
        self.maxRecordBytes = maxRecordBytes
    }

    /// Labels the record `rec` of `batch` read from input `file`. Returns the row and the record's
    /// `--group-by` values (all nil for a rejected record).
    public func label(_ rec: FramedRecord, in batch: RecordBatch, file: String) -> (row: LabelRecord, groupValues: [String?]) {
        let noGroups = [String?](repeating: nil, count: extractor.mapping.groupBy.count)
        let source = SourceRef(file: file, record: rec.recordNumber, byteOffset: rec.byteOffset)
        if let fault = rec.fault {
            return (LabelRecord(source: source, status: .rejected, reason: fault.reason, detail: fault.detail, rulesHash: ruleSet.hash), noGroups)
        }
        return batch.storage.withUnsafeBytes { raw -> (row: LabelRecord, groupValues: [String?]) in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[rec.range])
            let root: JSONValue
            do {
                root = try parser.parse(bytes, hasPadding: true)
            } catch let error as JSONParseError {
                return (LabelRecord(source: source, status: .rejected, reason: error.reason, detail: error.message, rulesHash: ruleSet.hash), noGroups)
            } catch {
                return (LabelRecord(source: source, status: .rejected, reason: "invalid_json", detail: "\(error)", rulesHash: ruleSet.hash), noGroups)
            }
            let ex: ExtractedRecord
            do {
                ex = try extractor.extract(root)
            } catch let error as ExtractionFailure {
                return (LabelRecord(source: source, id: extractor.id(of: root), status: .rejected, reason: error.reason,
                                    detail: error.detail, rulesHash: ruleSet.hash), noGroups)
            } catch {
                return (LabelRecord(source: source, status: .rejected, reason: "no_text_field", detail: "\(error)", rulesHash: ruleSet.hash), noGroups)
            }
            return (score(ex, source: source), ex.groupValues.map { $0.flatMap(SummaryRow.groupValue(canonicalizingRawJSON:)) })
        }
    }

    /// Labels whose hits a prompt echo can void or mark (`ContextFilter`).
    private static let echoAffected: Set<String> = [
        ScoringLabels.valueConflict, ScoringLabels.preservationMotive, ScoringLabels.justificationLink,
        ScoringLabels.modificationAwareness,
    ]

    private func score(_ ex: ExtractedRecord, source: SourceRef) -> LabelRecord {
        var scoringBlocks: [ScoringBlock] = []
        var normalized: [NormalizedText] = []
        scoringBlocks.reserveCapacity(ex.blocks.count)
        var outputTagEnd: Int?
        // Prompt echo (LABELS.md §5.1): shingles of the record's own system prompt, computed only
        // for reasoning blocks holding a hit that echo can void.
        var echo: PromptEcho?
        var echoReady = false
        func promptEcho() -> PromptEcho? {
            if echoReady { return echo }
            echoReady = true
            guard let prompt = ex.systemPrompt else { return nil }
            if prompt != lastPrompt {
                let norm = prompt.withUnsafeBufferPointer { Normalizer.normalize($0, ranges: [0..<prompt.count]) }
                let e = norm.bytes.withUnsafeBufferPointer { PromptEcho(prompt: $0) }
                lastPrompt = prompt
                lastEcho = e.isEmpty ? nil : e
            }
            echo = lastEcho
            return echo
        }
        for (i, b) in ex.blocks.enumerated() {
            let field = ex.fields[b.field]
            let norm = field.bytes.withUnsafeBufferPointer { Normalizer.normalize($0, ranges: b.ranges) }
            let kind: BlockKind
            switch b.kind {
            case .scratchpad: kind = .scratchpad
            case .reasoning: kind = .reasoning
            case .draft: kind = .draft
            case .output: kind = .output
            }
            let hits = norm.bytes.withUnsafeBufferPointer { t in
                norm.sentenceStarts.withUnsafeBufferPointer { s in
                    scanner.scan(block: i, kind: kind, text: t, sentenceStarts: s)
                }
            }
            if b.kind == .output, let end = ex.outputTagEnd {
                outputTagEnd = norm.normalizedOffset(atOrAfterOriginal: end)
            }
            var echoRanges: [Range<Int>] = []
            if kind == .scratchpad || kind == .reasoning,
               hits.contains(where: { Self.echoAffected.contains(ruleSet.rules[$0.rule].label) }),
               let echo = promptEcho() {
                echoRanges = norm.bytes.withUnsafeBufferPointer { echo.echoRanges(in: $0) }
            }
            scoringBlocks.append(ScoringBlock(kind: kind, name: b.name, hits: hits, normalizedLength: norm.bytes.count,
                                              echoRanges: echoRanges))
            normalized.append(norm)
        }
        let input = ScoringInput(
            blocks: scoringBlocks,
            outputTag: OutputTag(rawValue: ex.outputTag.rawValue) ?? .none,
            outputTagEnd: outputTagEnd,
            reasoningPresent: ex.reasoningPresent,
            reasoningRedacted: ex.reasoningRedacted,
            outputPresent: ex.outputPresent,
            condition: ex.condition)
        let result = scorer.score(input)

        var evidence: [Evidence] = []
        evidence.reserveCapacity(result.evidence.count)
        for e in result.evidence {
            let b = ex.blocks[e.block]
            let field = ex.fields[b.field]
            let r = normalized[e.block].originalRange(e.start..<e.end)
            let snippet = field.bytes.withUnsafeBufferPointer { Snippet.make($0, range: r) }
            evidence.append(Evidence(label: e.label, rule: ruleSet.rules[e.rule].id, block: b.name, field: field.name,
                                     start: r.lowerBound, end: r.upperBound, snippet: snippet,
                                     polarity: e.polarity == .positive ? "+" : "-"))
        }
        var parse = ex.parse
        var tokens = 0
        for (i, b) in ex.blocks.enumerated() where b.kind == .scratchpad || b.kind == .reasoning {
            _ = i
            tokens += ex.fields[b.field].bytes.withUnsafeBufferPointer { Tokenizer.count($0, ranges: b.ranges).tokens }
        }
        parse.append(("reasoning_tokens", .int(tokens)))
        var flags = result.flags
        if ex.conditionConflict { flags.insert(("condition_conflict", .bool(true)), at: 0) }
        if ex.conditionFieldMissing { flags.append(("condition_field_missing", .bool(true))) }
        if let v = ex.conditionValueUnmapped { flags.append(("condition_value_unmapped", .string(v))) }
        return LabelRecord(source: source, id: ex.id, status: .ok, condition: ex.condition, fields: ex.kept,
                           labels: result.labels, evidence: evidence, parse: parse, flags: flags, rulesHash: ruleSet.hash)
    }
}

extension NormalizedText {
    /// The first normalized offset whose original offset is at or after `original` (the normalized
    /// length when none is): where an original position lands in the normalized text.
    func normalizedOffset(atOrAfterOriginal original: Int) -> Int {
        var lo = 0, hi = bytes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(originalOffsets[mid]) < original { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
