/// Why a record could not be parsed as JSON.
///
/// `reason` is a stable snake_case token suitable for a label row's `reason` field:
/// - `invalid_json`: a syntax error anywhere in the document, including trailing content after the
///   top-level value, numbers simdjson cannot represent (e.g. `1e400`) and lone surrogate escapes;
/// - `invalid_utf8`: the bytes are not valid UTF-8 (checked everywhere, not only inside strings);
/// - `depth_exceeded`: nesting deeper than simdjson's limit (1,024 levels);
/// - `empty`: no JSON value at all (empty or whitespace-only input);
/// - `capacity`: the document is larger than the parser's `maxCapacity`;
/// - `memory`: an allocation failed; `internal`: any other simdjson error (a bug, not bad input).
///
/// `message` is simdjson's own description of the error code. simdjson's DOM parser does not report a
/// byte offset for errors, so none is given.
public struct JSONParseError: Error, Sendable, Hashable {
    public var reason: String
    public var message: String

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }
}
