#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Every temporary file of an `AtomicOutputFile` that is neither published nor aborted yet, process-wide.
///
/// A run that must end at once — a fatal error in one output while others are open, a broken pipe on
/// standard output, a signal that arrives while a thread is blocked reading a slow input — calls
/// `removeAllBeforeExit()` right before exiting, so that no `.<name>.tmp.…` file is left behind whatever
/// path the exit takes (README: "no output file is left behind"), also one another thread was about to
/// create.
public enum TemporaryOutputs {
    /// The process-wide registry.
    static let registry = Registry()

    /// What `Registry.create` did.
    enum Creation: Equatable {
        /// The file was created (this descriptor) and registered.
        case created(Int32)
        /// `create` returned -1 with this `errno`; nothing was registered.
        case failed(Int32)
        /// `Registry.removeAllBeforeExit()` has run: the process is ending, `create` was not called and
        /// no file exists.
        case processEnding
    }

    /// A set of temporary paths, and whether the process is ending. `TemporaryOutputs` keeps the
    /// process-wide one; tests make their own.
    final class Registry: Sendable {
        private struct State {
            var paths: Set<String> = []
            /// Set by `removeAllBeforeExit()`; never cleared.
            var ending = false
        }
        private let state = Mutex(State())

        /// Creates a temporary file with `create` (which returns a descriptor, or -1 with `errno` set) and
        /// registers it, both under the lock the removals take: a removal can never fall between the
        /// file's creation and its registration (that window left `.NAME.tmp.…` files behind). Once
        /// `removeAllBeforeExit()` has run, `create` is not called (`.processEnding`).
        func create(_ path: String, _ create: () -> Int32) -> Creation {
            state.withLock { state in
                if state.ending { return .processEnding }
                let fd = create()
                if fd < 0 { return .failed(errno) }
                state.paths.insert(path)
                return .created(fd)
            }
        }

        func unregister(_ path: String) {
            _ = state.withLock { $0.paths.remove(path) }
        }

        var current: Set<String> { state.withLock { $0.paths } }

        func removeAll() {
            state.withLock { state in
                for path in state.paths { unlink(path) }
                state.paths.removeAll()
            }
        }

        /// `removeAll()`, and every later `create` returns `.processEnding` without creating a file.
        func removeAllBeforeExit() {
            state.withLock { state in
                state.ending = true
                for path in state.paths { unlink(path) }
                state.paths.removeAll()
            }
        }
    }

    static func create(_ path: String, _ create: () -> Int32) -> Creation {
        registry.create(path, create)
    }

    static func unregister(_ path: String) {
        registry.unregister(path)
    }

    /// The temporary paths registered now (for tests and messages).
    public static var current: Set<String> { registry.current }

    /// Unlinks every registered temporary file and forgets it. The files' descriptors stay open; their
    /// targets are untouched. Outputs can still be created afterwards (`label` writes the run reports of an
    /// interrupted run after removing its outputs' temporaries).
    public static func removeAll() {
        registry.removeAll()
    }

    /// `removeAll()` for a process that exits right after (`_exit`, `exit`): from here on no temporary file
    /// is created. A thread that tries (`AtomicOutputFile.init`) waits for the exit instead
    /// (`waitForExit()`), so that it neither leaves a file nothing would remove nor fails with an error
    /// whose exit status would race the one the exiting thread chose. The exit must follow without the
    /// calling thread creating an output itself (it would wait forever).
    ///
    /// The window this closes: the signal watchdog used to remove the temporaries and then call `_exit`;
    /// a `summary` that created its temporary output between the two left it behind. ThreadSanitizer
    /// makes it wide (its `_exit` sleeps `atexit_sleep_ms`, 1 s, while the other threads run on;
    /// docs/FUZZING.md, "Sanitizers").
    public static func removeAllBeforeExit() {
        registry.removeAllBeforeExit()
    }

    /// Blocks the calling thread until the process exits (another thread called `removeAllBeforeExit()`
    /// and is exiting).
    static func waitForExit() -> Never {
        while true { pause() }
    }
}
