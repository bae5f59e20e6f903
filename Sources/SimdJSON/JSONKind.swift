/// The type of a `JSONValue`, as simdjson's DOM stores it.
///
/// Integers (numbers without `.`, `e` or `E`) that fit in `Int64` are `.int`; larger non-negative
/// integers that fit in `UInt64` are `.uint`; every other number is `.double`.
public enum JSONKind: Sendable, Hashable {
    case object, array, string, int, uint, double, bool, null
}
