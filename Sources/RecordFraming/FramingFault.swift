/// Why a framed record carries no bytes. The record still counts (it becomes a rejected row).
///
/// `reason` is one of:
/// - `record_too_large`: the record is longer than `--max-record-bytes`; `detail` gives both sizes.
///   Its bytes were skipped, never buffered.
/// - `truncated_record`: the stream ended inside an array element or a document value (or inside an
///   array between elements).
/// - `unreadable_member` (Inspect `.eval` logs, `InspectEvalLog`): a sample member that cannot be decoded
///   (bad CRC-32, corrupt or cut-short data, an unknown compression method); `detail` names the member.
/// - `invalid_array`: the array structure itself is broken: bytes after a complete element that are not
///   `,` or `]`, an empty element (`[1,,2]`, `[1,]`), no `[` where an array was required, or content
///   after the closing `]`.
public struct FramingFault: Sendable, Hashable {
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    static func tooLarge(_ size: Int, limit: Int) -> FramingFault {
        FramingFault(
            reason: "record_too_large",
            detail: "record of \(size) bytes exceeds --max-record-bytes (\(limit))")
    }
}
