/// Parsing of human byte sizes for `afscan generate` (`--size 1GB`, `--frame-bytes 8MiB`,
/// `--system-prompt-kb 10-30`).
public enum ByteSize {
    /// Decimal and binary units, matched case-insensitively: B, KB = 1000, MB = 1000², GB = 1000³,
    /// KiB = 1024, MiB = 1024², GiB = 1024³. A bare number is bytes.
    static let units: [(suffix: String, factor: Int64)] = [
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30),
        ("kb", 1_000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("b", 1),
    ]

    /// Parses `text` (e.g. `1GB`, `8MiB`, `1.5 GB`, `4096`) into a byte count.
    ///
    /// A fractional number is allowed before a unit and rounded down to whole bytes.
    /// - Throws: ``CorpusError/invalidSize(_:)`` for an empty, negative, malformed or
    ///   overflowing size, or an unknown unit.
    public static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingWhitespace().lowercased()
        var number = Substring(trimmed)
        var factor: Int64 = 1
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = trimmed.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        let digits = String(number).trimmingWhitespace()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(digits), value.isFinite, value >= 0
        else { throw CorpusError.invalidSize("\(text): expected a number with an optional unit B, KB, MB, GB, KiB, MiB or GiB") }
        let bytes = value * Double(factor)
        guard bytes < 9.0e18 else { throw CorpusError.invalidSize("\(text): too large") }
        if !digits.contains("."), let whole = Int64(digits) {
            let (product, overflow) = whole.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw CorpusError.invalidSize("\(text): too large") }
            return product
        }
        return Int64(bytes.rounded(.down))
    }

    /// Parses a kilobyte range `LO-HI` or a single `N` (meaning `N-N`) into a range of **bytes**,
    /// with 1 KB = 1000 bytes (e.g. `10-30` → `10_000...30_000`).
    /// - Throws: ``CorpusError/invalidSize(_:)`` when a bound is not a non-negative integer or
    ///   `LO > HI`.
    public static func parseKilobyteRange(_ text: String) throws -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        guard (1...2).contains(parts.count), let lo = Int(parts[0]), let hi = Int(parts.last!), lo >= 0, lo <= hi,
              hi <= 1_000_000
        else { throw CorpusError.invalidSize("\(text): expected kilobytes LO-HI (e.g. 10-30) or N") }
        return (lo * 1_000)...(hi * 1_000)
    }

    /// `bytes` in the largest binary unit that keeps one decimal (`1.5 GiB`, `812.0 KiB`, `17 B`),
    /// for reports.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var i = 0
        while value >= 1024, i < units.count - 1 {
            value /= 1024
            i += 1
        }
        if i == 0 { return "\(bytes) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[i])"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
