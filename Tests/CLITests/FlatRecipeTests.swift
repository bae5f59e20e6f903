import AfscanTestSupport
import Foundation
import XCTest

/// The README's DuckDB/pandas recipe ("Flat tables"), run as it stands: the shell block after
/// `<!-- recipe: duckdb-pandas -->` with the built `afscan` first on PATH, in a fresh directory holding
/// the sample, must print exactly the block after `<!-- recipe output -->`. Skipped when python3 cannot
/// import duckdb and pandas (CI installs them: .ci/run).
final class FlatRecipeTests: XCTestCase {
    func testReadmeDuckDBAndPandasRecipe() throws {
        let probe = try runProcess("python3", ["-c", "import duckdb, pandas"])
        guard probe.status == 0 else {
            throw XCTSkip("python3 cannot import duckdb and pandas (pip install duckdb pandas); skipping the README's DuckDB/pandas recipe")
        }
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let script = try XCTUnwrap(Self.fencedBlock(after: "<!-- recipe: duckdb-pandas -->", in: readme))
        let expected = try XCTUnwrap(Self.fencedBlock(after: "<!-- recipe output -->", in: readme))
        XCTAssertTrue(script.contains("afscan export labels.jsonl -o labels.csv"), script)

        let dir = TestPaths.temporaryDirectory("recipe")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("samples"),
                                                   withDestinationURL: TestPaths.packageRoot.appendingPathComponent("samples"))
        let bin = AfscanBinary.url.deletingLastPathComponent().path
        let prologue = "set -e\ncd '\(dir.path)'\nexport PATH='\(bin)':\"$PATH\"\n"
        let r = try runProcess("bash", ["-s"], stdin: Data((prologue + script).utf8))
        XCTAssertEqual(r.status, 0, String(decoding: r.stderr, as: UTF8.self))
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), expected)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("labels.csv").path))
    }

    /// The body of the first fenced block (```…```) after `marker`, with its final newline.
    static func fencedBlock(after marker: String, in text: String) -> String? {
        guard let m = text.range(of: marker),
              let open = text.range(of: "```", range: m.upperBound..<text.endIndex),
              let bodyStart = text.range(of: "\n", range: open.upperBound..<text.endIndex),
              let close = text.range(of: "\n```", range: bodyStart.upperBound..<text.endIndex) else { return nil }
        return String(text[bodyStart.upperBound..<close.lowerBound]) + "\n"
    }
}
