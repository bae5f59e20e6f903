import CHyperscan
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rule set compiled for scanning: for each group of block kinds (scratchpad and reasoning; draft;
/// output), every string of every rule whose scope admits that kind in ONE Vectorscan block-mode
/// database (an output block is not scanned for the reasoning rules, nor the reverse), plus, per string whose matches can differ in length, a one-pattern database with
/// `HS_FLAG_SOM_LEFTMOST` used only to find the start offsets of evidence anchors (so the hot first
/// pass pays no start-of-match cost, and a start lookup scans one pattern, not all of them). A string
/// whose every match has the same length (`minWidths[s] == maxWidths[s]`) needs no database: its
/// start is `end - width`.
///
/// Pattern ids are global string indices: rule `r`'s string `j` has id `stringRanges[r].lowerBound + j`.
/// Flags: `HS_FLAG_CASELESS` (ASCII; the text is lower-cased anyway), never `HS_FLAG_SINGLEMATCH`
/// (conditions need counts and positions); literals are escaped into regexes (`HyperscanPattern`).
///
/// Create one per rule set and share it across threads; each thread makes its own `RuleScanner`.
///
/// `@unchecked Sendable` is safe because: every stored property is a `let`; the `hs_database_t`s
/// are never written after `hs_compile_multi` returns (Vectorscan documents compiled databases as
/// read-only and shareable between threads, and only `deinit` frees them, when no scanner can hold a
/// reference any more, since each `RuleScanner` retains this object); the same holds for every
/// first-pass and start-of-match database in `scanDatabases` and `startDatabases`; the prototype scratch is only
/// ever *read*, by `hs_clone_scratch`, and that call is serialised by `cloneLock` anyway; it is never
/// passed to `hs_scan`.
public final class CompiledRules: @unchecked Sendable {
    /// The rule set as loaded (its `hash` is `rules_hash`).
    public let ruleSet: RuleSet
    /// Each rule's parsed condition, by rule index.
    public let conditions: [ConditionExpression]
    /// Global string ids of each rule's strings, by rule index.
    public let stringRanges: [Range<Int>]
    /// Total number of strings (patterns) in the database.
    public let stringCount: Int
    /// Longest possible match of each string in bytes (`hs_expression_info`), nil when unbounded.
    public let maxWidths: [Int?]
    /// Shortest possible match of each string in bytes (`hs_expression_info`).
    public let minWidths: [Int]
    /// Rule index of each global string id.
    let ruleOfString: [Int]
    /// Indices of the rules scanned in each block kind (`BlockKind.admits`), in rule order.
    private let scratchpadRules: [Int], reasoningRules: [Int], draftRules: [Int], outputRules: [Int]

    /// First-pass database of each `ScanGroup` (by raw value); nil when no rule applies to the group.
    let scanDatabases: [OpaquePointer?]
    /// Start-of-match database of each string (`HS_FLAG_SOM_LEFTMOST`, the string alone, id 0), nil
    /// for a fixed-width string (`hasFixedWidth`).
    let startDatabases: [OpaquePointer?]
    private let prototypeScratch: OpaquePointer
    private let cloneLock = Mutex<Int>(0)

    /// The window, in bytes, searched back from a match end for its start when the pattern's match
    /// length is unbounded.
    public static let unboundedStartWindow = 4096

    /// Compiles `ruleSet`.
    ///
    /// - Throws: `RuleError` `.platform` when the CPU cannot run Vectorscan (it needs SSE4.2 on
    ///   x86-64) or Vectorscan fails outside any one pattern; `.pattern` naming the rule id and string
    ///   when Vectorscan rejects a pattern (its message quoted); `.condition` when a condition does not
    ///   parse (a `RuleSet` built in code skips the loader's checks); `.schema` when there is no string.
    /// Wraps `hs_valid_platform`, `hs_expression_info`, `hs_compile_multi` and `hs_alloc_scratch`.
    /// - Parameter useCache: look up and store the compiled databases in the on-disk `DatabaseCache`
    ///   (`$AFSCAN_CACHE_DIR`, `$XDG_CACHE_HOME/afscan` or `~/.cache/afscan`).
    public convenience init(_ ruleSet: RuleSet, useCache: Bool = true) throws(RuleError) {
        try self.init(ruleSet, cache: useCache ? DatabaseCache.fromEnvironment() : nil)
    }

    /// Compiles `ruleSet`, reading and writing compiled databases in `cache` when given.
    init(_ ruleSet: RuleSet, cache: DatabaseCache?) throws(RuleError) {
        guard hs_valid_platform() == HS_SUCCESS else {
            throw RuleError(.platform, "Vectorscan needs SSE4.2 on x86-64; this CPU lacks it. Run afscan on a machine with SSE4.2.")
        }
        var conditions: [ConditionExpression] = []
        var ranges: [Range<Int>] = []
        var ruleOfString: [Int] = []
        var patterns: [NamedPattern] = []
        for (r, rule) in ruleSet.rules.enumerated() {
            do {
                conditions.append(try ConditionExpression.parse(rule.condition, names: rule.strings.map(\.name)))
            } catch {
                throw RuleError(.condition, "rule `\(rule.id)`: `condition`: `\(rule.condition)`: \(error.description)", ruleID: rule.id)
            }
            ranges.append(patterns.count..<(patterns.count + rule.strings.count))
            for string in rule.strings {
                patterns.append(string)
                ruleOfString.append(r)
            }
        }
        guard !patterns.isEmpty else {
            throw RuleError(.schema, "the rule set has no strings to scan for; add a rule with at least one string")
        }

        let expressions = patterns.map(HyperscanPattern.expression(for:))
        // The scan groups each string is compiled into are part of the key: a rule whose scope changed
        // must not reuse databases built for its old scope.
        let groupsOfString = ruleOfString.map { r in ScanGroup.allCases.filter { $0.kind.admits(ruleSet.rules[r].scope) } }
        let cacheKey = DatabaseCache.key(expressions: expressions,
                                         groups: groupsOfString.map { $0.map { String($0.rawValue) }.joined(separator: ",") },
                                         scanFlags: HyperscanPattern.scanFlags, somFlags: HyperscanPattern.somFlags)
        let widths: [HyperscanPattern.Info]
        let scanDatabases: [OpaquePointer?]
        let startDatabases: [OpaquePointer?]
        if let entry = cache?.load(key: cacheKey, count: expressions.count, groups: ScanGroup.allCases.count) {
            (widths, scanDatabases, startDatabases) = (entry.widths, entry.scans, entry.starts)
        } else {
            var computed: [HyperscanPattern.Info] = []
            for (i, expression) in expressions.enumerated() {
                switch HyperscanPattern.info(expression) {
                case .success(let info): computed.append(info)
                case .failure(let message):
                    throw Self.patternError(ruleSet, ruleOfString[i], patterns[i], message.text, som: false)
                }
            }
            widths = computed

            /// Compiles `subset` (global string ids), with their global ids as pattern ids when
            /// `globalIDs`, else with ids 0..<count.
            func compile(_ subset: [Int], flags: UInt32, som: Bool, globalIDs: Bool) throws(RuleError) -> OpaquePointer {
                let result = Self.compileMulti(subset.map { expressions[$0] }, ids: globalIDs ? subset.map(UInt32.init) : nil,
                                               flags: flags)
                switch result {
                case .success(let db): return db
                case .failure(let failure):
                    if let k = failure.index, k >= 0, k < subset.count {
                        let i = subset[k]
                        throw Self.patternError(ruleSet, ruleOfString[i], patterns[i], failure.message, som: som)
                    }
                    throw RuleError(.platform, "Vectorscan could not compile the rule set: \(failure.message)")
                }
            }
            var scans: [OpaquePointer?] = []
            var starts: [OpaquePointer?] = []
            do {
                for group in ScanGroup.allCases {
                    let members = expressions.indices.filter { groupsOfString[$0].contains(group) }
                    scans.append(members.isEmpty ? nil : try compile(members, flags: HyperscanPattern.scanFlags, som: false, globalIDs: true))
                }
                for i in expressions.indices {
                    starts.append(computed[i].isFixedWidth ? nil : try compile([i], flags: HyperscanPattern.somFlags, som: true, globalIDs: false))
                }
            } catch {
                Self.freeDatabases(scans + starts)
                throw error
            }
            scanDatabases = scans
            startDatabases = starts
            cache?.store(key: cacheKey, widths: widths, scans: scanDatabases, starts: startDatabases)
        }
        var scratch: OpaquePointer?
        var rc = HS_SUCCESS
        for db in (scanDatabases + startDatabases).compactMap({ $0 }) where rc == HS_SUCCESS {
            rc = hs_alloc_scratch(db, &scratch)
        }
        guard rc == HS_SUCCESS, let scratch else {
            if let scratch { hs_free_scratch(scratch) }
            Self.freeDatabases(scanDatabases + startDatabases)
            throw RuleError(.platform, "Vectorscan could not allocate scratch space (error \(rc)); check available memory")
        }

        self.ruleSet = ruleSet
        self.conditions = conditions
        self.stringRanges = ranges
        self.stringCount = patterns.count
        self.maxWidths = widths.map(\.maxWidth)
        self.minWidths = widths.map(\.minWidth)
        self.ruleOfString = ruleOfString
        func admitted(_ kind: BlockKind) -> [Int] { ruleSet.rules.indices.filter { kind.admits(ruleSet.rules[$0].scope) } }
        self.scratchpadRules = admitted(.scratchpad)
        self.reasoningRules = admitted(.reasoning)
        self.draftRules = admitted(.draft)
        self.outputRules = admitted(.output)
        self.scanDatabases = scanDatabases
        self.startDatabases = startDatabases
        self.prototypeScratch = scratch
    }

    deinit {
        hs_free_scratch(prototypeScratch)
        Self.freeDatabases(scanDatabases + startDatabases)
    }

    /// Frees every database of `databases` (nil entries are skipped). Wraps `hs_free_database`.
    static func freeDatabases(_ databases: [OpaquePointer?]) {
        for case let db? in databases { hs_free_database(db) }
    }

    /// True when every match of global string `string` has the same length, so its start is
    /// `end - maxWidths[string]` and needs no start-of-match scan.
    public func hasFixedWidth(_ string: Int) -> Bool { startDatabases[string] == nil }

    /// The first-pass database for blocks of `kind`, nil when no rule applies to them.
    func scanDatabase(for kind: BlockKind) -> OpaquePointer? { scanDatabases[ScanGroup(kind).rawValue] }

    /// Indices of the rules whose scope admits blocks of `kind`, in rule order.
    public func ruleIndices(admittedBy kind: BlockKind) -> [Int] {
        switch kind {
        case .scratchpad: return scratchpadRules
        case .reasoning: return reasoningRules
        case .draft: return draftRules
        case .output: return outputRules
        }
    }

    /// The rule set's hash (`rules_hash`).
    public var hash: String { ruleSet.hash }

    /// How many scratches have been cloned (one per `RuleScanner` made), for metrics and tests.
    public var scratchesCloned: Int { cloneLock.withLock { $0 } }

    /// A new scratch valid for every first-pass and start-of-match database, owned by the caller (free it with `hs_free_scratch`).
    /// Wraps `hs_clone_scratch`.
    func cloneScratch() -> OpaquePointer {
        cloneLock.withLock { count -> OpaquePointer in
            var clone: OpaquePointer?
            let rc = hs_clone_scratch(prototypeScratch, &clone)
            guard rc == HS_SUCCESS, let clone else {
                fatalError("hs_clone_scratch failed with error \(rc): out of memory")
            }
            count += 1
            return clone
        }
    }

    /// Block kinds that admit the same rules, so share one first-pass database.
    enum ScanGroup: Int, CaseIterable {
        case reasoning, draft, output

        init(_ kind: BlockKind) {
            switch kind {
            case .scratchpad, .reasoning: self = .reasoning
            case .draft: self = .draft
            case .output: self = .output
            }
        }

        /// A kind of the group (every kind of a group admits the same scopes).
        var kind: BlockKind {
            switch self {
            case .reasoning: return .reasoning
            case .draft: return .draft
            case .output: return .output
            }
        }
    }

    // MARK: Compilation helpers

    private struct CompileFailure: Error {
        var message: String
        /// The failing expression's index, or nil/-1 when the error is not about one pattern.
        var index: Int?
    }

    /// Wraps `hs_compile_multi` in block mode with the same `flags` for every expression, for the platform
    /// `afs_hs_platform` gives (`DatabaseCache.platformKey`); pattern ids are `ids`, or the indices when nil.
    private static func compileMulti(_ expressions: [String], ids: [UInt32]?, flags: UInt32) -> Result<OpaquePointer, CompileFailure> {
        let cStrings = expressions.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        let flagArray = [UInt32](repeating: flags, count: expressions.count)
        let ids = ids ?? (0..<expressions.count).map { UInt32($0) }
        var database: OpaquePointer?
        var compileError: UnsafeMutablePointer<hs_compile_error_t>?
        var platform = hs_platform_info_t()
        afs_hs_platform(&platform)
        let rc = hs_compile_multi(pointers, flagArray, ids, UInt32(expressions.count), UInt32(HS_MODE_BLOCK), &platform,
                                  &database, &compileError)
        if rc == HS_SUCCESS, let database { return .success(database) }
        let message = compileError.map { String(cString: $0.pointee.message) } ?? "error \(rc)"
        let index = compileError.map { Int($0.pointee.expression) }
        if let compileError { hs_free_compile_error(compileError) }
        return .failure(CompileFailure(message: message, index: index))
    }

    private static func patternError(_ set: RuleSet, _ rule: Int,
                                     _ pattern: NamedPattern, _ message: String, som: Bool) -> RuleError {
        let id = set.rules[rule].id
        let purpose = som ? " with start-of-match reporting (HS_FLAG_SOM_LEFTMOST, needed for evidence spans)" : ""
        return RuleError(
            .pattern,
            "rule `\(id)`: `strings.\(pattern.name)`: Vectorscan cannot compile \(pattern.kind.rawValue) '\(pattern.pattern)'\(purpose): \(message) (Vectorscan takes PCRE syntax without back-references or look-around; simplify the pattern)",
            ruleID: id)
    }
}
