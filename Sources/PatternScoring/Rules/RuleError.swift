/// Why a rule file could not be loaded or compiled. `afscan` exits with code 2 on it (CONTRACT.md).
///
/// `message` names the rule id and field (and the YAML line when known) and says how to fix the problem;
/// `description` is `"<code>: <message>"`. `code` is an extensible struct, not a frozen enum, so new
/// codes do not break callers that switch on the common ones.
public struct RuleError: Error, Sendable, CustomStringConvertible, Equatable {
    public var code: Code
    public var message: String
    /// The rule the error is about, when there is one.
    public var ruleID: String?
    /// 1-based line in the YAML text, when Yams gave a mark.
    public var line: Int?

    public init(_ code: Code, _ message: String, ruleID: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.ruleID = ruleID
        self.line = line
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// A stable, machine-readable error code.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The file could not be read.
        public static let io = Code(rawValue: "io")
        /// The text is not YAML (Yams' scanner/parser message and mark follow).
        public static let yamlSyntax = Code(rawValue: "yaml_syntax")
        /// A key is missing, of the wrong type, unknown, or repeated.
        public static let schema = Code(rawValue: "schema")
        /// Two rules share an id.
        public static let duplicateID = Code(rawValue: "duplicate_id")
        /// A value is outside its range (weight, band thresholds, version).
        public static let value = Code(rawValue: "value")
        /// A condition does not parse, names an undeclared string, or can hold with no match.
        public static let condition = Code(rawValue: "condition")
        /// A rule lacks a `match` or `no_match` example.
        public static let examples = Code(rawValue: "examples")
        /// Vectorscan rejected a pattern (its message follows).
        public static let pattern = Code(rawValue: "pattern")
        /// This CPU cannot run Vectorscan, or Vectorscan failed outside any one pattern.
        public static let platform = Code(rawValue: "platform")
    }
}
