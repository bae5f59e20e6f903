import Foundation

/// Paths shared by the test targets.
public enum TestPaths {
    /// The package root (the directory holding Package.swift), found from this file's location.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared/data` beside the package root (read-only in CI), or nil when absent.
    public static var sharedData: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The message tests give when they skip for lack of `../shared/data`.
    public static let sharedDataAbsent = "../shared/data is absent (it sits beside the clone in this workplace and in CI); skipping the real-data test"

    /// A fresh temporary directory, removed by the caller (or left in /tmp).
    public static func temporaryDirectory(_ tag: String = "afscan") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(tag)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs a command and returns (exit status, stdout, stderr). Used to make fixtures with the `zstd`
/// and `pzstd` CLIs and to drive the built `afscan` binary.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil) throws -> (status: Int32, stdout: Data, stderr: Data) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    p.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let environment { p.environment = environment }
    let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    p.standardOutput = outPipe
    p.standardError = errPipe
    p.standardInput = inPipe
    try p.run()
    let group = DispatchGroup()
    // Each buffer is written by exactly one reader closure and read only after group.wait(), which
    // orders those writes before the reads.
    nonisolated(unsafe) var out = Data(), err = Data()
    group.enter()
    DispatchQueue.global().async { out = outPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { err = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    if let stdin { inPipe.fileHandleForWriting.write(stdin) }
    try? inPipe.fileHandleForWriting.close()
    p.waitUntilExit()
    group.wait()
    return (p.terminationStatus, out, err)
}

/// Compresses `data` with the zstd CLI and the given arguments (e.g. `["-3"]`, `["--long=29"]`).
public func zstdCompress(_ data: Data, _ arguments: [String] = ["-3"]) throws -> Data {
    let r = try runProcess("zstd", ["-q", "-c"] + arguments, stdin: data)
    precondition(r.status == 0, "zstd failed: \(String(decoding: r.stderr, as: UTF8.self))")
    return r.stdout
}
