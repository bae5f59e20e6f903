/// Shared helpers of the libFuzzer targets (docs/FUZZING.md): a byte cursor that turns the fuzzer's
/// input into choices, and the failure report every target uses for a broken property.

/// Takes choices from the front of a fuzz input; what is left is the payload.
public struct FuzzInput {
    public private(set) var bytes: UnsafeBufferPointer<UInt8>

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    }

    /// The next byte, or 0 when the input is exhausted.
    public mutating func byte() -> UInt8 {
        guard let b = bytes.first else { return 0 }
        bytes = UnsafeBufferPointer(rebasing: bytes.dropFirst())
        return b
    }

    /// The remaining bytes, as the payload.
    public var rest: [UInt8] { Array(bytes) }
}

/// A broken property: print what broke (no input text, only lengths and positions) and abort, which
/// libFuzzer records as a crash with the input that caused it.
public func fuzzFailure(_ target: String, _ message: @autoclosure () -> String) -> Never {
    fatalError("\(target): property broken: \(message())")
}
