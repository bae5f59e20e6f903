/// An open-addressing hash table from 64-bit n-gram hashes to feature indices (linear probing, load ≤ 0.25 or ≤ 0.5, see `init`).
///
/// Keys are the hashes `NgramScanner` gives; the key 0 marks an empty slot, so a hash of 0 is stored as 1
/// (and looked up the same way). Exact for the keys it holds; an n-gram outside the vocabulary finds no
/// entry unless its 64-bit hash equals a vocabulary hash (probability about 2⁻⁶⁴ per pair).
public struct NgramTable: Sendable {
    /// Key and value side by side: a probe touches one 16-byte slot (one cache line), not two arrays.
    struct Slot {
        var key: UInt64
        var value: Int32
    }
    private var slots: [Slot]
    private let mask: Int
    public private(set) var count = 0

    /// A table with room for `capacity` keys: load ≤ 0.25 up to 16,384 keys (≤ 1 MiB of slots; fewer
    /// collisions, so fewer probes and mispredicted branches per lookup: `afs_count_grams` took ~20 % less
    /// time per gram than at load 0.33 in the TokenStream+Model benchmark), ≤ 0.5 above that (memory).
    public init(capacity: Int) {
        var size = 16
        while size < capacity * (capacity <= 1 << 14 ? 4 : 2) { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, value: -1), count: size)
        mask = size - 1
    }

    @inline(__always) static func key(_ h: UInt64) -> UInt64 { h == 0 ? 1 : h }

    /// Inserts `hash → index`; returns false (and changes nothing) when the hash is already present.
    @discardableResult
    public mutating func insert(_ hash: UInt64, index: Int32) -> Bool {
        let k = Self.key(hash)
        var slot = Int(truncatingIfNeeded: k >> 7) & mask
        while slots[slot].key != 0 {
            if slots[slot].key == k { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = Slot(key: k, value: index)
        count += 1
        return true
    }

    /// Slot count (a power of two; the home slot of key `k` is `(k >> 7) & (slotCount - 1)`).
    public var slotCount: Int { slots.count }

    /// Calls `body(slot, key, featureIndex)` for every slot in order (key 0 and index -1 for an empty slot):
    /// to copy the table's layout, e.g. into a worker's counting table.
    public func forEachSlot(_ body: (Int, UInt64, Int32) -> Void) {
        for (i, s) in slots.enumerated() { body(i, s.key, s.value) }
    }

}
