import CSimdJSON

/// A validating JSON parser over simdjson's DOM API.
///
/// One parser per worker thread: a parser owns the document of its last parse (tape and unescaped
/// strings, reused across parses), so it is neither `Sendable` nor reentrant. Every value returned by
/// `parse` borrows that document and is valid only until the next `parse` on the same parser, or until
/// the parser is released.
///
/// Validation is full (CONTRACT.md "Records"): UTF-8 is checked over the whole input, every string,
/// number and literal is checked, and anything but whitespace after the top-level value is rejected.
public final class JSONParser {
    /// The number of readable bytes simdjson needs after the end of an input parsed with
    /// `hasPadding: true` (simdjson's `SIMDJSON_PADDING`, 64 bytes in simdjson 3.0.1). The bytes may have
    /// any value.
    public static let padding: Int = Int(afj_padding())

    /// The largest document, in bytes, this parser accepts (larger inputs fail with reason `capacity`).
    public let maxCapacity: Int

    private let handle: OpaquePointer

    /// - Parameter maxCapacity: the largest document in bytes (default 64 MiB, the default of
    ///   `--max-record-bytes`). Memory grows with the largest document actually parsed, not with this.
    /// - Precondition: the parser could be allocated (aborts on allocation failure).
    public init(maxCapacity: Int = 64 << 20) {
        precondition(maxCapacity > 0, "maxCapacity must be positive")
        guard let handle = afj_parser_new(maxCapacity) else {
            fatalError("simdjson parser allocation failed")
        }
        self.maxCapacity = maxCapacity
        self.handle = handle
    }

    deinit {
        afj_parser_free(handle)
    }

    /// Parses and validates one JSON document.
    ///
    /// - Parameters:
    ///   - bytes: the document's UTF-8 bytes; leading and trailing JSON whitespace is allowed. The buffer
    ///     is not referenced after this call returns.
    ///   - hasPadding: true when at least `JSONParser.padding` bytes after `bytes` are readable memory
    ///     (e.g. a `RecordBatch` range); the input is then parsed in place. When false, it is first copied
    ///     into a reusable padded buffer owned by the parser.
    /// - Returns: the root value, valid until the next `parse` on this parser.
    /// - Throws: `JSONParseError` (see its `reason` values) when the input is not exactly one valid JSON
    ///   value.
    public func parse(_ bytes: UnsafeRawBufferPointer, hasPadding: Bool) throws(JSONParseError) -> JSONValue {
        var root = afj_value()
        var error = afj_error()
        let status: Int32
        if let base = bytes.baseAddress {
            status = afj_parse(
                handle, base.assumingMemoryBound(to: UInt8.self), bytes.count, hasPadding ? 1 : 0, &root, &error)
        } else {
            // An empty buffer may have no address; give simdjson a real (padded) one to report `empty`.
            let empty = [UInt8](repeating: 0x20, count: JSONParser.padding)
            status = empty.withUnsafeBufferPointer { buffer in
                afj_parse(handle, buffer.baseAddress, 0, 1, &root, &error)
            }
        }
        guard status == 0 else {
            throw JSONParseError(
                reason: error.reason.map { String(cString: $0) } ?? "internal",
                message: error.message.map { String(cString: $0) } ?? "unknown simdjson error")
        }
        return JSONValue(raw: root)
    }

    /// Parses a document held in an array (copying variant; convenient for tests and small inputs).
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        // `withUnsafeBytes` is rethrows-untyped; route the typed error through a Result.
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buffer in
            do throws(JSONParseError) {
                return .success(try parse(buffer, hasPadding: false))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a document given as a string (copying variant).
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}
