/// Inspect-log mode: an Inspect JSON log (`{"version": 2, "status": …, "eval": {…}, …, "samples": […], …}`,
/// one `EvalLog` object, often hundreds of MB) framed as one record per element of its top-level
/// `samples` array, streamed: the log is never held whole, only one sample at a time (each up to
/// `maxRecordBytes`), so a log larger than `--max-record-bytes` is read.
///
/// The other top-level members are skipped, except `eval.task` and `eval.model` (string values, taken
/// as their raw JSON text): every sample that is a JSON object gains the member
/// `"inspect_eval":{"task":…,"model":…}` at its end, as the samples of an `.eval` log do (so a sample may
/// have `maxRecordBytes` less that member's length and a comma; a longer one is `record_too_large`, and
/// its detail names that reduced limit). Record numbers
/// are element index + 1 and byte offsets are into the decoded stream, as in array mode; a top-level
/// `samples` of `null` (or none) gives no record.
///
/// Like `ValueScanner`, it tracks only strings (`StringScan`) and depth; keys are the strings followed by `:`.
struct InspectLogScanner {
    let maxRecordBytes: Int
    private var depth = 0
    private var string = StringScan()
    /// The bytes of the string being read (or just read) at depth 1 or 2, when short enough to be a key
    /// or a task/model value we keep.
    private var text: [UInt8] = []
    private var textOverflow = false
    private var lastString: [UInt8]?
    /// The key whose value comes next at depth 1, and at depth 2 inside `eval`.
    private var key1: [UInt8]?
    private var key2: [UInt8]?
    private var inEval = false
    private var task: [UInt8]?
    private var model: [UInt8]?
    /// Waiting for the first byte of the `samples` value.
    private var awaitingSamples = false
    private var samples: ValueScanner?

    private static let samplesKey = Array("samples".utf8), evalKey = Array("eval".utf8)
    private static let taskKey = Array("task".utf8), modelKey = Array("model".utf8)
    /// Longest string kept for a key or a task/model value.
    private static let keptStringBytes = 4096

    init(maxRecordBytes: Int) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Frames `chunk`, whose first byte is at stream offset `offset`.
    mutating func consume(_ chunk: UnsafeRawBufferPointer, at offset: Int64, into builder: inout BatchBuilder) {
        var i = 0
        let n = chunk.count
        while i < n {
            if samples != nil {
                let taken = samples!.consume(UnsafeRawBufferPointer(rebasing: chunk[i...]), at: offset + Int64(i), into: &builder)
                i += taken
                if samples!.arrayClosed { samples = nil }
                continue
            }
            let c = chunk[i]
            i += 1
            if string.inString {
                if string.closes(c) {
                    lastString = textOverflow ? nil : text
                    continue
                }
                if depth <= 2 {
                    if text.count < Self.keptStringBytes { text.append(c) } else { textOverflow = true }
                }
                continue
            }
            if ValueScanner.isWhitespace(c) { continue }
            if awaitingSamples {
                awaitingSamples = false
                if c == UInt8(ascii: "[") {
                    // A sample and the added member must fit the parser's limit together.
                    let member = evalMember()
                    var scanner = ValueScanner(kind: .array, maxRecordBytes: max(1, maxRecordBytes - (member?.count ?? 0) - 1),
                                               embedded: true)
                    scanner.addedMember = member
                    samples = scanner
                    i -= 1   // the scanner starts at the `[`
                    continue
                }
            }
            switch c {
            case UInt8(ascii: "\""):
                string.open()
                text.removeAll(keepingCapacity: true)
                textOverflow = false
            case UInt8(ascii: ":"):
                if depth == 1 {
                    key1 = lastString
                    inEval = key1 == Self.evalKey
                    awaitingSamples = key1 == Self.samplesKey
                } else if depth == 2 && inEval {
                    key2 = lastString
                }
                lastString = nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                lastString = nil
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                keepEvalValue()
                depth -= 1
                if depth == 1 { inEval = false }
            case UInt8(ascii: ","):
                keepEvalValue()
            default:
                lastString = nil
            }
        }
    }

    /// At end of stream: a sample cut short is a truncated record (as in array mode).
    mutating func finish(at endOffset: Int64, into builder: inout BatchBuilder) {
        samples?.finish(at: endOffset, into: &builder)
        samples = nil
    }

    /// After a value at depth 2 inside `eval` ended: keep it when it is the string value of `task` or `model`.
    private mutating func keepEvalValue() {
        defer { lastString = nil; key2 = nil }
        guard inEval, depth == 2, let value = lastString else { return }
        if key2 == Self.taskKey { task = value } else if key2 == Self.modelKey { model = value }
    }

    /// `"inspect_eval":{"task":"…","model":"…"}` (the raw JSON string texts), or nil when neither was found.
    private func evalMember() -> [UInt8]? {
        var parts: [[UInt8]] = []
        if let task { parts.append(Array("\"task\":\"".utf8) + task + [UInt8(ascii: "\"")]) }
        if let model { parts.append(Array("\"model\":\"".utf8) + model + [UInt8(ascii: "\"")]) }
        guard !parts.isEmpty else { return nil }
        return Array("\"inspect_eval\":{".utf8) + Array(parts.joined(separator: [UInt8(ascii: ",")])) + [UInt8(ascii: "}")]
    }
}
