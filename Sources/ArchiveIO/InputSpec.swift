#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input to read: a file path, or standard input.
public struct InputSpec: Sendable, Hashable {
    /// The name used in messages and in label rows' `source.file`: the path as given (or as found while
    /// walking a directory), or `-` for standard input.
    public var displayName: String
    /// The path to open; nil for standard input.
    public var path: String?

    public init(path: String) {
        self.displayName = path
        self.path = path
    }

    /// Standard input.
    public static let standardInput = InputSpec(displayName: "-", path: nil)

    private init(displayName: String, path: String?) {
        self.displayName = displayName
        self.path = path
    }
}

/// Expands command-line operands into inputs.
///
/// - A file operand is read whatever its name (the content decides zstd vs plain and the framing).
/// - A directory is walked recursively; entries are visited in byte-wise sorted order so runs are
///   reproducible. Hidden entries (leading `.`) are skipped, and only files whose name ends in
///   `.jsonl`, `.ndjson`, `.json` or `.zst` are taken (a README beside the shards is not an input).
/// - `-` is standard input (at most once).
public enum InputEnumerator {
    public static let directoryExtensions = [".jsonl", ".ndjson", ".json", ".zst"]

    /// - Throws: `ArchiveError` with code `.open` naming the operand when it does not exist or a
    ///   directory cannot be listed.
    public static func expand(_ operands: [String]) throws(ArchiveError) -> [InputSpec] {
        var notes: [String] = []
        return try expand(operands, notes: &notes)
    }

    /// Like `expand(_:)`, and appends one note per directory that was skipped (already visited through
    /// a symlink: loops are walked once) or that held files not taken for their names.
    public static func expand(_ operands: [String], notes: inout [String]) throws(ArchiveError) -> [InputSpec] {
        var out: [InputSpec] = []
        var visited = Set<DirectoryID>()
        for op in operands {
            if op == "-" {
                out.append(.standardInput)
                continue
            }
            var st = stat()
            guard stat(op, &st) == 0 else {
                throw ArchiveError(code: .open, message: "cannot open input: \(errnoText())", input: op)
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let before = out.count
                try walk(op, into: &out, visited: &visited, notes: &notes)
                if out.count == before {
                    notes.append("\(op): no input files found (taken: \(directoryExtensions.map { "*" + $0 }.joined(separator: ", ")))")
                }
            } else {
                out.append(InputSpec(path: op))
            }
        }
        return out
    }

    struct DirectoryID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private static func walk(_ dir: String, into out: inout [InputSpec], visited: inout Set<DirectoryID>,
                             notes: inout [String]) throws(ArchiveError) {
        var dst = stat()
        if stat(dir, &dst) == 0 {
            let id = DirectoryID(device: UInt64(dst.st_dev), inode: UInt64(dst.st_ino))
            if !visited.insert(id).inserted {
                notes.append("\(dir): skipped, the same directory was already walked (a symlink loop or a second link)")
                return
            }
        }
        guard let d = opendir(dir) else {
            throw ArchiveError(code: .open, message: "cannot list directory: \(errnoText())", input: dir)
        }
        var names: [String] = []
        while let ent = readdir(d) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(d)
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        var skipped = 0
        for name in names {
            let path = base + name
            var st = stat()
            guard stat(path, &st) == 0 else {
                notes.append("\(path): skipped, cannot be read (\(errnoText())); a dangling symlink?")
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try walk(path, into: &out, visited: &visited, notes: &notes)
            } else if (st.st_mode & S_IFMT) == S_IFREG, directoryExtensions.contains(where: { name.hasSuffix($0) }) {
                out.append(InputSpec(path: path))
            } else {
                skipped += 1
            }
        }
        if skipped > 0 {
            notes.append("\(dir): skipped \(skipped) file(s) whose names do not end in \(directoryExtensions.joined(separator: ", ")) (name such files explicitly to read them)")
        }
    }
}

func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
