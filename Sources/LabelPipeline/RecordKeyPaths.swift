import ArchiveIO
import RecordFraming
import SimdJSON

/// The dotted paths present in an input's first record, for messages that must say which paths exist
/// (a `--group-by` path that no record has).
public enum RecordKeyPaths {
    /// The dotted paths of the first record of `spec` that parses as a JSON object: every member, and
    /// the members of nested objects down to `depth` levels (arrays are not entered), in document order,
    /// at most `limit` of them. Reads only up to that record; empty when the input cannot be read or
    /// holds no such record.
    public static func firstRecord(of spec: InputSpec, maxRecordBytes: Int = 64 << 20, maxWindowLog: Int = 27,
                                   depth: Int = 3, limit: Int = 40) -> [String] {
        guard let reader = try? InputReader(spec, maxWindowLog: maxWindowLog) else { return [] }
        let framer = RecordFramer(mode: nil, maxRecordBytes: maxRecordBytes)
        let parser = JSONParser(maxCapacity: maxRecordBytes)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var finished = false
        while true {
            var batches: [RecordBatch]
            if finished {
                batches = framer.finish()
            } else {
                guard let n = try? chunk.withUnsafeMutableBytes({ try reader.read(into: $0) }) else { return [] }
                if n == 0 { finished = true; continue }
                batches = chunk.withUnsafeBytes { framer.push(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            }
            for batch in batches {
                for rec in batch.records where rec.fault == nil {
                    let paths = batch.storage.withUnsafeBytes { raw -> [String]? in
                        guard let root = try? parser.parse(UnsafeRawBufferPointer(rebasing: raw[rec.range]), hasPadding: true),
                              root.kind == .object else { return nil }
                        var out: [String] = []
                        collect(root, prefix: "", depth: depth, limit: limit, into: &out)
                        return out
                    }
                    if let paths { return paths }
                }
            }
            if finished { return [] }
        }
    }

    private static func collect(_ object: JSONValue, prefix: String, depth: Int, limit: Int, into out: inout [String]) {
        for (key, value) in object.fields {
            guard out.count < limit else { return }
            let path = prefix + key
            out.append(path)
            if depth > 1 && value.kind == .object {
                collect(value, prefix: path + ".", depth: depth - 1, limit: limit, into: &out)
            }
        }
    }
}
