import AfscanCore
import Foundation
import Yams

/// Reads a YAML rule file into a validated `RuleSet`.
///
/// File shape:
/// ```yaml
/// version: 1
/// name: afscan-default
/// description: optional free text
/// bands: {composite: {yes: 0.55, maybe: 0.30}, default: {yes: 0.50, maybe: 0.25}}   # optional
/// parameters: {gate.modification: 0.5}                                              # optional name -> number
/// rules:
///   - id: ...        # keys as documented on `Rule`; `description` and `note` are free text
/// ```
/// Validation (each failure is a `RuleError` whose message names the rule id, the field and the YAML
/// line, and says how to fix it): known keys only, no repeated keys; `version` is 1; band thresholds in
/// [0, 1] with `maybe <= yes`; unique rule ids; `weight` in (0, 1]; known `polarity` and `scope`; at
/// least one string; string names are identifiers (`[A-Za-z_][A-Za-z0-9_]*`, not a condition keyword);
/// each string is exactly one of `literal`/`regex`, non-empty; the condition parses, names only declared
/// strings, and cannot hold when nothing matched; at least one `match` and one `no_match` example; every
/// regex compiles with Vectorscan (its message is quoted).
///
/// `hash` is the lower-case hex SHA-256 of the YAML text's UTF-8 bytes.
///
/// Checking every regex with Vectorscan (`hs_expression_info`) costs tens of milliseconds for the
/// default rules, at every start. Once a file has passed every check, a marker named after its hash
/// and the Vectorscan version is left in the compiled-database cache (`DatabaseCache`), and later loads
/// of the same bytes skip the Vectorscan check (every other check still runs).
public enum RuleSetLoader {
    /// Loads and validates a rule set from YAML text.
    /// - Throws: `RuleError` (codes `yaml_syntax`, `schema`, `duplicate_id`, `value`, `condition`,
    ///   `examples`, `pattern`).
    public static func load(yaml: String) throws(RuleError) -> RuleSet {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw RuleError(.yamlSyntax, "the rule file is not valid YAML: \(describe(error))", line: line(of: error))
        } catch {
            throw RuleError(.yamlSyntax, "the rule file is not valid YAML: \(error)")
        }
        guard let root else {
            throw RuleError(.schema, "the rule file is empty; it needs `version`, `name` and `rules`")
        }
        let hash = SHA256.hexDigest(of: yaml)
        let cache = DatabaseCache.fromEnvironment()
        let marker = DatabaseCache.validationMarker(ruleFileHash: hash, flags: HyperscanPattern.scanFlags)
        var reader = Reader(checkPatterns: !(cache?.hasMarker(marker) ?? false))
        var set = try reader.ruleSet(root)
        set.hash = hash
        if reader.checkPatterns { cache?.storeMarker(marker) }
        return set
    }

    /// Loads and validates the rule file at `path` (see `load(yaml:)`); `hash` covers the file's bytes.
    /// - Throws: `RuleError` with code `io` when the file cannot be read or is not UTF-8, else as `load(yaml:)`.
    public static func load(contentsOf path: String) throws(RuleError) -> RuleSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleError(.io, "cannot read the rule file `\(path)`; check the path and its permissions")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw RuleError(.io, "the rule file `\(path)` is not valid UTF-8; save it as UTF-8")
        }
        return try load(yaml: text)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        default:
            return "\(error)"
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}

/// Walks the composed YAML tree, keeping the rule id in scope for messages.
private struct Reader {
    private var ruleID: String?
    /// Check every pattern with `hs_expression_info` (false when this exact file passed before).
    let checkPatterns: Bool

    init(checkPatterns: Bool) {
        self.checkPatterns = checkPatterns
    }

    // MARK: Top level

    mutating func ruleSet(_ root: Node) throws(RuleError) -> RuleSet {
        let top = try mapping(root, field: "(top level)", allowed: ["version", "name", "description", "bands", "parameters", "rules"])
        var version = 1
        if let node = top["version"] {
            guard let v = node.int else { throw fail(.schema, "version", node, "must be an integer; write `version: 1`") }
            guard v == 1 else { throw fail(.value, "version", node, "version \(v) is not supported; this afscan reads version 1") }
            version = v
        }
        guard let nameNode = top["name"] else { throw fail(.schema, "name", root, "missing; add e.g. `name: my-rules`") }
        let name = try string(nameNode, field: "name")
        if let node = top["description"] { _ = try string(node, field: "description") }

        var bands: [String: Band] = [:]
        if let node = top["bands"] {
            for (key, value) in try entries(node, field: "bands") {
                bands[key] = try band(value, field: "bands.\(key)")
            }
        }
        var parameters: [String: Double] = [:]
        if let node = top["parameters"] {
            for (key, value) in try entries(node, field: "parameters") {
                guard let number = number(value) else {
                    throw fail(.schema, "parameters.\(key)", value, "must be a number")
                }
                parameters[key] = number
            }
        }

        guard let rulesNode = top["rules"] else { throw fail(.schema, "rules", root, "missing; add a `rules:` list") }
        guard case .sequence(let ruleNodes) = rulesNode else { throw fail(.schema, "rules", rulesNode, "must be a list of rules") }
        guard !ruleNodes.isEmpty else { throw fail(.schema, "rules", rulesNode, "is empty; add at least one rule") }
        var rules: [Rule] = []
        var firstLine: [String: Int?] = [:]
        for ruleNode in ruleNodes {
            let rule = try self.rule(ruleNode)
            let idNode = try mapping(ruleNode, field: "rules[]", allowed: nil)["id"]
            if let previous = firstLine[rule.id] {
                let where_ = previous.map { "line \($0)" } ?? "an earlier rule"
                throw fail(.duplicateID, "id", idNode, "duplicate id, first used on \(where_); give each rule a unique id")
            }
            firstLine[rule.id] = idNode?.mark?.line
            rules.append(rule)
            ruleID = nil
        }
        return RuleSet(name: name, version: version, bands: bands, parameters: parameters, rules: rules, hash: "")
    }

    private mutating func band(_ node: Node, field: String) throws(RuleError) -> Band {
        let fields = try mapping(node, field: field, allowed: ["yes", "maybe"])
        guard let yesNode = fields["yes"], let maybeNode = fields["maybe"] else {
            throw fail(.schema, field, node, "needs both `yes` and `maybe` thresholds, e.g. `{yes: 0.5, maybe: 0.25}`")
        }
        guard let yes = number(yesNode), (0...1).contains(yes) else {
            throw fail(.value, "\(field).yes", yesNode, "must be a number in [0, 1]")
        }
        guard let maybe = number(maybeNode), (0...1).contains(maybe) else {
            throw fail(.value, "\(field).maybe", maybeNode, "must be a number in [0, 1]")
        }
        guard maybe <= yes else {
            throw fail(.value, field, node, "`maybe` (\(maybe)) is above `yes` (\(yes)); make maybe <= yes")
        }
        return Band(yes: yes, maybe: maybe)
    }

    // MARK: Rules

    private static let ruleKeys: Set<String> = [
        "id", "label", "family", "weight", "polarity", "scope", "strings", "condition", "tags", "examples", "description", "note",
    ]

    private mutating func rule(_ node: Node) throws(RuleError) -> Rule {
        ruleID = nil
        let fields = try mapping(node, field: "rules[]", allowed: nil)
        guard let idNode = fields["id"] else { throw fail(.schema, "id", node, "missing; every rule needs a unique `id`") }
        let id = try string(idNode, field: "id")
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._-".unicodeScalars.contains($0)) }) else {
            throw fail(.value, "id", idNode, "`\(id)` is not a valid id; use letters, digits, `.`, `_` and `-`")
        }
        ruleID = id
        _ = try mapping(node, field: "rules[]", allowed: Self.ruleKeys)

        guard let labelNode = fields["label"] else { throw fail(.schema, "label", node, "missing; name the label this rule feeds, e.g. `label: crit.preservation_motive`") }
        let label = try string(labelNode, field: "label")
        guard !label.isEmpty else { throw fail(.value, "label", labelNode, "is empty; name the label this rule feeds") }
        var family: String? = nil
        if let n = fields["family"] { family = try string(n, field: "family") }

        guard let weightNode = fields["weight"] else { throw fail(.schema, "weight", node, "missing; add `weight:` with a number in (0, 1]") }
        guard let weight = number(weightNode) else { throw fail(.schema, "weight", weightNode, "must be a number in (0, 1]") }
        guard weight > 0, weight <= 1 else {
            throw fail(.value, "weight", weightNode, "\(formatNumber(weight)) is out of range; use a number in (0, 1]")
        }

        var polarity = Rule.Polarity.positive
        if let n = fields["polarity"] {
            let text = try string(n, field: "polarity")
            guard let p = Rule.Polarity(rawValue: text) else {
                throw fail(.value, "polarity", n, "`\(text)` is not a polarity; use `positive` or `counter`")
            }
            polarity = p
        }
        var scope = Rule.Scope.reasoning
        if let n = fields["scope"] {
            let text = try string(n, field: "scope")
            guard let s = Rule.Scope(rawValue: text) else {
                throw fail(.value, "scope", n, "`\(text)` is not a scope; use `reasoning`, `output`, `draft` or `any`")
            }
            scope = s
        }

        guard let stringsNode = fields["strings"] else {
            throw fail(.schema, "strings", node, "missing; declare at least one string, e.g. `strings: {a: {literal: 'rlhf'}}`")
        }
        var strings: [NamedPattern] = []
        for (name, value) in try entries(stringsNode, field: "strings") {
            strings.append(try namedPattern(name: name, value, keyNode: stringsNode))
        }
        guard !strings.isEmpty else {
            throw fail(.schema, "strings", stringsNode, "is empty; declare at least one string, e.g. `a: {literal: 'rlhf'}`")
        }

        var conditionText = "any of them"
        var conditionNode: Node? = nil
        if let n = fields["condition"] {
            conditionText = try string(n, field: "condition")
            conditionNode = n
        }
        let expression: ConditionExpression
        do {
            expression = try ConditionExpression.parse(conditionText, names: strings.map(\.name))
        } catch {
            throw fail(.condition, "condition", conditionNode ?? node, "`\(conditionText)`: \(error.description)")
        }
        if expression.evaluate(in: EmptyConditionEnvironment()) {
            throw fail(.condition, "condition", conditionNode ?? node,
                       "`\(conditionText)` holds when nothing matched, so it would fire on every block with no evidence; require at least one string to match")
        }

        var tags: [String] = []
        if let n = fields["tags"] { tags = try stringList(n, field: "tags") }

        guard let examplesNode = fields["examples"] else {
            throw fail(.examples, "examples", node, "missing; every rule needs at least one `match` and one `no_match` example, which `afscan rules test` runs")
        }
        let examples = try mapping(examplesNode, field: "examples", allowed: ["match", "no_match"])
        var matchExamples: [String] = []
        var noMatchExamples: [String] = []
        if let n = examples["match"] { matchExamples = try stringList(n, field: "examples.match") }
        if let n = examples["no_match"] { noMatchExamples = try stringList(n, field: "examples.no_match") }
        guard !matchExamples.isEmpty else {
            throw fail(.examples, "examples.match", examples["match"] ?? examplesNode,
                       "missing or empty; add at least one text the rule must match")
        }
        guard !noMatchExamples.isEmpty else {
            throw fail(.examples, "examples.no_match", examples["no_match"] ?? examplesNode,
                       "missing or empty; add at least one text the rule must not match")
        }

        return Rule(id: id, label: label, family: family, weight: weight, polarity: polarity, scope: scope, strings: strings,
                    condition: conditionText, tags: tags, matchExamples: matchExamples, noMatchExamples: noMatchExamples)
    }

    private func namedPattern(name: String, _ node: Node, keyNode: Node) throws(RuleError) -> NamedPattern {
        let field = "strings.\(name)"
        guard Self.isIdentifier(name) else {
            throw fail(.value, field, node, "`\(name)` is not a valid string name; use an identifier (letters, digits, `_`, not starting with a digit)")
        }
        guard !ConditionExpression.keywords.contains(name) else {
            throw fail(.value, field, node, "`\(name)` is a condition keyword; rename the string")
        }
        let spec = try mapping(node, field: field, allowed: ["literal", "regex"])
        guard spec.count == 1, let (kindKey, valueNode) = spec.first.map({ ($0.0, $0.1) }),
              let kind = NamedPattern.Kind(rawValue: kindKey) else {
            throw fail(.schema, field, node, "must have exactly one of `literal` or `regex`, e.g. `{literal: 'rlhf'}`")
        }
        let pattern = try string(valueNode, field: "\(field).\(kindKey)")
        guard !pattern.isEmpty else { throw fail(.value, field, valueNode, "the \(kindKey) is empty") }
        let named = NamedPattern(name: name, kind: kind, pattern: pattern)
        if kind == .regex, pattern.utf8.contains(0) {
            throw fail(.pattern, field, valueNode, "the regex contains a NUL byte, which would cut it short; write it as \\x00")
        }
        if checkPatterns {
            switch HyperscanPattern.info(HyperscanPattern.expression(for: named)) {
            case .failure(let message):
                throw fail(.pattern, field, valueNode,
                           "Vectorscan cannot compile \(kindKey) '\(pattern)': \(message.text) (Vectorscan takes PCRE syntax without back-references or look-around)")
            case .success(let info) where info.maxWidth == 0:
                throw fail(.pattern, field, valueNode,
                           "\(kindKey) '\(pattern)' only matches the empty string (an anchor or assertion alone), so its evidence would be empty; make it match at least one byte")
            case .success:
                break
            }
        }
        return named
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }
    }

    // MARK: Node helpers

    /// A mapping as ordered (key, value) pairs; repeated keys are an error.
    private func entries(_ node: Node, field: String) throws(RuleError) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else { throw fail(.schema, field, node, "must be a mapping (`key: value`)") }
        var out: [(String, Node)] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw fail(.schema, field, keyNode, "keys must be plain strings") }
            guard seen.insert(key).inserted else {
                throw fail(.schema, "\(field).\(key)", keyNode, "is given twice; keep one")
            }
            out.append((key, value))
        }
        return out
    }

    /// A mapping as a lookup table, checking keys against `allowed` (nil: any).
    private func mapping(_ node: Node, field: String, allowed: Set<String>?) throws(RuleError) -> OrderedFields {
        let pairs = try entries(node, field: field)
        if let allowed {
            for (key, _) in pairs where !allowed.contains(key) {
                let keyNode = node.mapping?.keys.first { $0.scalar?.string == key }
                let prefix = field == "(top level)" || field == "rules[]" ? "" : "\(field)."
                throw fail(.schema, "\(prefix)\(key)", keyNode ?? node,
                           "unknown key; allowed: \(allowed.sorted().joined(separator: ", "))")
            }
        }
        return OrderedFields(pairs: pairs)
    }

    private func string(_ node: Node, field: String) throws(RuleError) -> String {
        guard case .scalar(let scalar) = node else { throw fail(.schema, field, node, "must be a string") }
        return scalar.string
    }

    private func stringList(_ node: Node, field: String) throws(RuleError) -> [String] {
        if case .scalar(let scalar) = node { return [scalar.string] }
        guard case .sequence(let items) = node else { throw fail(.schema, field, node, "must be a list of strings") }
        var out: [String] = []
        for item in items {
            guard case .scalar(let scalar) = item else { throw fail(.schema, field, item, "must be a list of strings") }
            out.append(scalar.string)
        }
        return out
    }

    private func number(_ node: Node) -> Double? {
        guard case .scalar = node else { return nil }
        if let i = node.int { return Double(i) }
        if let d = node.float, d.isFinite { return d }
        return nil
    }

    private func formatNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// `rule `ID`: `FIELD` (line N): PROBLEM` (rule part omitted outside a rule, line part when unknown).
    private func fail(_ code: RuleError.Code, _ field: String, _ node: Node?, _ problem: String) -> RuleError {
        let line = node?.mark?.line
        var message = ""
        if let ruleID { message += "rule `\(ruleID)`: " }
        message += "`\(field)`"
        if let line { message += " (line \(line))" }
        message += ": \(problem)"
        return RuleError(code, message, ruleID: ruleID, line: line)
    }
}

/// Mapping entries in file order with lookup by key.
private struct OrderedFields {
    var pairs: [(String, Node)]
    var count: Int { pairs.count }
    var first: (String, Node)? { pairs.first }
    subscript(key: String) -> Node? { pairs.first { $0.0 == key }?.1 }
}
