import AfscanTestSupport
import ArchiveIO
import Foundation
import XCTest

final class DuplicateInputsTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestPaths.temporaryDirectory("dupes") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }
    func path(_ n: String) -> String { dir.appendingPathComponent(n).path }

    func write(_ text: String, _ name: String) throws -> InputSpec {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return InputSpec(path: path(name))
    }

    /// A zstd archive written from a pipe declares no content size: it is compared with the plain file
    /// whose name it extends, and found equal.
    func testArchiveWithoutContentSizeIsComparedWithItsPlainTwin() throws {
        let text = (0..<500).map { #"{"id":\#($0),"text":"row \#($0)"}"# }.joined(separator: "\n") + "\n"
        let plain = try write(text, "x.jsonl")
        let z = try runProcess("zstd", ["-q", "-c"], stdin: Data(text.utf8))
        XCTAssertEqual(z.status, 0)
        try z.stdout.write(to: URL(fileURLWithPath: path("x.jsonl.zst")))
        let archive = InputSpec(path: path("x.jsonl.zst"))
        XCTAssertEqual(DuplicateInputs.find([plain, archive]), [.init(first: plain, second: archive, sameFile: false)])
        // Same bytes under an unrelated name and no declared size: not compared, not reported.
        try z.stdout.write(to: URL(fileURLWithPath: path("other.zst")))
        XCTAssertEqual(DuplicateInputs.find([plain, InputSpec(path: path("other.zst"))]), [])
    }

    /// Equal sizes are compared byte for byte: one differing byte at the end is no duplicate; a hard
    /// link is the same file; standard input is never read ahead.
    func testEqualSizesAreComparedAndHardLinksAreTheSameFile() throws {
        let a = try write(String(repeating: "a", count: 3 << 20) + "x\n", "a.jsonl")
        let b = try write(String(repeating: "a", count: 3 << 20) + "y\n", "b.jsonl")
        XCTAssertEqual(DuplicateInputs.find([a, b]), [])
        try FileManager.default.linkItem(atPath: path("a.jsonl"), toPath: path("link.jsonl"))
        let link = InputSpec(path: path("link.jsonl"))
        XCTAssertEqual(DuplicateInputs.find([a, .standardInput, b, link]), [.init(first: a, second: link, sameFile: true)])
        let c = try write(String(repeating: "a", count: 3 << 20) + "x\n", "c.jsonl")
        XCTAssertEqual(DuplicateInputs.find([a, b, c]).map(\.second), [c])
        XCTAssertEqual(DuplicateInputs.find([a, b, c]).first?.message,
                       "\(path("c.jsonl")) holds the same records as \(path("a.jsonl")) (identical decompressed content): they are read twice")
    }
}
