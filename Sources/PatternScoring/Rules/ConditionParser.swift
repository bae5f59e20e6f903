/// A condition that does not parse. `column` is the 1-based character position in the condition text
/// where the problem was found (one past the end for "unexpected end").
public struct ConditionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var column: Int
    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }
    public var description: String { "\(message) at column \(column)" }
}

extension ConditionExpression {
    /// Words that cannot be string names.
    public static let keywords: Set<String> = ["and", "or", "not", "near", "any", "all", "of", "them"]

    /// Parses `source` (grammar on `ConditionExpression`), resolving names against `names` (the rule's
    /// string names, in file order: index `i` is `Rule.strings[i]`).
    ///
    /// - Throws: `ConditionSyntaxError` for a syntax error, an undeclared name, or `N of …` with `N`
    ///   larger than the number of strings it counts.
    public static func parse(_ source: String, names: [String]) throws(ConditionSyntaxError) -> ConditionExpression {
        var parser = ConditionParser(source: source, names: names)
        return try parser.parseAll()
    }
}

/// Hand-written recursive-descent parser for `ConditionExpression` (one token of look-ahead).
struct ConditionParser {
    enum Token: Equatable {
        case name(String)
        case int(Int)
        case open, close, comma, hash
        case comparison(ConditionExpression.Comparison)
        case end
    }

    private let names: [String]
    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0
    private let lexError: ConditionSyntaxError?

    init(source: String, names: [String]) {
        self.names = names
        var result: [(Token, Int)] = []
        var failure: ConditionSyntaxError?
        let chars = Array(source)
        var i = 0
        lexing: while i < chars.count {
            let c = chars[i]
            let column = i + 1
            if c.isWhitespace {
                i += 1
                continue
            }
            switch c {
            case "(": result.append((.open, column)); i += 1
            case ")": result.append((.close, column)); i += 1
            case ",": result.append((.comma, column)); i += 1
            case "#": result.append((.hash, column)); i += 1
            case ">", "<", "=":
                let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
                if next == "=" {
                    let op: ConditionExpression.Comparison = c == ">" ? .greaterOrEqual : c == "<" ? .lessOrEqual : .equal
                    result.append((.comparison(op), column))
                    i += 2
                } else if c == "=" {
                    failure = ConditionSyntaxError(message: "`=` is not an operator (use `==`)", column: column)
                    break lexing
                } else {
                    result.append((.comparison(c == ">" ? .greater : .less), column))
                    i += 1
                }
            default:
                if c.isASCII && (c.isLetter || c == "_") {
                    var j = i
                    while j < chars.count, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                    result.append((.name(String(chars[i..<j])), column))
                    i = j
                } else if c.isASCII && c.isNumber {
                    var j = i
                    while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                    guard let value = Int(String(chars[i..<j])) else {
                        failure = ConditionSyntaxError(message: "number too large", column: column)
                        break lexing
                    }
                    result.append((.int(value), column))
                    i = j
                } else {
                    failure = ConditionSyntaxError(message: "unexpected character `\(c)`", column: column)
                    break lexing
                }
            }
        }
        result.append((.end, chars.count + 1))
        self.tokens = result.map { (token: $0.0, column: $0.1) }
        self.lexError = failure
    }

    mutating func parseAll() throws(ConditionSyntaxError) -> ConditionExpression {
        if let lexError { throw lexError }
        if peek == .end { throw error("empty condition (write e.g. `any of them`)") }
        let expr = try parseOr()
        guard peek == .end else { throw error("expected `and`, `or` or the end of the condition, found \(describe(peek))") }
        return expr
    }

    // MARK: Grammar

    private mutating func parseOr() throws(ConditionSyntaxError) -> ConditionExpression {
        var terms = [try parseAnd()]
        while isKeyword("or") {
            advance()
            terms.append(try parseAnd())
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> ConditionExpression {
        var terms = [try parseNot()]
        while isKeyword("and") {
            advance()
            terms.append(try parseNot())
        }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseNot() throws(ConditionSyntaxError) -> ConditionExpression {
        if isKeyword("not") {
            advance()
            return .not(try parseNot())
        }
        return try parseAtom()
    }

    private mutating func parseAtom() throws(ConditionSyntaxError) -> ConditionExpression {
        switch peek {
        case .open:
            advance()
            let inner = try parseOr()
            try expect(.close, "`)`")
            return inner
        case .hash:
            advance()
            let string = try parseStringName()
            guard case .comparison(let op) = peek else {
                throw error("expected a comparison (`>=`, `>`, `<=`, `<`, `==`) after `#\(names[string])`, found \(describe(peek))")
            }
            advance()
            guard case .int(let value) = peek else { throw error("expected a number after `\(op.rawValue)`, found \(describe(peek))") }
            advance()
            return .count(string, op, value)
        case .int(let n):
            advance()
            return try parseOf(.atLeast(n), quantifierText: String(n))
        case .name(let word) where word == "any" || word == "all":
            advance()
            return try parseOf(word == "any" ? .any : .all, quantifierText: word)
        case .name(let word) where !ConditionExpression.keywords.contains(word):
            let a = try parseStringName()
            if isKeyword("near") {
                advance()
                let b = try parseStringName()
                return .near(a, b)
            }
            return .present(a)
        default:
            throw error("expected a string name, `(`, `not`, `any`, `all`, a number or `#`, found \(describe(peek))")
        }
    }

    /// `of them` or `of (a, b, …)` after a quantifier.
    private mutating func parseOf(_ quantifier: ConditionExpression.Quantifier, quantifierText: String) throws(ConditionSyntaxError) -> ConditionExpression {
        guard isKeyword("of") else { throw error("expected `of` after `\(quantifierText)`, found \(describe(peek))") }
        advance()
        let quantifierColumn = currentColumn
        var strings: [Int] = []
        if isKeyword("them") {
            advance()
            strings = Array(names.indices)
        } else {
            try expect(.open, "`them` or `(`")
            strings.append(try parseStringName())
            while peek == .comma {
                advance()
                let s = try parseStringName()
                if !strings.contains(s) { strings.append(s) }
            }
            try expect(.close, "`,` or `)`")
        }
        if case .atLeast(let n) = quantifier, n > strings.count {
            throw ConditionSyntaxError(
                message: "`\(n) of …` can never hold: only \(strings.count) string(s) to count", column: quantifierColumn)
        }
        return .quantified(quantifier, strings: strings)
    }

    private mutating func parseStringName() throws(ConditionSyntaxError) -> Int {
        guard case .name(let word) = peek, !ConditionExpression.keywords.contains(word) else {
            throw error("expected a string name, found \(describe(peek))")
        }
        guard let index = names.firstIndex(of: word) else {
            let declared = names.isEmpty ? "none" : names.joined(separator: ", ")
            throw error("`\(word)` is not a declared string (declared: \(declared))")
        }
        advance()
        return index
    }

    // MARK: Token helpers

    private var peek: Token { tokens[position].token }
    private var currentColumn: Int { tokens[position].column }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }
    private func isKeyword(_ word: String) -> Bool { peek == .name(word) }

    private mutating func expect(_ token: Token, _ what: String) throws(ConditionSyntaxError) {
        guard peek == token else { throw error("expected \(what), found \(describe(peek))") }
        advance()
    }

    private func error(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(message: message, column: currentColumn)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .name(let s): return "`\(s)`"
        case .int(let n): return "`\(n)`"
        case .open: return "`(`"
        case .close: return "`)`"
        case .comma: return "`,`"
        case .hash: return "`#`"
        case .comparison(let op): return "`\(op.rawValue)`"
        case .end: return "the end of the condition"
        }
    }
}
