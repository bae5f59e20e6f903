/// The first-pass matches of one block: for every global string id, its match end offsets (bytes into
/// the block's normalized text), sorted and distinct, plus the sentence lookup that `near` needs.
///
/// Reused across scans by one `RuleScanner` (not thread-safe, not Sendable): the storage keeps its
/// capacity, so a scan allocates nothing once the buffers have grown to the largest block seen.
///
/// The Vectorscan match callback writes into `sink` through the `void *` context pointer; block mode
/// reports each pattern at most once per end offset, so `matchCount` equals the number of distinct
/// end offsets. At most `storedMatchLimit` positions are kept per scan (counts stay exact beyond it);
/// positions past the limit are not available as anchors or to `near`.
final class BlockMatches {
    /// Written by the C callback: plain pointers and counters, so a match costs two stores and an
    /// increment (no array uniqueness or exclusivity checks on the hot path).
    struct Sink {
        /// Match string ids and end offsets, `stored` of each, capacity `capacity`.
        var ids: UnsafeMutablePointer<UInt32>
        var ends: UnsafeMutablePointer<UInt32>
        var stored = 0
        var capacity: Int
        /// Exact number of matches per global string id in the current scan (`stringCount` entries).
        let counts: UnsafeMutablePointer<Int32>
        let limit: Int
        /// Matches counted but not stored because `limit` was reached.
        var dropped = 0

        @inline(__always)
        mutating func record(id: UInt32, end: UInt64) {
            counts[Int(id)] &+= 1
            if stored < capacity {
                ids[stored] = id
                ends[stored] = UInt32(truncatingIfNeeded: end)
                stored += 1
            } else if stored < limit {
                grow()
                ids[stored] = id
                ends[stored] = UInt32(truncatingIfNeeded: end)
                stored += 1
            } else {
                dropped += 1
            }
        }

        /// Doubles the id/end buffers (at most to `limit`), keeping the stored matches.
        mutating func grow() {
            let newCapacity = min(max(2 * capacity, 256), limit)
            let newIds = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
            let newEnds = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
            newIds.update(from: ids, count: stored)
            newEnds.update(from: ends, count: stored)
            ids.deallocate()
            ends.deallocate()
            ids = newIds
            ends = newEnds
            capacity = newCapacity
        }
    }

    /// Upper bound on stored match positions per scan (8 bytes each, so 8 MiB).
    static let storedMatchLimit = 1 << 20

    let stringCount: Int
    /// Stable address handed to `hs_scan` as the callback context.
    let sink: UnsafeMutablePointer<Sink>
    /// `offsets[s] ..< offsets[s] + lengths[s]` is string `s`'s slice of `sortedEnds` (`stringCount + 1`
    /// offsets, `stringCount` lengths and cursors). Raw buffers owned by this object: `let` pointers
    /// need no exclusivity checks, which dominated this code when they were `var` arrays.
    private let offsets: UnsafeMutablePointer<Int>
    private let lengths: UnsafeMutablePointer<Int>
    private let cursor: UnsafeMutablePointer<Int>
    /// The per-scan mutable state, behind a `let` pointer for the same reason.
    private struct Current {
        var sortedEnds: UnsafeMutablePointer<UInt32>
        var sortedCapacity: Int
        var sentenceStarts: UnsafeBufferPointer<Int32>
    }
    private let current: UnsafeMutablePointer<Current>
    /// Sentence start offsets of the current block (valid only during `RuleScanner.scan`).
    var sentenceStarts: UnsafeBufferPointer<Int32> { current.pointee.sentenceStarts }

    init(stringCount: Int, limit: Int = BlockMatches.storedMatchLimit) {
        self.stringCount = stringCount
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: max(stringCount, 1))
        counts.initialize(repeating: 0, count: max(stringCount, 1))
        let initial = min(256, limit)
        sink = .allocate(capacity: 1)
        sink.initialize(to: Sink(ids: .allocate(capacity: initial), ends: .allocate(capacity: initial),
                                 capacity: initial, counts: counts, limit: limit))
        offsets = .allocate(capacity: stringCount + 1)
        offsets.initialize(repeating: 0, count: stringCount + 1)
        lengths = .allocate(capacity: max(stringCount, 1))
        lengths.initialize(repeating: 0, count: max(stringCount, 1))
        cursor = .allocate(capacity: max(stringCount, 1))
        cursor.initialize(repeating: 0, count: max(stringCount, 1))
        current = .allocate(capacity: 1)
        current.initialize(to: Current(sortedEnds: .allocate(capacity: 1), sortedCapacity: 1,
                                       sentenceStarts: UnsafeBufferPointer(start: nil, count: 0)))
    }

    deinit {
        sink.pointee.ids.deallocate()
        sink.pointee.ends.deallocate()
        sink.pointee.counts.deallocate()
        sink.deinitialize(count: 1)
        sink.deallocate()
        offsets.deallocate()
        lengths.deallocate()
        cursor.deallocate()
        current.pointee.sortedEnds.deallocate()
        current.deinitialize(count: 1)
        current.deallocate()
    }

    /// Clears the previous scan's matches, keeping capacity.
    func reset() {
        sink.pointee.stored = 0
        sink.pointee.counts.update(repeating: 0, count: stringCount)
        sink.pointee.dropped = 0
    }

    /// Buckets the recorded matches by string (counting sort), sorts and de-duplicates each bucket.
    func finish(sentenceStarts: UnsafeBufferPointer<Int32>) {
        current.pointee.sentenceStarts = sentenceStarts
        let stored = sink.pointee.stored
        let ids = sink.pointee.ids, ends = sink.pointee.ends
        offsets.update(repeating: 0, count: stringCount + 1)
        for i in 0..<stored { offsets[Int(ids[i]) + 1] += 1 }
        for s in 0..<stringCount { offsets[s + 1] += offsets[s] }
        cursor.update(from: offsets, count: stringCount)
        if current.pointee.sortedCapacity < stored {
            current.pointee.sortedEnds.deallocate()
            current.pointee.sortedCapacity = max(stored, 2 * current.pointee.sortedCapacity)
            current.pointee.sortedEnds = .allocate(capacity: current.pointee.sortedCapacity)
        }
        let sorted = current.pointee.sortedEnds
        for i in 0..<stored {
            let s = Int(ids[i])
            sorted[cursor[s]] = ends[i]
            cursor[s] += 1
        }
        for s in 0..<stringCount {
            let lo = offsets[s], hi = offsets[s + 1]
            guard hi - lo > 1 else {
                lengths[s] = hi - lo
                continue
            }
            var ordered = true
            for i in (lo + 1)..<hi where sorted[i] < sorted[i - 1] {
                ordered = false
                break
            }
            if !ordered {
                var bucket = UnsafeMutableBufferPointer(start: sorted + lo, count: hi - lo)
                bucket.sort()
            }
            var w = lo + 1
            for i in (lo + 1)..<hi where sorted[i] != sorted[w - 1] {
                sorted[w] = sorted[i]
                w += 1
            }
            lengths[s] = w - lo
        }
    }

    /// Number of matches of global string `s` (distinct end offsets).
    @inline(__always)
    func matchCount(_ s: Int) -> Int {
        sink.pointee.dropped == 0 ? lengths[s] : Int(sink.pointee.counts[s])
    }

    /// Number of stored match ends of global string `s`.
    @inline(__always)
    func storedCount(_ s: Int) -> Int { lengths[s] }

    /// The `i`-th smallest stored end offset of global string `s`.
    @inline(__always)
    func end(_ s: Int, _ i: Int) -> Int { Int(current.pointee.sortedEnds[offsets[s] + i]) }

    /// Index of the sentence holding byte `position` (the last sentence start `<= position`; 0 when
    /// there is none or no sentence starts were given).
    func sentence(ofByte position: Int) -> Int {
        let sentenceStarts = current.pointee.sentenceStarts
        var lo = 0, hi = sentenceStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(sentenceStarts[mid]) <= position { lo = mid + 1 } else { hi = mid }
        }
        return max(lo - 1, 0)
    }

    /// Calls `body` with the end offset of each match of `a` (in order) that has a match of `b` in its
    /// sentence or one of the two sentences before it, until `body` returns false. Linear in the match
    /// counts (two pointers; sentences are non-decreasing in offset) times a binary search.
    func forEachNearMatch(of a: Int, near b: Int, _ body: (Int) -> Bool) {
        let countA = storedCount(a), countB = storedCount(b)
        guard countA > 0, countB > 0 else { return }
        var j = 0
        var sentenceB = sentence(ofByte: end(b, 0) - 1)
        for i in 0..<countA {
            let endA = end(a, i)
            let sentenceA = sentence(ofByte: endA - 1)
            while j < countB, sentenceB < sentenceA - 2 {
                j += 1
                if j < countB { sentenceB = sentence(ofByte: end(b, j) - 1) }
            }
            guard j < countB else { return }
            if sentenceB <= sentenceA, !body(endA) { return }
        }
    }
}

/// One rule's view of a block's matches: local string indices (into `Rule.strings`) mapped to global ids.
struct RuleMatchView: ConditionEnvironment {
    let matches: BlockMatches
    let base: Int

    func matchCount(of string: Int) -> Int { matches.matchCount(base + string) }

    func hasNearMatch(of a: Int, near b: Int) -> Bool {
        var found = false
        matches.forEachNearMatch(of: base + a, near: base + b) { _ in
            found = true
            return false
        }
        return found
    }
}
