import Dispatch
import Foundation
import Synchronization

/// A fixed set of decoder threads, shared by every `FrameParallelReader` of a run. Each thread owns one
/// `ZstdFrameDecoder` and runs submitted jobs in FIFO order; jobs never block, so a reader waiting for
/// its frame always sees it decoded eventually, whatever other readers queued before it.
///
/// Memory: one decoder (128 KiB plus the largest window met) per thread; what jobs keep is the jobs'
/// business (`FrameParallelReader` bounds it by its lookahead).
public final class FrameDecodePool: Sendable {
    public typealias Job = @Sendable (ZstdFrameDecoder) -> Void

    /// Decoder threads.
    public let threadCount: Int
    /// `--max-window-log` of the pool's decoders.
    public let maxWindowLog: Int
    private let jobs = Mutex<(queue: [Job], head: Int, closed: Bool)>(([], 0, false))
    private let available = DispatchSemaphore(value: 0)
    private let exited = DispatchGroup()

    /// Starts `threads` (at least 1) decoder threads.
    /// - Parameter maxWindowLog: `--max-window-log` for every decoder.
    public init(threads: Int, maxWindowLog: Int) {
        threadCount = max(1, threads)
        self.maxWindowLog = maxWindowLog
        for _ in 0..<threadCount {
            exited.enter()
            let t = Thread { [self] in
                let decoder = ZstdFrameDecoder(maxWindowLog: maxWindowLog)
                while let job = take() { job(decoder) }
                exited.leave()
            }
            t.name = "afscan-decode"
            t.start()
        }
    }

    /// Queues `job` to run on one decoder thread. After `shutdown` the job is dropped.
    public func submit(_ job: @escaping Job) {
        let accepted = jobs.withLock { s -> Bool in
            guard !s.closed else { return false }
            s.queue.append(job)
            return true
        }
        if accepted { available.signal() }
    }

    /// Runs the jobs already queued, then stops the threads and waits for them.
    public func shutdown() {
        let first = jobs.withLock { s -> Bool in
            defer { s.closed = true }
            return !s.closed
        }
        guard first else { return }
        for _ in 0..<threadCount { available.signal() }
        exited.wait()
    }

    /// The next job, or nil once the pool is shut down and drained.
    private func take() -> Job? {
        while true {
            available.wait()
            let next = jobs.withLock { s -> (Job?, Bool) in
                if s.head < s.queue.count {
                    let j = s.queue[s.head]
                    s.head += 1
                    if s.head > 1024 && s.head * 2 > s.queue.count {
                        s.queue.removeFirst(s.head)
                        s.head = 0
                    }
                    return (j, false)
                }
                return (nil, s.closed)
            }
            if let job = next.0 { return job }
            if next.1 { return nil }
        }
    }
}
