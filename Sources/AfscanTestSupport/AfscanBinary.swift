import Foundation

/// Locates and runs the built `afscan` executable (built by `swift build --build-tests` / `swift test`
/// beside the test bundle).
public enum AfscanBinary {
    public static var url: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("afscan"),
            Bundle.main.bundleURL.appendingPathComponent("afscan"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("afscan"),
            TestPaths.packageRoot.appendingPathComponent(".build/debug/afscan"),
        ]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) { return c }
        fatalError("afscan binary not found; build it first (swift build). Looked in: \(candidates.map(\.path))")
    }

    /// Runs `afscan ARGS` and returns status, stdout, stderr (as text).
    public static func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let r = try runProcess(url.path, arguments, stdin: stdin)
        return (r.status, r.stdout, String(decoding: r.stderr, as: UTF8.self))
    }
}

/// Splits JSONL into objects (one per non-empty line).
public func jsonLines(_ data: Data) throws -> [[String: Any]] {
    try data.split(separator: UInt8(ascii: "\n")).map {
        guard let o = try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] else { throw CocoaError(.coderReadCorrupt) }
        return o
    }
}
