import AfscanCore
import ArchiveIO
import Foundation
import LabelSinks
import RecordFraming

/// The complete lines appended to one plain JSONL file since the last look (`afscan follow`).
///
/// Keeps how far the file has been read: `offset` (bytes, always just after a `\n`) and `lines` (lines
/// consumed, so record numbers go on from there, as a whole read numbers them), with the file's identity
/// (device and inode). A partial last line is held back until its `\n` arrives. A file that got shorter
/// than `offset` (truncated) or has another inode under the same path (rotated) is read again from its
/// start, as a new file, and `take` says so.
public struct AppendedLines: Codable, Sendable, Equatable {
    public var path: String
    public var device: UInt64 = 0
    public var inode: UInt64 = 0
    /// Bytes consumed: complete lines only.
    public var offset: Int64 = 0
    /// Lines consumed (blank lines count: record numbers are line numbers).
    public var lines: Int = 0
    /// SHA-256 of the file's first `min(offset, 4096)` bytes as read: a file rewritten in place to the same
    /// or a greater length is noticed by it.
    public var head: String = ""

    public init(path: String) {
        self.path = path
    }

    /// What one look found.
    public struct Chunk {
        /// Complete lines (each ending in `\n`), starting at byte `baseOffset` and line `baseLine + 1`.
        public var bytes: [UInt8]
        public var baseOffset: Int64
        public var baseLine: Int
        /// Set when the file was truncated or replaced since the last look (it is then read from its start).
        public var restarted: String?
    }

    /// Reads the complete lines appended since the last call (at most `limit` bytes of them) and
    /// advances past them; nil when there is nothing new (or the file is gone).
    public mutating func take(limit: Int = 64 << 20) -> Chunk? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var restarted: String?
        let device = UInt64(st.st_dev), inode = UInt64(st.st_ino)
        if (device, inode) != (self.device, self.inode) && (self.device, self.inode) != (0, 0) {
            restarted = "replaced (another file under the same name: rotated?)"
        } else if Int64(st.st_size) < offset {
            restarted = "truncated (\(st.st_size) bytes, \(offset) had been read)"
        } else if offset > 0 && Self.headHash(path, Int(min(offset, 4096))) != head {
            restarted = "rewritten (its first bytes changed)"
        }
        if restarted != nil || (self.device, self.inode) == (0, 0) {
            self.device = device
            self.inode = inode
            if restarted != nil {
                offset = 0
                lines = 0
            }
        }
        guard Int64(st.st_size) > offset, let handle = FileHandle(forReadingAtPath: path) else {
            return restarted.map { Chunk(bytes: [], baseOffset: 0, baseLine: 0, restarted: $0) }
        }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        let want = Int(min(Int64(limit), Int64(st.st_size) - offset))
        let data = (try? handle.read(upToCount: want)) ?? Data()
        guard let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else {
            return restarted.map { Chunk(bytes: [], baseOffset: offset, baseLine: lines, restarted: $0) }
        }
        let bytes = Array(data[data.startIndex...lastNewline])
        let chunk = Chunk(bytes: bytes, baseOffset: offset, baseLine: lines, restarted: restarted)
        offset += Int64(bytes.count)
        lines += bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        head = Self.headHash(path, Int(min(offset, 4096)))
        return chunk
    }

    static func headHash(_ path: String, _ count: Int) -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? h.close() }
        return SHA256.hexDigest((try? h.read(upToCount: count)) ?? Data())
    }
}

/// Labels complete JSONL lines read from a file at a known place, on the calling thread, with the record
/// numbers and byte offsets a whole read of the file gives (`afscan follow`).
public final class LineLabeler {
    private let labeler: RecordLabeler
    private let encoder = LabelRowEncoder()
    private let maxRecordBytes: Int

    public init(run: LabelRun) {
        let o = run.options
        labeler = RecordLabeler(ruleSet: run.ruleSet, compiled: run.compiled, scorer: run.scorer, mapping: o.mapping,
                                maxRecordBytes: o.maxRecordBytes, model: o.model, criteria: o.criteria, explainTerms: o.explainTerms)
        maxRecordBytes = o.maxRecordBytes
    }

    /// Labels `chunk` of file `name`: each row is encoded (one `\n`-terminated JSON line) into `rows`,
    /// and counted into `summary`.
    public func label(_ chunk: AppendedLines.Chunk, file name: String, rows: inout [UInt8], summary: inout SummaryAccumulator) -> (labelled: Int, rejected: Int) {
        let framer = RecordFramer(mode: .lines, maxRecordBytes: maxRecordBytes)
        var batches = chunk.bytes.withUnsafeBytes { framer.push($0) }
        batches += framer.finish()
        var labelled = 0, rejected = 0
        for batch in batches {
            for var rec in batch.records {
                rec.recordNumber += chunk.baseLine
                rec.byteOffset += chunk.baseOffset
                let (row, groups) = labeler.label(rec, in: batch, file: name)
                encoder.append(row, to: &rows)
                summary.add(record: row, groupValues: groups)
                if row.status == .ok { labelled += 1 } else { rejected += 1 }
            }
        }
        return (labelled, rejected)
    }
}
