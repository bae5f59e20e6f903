import AfscanTestSupport
import Foundation
import XCTest
@testable import Scratchpad

/// UTF-8 bytes of a string.
func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// The byte offset of the `occurrence`-th (1-based) occurrence of `needle` in `haystack`, so tests can state
/// expected ranges in terms of the text they build.
func offset(of needle: String, in haystack: String, occurrence: Int = 1) -> Int {
    let h = utf8(haystack), n = utf8(needle)
    var seen = 0
    var i = 0
    while i + n.count <= h.count {
        if Array(h[i..<(i + n.count)]) == n {
            seen += 1
            if seen == occurrence { return i }
        }
        i += 1
    }
    fatalError("'\(needle)' #\(occurrence) not in text")
}

/// The text of a byte range of `s`.
func slice(_ s: String, _ r: Range<Int>) -> String {
    String(decoding: utf8(s)[r], as: UTF8.self)
}

/// Extracts from a string.
func extract(_ s: String, untaggedIsReasoning: Bool = true) -> TagExtraction {
    TagExtractor.extract(utf8(s), untaggedIsReasoning: untaggedIsReasoning)
}

/// Locates `../shared/data` relative to the package root (the directory holding Package.swift), or skips.
func sharedDataDirectory() throws -> URL {
    guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
    return data
}

/// JSON objects of a JSONL file.
func jsonLines(_ url: URL) throws -> [[String: Any]] {
    try jsonLines(Data(contentsOf: url))
}

func jsonLines(_ data: Data) throws -> [[String: Any]] {
    try data.split(separator: UInt8(ascii: "\n")).map {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
    }
}

/// `zstd -dc` of a file, or skip when the zstd CLI is not installed.
func zstdDecompress(_ url: URL) throws -> Data {
    let zstd = "/usr/bin/zstd"
    guard FileManager.default.isExecutableFile(atPath: zstd) else { throw XCTSkip("zstd CLI absent") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: zstd)
    process.arguments = ["-dc", url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0)
    return data
}
