import CHyperscan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a `NamedPattern` becomes a Vectorscan expression, and per-pattern facts Vectorscan reports.
///
/// Literals are escaped byte by byte into a regex (`\xHH` for every byte that is not an ASCII letter or
/// digit) so that literals and regexes go into one `hs_compile_multi` database. Every pattern is
/// compiled with `HS_FLAG_CASELESS` (ASCII folding only; the text is lower-cased by the normalizer
/// anyway) and without `HS_FLAG_UTF8`: patterns are byte patterns over normalized UTF-8, the fastest
/// Vectorscan mode, and `.` matches one byte.
enum HyperscanPattern {
    /// Flags of the first-pass database: every match end is reported (no `HS_FLAG_SINGLEMATCH`).
    static let scanFlags = UInt32(HS_FLAG_CASELESS)
    /// Flags of the start-of-match database used only for evidence spans.
    static let somFlags = UInt32(HS_FLAG_CASELESS) | UInt32(HS_FLAG_SOM_LEFTMOST)

    /// The Vectorscan expression for `pattern` (a regex as written; a literal escaped).
    static func expression(for pattern: NamedPattern) -> String {
        switch pattern.kind {
        case .regex:
            return pattern.pattern
        case .literal:
            let hex = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            out.reserveCapacity(pattern.pattern.utf8.count * 4)
            for byte in pattern.pattern.utf8 {
                let isAlnum = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                if isAlnum {
                    out.append(byte)
                } else {
                    out.append(contentsOf: Array("\\x".utf8))
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0f)])
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// What `hs_expression_info` says about one expression.
    struct Info: Equatable {
        /// Longest match in bytes, or nil when unbounded.
        var maxWidth: Int?
        var minWidth: Int
        /// Every match has the same length (a start of match is `end - minWidth`).
        var isFixedWidth: Bool { maxWidth == minWidth }
    }

    /// Validates `expression` with `hs_expression_info` under `flags`.
    ///
    /// - Returns: the widths on success, or Vectorscan's compile error message (e.g. `Unmatched
    ///   parentheses.`, `Embedded anchors not supported.`).
    /// Wraps `hs_expression_info`.
    static func info(_ expression: String, flags: UInt32 = scanFlags) -> Result<Info, PatternMessage> {
        var info: UnsafeMutablePointer<hs_expr_info_t>?
        var compileError: UnsafeMutablePointer<hs_compile_error_t>?
        let rc = hs_expression_info(expression, flags, &info, &compileError)
        guard rc == HS_SUCCESS, let info else {
            let message = compileError.map { String(cString: $0.pointee.message) } ?? "hs_expression_info failed with code \(rc)"
            if let compileError { hs_free_compile_error(compileError) }
            return .failure(PatternMessage(text: message))
        }
        defer { free(info) }
        let maxWidth = info.pointee.max_width == UInt32.max ? nil : Int(info.pointee.max_width)
        return .success(Info(maxWidth: maxWidth, minWidth: Int(info.pointee.min_width)))
    }

    /// A Vectorscan error message.
    struct PatternMessage: Error, Equatable {
        var text: String
    }
}
