import Foundation
import LabelSinks
import SimdJSON

/// Label rows (CONTRACT.md "Label row", one JSON object per line) as one flat table row each, for
/// `afscan export --format csv|tsv` and `afscan label --format csv|tsv`.
///
/// Two passes: `scan(_:)` every row first (it learns the kept fields, labels, parse and flag keys in
/// order of first appearance), then `header` and `cells(_:)` for every row. Columns, in this order:
/// ```
/// id, source_file, source_record, source_byte_offset, status, reason, detail, condition,
/// fields_<path>...                        -- per kept field (--keep-field), the JSON path in snake_case
/// <label>_score, <label>_decision,        -- per label, in the rows' order (the rule set's order)
///   <label>_value                         -- only for labels that carry a value (out.compliance, crit.decision…)
///   <label>_engine                        -- only for labels whose rows name an engine (a model ran)
/// evidence_count, parse_<key>..., flags_<key>..., rules_hash, model_hash
/// ```
/// Every name is the row's JSON path with dots as underscores (`DelimitedText.snakeCase`):
/// `labels."af.goal_guarding".score` → `af_goal_guarding_score`. Two paths with the same snake_case name
/// get `_2`, `_3`… in order of appearance (`renamed` lists them). A cell is empty where the row lacks the
/// value (a rejected row has no labels; `reason`/`detail` are empty on `ok` rows). Kept fields: strings
/// as text, numbers and booleans as written, objects and arrays as compact JSON, null as empty.
/// Offsets are those of the row (`source_byte_offset`: 0-based byte offset into the decompressed input).
/// The evidence spans and the model's explanation are not flattened (use the JSONL for those).
public struct FlatLabelTable {
    private struct Keys {
        var order: [String] = []
        var seen: Set<String> = []
        mutating func add(_ key: String) { if seen.insert(key).inserted { order.append(key) } }
    }

    private var fieldPaths = Keys(), labels = Keys(), parseKeys = Keys(), flagKeys = Keys()
    private var labelsWithValue: Set<String> = [], labelsWithEngine: Set<String> = []
    private let parser = JSONParser()

    /// Column names renamed to stay unique: (path, column).
    public private(set) var renamed: [(path: String, column: String)] = []

    public init() {}

    /// Learns the columns of one row. Returns false (and learns nothing) when `line` is not a label row:
    /// not a JSON object, or without `source`, `status` and `condition`.
    public mutating func scan(_ line: [UInt8]) -> Bool {
        guard let row = try? parser.parse(line), Self.isLabelRow(row) else { return false }
        row["fields"]?.forEachFieldKey { fieldPaths.add($0) }
        if let rowLabels = row["labels"], rowLabels.kind == .object {
            for (name, value) in rowLabels.fields {
                labels.add(name)
                if value["value"] != nil { labelsWithValue.insert(name) }
                if value["engine"] != nil { labelsWithEngine.insert(name) }
            }
        }
        row["parse"]?.forEachFieldKey { parseKeys.add($0) }
        row["flags"]?.forEachFieldKey { flagKeys.add($0) }
        return true
    }

    /// The column paths in table order: each is a dotted path into the row, with the label name kept
    /// whole (`labels.af.goal_guarding.score` is written `af.goal_guarding.score`).
    private var paths: [String] {
        var out = ["id", "source.file", "source.record", "source.byte_offset", "status", "reason", "detail", "condition"]
        out += fieldPaths.order.map { "fields." + $0 }
        for name in labels.order {
            out += [name + ".score", name + ".decision"]
            if labelsWithValue.contains(name) { out.append(name + ".value") }
            if labelsWithEngine.contains(name) { out.append(name + ".engine") }
        }
        out.append("evidence.count")
        out += parseKeys.order.map { "parse." + $0 } + flagKeys.order.map { "flags." + $0 }
        return out + ["rules_hash", "model_hash"]
    }

    /// The column names (snake_case, unique), after every `scan`.
    public mutating func header() -> [String] {
        var used: Set<String> = []
        var names: [String] = []
        renamed = []
        for path in paths {
            let base = DelimitedText.snakeCase(path)
            var name = base, n = 2
            while used.contains(name) { name = "\(base)_\(n)"; n += 1 }
            if name != base { renamed.append((path, name)) }
            used.insert(name)
            names.append(name)
        }
        return names
    }

    /// The cells of one row in `header()` order, or nil when `line` is not a label row.
    public func cells(_ line: [UInt8]) -> [DelimitedText.Cell]? {
        guard let row = try? parser.parse(line), Self.isLabelRow(row) else { return nil }
        let source = row["source"]
        var out: [DelimitedText.Cell] = [
            Self.cell(row["id"]), Self.cell(source?["file"]), Self.cell(source?["record"]), Self.cell(source?["byte_offset"]),
            Self.cell(row["status"]), Self.cell(row["reason"]), Self.cell(row["detail"]), Self.cell(row["condition"]),
        ]
        let fields = row["fields"]
        for path in fieldPaths.order { out.append(Self.cell(fields?[path])) }
        let rowLabels = row["labels"]
        for name in labels.order {
            let label = rowLabels?[name]
            out += [Self.cell(label?["score"]), Self.cell(label?["decision"])]
            if labelsWithValue.contains(name) { out.append(Self.cell(label?["value"])) }
            if labelsWithEngine.contains(name) { out.append(Self.cell(label?["engine"])) }
        }
        out.append(row["evidence"]?.arrayCount.map(DelimitedText.integer) ?? .empty)
        let parse = row["parse"], flags = row["flags"]
        for key in parseKeys.order { out.append(Self.cell(parse?[key])) }
        for key in flagKeys.order { out.append(Self.cell(flags?[key])) }
        out += [Self.cell(row["rules_hash"]), Self.cell(row["model_hash"])]
        return out
    }

    private static func isLabelRow(_ row: JSONValue) -> Bool {
        row.kind == .object && row["source"]?.kind == .object && row["status"]?.kind == .string && row["condition"]?.kind == .string
    }

    /// A JSON value as a cell: strings as (formula-guarded) text, numbers and booleans as written,
    /// objects and arrays as compact JSON text, null or absent as empty.
    static func cell(_ value: JSONValue?) -> DelimitedText.Cell {
        guard let value else { return .empty }
        switch value.kind {
        case .null: return .empty
        case .string: return .text(value.string ?? "")
        case .int, .uint, .double, .bool: return .number(value.scalarText() ?? "")
        case .object, .array: return .text(value.rawJSON())
        }
    }
}

extension JSONValue {
    /// Calls `body` with each key of an object, in document order (nothing for other kinds).
    fileprivate func forEachFieldKey(_ body: (String) -> Void) {
        guard kind == .object else { return }
        for (key, _) in fields { body(key) }
    }
}
