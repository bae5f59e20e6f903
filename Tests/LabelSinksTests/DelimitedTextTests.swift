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
        let csv = String(decoding: DelimitedText.encode(rows, format: .csv), as: UTF8.self)
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
        let tsv = String(decoding: DelimitedText.encode([[.text("a\tb"), .text("c,d")]], format: .tsv), as: UTF8.self)
        XCTAssertEqual(tsv, "\"a\tb\"\tc,d\n")
        XCTAssertEqual(try csvRows(tsv, delimiter: "\t"), [["a\tb", "c,d"]])
        XCTAssertEqual(DelimitedText.encode([], format: .csv), Data())
    }

    /// Differential: for random cells over an alphabet of every character that matters (delimiters,
    /// quotes, CR, LF, tab, formula starters, multi-byte UTF-8), the bytes equal yaslab/CSV.swift's
    /// `CSVWriter` output for the same (guarded) text, and its `CSVReader` reads the cells back.
    func testSameBytesAsCSVWriterAndReadBack() throws {
        let alphabet: [String] = ["a", "Z", "0", ",", "\"", "\n", "\r", "\t", "=", "+", "-", "@", " ", "é", "🙂", "'"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for format in DelimitedText.Format.allCases {
            var rows: [[DelimitedText.Cell]] = []
            for _ in 0..<300 {
                rows.append((0..<(1 + next(6))).map { _ in
                    let text = (0..<next(8)).map { _ in alphabet[next(alphabet.count)] }.joined()
                    return next(4) == 0 ? .empty : .text(text)
                })
            }
            let written = rows.map { $0.map(\.written) }
            let ours = String(decoding: DelimitedText.encode(rows, format: format), as: UTF8.self)
            XCTAssertEqual(ours, try csvWriterText(written, delimiter: format.delimiter), "\(format)")
            // A row of one empty cell is an empty line, which a reader skips: compare the other rows.
            let nonEmpty = written.filter { $0 != [""] }
            XCTAssertEqual(try csvRows(ours, delimiter: format == .csv ? "," : "\t").filter { $0 != [""] }, nonEmpty, "\(format)")
        }
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
