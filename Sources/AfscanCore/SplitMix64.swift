/// SplitMix64 (G. L. Steele, D. Lea & C. H. Flood 2014, "Fast splittable pseudorandom number
/// generators", OOPSLA): a tiny, fast, well-mixed 64-bit PRNG, the one seeded generator of the project.
///
/// - `afscan generate` is deterministic because every random choice comes from one of these, and every
///   record owns its own generator derived from `(seed, record index)` (``SplitMix64/init(seed:stream:)``):
///   record *i* is therefore the same bytes whatever the size target, frame size or compression level.
/// - `afscan eval`'s bootstrap draws from ``SplitMix64/init(seed:)``, so the same seed gives the same
///   interval on every run and platform.
///
/// Not cryptographic.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose first output is a mix of `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for item `stream` (e.g. a record index) under `seed`: the state is
    /// the SplitMix finaliser of `seed` combined with the finaliser of `stream`, so neighbouring
    /// indices and neighbouring seeds give unrelated sequences.
    public init(seed: UInt64, stream: UInt64) {
        state = SplitMix64.mix(seed &+ 0x9E37_79B9_7F4A_7C15) ^ SplitMix64.mix(stream &* 0xD1B5_4A32_D192_ED03 &+ 0x2545_F491_4F6C_DD1D)
    }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output finaliser (a bijection on 64-bit values).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), without modulo bias (Lemire's method).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p` (clamped to [0, 1]).
    public mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A uniformly chosen element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }
}
