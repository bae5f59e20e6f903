import AfscanCore
import Foundation

/// What `SummaryAccumulator` needs from one label row: its group, its status, and its label
/// decisions. Built from a `LabelRecord` during `afscan label`, or from a parsed label row during
/// `afscan summary LABELS`.
public struct SummaryRow: Sendable {
    public var condition: Condition
    /// One value per `--group-by` path, in the same order (nil = missing or JSON `null`).
    /// A JSON string contributes its text; any other JSON value its compact JSON text (`3`, `true`).
    public var groupValues: [String?]
    public var status: LabelRecord.Status
    /// The rejection reason (only meaningful when `status == .rejected`).
    public var reason: String?
    /// Label name → decision, for every label in the row.
    public var decisions: [String: Decision]
    /// Label name → categorical value (e.g. `"out.compliance": "refused"`), for categorical labels.
    public var values: [String: String]
    /// True when any label of the row is routed to an LLM judge.
    public var routeToJudge: Bool
    /// Label → the engine that produced it (`model`, `rules`, `judge`), for labels whose row says so.
    public var engines: [String: String] = [:]

    public init(
        condition: Condition, groupValues: [String?] = [], status: LabelRecord.Status, reason: String? = nil,
        decisions: [String: Decision] = [:], values: [String: String] = [:], routeToJudge: Bool = false
    ) {
        self.condition = condition
        self.groupValues = groupValues
        self.status = status
        self.reason = reason
        self.decisions = decisions
        self.values = values
        self.routeToJudge = routeToJudge
    }

    /// The summary view of a `LabelRecord`; `groupValues` are computed by the caller (see
    /// `groupValue(rawJSON:)` for kept fields).
    public init(record: LabelRecord, groupValues: [String?]) {
        var decisions: [String: Decision] = [:]
        var values: [String: String] = [:]
        var route = false
        for (name, value) in record.labels {
            decisions[name] = value.decision
            if let categorical = value.value { values[name] = categorical }
            route = route || value.routeToJudge
        }
        self.init(
            condition: record.condition, groupValues: groupValues, status: record.status,
            reason: record.status == .rejected ? record.reason : nil,
            decisions: decisions, values: values, routeToJudge: route)
        for (name, value) in record.labels { if let e = value.engine { engines[name] = e } }
    }

    /// Reads a label row as written by `LabelRowEncoder` and parsed by `JSONSerialization`.
    ///
    /// `groupBy` paths are dotted paths into the row (`fields.model`,
    /// `fields.metadata.environment`); at each level the longest dotted key present wins, so a flat
    /// kept-field key `"metadata.environment"` under `fields` and a nested object both resolve.
    ///
    /// Returns nil when the object is not a label row: `status` missing or not `ok`/`rejected`.
    /// A missing or unrecognised `condition` reads as `unknown`; a malformed label entry is skipped.
    public init?(labelRowJSON row: [String: Any], groupBy: [String]) {
        guard let statusText = row["status"] as? String, let status = LabelRecord.Status(rawValue: statusText) else {
            return nil
        }
        let condition = (row["condition"] as? String).flatMap(Condition.init(rawValue:)) ?? .unknown
        var decisions: [String: Decision] = [:]
        var values: [String: String] = [:]
        var route = false
        var engines: [String: String] = [:]
        if let labels = row["labels"] as? [String: Any] {
            for (name, entry) in labels {
                guard let entry = entry as? [String: Any],
                    let decisionText = entry["decision"] as? String,
                    let decision = Decision(rawValue: decisionText)
                else { continue }
                decisions[name] = decision
                if let categorical = entry["value"] as? String { values[name] = categorical }
                if let flag = entry["route_to_judge"] as? Bool, flag { route = true }
                if let engine = entry["engine"] as? String { engines[name] = engine }
            }
        }
        let groupValues = groupBy.map { path -> String? in
            Self.resolve(row, path: path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[...])
                .flatMap(Self.groupValue(jsonObject:))
        }
        self.init(
            condition: condition, groupValues: groupValues, status: status,
            reason: status == .rejected ? row["reason"] as? String : nil,
            decisions: decisions, values: values, routeToJudge: route)
        self.engines = engines
    }

    /// The group value of a kept field's raw JSON text: a JSON string's decoded text, `nil` for
    /// `null` (or text that is not one JSON value), otherwise the text itself with surrounding
    /// whitespace trimmed (`3`, `true`, `{"a":1}`).
    public static func groupValue(rawJSON: String) -> String? {
        let trimmed = rawJSON.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed == "null" || trimmed.isEmpty { return nil }
        if trimmed.hasPrefix("\"") {
            guard let data = trimmed.data(using: .utf8),
                let decoded = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String
            else { return nil }
            return decoded
        }
        return trimmed
    }

    /// The group value of a field of an *input record* given as raw JSON text (`afscan label
    /// --group-by`): parsed and rendered exactly as `init?(labelRowJSON:groupBy:)` renders the same
    /// value read back from a kept field, so `label --group-by P` and `summary --group-by fields.P`
    /// always group alike (`1`, `1.0` and `"1"` are one group; `null` is missing).
    public static func groupValue(canonicalizingRawJSON raw: String) -> String? {
        guard let data = raw.data(using: .utf8),
              let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return nil }
        return groupValue(jsonObject: value)
    }

    /// The group value of a value from `JSONSerialization`: strings as-is, `NSNull` → nil, numbers
    /// and booleans and containers as compact JSON text (containers with sorted keys).
    static func groupValue(jsonObject value: Any) -> String? {
        if value is NSNull { return nil }
        if let text = value as? String { return text }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Walks `components` into `value`; at each object level tries the longest dotted key first.
    static func resolve(_ value: Any, path components: ArraySlice<String>) -> Any? {
        if components.isEmpty { return value }
        guard let object = value as? [String: Any] else { return nil }
        var length = components.count
        while length > 0 {
            let key = components.prefix(length).joined(separator: ".")
            if let child = object[key], let found = resolve(child, path: components.dropFirst(length)) {
                return found
            }
            length -= 1
        }
        return nil
    }
}
