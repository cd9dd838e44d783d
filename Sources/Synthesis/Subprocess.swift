import Common
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program with a timeout; its output goes to files (not pipes), so that neither a chatty
/// child nor descriptors inherited by concurrently started children can block the caller.
enum Subprocess {
    struct Output {
        var status: Int32
        /// True if the program was killed by a signal (a crash, or our timeout).
        var signalled: Bool
        var timedOut: Bool
        var stdoutData: Data
        var stderr: String
        var seconds: Double

        var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments` (stdin from /dev/null, stdout and stderr to files in
    /// `directory`) and waits at most `timeout` seconds, then kills it with SIGKILL.
    ///
    /// ``Spawn`` (`posix_spawn`), not Foundation's `Process`: on Linux, `Process` costs tens of
    /// milliseconds per start, as much as a small ABC run.
    static func run(_ executable: String, _ arguments: [String], in directory: String, timeout: Double)
        throws(SynthesisError) -> Output
    {
        let outPath = directory + "/stdout"
        let errPath = directory + "/stderr"
        // A signal to this process must not orphan the child (in its own process group, so that
        // ``Interruption`` can kill ABC and whatever it starts).
        Interruption.install()
        let start = ContinuousClock.now
        let pid: pid_t
        switch Spawn.start([executable] + arguments, stdout: outPath, stderr: errPath, ownGroup: true) {
        case .success(let p): pid = p
        case .failure(let e): throw .toolMissing("\(executable) (\(e))")
        }
        Interruption.add(group: pid)
        defer { Interruption.remove(group: pid) }

        var status: Int32 = 0, timedOut = false
        var pause: useconds_t = 100
        // At most a year: a non-finite or huge timeout would trap in the conversion.
        let limit = timeout.isFinite ? min(max(0, timeout), 31_536_000) : 31_536_000
        let deadline = start + .milliseconds(Int64(limit * 1000))
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r == -1 && errno != EINTR { throw .io("waiting for \(executable): \(String(cString: strerror(errno)))") }
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                break
            }
            usleep(pause)
            pause = min(pause * 2, 2000)
        }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        // The wait status: low 7 bits the terminating signal (0: exited), bits 8-15 the exit code.
        let signal = status & 0x7f
        return Output(
            status: signal == 0 ? (status >> 8) & 0xff : signal, signalled: signal != 0,
            timedOut: timedOut, stdoutData: FileManager.default.contents(atPath: outPath) ?? Data(),
            stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
            seconds: seconds)
    }
}

/// A fresh directory under `$TMPDIR`, removed with everything in it when the value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws(SynthesisError) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qor-abc-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .io("\(url.path): cannot create a temporary directory: \(error.localizedDescription)")
        }
        path = url.path
        Interruption.add(directory: path)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
        Interruption.remove(directory: path)
    }
}
