import Foundation

/// How `afscan eval` decides whether a sample is a reference positive: a field of the input record
/// (kept in label rows under `fields`, see `--keep-field`) either equals a value
/// (`--reference label --positive alignment_faking`) or passes a numeric comparison
/// (`--reference 'deceptive_alignment.final_answer>=0.4'`, `strong_reject_score>0`).
public struct ReferenceRule: Sendable, Hashable, CustomStringConvertible {
    /// A numeric comparison operator of `--reference PATH OP NUMBER`.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case equal = "=="
        case notEqual = "!="
        case greater = ">"
        case less = "<"

        /// `lhs OP rhs`.
        public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .greaterOrEqual: lhs >= rhs
            case .lessOrEqual: lhs <= rhs
            case .equal: lhs == rhs
            case .notEqual: lhs != rhs
            case .greater: lhs > rhs
            case .less: lhs < rhs
            }
        }
    }

    /// What makes a reference value positive.
    public enum Test: Sendable, Hashable {
        /// The value equals this text: a JSON string's decoded text, or the compact JSON text of any
        /// other value (`true`, `1`).
        case equals(String)
        /// The value is a number (or a string holding a decimal number) and `value OP threshold` holds.
        case compare(Comparison, Double)
    }

    /// Dotted path of the reference field in the input record (`label`, `deceptive_alignment.final_answer`).
    public var path: String
    public var test: Test

    public init(path: String, test: Test) {
        self.path = path
        self.test = test
    }

    /// Parses the `--reference` and `--positive` options.
    ///
    /// `reference` is either a dotted path (then `positive` is required) or `PATH OP NUMBER` with OP one
    /// of `>=`, `<=`, `==`, `!=`, `>`, `<` (then `positive` must be nil). Spaces around the operator
    /// are allowed.
    /// - Throws: `EvaluationError.invalidReference` for an empty path, a missing or extra
    ///   `--positive`, or a threshold that is not a finite number.
    public static func parse(reference: String, positive: String?) throws(EvaluationError) -> ReferenceRule {
        let text = reference.trimmingCharacters(in: .whitespaces)
        if let (range, op) = firstOperator(in: text) {
            let path = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let number = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { throw .invalidReference("'\(reference)': no field path before \(op.rawValue)") }
            guard let threshold = Double(number), threshold.isFinite else {
                throw .invalidReference("'\(reference)': '\(number)' is not a number")
            }
            guard positive == nil else {
                throw .invalidReference("give either a comparison in --reference or --positive, not both")
            }
            return ReferenceRule(path: path, test: .compare(op, threshold))
        }
        guard !text.isEmpty else { throw .invalidReference("--reference is empty") }
        guard let positive else {
            throw .invalidReference("'\(reference)' is a field path: say which value is positive with --positive VALUE, or give a comparison such as '\(text)>=0.5'")
        }
        return ReferenceRule(path: text, test: .equals(positive))
    }

    /// The leftmost operator in `text` (two-character operators win over their one-character prefixes).
    private static func firstOperator(in text: String) -> (Range<String.Index>, Comparison)? {
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            for op in Comparison.allCases where rest.hasPrefix(op.rawValue) {
                return (index..<text.index(index, offsetBy: op.rawValue.count), op)
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Whether a reference value (as produced by `JSONSerialization`) is positive; nil when the value
    /// is `null`, or is not a number (nor a numeric string) under a comparison: such rows are skipped
    /// and counted as "missing reference". Under a comparison JSON `true`/`false` compare as 1/0.
    public func isPositive(jsonValue value: Any) -> Bool? {
        // null, objects and arrays give no reference (never a silent negative)
        if value is NSNull || value is [Any] || value is [String: Any] { return nil }
        switch test {
        case .equals(let expected):
            if let text = value as? String { return text == expected }
            return SummaryRow.groupValue(jsonObject: value).map { $0 == expected }
        case .compare(let op, let threshold):
            let number: Double?
            if let text = value as? String {
                number = Double(text.trimmingCharacters(in: .whitespaces))
            } else if let n = value as? NSNumber {
                number = n.doubleValue
            } else {
                number = nil
            }
            guard let number, number.isFinite else { return nil }
            return op.holds(number, threshold)
        }
    }

    /// `label == alignment_faking`, `deceptive_alignment.final_answer >= 0.4`.
    public var description: String {
        switch test {
        case .equals(let value): "\(path) == \(value)"
        case .compare(let op, let threshold): "\(path) \(op.rawValue) \(Self.numberText(threshold))"
        }
    }

    static func numberText(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
