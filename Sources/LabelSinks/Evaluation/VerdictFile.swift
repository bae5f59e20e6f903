import ArchiveIO
import Foundation

/// One judge verdict: whether a judge (an LLM grader, a human) found a label in one sample.
///
/// Read from one line of a verdict file (docs/VERDICTS.md):
/// `{"id": "cc-001", "label": "af.goal_guarding", "value": true}` or `{"source": {"file": "a.jsonl",
/// "record": 3}, "score": 0.83, "judge": "claude, prompt v2"}`.
public struct Verdict: Sendable, Hashable {
    /// What a verdict is matched on: the record's id, or the record's place as afscan's label rows give it.
    public enum Key: Sendable, Hashable, CustomStringConvertible {
        /// The id afscan rows carry (the layout's id field or `--id-field`), as text.
        case id(String)
        /// `source.file` (the input's display name, as given on the command line) and `source.record`
        /// (1-based record number within that input).
        case source(file: String, record: Int)

        /// `id "cc-001"`, `source a.jsonl record 3` (for messages).
        public var description: String {
            switch self {
            case .id(let id): "id \"\(id)\""
            case .source(let file, let record): "source \(file) record \(record)"
            }
        }
    }

    /// What the judge said.
    public enum Judgement: Sendable, Hashable, CustomStringConvertible {
        /// `"value": true|false`.
        case value(Bool)
        /// `"score": p`, a judge probability in [0, 1].
        case score(Double)

        /// `true`, `false`, `score 0.83` (for messages).
        public var description: String {
            switch self {
            case .value(let v): v ? "true" : "false"
            case .score(let p): "score \(p)"
            }
        }
    }

    public var key: Key
    /// The label judged (`af.goal_guarding` when the line names none).
    public var label: String
    public var judgement: Judgement
    /// True for a judge positive: `value` true, or `score` ≥ the file's threshold.
    public var positive: Bool
    /// The line's free-text `"judge"` (kept, unused by afscan), or nil.
    public var judge: String?
    /// 1-based line number in the verdict file.
    public var line: Int

    public init(key: Key, label: String, judgement: Judgement, positive: Bool, judge: String? = nil, line: Int) {
        self.key = key
        self.label = label
        self.judgement = judgement
        self.positive = positive
        self.judge = judge
        self.line = line
    }
}

/// A line of a verdict file that could not be read as a verdict (it is skipped and counted).
public struct VerdictProblem: Sendable, Hashable, CustomStringConvertible {
    /// The verdict file's name, as given.
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// Why, e.g. `not a JSON object`.
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `verdicts.jsonl: line 3: not a JSON object; skipped`.
    public var description: String { "\(file): line \(line): \(message); skipped" }
}

/// A verdict file that cannot be read at all (cannot be opened, or its archive is corrupt).
public struct VerdictFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A judge-verdict file (JSON Lines, plain or zstd; docs/VERDICTS.md), parsed line by line.
///
/// Each non-blank line is one verdict object:
/// - a key: `"id": STRING` (an integer is read as its decimal text), or `"source": {"file": STRING,
///   "record": N}` with N ≥ 1. A `null` id counts as absent; when both are given, `id` is the key.
/// - exactly one of `"value": true|false` and `"score": NUMBER` in [0, 1]; a score is positive when
///   ≥ `threshold`.
/// - optional `"label": STRING` (default `af.goal_guarding`) and `"judge"` (free text, kept, unused).
///   Other keys are ignored.
///
/// A line that is not a JSON object, has no key, has both or neither of `value` and `score`, a score
/// outside [0, 1] (or not a number), or a key already given a *different* verdict for the same label, is
/// a `VerdictProblem` (named with its line number) and is skipped; the first verdict of a key is kept.
/// A line repeating an earlier verdict exactly (same key, label, value or score) is counted in
/// `repeats` and skipped silently. Blank lines are skipped and keep their line numbers.
///
/// Memory: one `Verdict` per distinct verdict.
public struct VerdictFile: Sendable {
    /// The label a verdict judges when its line names none.
    public static let defaultLabel = "af.goal_guarding"

    /// The verdict file's name in messages (the path as given).
    public let name: String
    /// Scores ≥ this are positive.
    public let threshold: Double
    /// The verdicts read, in file order, one per (label, key).
    public private(set) var verdicts: [Verdict] = []
    /// Lines skipped as bad, in file order.
    public private(set) var problems: [VerdictProblem] = []
    /// Non-blank lines read.
    public private(set) var lines = 0
    /// Lines that repeated an earlier verdict exactly (skipped, not an error).
    public private(set) var repeats = 0

    private struct LabelledKey: Hashable {
        var label: String
        var key: Verdict.Key
    }
    private var index: [LabelledKey: Int] = [:]

    /// An empty file named `name`; fill it with `add(line:number:)`.
    /// - Parameter threshold: a score ≥ this is positive; a finite number in [0, 1].
    public init(name: String, threshold: Double = 0.5) {
        self.name = name
        self.threshold = threshold
    }

    /// Parses a whole verdict file held in memory (`\n`-separated lines; `\r\n` is accepted).
    public static func parse(_ data: Data, name: String, threshold: Double = 0.5) -> VerdictFile {
        var file = VerdictFile(name: name, threshold: threshold)
        var number = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            file.add(line: Data(line), number: number)
        }
        return file
    }

    /// Reads the verdict file at `path` (plain or zstd, told apart by its first bytes, like every afscan
    /// input), streaming it line by line.
    /// - Parameters:
    ///   - path: the file; `name` defaults to it.
    ///   - maxWindowLog: the largest zstd window accepted (`--max-window-log`).
    /// - Throws: `VerdictFileError` when the file cannot be opened or its archive is corrupt (what was
    ///   read before a corruption is not used).
    public static func load(path: String, name: String? = nil, threshold: Double = 0.5,
                            maxWindowLog: Int = 27) throws(VerdictFileError) -> VerdictFile {
        var file = VerdictFile(name: name ?? path, threshold: threshold)
        do {
            let reader = try InputReader(InputSpec(path: path), maxWindowLog: maxWindowLog)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var carry = Data()
            var number = 0
            while true {
                let n = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
                if n == 0 { break }
                var start = 0
                for i in 0..<n where buffer[i] == UInt8(ascii: "\n") {
                    carry.append(contentsOf: buffer[start..<i])
                    number += 1
                    file.add(line: carry, number: number)
                    carry.removeAll(keepingCapacity: true)
                    start = i + 1
                }
                carry.append(contentsOf: buffer[start..<n])
            }
            if !carry.isEmpty { file.add(line: carry, number: number + 1) }
        } catch {
            throw VerdictFileError(description: "cannot read the verdict file: \(error)")
        }
        return file
    }

    /// Reads one line (without its `\n`) as line `number` (1-based).
    public mutating func add(line: Data, number: Int) {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        lines += 1
        switch Self.read(line, threshold: threshold, number: number) {
        case .failure(let message):
            problems.append(VerdictProblem(file: name, line: number, message: message.text))
        case .success(let verdict):
            let key = LabelledKey(label: verdict.label, key: verdict.key)
            if let earlier = index[key].map({ verdicts[$0] }) {
                if earlier.judgement == verdict.judgement {
                    repeats += 1
                } else {
                    problems.append(VerdictProblem(
                        file: name, line: number,
                        message: "\(verdict.key) (\(verdict.label)) already has a different verdict at line \(earlier.line) (\(earlier.judgement) there, \(verdict.judgement) here); line \(earlier.line) is kept"))
                }
                return
            }
            index[key] = verdicts.count
            verdicts.append(verdict)
        }
    }

    private struct LineMessage: Error {
        var text: String
    }

    private static func read(_ line: Data, threshold: Double, number: Int) -> Result<Verdict, LineMessage> {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
            return .failure(LineMessage(text: "not a JSON object"))
        }
        // The key.
        let key: Verdict.Key
        let id = object["id"].flatMap { $0 is NSNull ? nil : $0 }
        if let id {
            if let text = id as? String, !text.isEmpty {
                key = .id(text)
            } else if let n = id as? NSNumber, !isBoolean(n), let i = Int(exactly: n.doubleValue) {
                key = .id(String(i))
            } else {
                return .failure(LineMessage(text: "\"id\" must be a non-empty string or an integer (got \(jsonText(id)))"))
            }
        } else if let source = object["source"].flatMap({ $0 is NSNull ? nil : $0 }) {
            guard let s = source as? [String: Any], let file = s["file"] as? String, !file.isEmpty,
                  let r = s["record"] as? NSNumber, !isBoolean(r), let record = Int(exactly: r.doubleValue), record >= 1
            else {
                return .failure(LineMessage(text: "\"source\" must be {\"file\": NAME, \"record\": N} with N ≥ 1 (got \(jsonText(source)))"))
            }
            key = .source(file: file, record: record)
        } else {
            return .failure(LineMessage(text: "no key: give \"id\" or \"source\": {\"file\", \"record\"}"))
        }
        // The label.
        var label = defaultLabel
        if let l = object["label"], !(l is NSNull) {
            guard let text = l as? String, !text.isEmpty else {
                return .failure(LineMessage(text: "\"label\" must be a non-empty string (got \(jsonText(l)))"))
            }
            label = text
        }
        // The judgement.
        let value = object["value"].flatMap { $0 is NSNull ? nil : $0 }
        let score = object["score"].flatMap { $0 is NSNull ? nil : $0 }
        let judgement: Verdict.Judgement
        let positive: Bool
        switch (value, score) {
        case (.some, .some):
            return .failure(LineMessage(text: "both \"value\" and \"score\": give one"))
        case (nil, nil):
            return .failure(LineMessage(text: "neither \"value\" nor \"score\": give \"value\": true|false or \"score\": a number in [0, 1]"))
        case (let v?, nil):
            guard let n = v as? NSNumber, isBoolean(n) else {
                return .failure(LineMessage(text: "\"value\" must be true or false (got \(jsonText(v)))"))
            }
            judgement = .value(n.boolValue)
            positive = n.boolValue
        case (nil, let s?):
            guard let n = s as? NSNumber, !isBoolean(n), (0...1).contains(n.doubleValue) else {
                return .failure(LineMessage(text: "\"score\" \(jsonText(s)) is not a number in [0, 1]"))
            }
            judgement = .score(n.doubleValue)
            positive = n.doubleValue >= threshold
        }
        var judge: String?
        if let j = object["judge"], !(j is NSNull) {
            guard let text = j as? String else {
                return .failure(LineMessage(text: "\"judge\" must be a string (got \(jsonText(j)))"))
            }
            judge = text
        }
        return .success(Verdict(key: key, label: label, judgement: judgement, positive: positive, judge: judge, line: number))
    }

    /// Foundation hands JSON `true`/`false` over as a boolean NSNumber (objCType "c").
    private static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// A short rendering of a parsed JSON value for messages: `1.5`, `true`, `"yes"`, `(an object)`.
    private static func jsonText(_ value: Any) -> String {
        switch value {
        case let n as NSNumber where isBoolean(n): n.boolValue ? "true" : "false"
        case let n as NSNumber: "\(n.doubleValue)"
        case let s as String: "\"\(s.prefix(40))\""
        case is NSNull: "null"
        default:
            if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) {
                String(decoding: data.prefix(80), as: UTF8.self)
            } else {
                "(not JSON)"
            }
        }
    }
}

/// Matches the records (or label rows) of one run to the verdicts of one label, and counts what matched.
///
/// A record is matched by its id when it has one and a verdict has that id; otherwise by its source
/// file (display name) and 1-based record number. One verdict may match several records (the same id
/// in two inputs). Verdicts of other labels are not used; they are counted in `otherLabels`.
public struct VerdictMatcher: Sendable {
    /// The verdict file's name.
    public let file: String
    /// The label whose verdicts are used.
    public let label: String
    /// The positive threshold on scores (as the file was read with).
    public let threshold: Double
    /// Verdicts of other labels, per label (ignored).
    public let otherLabels: [String: Int]
    /// Bad lines of the file (skipped).
    public let problems: [VerdictProblem]
    /// Lines that repeated an earlier verdict exactly.
    public let repeats: Int
    private let verdicts: [Verdict]
    private let byID: [String: Int]
    private let bySource: [SourceKey: Int]
    private var used: [Bool]
    /// Records (rows) looked up that found no verdict.
    public private(set) var recordsWithoutVerdict = 0
    /// Records (rows) looked up that found one.
    public private(set) var recordsMatched = 0

    private struct SourceKey: Hashable {
        var file: String
        var record: Int
    }

    public init(_ verdictFile: VerdictFile, label: String) {
        file = verdictFile.name
        self.label = label
        threshold = verdictFile.threshold
        problems = verdictFile.problems
        repeats = verdictFile.repeats
        verdicts = verdictFile.verdicts.filter { $0.label == label }
        var others: [String: Int] = [:]
        for v in verdictFile.verdicts where v.label != label { others[v.label, default: 0] += 1 }
        otherLabels = others
        var byID: [String: Int] = [:], bySource: [SourceKey: Int] = [:]
        for (i, v) in verdicts.enumerated() {
            switch v.key {
            case .id(let id): byID[id] = i
            case .source(let f, let r): bySource[SourceKey(file: f, record: r)] = i
            }
        }
        self.byID = byID
        self.bySource = bySource
        used = Array(repeating: false, count: verdicts.count)
    }

    /// The verdict of the record with `id` (nil when it has none) at `file` / `record` (as in its label
    /// row's `source`), or nil; counts the lookup.
    public mutating func verdict(id: String?, file: String, record: Int) -> Verdict? {
        let i = id.flatMap { byID[$0] } ?? bySource[SourceKey(file: file, record: record)]
        guard let i else {
            recordsWithoutVerdict += 1
            return nil
        }
        used[i] = true
        recordsMatched += 1
        return verdicts[i]
    }

    /// Verdicts of `label` read.
    public var read: Int { verdicts.count }
    /// Verdicts of `label` that matched at least one record.
    public var matched: Int { used.lazy.filter { $0 }.count }
    /// Verdicts of `label` that matched no record.
    public var unmatched: Int { read - matched }

    /// The first `limit` unmatched verdicts' keys, in file order.
    public func unmatchedExamples(limit: Int = 5) -> [Verdict.Key] {
        Array(zip(verdicts, used).lazy.filter { !$0.1 }.map { $0.0.key }.prefix(limit))
    }

    /// The matching report, one line each (without a prefix):
    /// ```
    /// verdicts v.jsonl: 7 verdicts read (af.goal_guarding 6; other labels, ignored: crit.x 1), 1 bad line skipped, 0 repeated
    /// verdicts v.jsonl: af.goal_guarding: 5 matched, 1 unmatched (id "zz"), 2 records without a verdict
    /// ```
    public var reportLines: [String] {
        let others = otherLabels.keys.sorted().map { "\($0) \(otherLabels[$0]!)" }.joined(separator: ", ")
        let total = read + otherLabels.values.reduce(0, +)
        let bad = problems.count == 1 ? "1 bad line skipped" : "\(problems.count) bad lines skipped"
        var first = "verdicts \(file): \(total) verdict\(total == 1 ? "" : "s") read (\(label) \(read)"
        if !others.isEmpty { first += "; other labels, ignored: \(others)" }
        first += "), \(bad), \(repeats) repeated"
        var second = "verdicts \(file): \(label): \(matched) matched, \(unmatched) unmatched"
        let examples = unmatchedExamples()
        if !examples.isEmpty {
            second += " (" + examples.map(\.description).joined(separator: ", ") + (unmatched > examples.count ? ", …" : "") + ")"
        }
        second += ", \(recordsWithoutVerdict) record\(recordsWithoutVerdict == 1 ? "" : "s") without a verdict"
        return [first, second]
    }

    /// `verdicts in v.jsonl (af.goal_guarding; value, or score >= 0.5)`: the reference named in eval reports
    /// and model provenance (`file` as given there).
    public func referenceDescription(fileName: String? = nil) -> String {
        "verdicts in \(fileName ?? file) (\(label); value, or score >= \(ReferenceRule.numberText(threshold)))"
    }
}
