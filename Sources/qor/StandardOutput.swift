#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    @preconcurrency import Darwin
#endif
import Foundation

/// Standard output fails like any file: a full disk (`> /dev/full`), a pipe whose reader has gone
/// or a closed descriptor must not end in exit 0 with the output lost. Every command prints
/// through C's `stdout` (Swift's `print` writes there), so this is the one place that checks it:
/// ``flush()`` before a command reports success, and a handler at exit for whatever was printed
/// outside a command (help, usage). A lost write is exit 74 with a message on standard error.
enum StandardOutput {
    /// Ignores SIGPIPE, so that a closed pipe is an error we report rather than a silent death, and
    /// installs the check at exit. Called once, first thing in `main`. (Subprocesses get default
    /// signal handlers back: see `Subprocess.run`.)
    static func install() {
        signal(SIGPIPE, SIG_IGN)
        atexit {
            guard let error = StandardOutput.check() else { return }
            FileHandle.standardError.write(Data("qor: error: \(error)\n".utf8))
            _exit(Sysexit.ioErr.rawValue)
        }
    }

    /// Flushes standard output; throws when anything written to it was lost.
    static func flush() throws(OutputError) {
        if let error = check() { throw error }
    }

    /// Reported once: the exit handler stays quiet after ``flush()`` has thrown.
    nonisolated(unsafe) private static var reported = false

    private static func check() -> OutputError? {
        guard !reported else { return nil }
        let flushed = fflush(cStandardOutput) == 0
        let code = errno
        guard !flushed || ferror(cStandardOutput) != 0 else { return nil }
        reported = true
        return OutputError(code: flushed ? 0 : code)
    }
}

/// C's `stdout`, which Swift's `print` writes to.
nonisolated(unsafe) private let cStandardOutput = stdout

/// Output written to standard output was lost (exit 74).
struct OutputError: Error, CustomStringConvertible {
    /// `errno` of the failed write; 0 when only the stream's error flag tells.
    var code: Int32

    var description: String {
        let reason = code == 0 ? "a write failed" : String(cString: strerror(code))
        return "standard output: cannot write (\(reason)): the output is lost"
    }
}
