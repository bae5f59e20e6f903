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
///   `.jsonl`, `.ndjson`, `.json`, `.zst`, `.jsonl.gz`, `.ndjson.gz`, `.json.gz` or `.eval` (Inspect) are taken (a README
///   beside the shards is not an input, nor a `.tar.gz`).
/// - `-` is standard input (at most once).
public enum InputEnumerator {
    public static let directoryExtensions = [".jsonl", ".ndjson", ".json", ".zst", ".jsonl.gz", ".ndjson.gz", ".json.gz", ".eval"]

    /// The inputs of `operands`, failing on the first fault.
    /// - Throws: `ArchiveError` with code `.open` naming the operand that does not exist or the
    ///   directory that cannot be listed. `expand(_:notes:faults:)` reports such faults and goes on.
    public static func expand(_ operands: [String]) throws(ArchiveError) -> [InputSpec] {
        var notes: [String] = []
        var faults: [ArchiveError] = []
        let specs = expand(operands, notes: &notes, faults: &faults)
        if let first = faults.first { throw first }
        return specs
    }

    /// The inputs of `operands`, in order. A fault costs only what it names: an operand that does not
    /// exist, or a directory (an operand or one met in a walk) that cannot be listed, is appended to
    /// `faults` (code `.open`, the path and strerror's reason) and every other input is still taken.
    /// Appends one note per directory that was skipped (already visited through a symlink: loops are
    /// walked once), that held files not taken for their names, or that held no input at all.
    public static func expand(_ operands: [String], notes: inout [String], faults: inout [ArchiveError]) -> [InputSpec] {
        expand(operands, notes: &notes, faults: &faults, list: listDirectory)
    }

    /// `expand(_:notes:faults:)` with the directory lister given (tests inject failures with it).
    static func expand(_ operands: [String], notes: inout [String], faults: inout [ArchiveError],
                       list: (String) throws(ArchiveError) -> [String]) -> [InputSpec] {
        var out: [InputSpec] = []
        var visited = Set<DirectoryID>()
        for op in operands {
            if op == "-" {
                out.append(.standardInput)
                continue
            }
            var st = stat()
            guard stat(op, &st) == 0 else {
                faults.append(ArchiveError(code: .open, message: "cannot open input: \(errnoText())", input: op))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let before = out.count, faultsBefore = faults.count
                walk(op, into: &out, visited: &visited, notes: &notes, faults: &faults, list: list)
                if out.count == before && faults.count == faultsBefore {
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

    /// The names in directory `dir` (hidden ones too), unsorted.
    /// - Throws: `ArchiveError` `.open` with strerror's reason when the directory cannot be opened.
    static func listDirectory(_ dir: String) throws(ArchiveError) -> [String] {
        guard let d = opendir(dir) else {
            throw ArchiveError(code: .open, message: "cannot list directory: \(errnoText())", input: dir)
        }
        defer { closedir(d) }
        var names: [String] = []
        while let ent = readdir(d) {
            names.append(withUnsafeBytes(of: ent.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            })
        }
        return names
    }

    private static func walk(_ dir: String, into out: inout [InputSpec], visited: inout Set<DirectoryID>,
                             notes: inout [String], faults: inout [ArchiveError],
                             list: (String) throws(ArchiveError) -> [String]) {
        var dst = stat()
        if stat(dir, &dst) == 0 {
            let id = DirectoryID(device: UInt64(dst.st_dev), inode: UInt64(dst.st_ino))
            if !visited.insert(id).inserted {
                notes.append("\(dir): skipped, the same directory was already walked (a symlink loop or a second link)")
                return
            }
        }
        var names: [String]
        do { names = try list(dir) } catch {
            faults.append(error)
            return
        }
        names.removeAll { $0.hasPrefix(".") }
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
                walk(path, into: &out, visited: &visited, notes: &notes, faults: &faults, list: list)
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
