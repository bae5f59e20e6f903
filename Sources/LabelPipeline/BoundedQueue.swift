import Dispatch
import Synchronization

/// A blocking FIFO between the reader thread and the workers. `push` never blocks (capacity is
/// enforced by the pipeline's in-flight semaphore); `pop` blocks until an item or the end arrives.
final class WorkQueue<Item: Sendable>: Sendable {
    private let items = Mutex<[Item?]>([])
    private let available = DispatchSemaphore(value: 0)

    func push(_ item: Item) {
        items.withLock { $0.append(item) }
        available.signal()
    }

    /// Wakes `consumers` poppers with nil: no more items.
    func close(consumers: Int) {
        items.withLock { q in for _ in 0..<consumers { q.append(nil) } }
        for _ in 0..<consumers { available.signal() }
    }

    /// The next item, or nil once the queue is closed and drained.
    func pop() -> Item? {
        available.wait()
        return items.withLock { $0.removeFirst() }
    }
}
