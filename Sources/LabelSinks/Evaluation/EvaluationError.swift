/// Errors of `afscan eval`'s library side.
public enum EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--reference` / `--positive` could not be understood (the message says why).
    case invalidReference(String)

    public var description: String {
        switch self {
        case .invalidReference(let message): "invalid reference: \(message)"
        }
    }
}
