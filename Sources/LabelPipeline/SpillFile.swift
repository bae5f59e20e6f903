import Foundation
import Synchronization

/// Temporary disk space that never outlives the process: a file in `$TMPDIR` (else `/tmp`), unlinked as
/// soon as it is created, read and written through stdio.
public enum SpillFile {
    /// A new unlinked file opened `w+`, named `<prefix>-XXXXXX` while it exists.
    /// - Throws: `JudgeSelectionError` naming the directory and the system's reason when it cannot be
    ///   created or opened.
    public static func open(prefix: String) throws -> UnsafeMutablePointer<FILE> {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/" + prefix + "-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw JudgeSelectionError(message: "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        guard let f = fdopen(fd, "w+") else {
            close(fd)
            throw JudgeSelectionError(message: "cannot open a temporary file in \(dir): \(String(cString: strerror(errno)))")
        }
        return f
    }
}

/// Label rows (or any bytes) appended by the run's writer thread and read back later, line by line, as
/// often as needed: `label --format csv` keeps its JSONL rows here until the columns are known.
public final class LineSpill: Sendable {
    private struct State: ~Copyable {
        var file: UnsafeMutablePointer<FILE>
        var error: String?
    }
    private let state: Mutex<State>

    /// - Throws: `JudgeSelectionError` when the spill file cannot be created.
    public init(prefix: String) throws {
        state = Mutex(State(file: try SpillFile.open(prefix: prefix)))
    }

    deinit {
        state.withLock { fclose($0.file) }
    }

    /// Appends `bytes` (whole lines, each ending in `\n`). A write error is kept and thrown by `forEachLine`.
    public func append(_ bytes: [UInt8]) {
        state.withLock { s in
            guard s.error == nil, !bytes.isEmpty else { return }
            if bytes.withUnsafeBytes({ fwrite($0.baseAddress, 1, $0.count, s.file) }) != bytes.count {
                s.error = "cannot write the temporary rows file: \(String(cString: strerror(errno)))"
            }
        }
    }

    /// Calls `body` with each line from the start (without its `\n`) and its 0-based byte offset.
    /// - Throws: `JudgeSelectionError` for a write or read error; whatever `body` throws.
    public func forEachLine(_ body: (_ line: [UInt8], _ offset: Int) throws -> Void) throws {
        try state.withLock { s in
            if let e = s.error { throw JudgeSelectionError(message: e) }
            guard fflush(s.file) == 0, fseeko(s.file, 0, SEEK_SET) == 0 else {
                throw JudgeSelectionError(message: "cannot read back the temporary rows file: \(String(cString: strerror(errno)))")
            }
            var buffer: UnsafeMutablePointer<CChar>? = nil
            var capacity = 0
            defer { free(buffer) }
            var offset = 0
            while true {
                let n = getline(&buffer, &capacity, s.file)
                if n < 0 { break }
                var length = n
                let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
                if length > 0 && bytes[length - 1] == 0x0A { length -= 1 }
                try body(Array(bytes[0..<length]), offset)
                offset += n
            }
            if ferror(s.file) != 0 {
                throw JudgeSelectionError(message: "cannot read back the temporary rows file: \(String(cString: strerror(errno)))")
            }
            _ = fseeko(s.file, 0, SEEK_END)
        }
    }
}
