import AfscanCore

extension SplitMix64 {
    /// A value in `0..<bound` by the high word of a 64×64-bit product (D. Lemire 2019, without the
    /// rejection step of `below(_:)`: the bias is below bound / 2⁶⁴, negligible for bootstrap sizes, and
    /// the result stays one draw per call, which keeps `afscan eval`'s intervals the same as before).
    /// - Precondition: `bound > 0`.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "SplitMix64.index(below:) needs a positive bound")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
