import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starting a child process the one way qor does: `posix_spawn` with stdin from /dev/null, stdout
/// and stderr to files (not pipes: descriptors a child hands to daemons or to concurrently started
/// children cannot block the caller), an empty signal mask and default handlers (a child started
/// from a Dispatch thread would otherwise inherit blocked signals). Reaping is the caller's:
/// `waitpid`, not Foundation's `Process`.
public enum Spawn {
    /// The child's pid, or the `posix_spawn` error number. `environment` nil: this process's.
    /// `ownGroup`: the child leads a new process group (so that all it starts can be killed at once).
    public static func start(_ argv: [String], stdout: String, stderr: String, environment: [String]? = nil,
                             ownGroup: Bool = false) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigfillset(&signals)
        sigdelset(&signals, SIGKILL)
        sigdelset(&signals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let args: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let env: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer { for a in args + (env ?? []) { free(a) } }
        var pid: pid_t = 0
        let code = env.map { e in posix_spawn(&pid, argv[0], &actions, &attributes, args, e) }
            ?? posix_spawn(&pid, argv[0], &actions, &attributes, args, environ)
        return code == 0 ? .success(pid) : .failure(SpawnError(code: code))
    }
}

/// A `posix_spawn` failure: its error number and text.
public struct SpawnError: Error, CustomStringConvertible {
    public let code: Int32
    public var description: String { String(cString: strerror(code)) }
}
