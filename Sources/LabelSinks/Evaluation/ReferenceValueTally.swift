import Foundation

/// The distinct values a `--reference` field took, with their counts: what `eval` and `train` list when
/// `--positive V` names a value no record has (a typo, or the wrong field), instead of evaluating an
/// all-negative reference.
public struct ReferenceValueTally: Sendable, Equatable {
    /// Distinct values kept (further distinct values are counted in `otherValues`).
    public static let limit = 20

    /// Values in order of first appearance, as `--positive` would have to spell them (a JSON string's
    /// text, else the compact JSON of the value: `true`, `1`), with how many rows held each.
    public private(set) var values: [(text: String, count: Int)] = []
    /// Rows whose value was none of the first `limit` distinct values.
    public private(set) var otherValues = 0

    public init() {}

    /// Counts one reference value as produced by `JSONSerialization`; `null`, objects and arrays are no
    /// reference and are not counted.
    public mutating func add(jsonValue value: Any) {
        let text: String
        if let s = value as? String {
            text = s
        } else if let g = SummaryRow.groupValue(jsonObject: value) {
            text = g
        } else {
            return
        }
        if let i = values.firstIndex(where: { $0.text == text }) {
            values[i].count += 1
        } else if values.count < Self.limit {
            values.append((text, 1))
        } else {
            otherValues += 1
        }
    }

    /// `'alignment_faking' (120), 'none' (80)`, most frequent first, with `and N rows of other values`
    /// when more than `limit` distinct values were seen.
    public var listing: String {
        let shown = values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.text < $1.text }
            .map { "'\($0.text)' (\($0.count))" }.joined(separator: ", ")
        return otherValues > 0 ? "\(shown), and \(otherValues) rows of other values" : shown
    }

    /// The error message for a `--positive` value that no row has; nil when `rule` is not an equality
    /// test, when `positives` > 0, or when no value was seen at all (then the field is missing, which
    /// the callers report as missing references).
    public func unseenPositiveMessage(_ rule: ReferenceRule, positives: Int) -> String? {
        guard case .equals(let expected) = rule.test, positives == 0, !values.isEmpty else { return nil }
        return "--positive '\(expected)': no record's \(rule.path) has this value; values seen: \(listing)"
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.otherValues == b.otherValues && a.values.elementsEqual(b.values) { $0.text == $1.text && $0.count == $1.count }
    }
}
