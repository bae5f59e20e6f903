#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The decoded bytes of one frame, in one heap block (`malloc`/`realloc`, freed on `deinit`), filled by
/// a decoder thread in place and then read by the reader thread: no copy between decoding and framing.
/// Blocks are recycled (`FrameBufferBin`) so that their pages are touched once, not once per frame.
///
/// `@unchecked Sendable` is safe: one thread owns it at a time. The decoding thread writes it, then
/// publishes it through a `FrameSlot` (a `Mutex` store followed by a semaphore signal, which orders those
/// writes before the reader's reads); the reader only reads it, then hands it back through a
/// `FrameBufferBin` (a `Mutex`), after which it no longer touches it, and the next decoding thread takes
/// it from the bin before writing.
final class DecodedFrame: @unchecked Sendable {
    private(set) var base: UnsafeMutableRawPointer
    /// Bytes decoded so far.
    private(set) var count = 0
    /// Bytes allocated.
    private(set) var capacity: Int

    /// Allocates `capacity` bytes (at least 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = malloc(self.capacity)!
    }

    deinit { free(base) }

    /// The decoded bytes (valid while the object lives).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Room for at most `limit` more bytes after the decoded ones, growing the block (doubling, up to
    /// `maxCapacity`) when it is full. Empty when the block is full at `maxCapacity`.
    func room(_ limit: Int, maxCapacity: Int) -> UnsafeMutableRawBufferPointer {
        if count == capacity && capacity < maxCapacity {
            capacity = min(maxCapacity, max(capacity * 2, 1 << 16))
            base = realloc(base, capacity)!
        }
        return UnsafeMutableRawBufferPointer(start: base + count, count: min(limit, capacity - count))
    }

    /// Marks `n` bytes after the decoded ones as decoded.
    func commit(_ n: Int) { count += n }

    /// Forgets the decoded bytes (keeps the block) and makes sure `capacity` bytes are allocated.
    func reset(capacity wanted: Int) {
        count = 0
        if wanted > capacity {
            capacity = wanted
            base = realloc(base, capacity)!
        }
    }
}

/// Decoded-frame blocks given back by a reader, for its next frames. Holds at most `limit` blocks.
final class FrameBufferBin: Sendable {
    private let blocks = Mutex<[DecodedFrame]>([])
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// A recycled block with at least `capacity` bytes, or a new one.
    func take(capacity: Int) -> DecodedFrame {
        if let b = blocks.withLock({ $0.popLast() }) {
            b.reset(capacity: capacity)
            return b
        }
        return DecodedFrame(capacity: capacity)
    }

    /// Gives `block` back; the caller must not use it afterwards.
    func put(_ block: DecodedFrame) {
        blocks.withLock { if $0.count < limit { $0.append(block) } }
    }
}
