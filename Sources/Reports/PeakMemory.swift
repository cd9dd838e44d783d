import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of a child process (`ru_maxrss` from `wait4`, the figure `/usr/bin/time -v`
/// prints): the efficiency report's "peak memory of a predict", measured in a fresh process so
/// that nothing the report itself loaded counts. Linux carries the parent's high-water RSS across
/// `exec` into the child's `ru_maxrss`, so callers spawn while they are still small.
public enum PeakMemory {
    /// Runs `executable` with `arguments` (output discarded) and returns its peak RSS in bytes.
    /// Throws when it cannot start or exits with a failure.
    public static func of(executable: String, arguments: [String]) throws(ReportError) -> Int {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ReportError("\(executable): cannot start (\(String(cString: strerror(spawned))))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw ReportError("\(executable): wait failed (\(String(cString: strerror(errno))))") }
        }
        // Exited normally with status 0: WIFEXITED and WEXITSTATUS spelled out (macros are not imported).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ReportError("\(executable) \(arguments.joined(separator: " ")): failed (wait status \(status))")
        }
        return Int(usage.ru_maxrss) * 1024
    }
}
