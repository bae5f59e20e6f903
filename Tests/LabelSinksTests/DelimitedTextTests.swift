import AfscanTestSupport
import XCTest

@testable import LabelSinks

final class DelimitedTextTests: XCTestCase {
    /// Commas, quotes, line breaks and tabs are quoted per RFC 4180; formula starters get a leading `'`
    /// in text cells only; every row ends in LF; the result parses back to the written cells.
    func testHostileTextIsQuotedAndGuarded() throws {
        let rows: [[DelimitedText.Cell]] = [
            [.text("id"), .text("note"), .text("score")],
            [.text("a,b"), .text("say \"hi\"\nthen go"), .number("-0.5")],
            [.text("=HYPERLINK(\"http://x\")"), .text("+1"), .empty],
            [.text("-2"), .text("@SUM(A1)"), .number("3")],
            [.text("\tlead"), .text("plain"), .number("0")],
        ]
        let csv = String(decoding: try DelimitedText.encode(rows, format: .csv), as: UTF8.self)
        XCTAssertEqual(csv, """
            id,note,score
            "a,b","say ""hi""
            then go",-0.5
            "'=HYPERLINK(""http://x"")",'+1,
            '-2,'@SUM(A1),3
            '\tlead,plain,0

            """)
        XCTAssertEqual(try csvRows(csv), [
            ["id", "note", "score"], ["a,b", "say \"hi\"\nthen go", "-0.5"], ["'=HYPERLINK(\"http://x\")", "'+1", ""],
            ["'-2", "'@SUM(A1)", "3"], ["'\tlead", "plain", "0"],
        ])
        // TSV: the tab is the delimiter, so a cell holding one is quoted.
        let tsv = String(decoding: try DelimitedText.encode([[.text("a\tb"), .text("c,d")]], format: .tsv), as: UTF8.self)
        XCTAssertEqual(tsv, "\"a\tb\"\tc,d\n")
        XCTAssertEqual(try csvRows(tsv, delimiter: "\t"), [["a\tb", "c,d"]])
        XCTAssertEqual(try DelimitedText.encode([], format: .csv), Data())
    }

    func testSnakeCaseAndNumbers() {
        XCTAssertEqual(DelimitedText.snakeCase("af.goal_guarding"), "af_goal_guarding")
        XCTAssertEqual(DelimitedText.snakeCase("labels.af.goal_guarding.full.score"), "labels_af_goal_guarding_full_score")
        XCTAssertEqual(DelimitedText.snakeCase("metadata.Environment"), "metadata_environment")
        XCTAssertEqual(DelimitedText.snakeCase("..a--b.."), "a_b")
        XCTAssertEqual(DelimitedText.snakeCase("é.x"), "x")
        XCTAssertEqual(DelimitedText.number(0.1904761), .number("0.190476"))
        XCTAssertEqual(DelimitedText.number(-0.05), .number("-0.05"))
        XCTAssertEqual(DelimitedText.number(1e-7), .number("0"))
        XCTAssertEqual(DelimitedText.number(nil as Double?), .empty)
        XCTAssertEqual(DelimitedText.formulaGuarded("x=1"), "x=1")
        XCTAssertEqual(DelimitedText.formulaGuarded(""), "")
    }
}
