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

    static func run(_ executable: String, _ arguments: [String], in directory: String, timeout: Double)
        throws(SynthesisError) -> Output
    {
        let outPath = directory + "/stdout"
        let errPath = directory + "/stderr"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        var timedOut = false
        let start = ContinuousClock.now
        do {
            guard FileManager.default.createFile(atPath: outPath, contents: nil),
                FileManager.default.createFile(atPath: errPath, contents: nil)
            else { throw SynthesisError.io("\(directory): cannot create output files") }
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            defer {
                try? out.close()
                try? err.close()
            }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = out
            process.standardError = err
            try process.run()
        } catch let error as SynthesisError {
            throw error
        } catch {
            throw .toolMissing("\(executable) (\(error.localizedDescription))")
        }
        if done.wait(timeout: .now() + max(0, timeout)) == .timedOut {
            // SIGKILL, not SIGTERM: a child started from a Dispatch thread inherits its blocked
            // signal mask, so SIGTERM may never arrive; ABC has nothing to clean up.
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        process.waitUntilExit()
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Output(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stdoutData: FileManager.default.contents(atPath: outPath) ?? Data(),
            stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
            seconds: seconds)
    }
}

/// Finding programs on `PATH`.
enum Executable {
    /// The path of `name` (searched on `PATH` unless it contains a `/`), if it is executable.
    static func find(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
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
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
