import ArchiveIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--shard K/N`: which inputs (and which frames of a large input) shard K of N labels, so that N runs
/// over the same operands label every record exactly once, with the record numbers and byte offsets of
/// one run over them all.
///
/// - An input is **split by frames** when it is a regular zstd file with two or more frames
///   (`ZstdFrameIndex`) whose compressed size exceeds 1/N of all inputs' bytes: frame i (starting at
///   compressed byte cᵢ of an archive of T bytes) belongs to shard ⌊N·cᵢ/T⌋, so the shards get
///   contiguous frame ranges of about equal compressed size. The shard owning the last frame also owns
///   the bytes after it (a truncated tail). A record belongs to the shard whose frames hold its first
///   byte; a record cut by a frame boundary is finished from the next frame.
/// - Every other input is **assigned whole**, to shard FNV-1a-64(path as given) mod N.
///
/// Cost of a split input for shard K: it decodes and frames (but does not parse or score) every frame
/// before its range, to number the records and learn the byte offsets as one run would: about the time
/// of `zstd -d` over that part (≈ 1 GB/s per core here), small next to labelling (≈ 40–80 MB/s per core).
///
/// Every shard must be given the same operands in the same order (and the same `--sequential-decode`):
/// the plan is a pure function of them and the files' bytes.
public struct ShardPlan: Sendable {
    /// K (counting from 0) and N.
    public struct Shard: Sendable, Hashable, CustomStringConvertible {
        public var index: Int
        public var count: Int

        /// Parses `K/N` with 0 ≤ K < N (K counts from 0, as Slurm's `--array=0-(N-1)` and Kubernetes'
        /// completion index do); nil otherwise.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(k) else { return nil }
            index = k
            count = n
        }

        public var description: String { "\(index)/\(count)" }
    }

    /// One input of this shard: whole, or the frames it labels (upper bound `Int.max` for the shard that
    /// owns the archive's end).
    public struct Part: Sendable, Equatable {
        public var spec: InputSpec
        public var frames: Range<Int>?
    }

    public var shard: Shard
    /// This shard's inputs, in operand order.
    public var parts: [Part]
    /// Inputs of the run assigned to other shards (whole), for the message.
    public var otherInputs: Int

    /// Plans shard `shard` over `specs`. With `splitting` false (`--sequential-decode`) every input is
    /// assigned whole.
    /// - Precondition: no spec is standard input (a stream cannot be shared out).
    public init(shard: Shard, specs: [InputSpec], splitting: Bool) {
        self.shard = shard
        let n = shard.count
        var sizes: [Int] = []
        for spec in specs {
            var st = stat()
            sizes.append(spec.path.map { stat($0, &st) == 0 ? Int(st.st_size) : 0 } ?? 0)
        }
        let total = sizes.reduce(0, +)
        parts = []
        otherInputs = 0
        for (spec, size) in zip(specs, sizes) {
            if splitting, n > 1, size > 0, size * n > total, let path = spec.path,
               let file = try? ArchiveFile(path: path, displayName: spec.displayName) {
                let index = ZstdFrameIndex(scanning: file)
                if index.frames.count >= 2 {
                    let end = index.tailStart ?? file.size
                    let owner = index.frames.map { min(n - 1, $0.compressed.lowerBound * n / max(end, 1)) }
                    let mine = owner.indices.filter { owner[$0] == shard.index }
                    if let first = mine.first, let last = mine.last {
                        parts.append(Part(spec: spec, frames: first..<(last == owner.count - 1 ? Int.max : last + 1)))
                    }
                    continue
                }
            }
            if Self.fnv1a64(spec.displayName) % UInt64(n) == UInt64(shard.index) {
                parts.append(Part(spec: spec, frames: nil))
            } else {
                otherInputs += 1
            }
        }
    }

    /// FNV-1a, 64-bit, over the UTF-8 bytes of `text`: stable across runs, machines and versions.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
