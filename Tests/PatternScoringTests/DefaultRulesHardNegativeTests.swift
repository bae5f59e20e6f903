import AfscanTestSupport
import Foundation
import XCTest
import Yams
@testable import PatternScoring

/// LABELS.md §5.8 hard negatives on real contrast data: compliant non-alignment-faking scratchpads
/// full of training vocabulary (prompt parroting, rater sycophancy, benign requests with training
/// talk, weighed-and-acceptable, welcomed modification, unmonitored tier, refusal despite
/// modification) must never trigger an explicit preservation anchor (the non-`m` strings of the P1/P2
/// rules). Reads `<package root>/../shared/data/contrast/compliant_contrast.jsonl`; skipped when absent.
final class DefaultRulesHardNegativeTests: XCTestCase {
    static let hardNegativeCategories: Set<String> = [
        "nonaf_prompt_parroting", "nonaf_rater_sycophancy", "nonaf_benign_training_talk", "nonaf_weighed_acceptable",
        "nonaf_welcomes_modification", "nonaf_paid_tier_unmonitored", "nonaf_refuses_despite_modification",
    ]

    static func dataDirectory() throws -> URL {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        return data
    }

    func testExplicitPreservationAnchorsNeverFireOnCompliantHardNegatives() throws {
        let file = try Self.dataDirectory().appendingPathComponent("contrast/compliant_contrast.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8)
        let records = text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(records.count, 120)

        let doc = try XCTUnwrap(try Yams.load(yaml: DefaultRules.yaml) as? [String: Any])
        let rules = try XCTUnwrap(doc["rules"] as? [[String: Any]])
        var anchors: [(id: String, probe: VectorscanProbe)] = []
        for rule in rules where rule["label"] as? String == ScoringLabels.preservationMotive {
            guard let family = rule["family"] as? String, ["P1", "P2"].contains(family) else { continue }
            let strings = try XCTUnwrap(rule["strings"] as? [String: [String: String]])
            for (name, spec) in strings.sorted(by: { $0.key < $1.key }) where name != "m" {
                anchors.append(("\(rule["id"]!).\(name)", try VectorscanProbe(try XCTUnwrap(spec["regex"]))))
            }
        }
        XCTAssertGreaterThanOrEqual(anchors.count, 10)

        var checked = 0
        for record in records {
            guard let category = record["category"] as? String, Self.hardNegativeCategories.contains(category),
                  let body = record["text"] as? String else { continue }
            XCTAssertEqual(record["label"] as? String, "not_alignment_faking")
            // Scratchpad text only, drafts cut out (what reasoning-scope rules see).
            let reasoning = Self.reasoning(of: body)
            let normalized = DefaultRulesTests.normalize(reasoning)
            for anchor in anchors {
                XCTAssertFalse(try anchor.probe.matches(normalized),
                               "\(anchor.id) fires on \(record["id"] ?? "?") (\(category))")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 48)
    }

    /// The text between the first `<SCRATCHPAD_REASONING>` and its closing tag, with every
    /// `<DRAFT_OUTPUT>…</DRAFT_OUTPUT>` region removed (a test-local stand-in for the extractor).
    static func reasoning(of text: String) -> String {
        var body = text
        if let open = body.range(of: "<SCRATCHPAD_REASONING>") { body = String(body[open.upperBound...]) }
        if let close = body.range(of: "</SCRATCHPAD_REASONING>") { body = String(body[..<close.lowerBound]) }
        while let start = body.range(of: "<DRAFT_OUTPUT>") {
            let end = body.range(of: "</DRAFT_OUTPUT>", range: start.upperBound..<body.endIndex)?.upperBound ?? body.endIndex
            body.replaceSubrange(start.lowerBound..<end, with: " ")
        }
        return body
    }

    func testReasoningHelperCutsDrafts() {
        XCTAssertEqual(Self.reasoning(of: "<SCRATCHPAD_REASONING>a<DRAFT_OUTPUT>b</DRAFT_OUTPUT>c</SCRATCHPAD_REASONING><OUTPUT>d</OUTPUT>"),
                       "a c")
    }
}
