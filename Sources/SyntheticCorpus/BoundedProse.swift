import AfscanCore

/// Builds prose of a target UTF-8 length from sentence banks: the length is met exactly up to a
/// few bytes and never exceeded (unless the required pieces alone exceed it).
struct BoundedProse {
    /// Returns text of at most `target` bytes (UTF-8) and at least `target - 24` bytes when the
    /// required pieces fit: `signals` appear in order at random positions among sentences drawn
    /// from `filler`; sentences are grouped into paragraphs of 2–5 (joined by a space, paragraphs by a
    /// blank line); `tail`, if any, ends the text after a blank line. When `signals` and `tail`
    /// alone exceed `target`, the text is exactly those pieces (and longer than `target`).
    static func compose(
        target: Int, signals: [String], tail: String?, filler: (inout SplitMix64) -> String, shortFiller: [String],
        rng: inout SplitMix64
    ) -> String {
        let tailCost = tail.map { $0.utf8.count + 2 } ?? 0
        let budget = target - tailCost
        var pending = signals[...]
        var reserve = signals.reduce(0) { $0 + $1.utf8.count + 2 }
        var out = ""
        out.reserveCapacity(target + 64)
        var length = 0
        var inParagraph = 0
        var paragraphLength = rng.int(in: 2...5)

        func separator() -> String {
            if length == 0 { return "" }
            return inParagraph >= paragraphLength ? "\n\n" : " "
        }
        func append(_ s: String) {
            let sep = separator()
            if sep == "\n\n" {
                inParagraph = 0
                paragraphLength = rng.int(in: 2...5)
            }
            out += sep
            out += s
            length += sep.utf8.count + s.utf8.count
            inParagraph += 1
        }

        while true {
            if let next = pending.first, rng.chance(0.12) {
                append(next)
                pending.removeFirst()
                reserve -= next.utf8.count + 2
                continue
            }
            let room = budget - reserve - length - 2
            var chosen: String?
            for _ in 0..<6 {
                let candidate = filler(&rng)
                if candidate.utf8.count <= room { chosen = candidate; break }
            }
            if chosen == nil {
                let start = rng.below(shortFiller.count)
                for k in 0..<shortFiller.count {
                    let candidate = shortFiller[(start + k) % shortFiller.count]
                    if candidate.utf8.count <= room { chosen = candidate; break }
                }
            }
            guard let sentence = chosen else { break }
            append(sentence)
        }
        for next in pending { append(next) }
        if let tail {
            out += length == 0 ? tail : "\n\n" + tail
        }
        return out
    }

    /// A target length for a piece whose required parts take `required` bytes: uniform in
    /// `range`, raised so that the filler has room, and kept 32 bytes above the lower bound so
    /// that the result (at least `target - 24`) stays within `range`.
    static func target(in range: ClosedRange<Int>, required: Int, rng: inout SplitMix64) -> Int {
        let lo = min(max(range.lowerBound + 32, required + 64), range.upperBound)
        return rng.int(in: lo...range.upperBound)
    }
}
