import CHyperscan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An on-disk cache of compiled Vectorscan databases, so that a nightly job that starts afscan once per
/// shard pays the compile (seconds for the default rules) once per rule set, not once per process.
///
/// Location: `$AFSCAN_CACHE_DIR` (set it to the empty string to disable the cache), else
/// `$XDG_CACHE_HOME/afscan`, else `$HOME/.cache/afscan`. An entry is keyed by the SHA-256 of the
/// Vectorscan version, the compile flags and every expression, so a changed rule, flag or library
/// version never reuses a stale database. Entries are written atomically (temporary file + rename);
/// an unreadable or corrupt entry is ignored and recompiled. The cache is only an optimisation: any
/// failure to read or write it is silent.
///
/// Entry format (native byte order): `AFSCANDB3\n`, `u32` string count, `u32` group count,
/// `count × (i64, i64)` max and min widths (max -1 = unbounded), then `u64`-length-prefixed
/// `hs_serialize_database` blobs: one first-pass database per scan group, then one start-of-match
/// database per string (length 0 where there is none: a group no rule applies to, a fixed-width string).
struct DatabaseCache {
    let directory: String

    /// The cache configured by the environment, or nil when disabled or no home is known.
    static func fromEnvironment() -> DatabaseCache? {
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        if let dir = env("AFSCAN_CACHE_DIR") { return dir.isEmpty ? nil : DatabaseCache(directory: dir) }
        if let xdg = env("XDG_CACHE_HOME"), !xdg.isEmpty { return DatabaseCache(directory: xdg + "/afscan") }
        if let home = env("HOME"), !home.isEmpty { return DatabaseCache(directory: home + "/.cache/afscan") }
        return nil
    }

    static func key(expressions: [String], scanFlags: UInt32, somFlags: UInt32) -> String {
        var text = "afscan-db-3\n" + String(cString: hs_version()) + "\n\(scanFlags) \(somFlags)\n"
        for e in expressions { text += e + "\u{0}" }
        return SHA256.hexDigest(of: text)
    }

    /// The name of the marker left once a rule file whose SHA-256 is `ruleFileHash` has passed every
    /// check of `RuleSetLoader` with this Vectorscan version and `flags`.
    static func validationMarker(ruleFileHash: String, flags: UInt32) -> String {
        SHA256.hexDigest(of: "afscan-valid-1\n" + String(cString: hs_version()) + "\n\(flags)\n" + ruleFileHash)
    }

    /// Whether the marker `name` exists.
    func hasMarker(_ name: String) -> Bool {
        access(directory + "/" + name + ".valid", F_OK) == 0
    }

    /// Leaves the (empty) marker `name`; silent on failure, like every cache write.
    func storeMarker(_ name: String) {
        _ = mkdirParents(directory)
        let path = directory + "/" + name + ".valid"
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        if fd >= 0 { close(fd) }
    }

    struct Entry {
        var widths: [HyperscanPattern.Info]
        var scans: [OpaquePointer?]
        var starts: [OpaquePointer?]
    }

    static let magic = Array("AFSCANDB3\n".utf8)

    func load(key: String, count: Int, groups: Int) -> Entry? {
        let path = directory + "/" + key + ".hsdb"
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buf[0..<n])
        }
        var reader = ByteReader(bytes: bytes)
        guard reader.take(Self.magic.count) == Self.magic, let n = reader.u32(), Int(n) == count,
              let g = reader.u32(), Int(g) == groups else { return nil }
        var widths: [HyperscanPattern.Info] = []
        for _ in 0..<count {
            guard let w = reader.i64(), let m = reader.i64(), m >= 0 else { return nil }
            widths.append(HyperscanPattern.Info(maxWidth: w < 0 ? nil : Int(w), minWidth: Int(m)))
        }
        var databases: [OpaquePointer?] = []
        func fail() -> Entry? {
            databases.forEach { if let db = $0 { hs_free_database(db) } }
            return nil
        }
        for _ in 0..<groups {
            guard case .some(let db) = reader.optionalDatabase() else { return fail() }
            databases.append(db)
        }
        for i in 0..<count {
            let start = reader.optionalDatabase()
            // A fixed-width string has no database; any other must have one.
            guard case .some(let db) = start, (db == nil) == widths[i].isFixedWidth else {
                if case .some(.some(let db)) = start { hs_free_database(db) }
                return fail()
            }
            databases.append(db)
        }
        return Entry(widths: widths, scans: Array(databases[0..<groups]), starts: Array(databases[groups...]))
    }

    func store(key: String, widths: [HyperscanPattern.Info], scans: [OpaquePointer?], starts: [OpaquePointer?]) {
        var out = Self.magic
        withUnsafeBytes(of: UInt32(widths.count)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(scans.count)) { out.append(contentsOf: $0) }
        for w in widths {
            withUnsafeBytes(of: Int64(w.maxWidth ?? -1)) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: Int64(w.minWidth)) { out.append(contentsOf: $0) }
        }
        for db in scans + starts {
            guard let db else {
                withUnsafeBytes(of: UInt64(0)) { out.append(contentsOf: $0) }
                continue
            }
            var blob: UnsafeMutablePointer<CChar>?
            var length = 0
            guard hs_serialize_database(db, &blob, &length) == HS_SUCCESS, let blob else { return }
            withUnsafeBytes(of: UInt64(length)) { out.append(contentsOf: $0) }
            out.append(contentsOf: UnsafeRawBufferPointer(start: blob, count: length))
            free(blob)
        }
        _ = mkdirParents(directory)
        let final = directory + "/" + key + ".hsdb"
        let temp = final + ".tmp.\(getpid())"
        guard let f = fopen(temp, "wb") else { return }
        let written = fwrite(out, 1, out.count, f)
        let closed = fclose(f)
        if written == out.count && closed == 0 {
            if rename(temp, final) != 0 { unlink(temp) }
        } else {
            unlink(temp)
        }
    }

    private func mkdirParents(_ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            prefix += (prefix.isEmpty && path.hasPrefix("/") ? "" : (prefix.isEmpty ? "" : "/")) + part
            if prefix.isEmpty { prefix = "/"; continue }
            mkdir(prefix, 0o755)
        }
        var st = stat()
        return stat(path, &st) == 0
    }

    private struct ByteReader {
        let bytes: [UInt8]
        var offset = 0
        mutating func take(_ n: Int) -> [UInt8]? {
            guard n >= 0, offset + n <= bytes.count else { return nil }
            defer { offset += n }
            return Array(bytes[offset..<(offset + n)])
        }
        mutating func u32() -> UInt32? { take(4).map { b in b.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } } }
        mutating func i64() -> Int64? { take(8).map { b in b.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } } }
        /// `.some(nil)` for an empty blob (length 0), `.some(db)` for a database, nil when the bytes
        /// are truncated or do not deserialize.
        mutating func optionalDatabase() -> OpaquePointer?? {
            guard let len = take(8).map({ b in b.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }),
                  len < UInt64(Int.max), let blob = take(Int(len)) else { return nil }
            if len == 0 { return .some(nil) }
            var db: OpaquePointer?
            let rc = blob.withUnsafeBytes { raw in
                hs_deserialize_database(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count, &db)
            }
            return rc == HS_SUCCESS ? db : nil
        }
    }
}
