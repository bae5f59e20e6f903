/// SplitMix64 (G. L. Steele, D. Lea & C. H. Flood 2014, "Fast splittable pseudorandom number
/// generators", OOPSLA): the seeded generator of `afscan eval`'s bootstrap, so that the same seed
/// gives the same interval on every run and platform.
public struct EvalRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` by the high word of a 64×64-bit product (D. Lemire 2019, without the
    /// rejection step: the bias is below bound / 2⁶⁴, negligible for bootstrap sizes, and the result
    /// stays one draw per call, which keeps runs reproducible).
    /// - Precondition: `bound > 0`.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "EvalRandom.index(below:) needs a positive bound")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
