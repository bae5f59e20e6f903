import FuzzSupport
import SimdJSON

// Surface: the JSON layer (SimdJSON over simdjson), as the labeller hands it one record.
// Properties: parsing never crashes; an accepted document can be walked completely (every field,
// element and scalar) and re-serialised with rawJSON(), and that text parses again to the same text.

// nonisolated(unsafe): libFuzzer calls LLVMFuzzerTestOneInput from one thread only, so the parser (a
// reusable, non-thread-safe buffer) is never used concurrently.
nonisolated(unsafe) private let parser = JSONParser(maxCapacity: 1 << 20)

private func walk(_ v: JSONValue, depth: Int) {
    switch v.kind {
    case .object:
        var n = 0
        for (key, value) in v.fields {
            _ = v[key]
            walk(value, depth: depth + 1)
            n += 1
        }
        if n != v.fieldCount { fuzzFailure("JSONParser", "object iterated \(n) fields, fieldCount \(String(describing: v.fieldCount))") }
    case .array:
        var n = 0
        for e in v.elements {
            walk(e, depth: depth + 1)
            n += 1
        }
        if n != v.arrayCount { fuzzFailure("JSONParser", "array iterated \(n) elements, arrayCount \(String(describing: v.arrayCount))") }
        if n > 0, v.element(n - 1) == nil { fuzzFailure("JSONParser", "element(\(n - 1)) of \(n) is nil") }
    default:
        _ = v.scalarText()
        _ = v.string
        _ = v.double
        _ = v.int
        _ = v.uint
        _ = v.bool
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput(data, size).rest
    guard let root = try? parser.parse(bytes) else { return 0 }
    walk(root, depth: 0)
    let text = root.rawJSON()
    guard let again = try? parser.parse(text) else {
        fuzzFailure("JSONParser", "rawJSON() of an accepted \(size)-byte document does not parse (\(text.utf8.count) bytes)")
    }
    let text2 = again.rawJSON()
    if text2 != text { fuzzFailure("JSONParser", "rawJSON() is not stable: \(text.utf8.count) then \(text2.utf8.count) bytes") }
    return 0
}
