import Synchronization

/// How far a long run is, for the progress line (`afscan … --progress`): counters the pipeline bumps
/// with relaxed atomic adds (per 1 MiB chunk and per batch of records, never a lock) and a timer thread
/// reads.
///
/// `bytes` counts what the ETA divides: input bytes as stored on disk (compressed bytes for a zstd
/// input, so the ETA compares with the files' sizes) for `label`, `eval`, `train` and `bench`, and
/// uncompressed bytes written for `generate` (its `--size` target). `records` counts records done.
public final class ProgressCounters: Sendable {
    private let byteCount = Atomic<Int64>(0)
    private let recordCount = Atomic<Int64>(0)

    public init() {}

    /// Adds `bytes` bytes and `records` records done.
    public func add(bytes: Int64 = 0, records: Int = 0) {
        if bytes != 0 { byteCount.add(bytes, ordering: .relaxed) }
        if records != 0 { recordCount.add(Int64(records), ordering: .relaxed) }
    }

    /// Bytes done so far (see the type's documentation for which bytes).
    public var bytes: Int64 { byteCount.load(ordering: .relaxed) }

    /// Records done so far.
    public var records: Int64 { recordCount.load(ordering: .relaxed) }
}
