#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds inputs of one run that hold the same content: the same file named twice (a path and a directory
/// walk that reaches it, a hard link, a symlink), or the same records stored twice under different
/// names (`x.jsonl` beside `x.jsonl.zst`). Both are still read (so shards stay simple); the caller warns.
///
/// Cost: one `stat` per input, and for each zstd input a walk of its frame and block headers
/// (`ZstdFrameIndex`, no decoding) to learn its decompressed size. Contents are read only for inputs
/// whose decompressed sizes are equal, or unknown (a frame header without a content size, a stream such
/// as gzip) and whose names differ only by a compression suffix: those pairs are decoded side by side and
/// compared byte for byte, stopping at the first difference. Standard input and non-regular files
/// (FIFOs) are never read ahead.
public enum DuplicateInputs {
    /// Two inputs with the same content.
    public struct Pair: Sendable, Equatable {
        /// The earlier input (in operand order) and the later one.
        public var first: InputSpec
        public var second: InputSpec
        /// True when both names lead to one file (same device and inode); false when two files hold
        /// the same decompressed bytes.
        public var sameFile: Bool

        public init(first: InputSpec, second: InputSpec, sameFile: Bool) {
            self.first = first
            self.second = second
            self.sameFile = sameFile
        }

        /// One line for stderr, naming both inputs.
        public var message: String {
            sameFile
                ? "\(second.displayName) is the same file as \(first.displayName) (given twice): its records are read twice"
                : "\(second.displayName) holds the same records as \(first.displayName) (identical decompressed content): they are read twice"
        }
    }

    /// The pairs of `specs` with the same content, each later input paired with the first earlier one it
    /// duplicates. Files that cannot be stat'ed or read are skipped here (the run reports them).
    public static func find(_ specs: [InputSpec]) -> [Pair] {
        struct Seen {
            var spec: InputSpec
            var path: String
            var device: UInt64
            var inode: UInt64
            var decodedSize: Int?
        }
        var seen: [Seen] = []
        var pairs: [Pair] = []
        for spec in specs {
            guard let path = spec.path else { continue }
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let me = Seen(spec: spec, path: path, device: UInt64(st.st_dev), inode: UInt64(st.st_ino),
                          decodedSize: decodedSize(path: path, fileSize: Int(st.st_size)))
            if let twin = seen.first(where: { $0.device == me.device && $0.inode == me.inode }) {
                pairs.append(Pair(first: twin.spec, second: spec, sameFile: true))
                continue
            }
            let candidates = seen.filter { other in
                if let a = other.decodedSize, let b = me.decodedSize { return a == b }
                return strippingCompressionSuffix(other.path) == strippingCompressionSuffix(path)
            }
            if let twin = candidates.first(where: { sameContent($0.spec, spec) }) {
                pairs.append(Pair(first: twin.spec, second: spec, sameFile: false))
            }
            seen.append(me)
        }
        return pairs
    }

    /// The decompressed size in bytes: the file size for plain content; the sum of the frames' declared
    /// content sizes for a zstd archive whose every frame declares one and whose frames cover the file;
    /// nil otherwise (unknown without decoding).
    static func decodedSize(path: String, fileSize: Int) -> Int? {
        guard let file = try? ArchiveFile(path: path, displayName: path) else { return nil }
        var magic: [UInt8] = [0, 0, 0, 0]
        let n = magic.withUnsafeMutableBytes { (try? file.read(into: $0, at: 0)) ?? 0 }
        let head = Array(magic.prefix(n))
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B { return nil }   // gzip: size not in the header
        guard ZstdMagic.isZstd(head) else { return fileSize }
        let index = ZstdFrameIndex(scanning: file)
        guard index.tailStart == nil else { return nil }
        var total = 0
        for frame in index.frames {
            guard let size = frame.contentSize else { return nil }
            total += size
        }
        return total
    }

    /// `path` without a trailing `.zst`, `.zstd` or `.gz`.
    static func strippingCompressionSuffix(_ path: String) -> String {
        for suffix in [".zst", ".zstd", ".gz"] where path.hasSuffix(suffix) {
            return String(path.dropLast(suffix.count))
        }
        return path
    }

    /// True when both inputs decode to the same bytes (read side by side in 1 MiB pieces, stopping at
    /// the first difference); false when they differ or either cannot be read to its end.
    static func sameContent(_ a: InputSpec, _ b: InputSpec) -> Bool {
        guard let ra = try? InputReader(a, maxWindowLog: 31), let rb = try? InputReader(b, maxWindowLog: 31) else { return false }
        var bufA = [UInt8](repeating: 0, count: 1 << 20), bufB = bufA
        do {
            while true {
                let n = try fill(&bufA, from: ra)
                guard try fill(&bufB, from: rb) == n, bufA[0..<n] == bufB[0..<n] else { return false }
                if n == 0 { return true }
            }
        } catch {
            return false
        }
    }

    /// Reads until `buffer` is full or the input ends; returns the bytes read.
    private static func fill(_ buffer: inout [UInt8], from reader: InputReader) throws -> Int {
        var have = 0
        while have < buffer.count {
            let n = try buffer.withUnsafeMutableBytes { raw in
                try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[have...]))
            }
            if n == 0 { break }
            have += n
        }
        return have
    }
}
