import AfscanTestSupport
import Foundation
import XCTest

/// Issue 10, point 8: the docs name the bundled data as `../shared/data` (where it sits beside every
/// clone, CI's included), never by a path of one machine.
final class DocsPathTests: XCTestCase {
    func testDocsNameSharedDataRelativelyAndNoMachinePath() throws {
        let root = TestPaths.packageRoot
        var files = ["README.md"]
        for folder in ["docs", "scripts", "Benchmarks"] {
            let walker = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)
            while let name = walker?.nextObject() as? String {
                if (name as NSString).lastPathComponent.hasPrefix(".") { walker?.skipDescendants(); continue }
                guard [".md", ".sh", ".py", ".swift"].contains(where: { name.hasSuffix($0) }) else { continue }
                files.append(folder + "/" + name)
            }
        }
        XCTAssertGreaterThan(files.count, 10)
        // An absolute path that ends in shared/data, or any path under a home or workspace directory.
        let machinePath = try NSRegularExpression(pattern: #"(?<![.\w])/[\w.-]+(/[\w.-]+)*/shared/data|(?<![\w.])/(work|home|root|Users)/[\w.-]+"#)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line)
                if machinePath.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil { found.append("\(file):\(n + 1): \(s)") }
            }
        }
        XCTAssertEqual(found, [], "machine paths in the docs:\n" + found.joined(separator: "\n"))
        let quality = try String(contentsOf: root.appendingPathComponent("docs/QUALITY.md"), encoding: .utf8)
        XCTAssertTrue(quality.contains("../shared/data/dev/"))
    }
}
