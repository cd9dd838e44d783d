import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What to undo when the command is interrupted (SIGINT, SIGTERM, SIGHUP): ABC runs in their own
/// process groups (so a signal to qor alone would orphan them) and temporary directories.
///
/// ``install()`` replaces the default action of those signals: the handler kills every registered
/// process group, removes every registered directory, then dies of the same signal, so the caller
/// sees the usual status. SIGKILL cannot be caught; a rerun of `qor label` resumes after it.
public enum Interruption {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var groups: Set<pid_t> = []
    nonisolated(unsafe) private static var directories: Set<String> = []
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs the handlers once; later calls do nothing.
    public static func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { terminate(sig) }
            source.resume()
            sources.append(source)
        }
    }

    static func add(group pid: pid_t) { lock.withLock { _ = groups.insert(pid) } }
    static func remove(group pid: pid_t) { lock.withLock { _ = groups.remove(pid) } }
    public static func add(directory path: String) { lock.withLock { _ = directories.insert(path) } }
    public static func remove(directory path: String) { lock.withLock { _ = directories.remove(path) } }

    private static func terminate(_ sig: Int32) {
        lock.lock()
        for pid in groups { kill(-pid, SIGKILL) }
        for path in directories { try? FileManager.default.removeItem(atPath: path) }
        lock.unlock()
        // Die of the same signal (Dispatch threads block signals: unblock it here first).
        signal(sig, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, sig)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(sig)
        _exit(128 + sig)
    }
}
