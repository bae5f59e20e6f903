import AfscanCore
import ArchiveIO
import InspectLogs
import RecordFraming
import Scratchpad
import SimdJSON

/// Reads the records of one input in order on the calling thread (for `afscan train`, which needs every
/// sample's text, not a label row): decode → frame → parse (full validation) → extract.
///
/// Every record yields exactly one `Sample`: extracted, or rejected with the same reasons `label` gives.
public struct SampleReader {
    public enum Sample {
        case extracted(SourceRef, ExtractedRecord)
        case rejected(SourceRef, reason: String, detail: String)
    }

    public var mapping: FieldMapping
    public var maxRecordBytes: Int
    public var maxWindowLog: Int
    /// When set, the on-disk bytes read (per 1 MiB chunk) and the records read (per chunk's batches)
    /// are added, for the progress line.
    public var progress: ProgressCounters? = nil

    public init(mapping: FieldMapping, maxRecordBytes: Int = 64 << 20, maxWindowLog: Int = 27) {
        self.mapping = mapping
        self.maxRecordBytes = maxRecordBytes
        self.maxWindowLog = maxWindowLog
    }

    /// Calls `body` for every record of `spec`. Returns the input's fault (records before it were read),
    /// or nil.
    public func read(_ spec: InputSpec, _ body: (Sample) -> Void) -> ArchiveError? {
        let framer = RecordFramer(mode: nil, maxRecordBytes: maxRecordBytes)
        let parser = JSONParser(maxCapacity: maxRecordBytes)
        let extractor = RecordExtractor(mapping: mapping)
        func handle(_ batches: [RecordBatch]) {
            for batch in batches {
                progress?.add(records: batch.records.count)
                for rec in batch.records {
                    let source = SourceRef(file: spec.displayName, record: rec.recordNumber, byteOffset: rec.byteOffset)
                    if let fault = rec.fault {
                        body(.rejected(source, reason: fault.reason, detail: fault.detail))
                        continue
                    }
                    batch.storage.withUnsafeBytes { raw in
                        let bytes = UnsafeRawBufferPointer(rebasing: raw[rec.range])
                        do {
                            let root = try parser.parse(bytes, hasPadding: true)
                            body(.extracted(source, try extractor.extract(root)))
                        } catch let e as JSONParseError {
                            body(.rejected(source, reason: e.reason, detail: e.message))
                        } catch let e as ExtractionFailure {
                            body(.rejected(source, reason: e.reason, detail: e.detail))
                        } catch {
                            body(.rejected(source, reason: "invalid_json", detail: "\(error)"))
                        }
                    }
                }
            }
        }
        var fault: ArchiveError?
        var offset: Int64 = 0
        do {
            if let log = try InspectEvalLog.open(spec) {
                log.forEachSample(maxRecordBytes: maxRecordBytes) { batch in
                    handle([batch])
                    return true
                }
                return nil
            }
            let reader = try InputReader(spec, maxWindowLog: maxWindowLog)
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var counted: Int64 = 0
            while true {
                let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                progress?.add(bytes: reader.compressedOffset - counted)
                counted = reader.compressedOffset
                if n == 0 { break }
                offset += Int64(n)
                handle(chunk.withUnsafeBytes { framer.push(UnsafeRawBufferPointer(rebasing: $0[0..<n])) })
            }
        } catch let e as ArchiveError {
            fault = e
        } catch {
            fault = ArchiveError(code: .read, message: "\(error)", input: spec.displayName, decompressedOffset: offset)
        }
        handle(framer.finish())
        return fault
    }
}
