import AfscanCore
import XCTest

@testable import LabelSinks

/// `SummaryAccumulator.add(record:groupValues:)` (counting a `LabelRecord` without building its
/// `SummaryRow`): exact counts, and the same groups as counting `SummaryRow(record:groupValues:)`.
final class SummaryRecordCountingTests: XCTestCase {
    private func record(_ condition: Condition, _ labels: [(String, LabelValue, String?)], status: LabelRecord.Status = .ok,
                        reason: String? = nil) -> LabelRecord {
        LabelRecord(source: SourceRef(file: "f", record: 1, byteOffset: 0), status: status, reason: reason, condition: condition,
                    labels: labels.map { name, value, engine in
                        var value = value
                        value.engine = engine
                        return (name: name, value: value)
                    },
                    rulesHash: "h")
    }

    private var records: [(LabelRecord, [String?])] {
        let model = LabelValue(score: 0.9, decision: .yes)
        return [
            (record(.training, [("af.goal_guarding", model, "model"),
                                ("out.compliance", LabelValue(score: 1, decision: .yes, value: "complied"), "rules")]), ["m1"]),
            (record(.training, [("af.goal_guarding", LabelValue(score: 0.1, decision: .no), "model"),
                                ("out.compliance", LabelValue(score: 0, decision: .no, value: "refused", routeToJudge: true), "rules"),
                                ("out.compromise_level", LabelValue(score: 0, decision: .no, value: "1"), "rules")]), ["m1"]),
            // Another label list (no engines), a short group-value list (padded), no compliance value.
            (record(.unmonitored, [("af.goal_guarding", LabelValue(score: 0.5, decision: .maybe), nil),
                                   ("out.compliance", LabelValue(score: 0, decision: .unknown), nil)]), []),
            // A label named twice: the summary row keeps the last value.
            (record(.unmonitored, [("af.goal_guarding", model, nil), ("af.goal_guarding", LabelValue(score: 0, decision: .no), nil)]),
             ["m2", "extra"]),
            (record(.training, [], status: .rejected, reason: "invalid_json"), ["m1"]),
            (record(.training, [("af.goal_guarding", model, "model"),
                                ("out.compliance", LabelValue(score: 1, decision: .yes, value: "complied"), "rules")]), ["m1"]),
        ]
    }

    func testCountsEqualThoseOfSummaryRows() throws {
        var direct = SummaryAccumulator(groupBy: ["model"])
        var viaRows = SummaryAccumulator(groupBy: ["model"])
        for (record, groups) in records {
            direct.add(record: record, groupValues: groups)
            viaRows.add(SummaryRow(record: record, groupValues: groups))
        }
        XCTAssertEqual(direct.groups, viaRows.groups)

        let training = try XCTUnwrap(direct.groups[GroupKey(condition: .training, values: ["m1"])])
        XCTAssertEqual(training.records, 4)
        XCTAssertEqual(training.labelled, 3)
        XCTAssertEqual(training.rejectedByReason, ["invalid_json": 1])
        XCTAssertEqual(training.decisions["af.goal_guarding"], DecisionCounts(yes: 2, no: 1))
        XCTAssertEqual(training.decisions["out.compromise_level"], DecisionCounts(no: 1))
        XCTAssertEqual(training.compliance, ["complied": 2, "refused": 1])
        XCTAssertEqual(training.routedToJudge, 1)
        XCTAssertEqual(training.labelSources, ["af.goal_guarding": ["model": 3], "out.compliance": ["rules": 3],
                                               "out.compromise_level": ["rules": 1]])
        let padded = try XCTUnwrap(direct.groups[GroupKey(condition: .unmonitored, values: [nil])])
        XCTAssertEqual(padded.compliance, ["unknown": 1])
        XCTAssertEqual(padded.decisions["out.compliance"], DecisionCounts(unknown: 1))
        let twice = try XCTUnwrap(direct.groups[GroupKey(condition: .unmonitored, values: ["m2"])])
        XCTAssertEqual(twice.decisions["af.goal_guarding"], DecisionCounts(no: 1))
        XCTAssertEqual(twice.labelled, 1)
    }
}
