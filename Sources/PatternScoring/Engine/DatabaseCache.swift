import AfscanCore
import CHyperscan
import Foundation
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
/// Vectorscan version, the compile flags, the target platform, every expression and the block kinds each
/// is scanned in, so a changed rule, scope, flag, library version or CPU never reuses a stale database. Entries are written
/// atomically (temporary file + rename). On load an entry must be a regular file of at most
/// `maxEntryBytes`, carry its own key, pass its checksum, hold plausible widths and deserialize in
/// full; anything else is ignored and recompiled (and rewritten). The cache is only an optimisation:
/// any failure to read or write it is silent. The directory is kept under `maxCacheBytes` of entries:
/// after each store the least recently used entries (by modification time, which a successful load
/// refreshes) are deleted until it fits, so iterating on a rule file does not fill the disk.
///
/// Entry format (native byte order): `AFSCANDB4\n`, the 64-byte hex key, `u32` string count, `u32`
/// group count, `count × (i64, i64)` max and min widths (max -1 = unbounded), then `u64`-length-prefixed
/// `hs_serialize_database` blobs: one first-pass database per scan group, then one start-of-match
/// database per string (length 0 where there is none: a group no rule applies to, a fixed-width
/// string); last, a `u64` checksum (`checksum(_:)`) of every byte before it.
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

    /// The key of the databases compiled from `expressions` (by global string id), where `groups[i]`
    /// names the scan groups string `i` is compiled into (any stable text, e.g. their raw values).
    static func key(expressions: [String], groups: [String], scanFlags: UInt32, somFlags: UInt32) -> String {
        precondition(groups.count == expressions.count)
        var text = "afscan-db-5\n" + String(cString: hs_version()) + "\n\(scanFlags) \(somFlags)\n" + platformKey + "\n"
        for (e, g) in zip(expressions, groups) { text += g + "\u{1}" + e + "\u{0}" }
        return SHA256.hexDigest(of: text)
    }

    /// The target platform databases are compiled for (`afs_hs_platform`: CPU features and tuning), part of
    /// every key: a cache shared by machines of different CPUs (a home directory on a cluster) never hands
    /// one a database built for features it lacks or for a scan path it does not take.
    static let platformKey: String = {
        var platform = hs_platform_info_t()
        afs_hs_platform(&platform)
        return "platform \(platform.cpu_features) \(platform.tune)"
    }()

    /// Largest entry read (the default rules' entry is ~8 MB); a bigger file is not an entry.
    static let maxEntryBytes = 1 << 30
    /// Largest width accepted from an entry (Vectorscan widths are 32-bit).
    static let maxStoredWidth = Int64(Int32.max)

    /// A 64-bit checksum of `bytes` (FNV-1a over 8-byte words, then the tail bytes): catches a flipped
    /// bit or a truncation anywhere in an entry, at a few milliseconds for the default rules' ~8 MB.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = bytes.count / 8
        for i in 0..<words {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
        }
        for i in (words * 8)..<bytes.count { h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The name of the marker left once a rule file whose SHA-256 is `ruleFileHash` has passed every
    /// check of `RuleSetLoader` with this Vectorscan version and `flags`.
    static func validationMarker(ruleFileHash: String, flags: UInt32) -> String {
        SHA256.hexDigest(of: "afscan-valid-2\n" + String(cString: hs_version()) + "\n\(flags)\n" + ruleFileHash)
    }

    /// Whether the marker `name` exists.
    func hasMarker(_ name: String) -> Bool {
        access(directory + "/" + name + ".valid", F_OK) == 0
    }

    /// Leaves the (empty) marker `name`; silent on failure, like every cache write.
    func storeMarker(_ name: String) {
        makeDirectory()
        let path = directory + "/" + name + ".valid"
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        if fd >= 0 { close(fd) }
    }

    struct Entry {
        var widths: [HyperscanPattern.Info]
        var scans: [OpaquePointer?]
        var starts: [OpaquePointer?]
    }

    static let magic = Array("AFSCANDB4\n".utf8)

    /// The file of the entry `key`.
    private func entryPath(_ key: String) -> String { directory + "/" + key + ".hsdb" }
    /// Most bytes of `.hsdb` entries kept in the directory (the default rules' entry is ~8 MB).
    static let maxCacheBytes = 256 << 20

    func load(key: String, count: Int, groups: Int) -> Entry? {
        guard let bytes = Self.readRegularFile(entryPath(key), limit: Self.maxEntryBytes),
              bytes.count >= 8 else { return nil }
        let body = bytes.count - 8
        let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: body, as: UInt64.self) }
        guard bytes.withUnsafeBytes({ Self.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<body])) }) == stored else { return nil }
        var reader = ByteReader(bytes: bytes, end: body)
        guard reader.take(Self.magic.count) == Self.magic, reader.take(64) == Array(key.utf8),
              let n = reader.u32(), Int(n) == count, let g = reader.u32(), Int(g) == groups else { return nil }
        var widths: [HyperscanPattern.Info] = []
        for _ in 0..<count {
            guard let w = reader.i64(), let m = reader.i64(), (0...Self.maxStoredWidth).contains(m),
                  w == -1 || ((0...Self.maxStoredWidth).contains(w) && m <= w) else { return nil }
            widths.append(HyperscanPattern.Info(maxWidth: w < 0 ? nil : Int(w), minWidth: Int(m)))
        }
        var databases: [OpaquePointer?] = []
        func fail() -> Entry? {
            CompiledRules.freeDatabases(databases)
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
        guard reader.atEnd else { return fail() }
        // A successful load marks the entry as recently used (see `prune`).
        _ = utimensat(AT_FDCWD, entryPath(key), nil, 0)
        return Entry(widths: widths, scans: Array(databases[0..<groups]), starts: Array(databases[groups...]))
    }

    /// The bytes of `path` when it is a regular file of at most `limit` bytes, else nil. Opened
    /// non-blocking, so a FIFO or device put in the cache's place never blocks the run.
    static func readRegularFile(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size >= 0, Int(st.st_size) <= limit else { return nil }
        let size = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, size - got) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            got += n
        }
        return bytes
    }

    func store(key: String, widths: [HyperscanPattern.Info], scans: [OpaquePointer?], starts: [OpaquePointer?]) {
        var out = Self.magic
        out.append(contentsOf: Array(key.utf8))
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
        let sum = out.withUnsafeBytes { Self.checksum($0) }
        withUnsafeBytes(of: sum) { out.append(contentsOf: $0) }
        makeDirectory()
        let final = entryPath(key)
        let temp = final + ".tmp.\(getpid())"
        guard let f = fopen(temp, "wb") else { return }
        let written = fwrite(out, 1, out.count, f)
        let closed = fclose(f)
        if written == out.count && closed == 0 {
            if rename(temp, final) != 0 { unlink(temp) }
        } else {
            unlink(temp)
        }
        prune(keeping: key + ".hsdb", limit: Self.maxCacheBytes)
    }

    /// Deletes the least recently modified `.hsdb` entries other than `kept` until the entries total at
    /// most `limit` bytes. Silent on failure, like every cache write.
    func prune(keeping kept: String, limit: Int) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        var entries: [(name: String, bytes: Int, modified: Date)] = []
        for name in names where name.hasSuffix(".hsdb") {
            guard let attributes = try? fm.attributesOfItem(atPath: directory + "/" + name),
                  attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            entries.append((name, (attributes[.size] as? Int) ?? 0,
                            (attributes[.modificationDate] as? Date) ?? .distantPast))
        }
        var total = entries.reduce(0) { $0 + $1.bytes }
        for entry in entries.sorted(by: { $0.modified < $1.modified }) where total > limit && entry.name != kept {
            if unlink(directory + "/" + entry.name) == 0 { total -= entry.bytes }
        }
    }

    /// Creates the cache directory and its parents when missing (failure is silent: the write fails).
    private func makeDirectory() {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private struct ByteReader {
        let bytes: [UInt8]
        /// Bytes at or past `end` (the checksum) are not part of the body.
        let end: Int
        var offset = 0

        init(bytes: [UInt8], end: Int) {
            self.bytes = bytes
            self.end = end
        }

        var atEnd: Bool { offset == end }

        mutating func take(_ n: Int) -> [UInt8]? {
            guard n >= 0, n <= end - offset else { return nil }
            defer { offset += n }
            return Array(bytes[offset..<(offset + n)])
        }
        mutating func u32() -> UInt32? { take(4).map { b in b.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } } }
        mutating func i64() -> Int64? { take(8).map { b in b.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } } }
        /// `.some(nil)` for an empty blob (length 0), `.some(db)` for a database, nil when the bytes
        /// are truncated or do not deserialize (a corrupt blob, or one built for another CPU).
        mutating func optionalDatabase() -> OpaquePointer?? {
            guard let len = take(8).map({ b in b.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }),
                  len <= UInt64(end - offset), let blob = take(Int(len)) else { return nil }
            if len == 0 { return .some(nil) }
            var db: OpaquePointer?
            let rc = blob.withUnsafeBytes { raw in
                hs_deserialize_database(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count, &db)
            }
            guard rc == HS_SUCCESS, let db else { return nil }
            return .some(db)
        }
    }
}
