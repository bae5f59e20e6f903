/// A rule's condition, parsed (YARA-like). String names are resolved to indices into `Rule.strings`.
///
/// Grammar (`ConditionExpression.parse`):
/// ```
/// expr := or
/// or   := and ('or' and)*
/// and  := not ('and' not)*
/// not  := 'not' not | atom
/// atom := '(' expr ')' | NAME | NAME 'near' NAME
///       | 'any of them' | 'all of them' | INT 'of them'
///       | 'any of (' NAME (',' NAME)* ')' | 'all of (' … ')' | INT 'of (' … ')'
///       | '#' NAME CMP INT                      CMP in >= > <= < ==
/// ```
/// Semantics, per block (see `ConditionEnvironment`): `NAME` holds when the string matched somewhere in
/// the block; `#a` is the number of matches of `a` (distinct end offsets); `a near b` holds when some
/// match of `a`, in sentence `s`, has a match of `b` in sentences `s-2 … s` (CONTRACT.md: "the same
/// sentence or the two sentences before it"). A match's sentence is the one holding its last byte.
public indirect enum ConditionExpression: Sendable, Hashable {
    /// The string at this index matched at least once.
    case present(Int)
    /// Some match of the first string has a match of the second in its sentence or the two before.
    case near(Int, Int)
    /// `#a CMP n`.
    case count(Int, Comparison, Int)
    /// `any|all|N of them` (`strings` = every string of the rule) or `… of (a, b)`.
    case quantified(Quantifier, strings: [Int])
    case not(ConditionExpression)
    case and([ConditionExpression])
    case or([ConditionExpression])

    public enum Comparison: String, Sendable, Hashable {
        case greaterOrEqual = ">=", greater = ">", lessOrEqual = "<=", less = "<", equal = "=="

        public func holds(_ lhs: Int, _ rhs: Int) -> Bool {
            switch self {
            case .greaterOrEqual: return lhs >= rhs
            case .greater: return lhs > rhs
            case .lessOrEqual: return lhs <= rhs
            case .less: return lhs < rhs
            case .equal: return lhs == rhs
            }
        }
    }

    public enum Quantifier: Sendable, Hashable {
        case any
        case all
        case atLeast(Int)
    }

    /// Whether the condition holds for the matches described by `environment`.
    public func evaluate<Environment: ConditionEnvironment>(in environment: Environment) -> Bool {
        switch self {
        case .present(let string):
            return environment.matchCount(of: string) > 0
        case .near(let a, let b):
            return environment.hasNearMatch(of: a, near: b)
        case .count(let string, let comparison, let value):
            return comparison.holds(environment.matchCount(of: string), value)
        case .quantified(let quantifier, let strings):
            var present = 0
            for string in strings where environment.matchCount(of: string) > 0 { present += 1 }
            switch quantifier {
            case .any: return present >= 1
            case .all: return present == strings.count
            case .atLeast(let n): return present >= n
            }
        case .not(let inner):
            return !inner.evaluate(in: environment)
        case .and(let terms):
            for term in terms where !term.evaluate(in: environment) { return false }
            return true
        case .or(let terms):
            for term in terms where term.evaluate(in: environment) { return true }
            return false
        }
    }

    /// Which matches are this condition's evidence anchors, given that it holds in `environment`.
    ///
    /// Rules, left to right over the true parts of the condition: for `a near b`, the qualifying matches
    /// of `a`; for a bare `NAME` or `#NAME …`, the matches of that string; for a quantifier (`any of them`,
    /// `2 of (a, b)` …), the matches of every listed string that is present. `or` takes the first true
    /// term that yields anchors, `and` the first term that does; nothing under `not` is an anchor.
    /// Returns nil when no positive part yields a match (e.g. `not not a`); the scanner then falls back
    /// to every match of the rule's strings.
    public func anchors<Environment: ConditionEnvironment>(in environment: Environment) -> AnchorSelection? {
        switch self {
        case .present(let string):
            return environment.matchCount(of: string) > 0 ? .matches(of: string) : nil
        case .near(let a, let b):
            return environment.hasNearMatch(of: a, near: b) ? .nearMatches(of: a, near: b) : nil
        case .count(let string, _, _):
            guard evaluate(in: environment), environment.matchCount(of: string) > 0 else { return nil }
            return .matches(of: string)
        case .quantified(_, let strings):
            guard evaluate(in: environment) else { return nil }
            let present = strings.filter { environment.matchCount(of: $0) > 0 }
            return present.isEmpty ? nil : .matchesOfAny(present)
        case .not:
            return nil
        case .and(let terms):
            guard evaluate(in: environment) else { return nil }
            for term in terms {
                if let selection = term.anchors(in: environment) { return selection }
            }
            return nil
        case .or(let terms):
            for term in terms where term.evaluate(in: environment) {
                if let selection = term.anchors(in: environment) { return selection }
            }
            return nil
        }
    }

    /// The indices of every string the condition names (with `them` expanded), in first-use order.
    public var referencedStrings: [Int] {
        var seen: [Int] = []
        func visit(_ e: ConditionExpression) {
            switch e {
            case .present(let s), .count(let s, _, _):
                if !seen.contains(s) { seen.append(s) }
            case .near(let a, let b):
                for s in [a, b] where !seen.contains(s) { seen.append(s) }
            case .quantified(_, let strings):
                for s in strings where !seen.contains(s) { seen.append(s) }
            case .not(let inner):
                visit(inner)
            case .and(let terms), .or(let terms):
                terms.forEach(visit)
            }
        }
        visit(self)
        return seen
    }
}

/// Which matches of a holding condition serve as evidence anchors (see `ConditionExpression.anchors`).
public enum AnchorSelection: Sendable, Hashable {
    /// Every match of the string.
    case matches(of: Int)
    /// The matches of the first string that have a match of the second in their sentence or the two before.
    case nearMatches(of: Int, near: Int)
    /// Every match of each listed string (merged by end offset).
    case matchesOfAny([Int])
}

/// The per-block facts a condition is evaluated on. Strings are indices into `Rule.strings`.
public protocol ConditionEnvironment {
    /// Number of matches of the string in the block (distinct end offsets).
    func matchCount(of string: Int) -> Int
    /// Whether some match of `a` (in sentence `s`) has a match of `b` in a sentence in `s-2 … s`.
    func hasNearMatch(of a: Int, near b: Int) -> Bool
}

/// A `ConditionEnvironment` in which no string matched: a condition that holds here would fire on
/// every block with no evidence, so the loader rejects it.
public struct EmptyConditionEnvironment: ConditionEnvironment {
    public init() {}
    public func matchCount(of string: Int) -> Int { 0 }
    public func hasNearMatch(of a: Int, near b: Int) -> Bool { false }
}
