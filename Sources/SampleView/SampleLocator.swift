import AfscanCore
import ArchiveIO
import Foundation
import InspectLogs
import RecordFraming
import Scratchpad
import SimdJSON

/// Finds the records behind label rows through their `source` (file, 1-based record number, 0-based byte
/// offset into the decompressed stream) and re-extracts them the way `afscan label` does: the same
/// framing (`RecordFramer`, sniffed mode), the same validating parse (simdjson) and the same
/// `RecordExtractor` with the caller's `FieldMapping` (`--layout`, `--text-field`, `--id-field` must be
/// those the rows were made with).
public struct SampleLocator: Sendable {
    /// Where a row's `source.file` was found.
    public enum Resolution: Sendable, Hashable {
        /// The path to read.
        case found(String)
        /// The row was read from standard input (`-`): its text cannot be read again.
        case standardInput
        /// No candidate exists; the paths tried, in order.
        case missing(tried: [String])
    }

    /// What re-reading one record gave.
    public enum Fetched: Sendable {
        /// The record, extracted, and the byte offset where it was found now.
        case extracted(ExtractedRecord, byteOffset: Int64)
        /// The record is there but cannot be extracted (the reason `label` would give).
        case rejected(reason: String, detail: String, byteOffset: Int64)
    }

    public var mapping: FieldMapping
    /// `--root DIR`: where the inputs live now, when they moved since labelling.
    public var root: String?
    public var maxWindowLog: Int
    public var maxRecordBytes: Int

    public init(mapping: FieldMapping, root: String? = nil, maxWindowLog: Int = 31, maxRecordBytes: Int = 64 << 20) {
        self.mapping = mapping
        self.root = root
        self.maxWindowLog = maxWindowLog
        self.maxRecordBytes = maxRecordBytes
    }

    /// The path of the row's input `file` (`source.file` as written by `label`). Without `root`: `file`
    /// itself (relative to the working directory, as `label` was given it). With `root`: `root/file`, then
    /// `root` joined with ever shorter tails of `file` (`a/b/c.jsonl` → `root/b/c.jsonl` → `root/c.jsonl`),
    /// the first that exists.
    public func resolve(_ file: String) -> Resolution {
        if file == "-" { return .standardInput }
        var candidates: [String] = []
        if let root {
            let parts = file.split(separator: "/").map(String.init)
            for i in parts.indices { candidates.append(([root] + parts[i...]).joined(separator: "/")) }
        } else {
            candidates = [file]
        }
        var seen = Set<String>()
        candidates = candidates.filter { seen.insert($0).inserted }
        for c in candidates {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: c, isDirectory: &isDir), !isDir.boolValue { return .found(c) }
        }
        return .missing(tried: candidates)
    }

    /// Reads `path` once, from its start, and returns the wanted `records` (1-based record numbers) that
    /// it holds; reading stops after the last wanted record. Records past the end of the input are absent
    /// from the result.
    ///
    /// - Returns: the records found, and the input's fault (cannot open, corrupt archive) if reading failed
    ///   before every wanted record was seen.
    public func fetch(path: String, records wanted: Set<Int>) -> (records: [Int: Fetched], fault: String?) {
        var found: [Int: Fetched] = [:]
        guard let last = wanted.max() else { return ([:], nil) }
        let framer = RecordFramer(mode: nil, maxRecordBytes: maxRecordBytes)
        let parser = JSONParser(maxCapacity: maxRecordBytes)
        let extractor = RecordExtractor(mapping: mapping)
        var done = false
        func handle(_ batches: [RecordBatch]) {
            for batch in batches {
                for rec in batch.records where wanted.contains(rec.recordNumber) {
                    if rec.recordNumber >= last { done = true }
                    if let fault = rec.fault {
                        found[rec.recordNumber] = .rejected(reason: fault.reason, detail: fault.detail, byteOffset: rec.byteOffset)
                        continue
                    }
                    batch.storage.withUnsafeBytes { raw in
                        let bytes = UnsafeRawBufferPointer(rebasing: raw[rec.range])
                        do {
                            let root = try parser.parse(bytes, hasPadding: true)
                            found[rec.recordNumber] = .extracted(try extractor.extract(root), byteOffset: rec.byteOffset)
                        } catch let e as JSONParseError {
                            found[rec.recordNumber] = .rejected(reason: e.reason, detail: e.message, byteOffset: rec.byteOffset)
                        } catch let e as ExtractionFailure {
                            found[rec.recordNumber] = .rejected(reason: e.reason, detail: e.detail, byteOffset: rec.byteOffset)
                        } catch {
                            found[rec.recordNumber] = .rejected(reason: "invalid_json", detail: "\(error)", byteOffset: rec.byteOffset)
                        }
                    }
                }
            }
        }
        do {
            // An Inspect .eval log (a ZIP) is read member by member, as label reads it.
            if let log = try InspectEvalLog.open(InputSpec(path: path)) {
                log.forEachSample(maxRecordBytes: maxRecordBytes) { batch in
                    handle([batch])
                    return !done
                }
                return (found, nil)
            }
            let reader = try InputReader(InputSpec(path: path), maxWindowLog: maxWindowLog)
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while !done {
                let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                if n == 0 { break }
                handle(chunk.withUnsafeBytes { framer.push(UnsafeRawBufferPointer(rebasing: $0[0..<n])) })
            }
        } catch {
            if !done { handle(framer.finish()) }
            return (found, "\(error)")
        }
        if !done { handle(framer.finish()) }
        return (found, nil)
    }
}
