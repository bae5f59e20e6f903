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
/// `removeAll()` before exiting, so that no `.<name>.tmp.…` file is left behind whatever path the
/// exit takes (README: "no output file is left behind").
public enum TemporaryOutputs {
    /// The registered paths.
    private static let paths = Mutex<Set<String>>([])

    /// Creates a temporary file with `create` (which returns a descriptor, or -1 with `errno` set) and
    /// registers it, both under the lock `removeAll` takes: a signal's `removeAll` can never fall between
    /// the file's creation and its registration (that window left `.NAME.tmp.…` files behind).
    static func create(_ path: String, _ create: () -> Int32) -> Int32 {
        paths.withLock { set in
            let fd = create()
            if fd >= 0 { set.insert(path) }
            return fd
        }
    }

    static func unregister(_ path: String) {
        _ = paths.withLock { $0.remove(path) }
    }

    /// The temporary paths registered now (for tests and messages).
    public static var current: Set<String> { paths.withLock { $0 } }

    /// Unlinks every registered temporary file and forgets it. The files' descriptors stay open (the
    /// process is about to exit); their targets are untouched.
    public static func removeAll() {
        paths.withLock { set in
            for path in set { unlink(path) }
            set.removeAll()
        }
    }
}
