/// What an input's first bytes say it is (CONTRACT.md "Command line": the content decides, never the
/// file name).
public enum InputFormat: Equatable, Sendable {
    /// Text (JSON, JSONL): read as it is.
    case plain
    /// zstd frames (`28 B5 2F FD`, or a skippable frame first).
    case zstd
    /// gzip members (`1F 8B 08`), decoded with zlib.
    case gzip
    /// A format afscan does not read; `what` names it and `remedy` says what to do, for one input fault.
    case unreadable(what: String, remedy: String)

    /// Bytes `sniff` looks at (fewer when the input is shorter).
    public static let sniffBytes = 4096

    /// The format of an input whose first bytes are `prefix` (at most `sniffBytes` are looked at; the
    /// whole input when it is shorter). Binary is decided the way grep decides it: a NUL byte in the first
    /// `sniffBytes` (JSON text never holds one; UTF-16 text and every binary container do), after the
    /// magic numbers of the containers people actually have were checked.
    public static func sniff(_ prefix: UnsafeRawBufferPointer) -> InputFormat {
        let b = prefix.prefix(sniffBytes)
        func starts(_ magic: [UInt8]) -> Bool { b.count >= magic.count && zip(b, magic).allSatisfy { $0 == $1 } }
        if ZstdMagic.isZstd(b) { return .zstd }
        if starts([0x1F, 0x8B, 0x08]) { return .gzip }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            return .unreadable(what: "a ZIP archive",
                               remedy: "`afscan label`, `eval` and `train` read Inspect .eval logs named as regular files (not standard input or a pipe); otherwise unzip it and name the JSON/JSONL files inside")
        }
        if starts(Array("BZh".utf8)) && b.count > 3 && (0x31...0x39).contains(b[3]) {
            return .unreadable(what: "bzip2-compressed", remedy: "decompress it first, e.g. `bzip2 -dc FILE | afscan label -`")
        }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            return .unreadable(what: "xz-compressed", remedy: "decompress it first, e.g. `xz -dc FILE | afscan label -`")
        }
        if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
            return .unreadable(what: "a 7-Zip archive", remedy: "extract it and name the JSON/JSONL files inside")
        }
        if starts(Array("PAR1".utf8)) {
            return .unreadable(what: "a Parquet file", remedy: "convert it to JSONL first, e.g. `duckdb -c \"COPY (FROM 'FILE') TO 'out.jsonl'\"`")
        }
        if starts(Array("SQLite format 3".utf8) + [0]) {
            return .unreadable(what: "an SQLite database", remedy: "export the table holding the transcripts as JSONL")
        }
        if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) {
            return .unreadable(what: "UTF-16 text", remedy: "convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 FILE | afscan label -`")
        }
        if b.contains(0) {
            return .unreadable(what: "binary data (a NUL byte in the first \(sniffBytes) bytes), not JSON or JSONL text",
                               remedy: "name the JSON/JSONL file (plain, .zst or .gz) that holds the transcripts")
        }
        return .plain
    }
}
