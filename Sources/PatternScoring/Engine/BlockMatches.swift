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
    /// Written by the C callback. Arrays keep their capacity between scans.
    struct Sink {
        var ids: [UInt32] = []
        var ends: [UInt32] = []
        /// Exact number of matches per global string id in the current scan.
        var counts: [Int32]
        var limit: Int
        /// Matches counted but not stored because `limit` was reached.
        var dropped = 0

        @inline(__always)
        mutating func record(id: UInt32, end: UInt64) {
            counts[Int(id)] &+= 1
            if ids.count < limit {
                ids.append(id)
                ends.append(UInt32(truncatingIfNeeded: end))
            } else {
                dropped += 1
            }
        }
    }

    /// Upper bound on stored match positions per scan (8 bytes each, so 8 MiB).
    static let storedMatchLimit = 1 << 20

    let stringCount: Int
    /// Stable address handed to `hs_scan` as the callback context.
    let sink: UnsafeMutablePointer<Sink>
    /// `offsets[s] ..< offsets[s] + lengths[s]` is string `s`'s slice of `sortedEnds`.
    private var offsets: [Int]
    private var lengths: [Int]
    private var sortedEnds: [UInt32] = []
    private var cursor: [Int]
    /// Sentence start offsets of the current block (valid only during `RuleScanner.scan`).
    private(set) var sentenceStarts = UnsafeBufferPointer<Int32>(start: nil, count: 0)

    init(stringCount: Int, limit: Int = BlockMatches.storedMatchLimit) {
        self.stringCount = stringCount
        sink = .allocate(capacity: 1)
        sink.initialize(to: Sink(counts: [Int32](repeating: 0, count: stringCount), limit: limit))
        offsets = [Int](repeating: 0, count: stringCount + 1)
        lengths = [Int](repeating: 0, count: stringCount)
        cursor = [Int](repeating: 0, count: stringCount)
    }

    deinit {
        sink.deinitialize(count: 1)
        sink.deallocate()
    }

    /// Clears the previous scan's matches, keeping capacity.
    func reset() {
        sink.pointee.ids.removeAll(keepingCapacity: true)
        sink.pointee.ends.removeAll(keepingCapacity: true)
        for s in 0..<stringCount { sink.pointee.counts[s] = 0 }
        sink.pointee.dropped = 0
    }

    /// Buckets the recorded matches by string (counting sort), sorts and de-duplicates each bucket.
    func finish(sentenceStarts: UnsafeBufferPointer<Int32>) {
        self.sentenceStarts = sentenceStarts
        let stored = sink.pointee.ids.count
        for s in 0...stringCount { offsets[s] = 0 }
        for id in sink.pointee.ids { offsets[Int(id) + 1] += 1 }
        for s in 0..<stringCount { offsets[s + 1] += offsets[s] }
        for s in 0..<stringCount { cursor[s] = offsets[s] }
        if sortedEnds.count < stored {
            sortedEnds.append(contentsOf: repeatElement(0, count: stored - sortedEnds.count))
        }
        for i in 0..<stored {
            let s = Int(sink.pointee.ids[i])
            sortedEnds[cursor[s]] = sink.pointee.ends[i]
            cursor[s] += 1
        }
        for s in 0..<stringCount {
            let lo = offsets[s], hi = offsets[s + 1]
            guard hi - lo > 1 else {
                lengths[s] = hi - lo
                continue
            }
            var ordered = true
            for i in (lo + 1)..<hi where sortedEnds[i] < sortedEnds[i - 1] {
                ordered = false
                break
            }
            if !ordered { sortedEnds[lo..<hi].sort() }
            var w = lo + 1
            for i in (lo + 1)..<hi where sortedEnds[i] != sortedEnds[w - 1] {
                sortedEnds[w] = sortedEnds[i]
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
    func end(_ s: Int, _ i: Int) -> Int { Int(sortedEnds[offsets[s] + i]) }

    /// Index of the sentence holding byte `position` (the last sentence start `<= position`; 0 when
    /// there is none or no sentence starts were given).
    func sentence(ofByte position: Int) -> Int {
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
