import Foundation

/// The Slurm client commands (`sbatch`, `squeue`, `scontrol`), run as subprocesses with the
/// caller's environment (so `SLURM_CONF` and the like reach them).
enum SlurmCommand {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `tool` and returns what it printed; a failing exit is an error unless `check` is false.
    static func run(_ tool: String, _ arguments: [String], check: Bool = true) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(of: tool))
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw ClusterError(.toolMissing, "\(tool): cannot run: \(error)")
        }
        let errData = ErrorData()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let result = Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: errData.text)
        if check, result.status != 0 {
            let why = result.stderr.split(separator: "\n").last.map(String.init) ?? "no message"
            throw ClusterError(.slurm, "\(tool) \(arguments.joined(separator: " ")): exit status \(result.status): \(why)")
        }
        return result
    }

    /// The full path of `tool` on PATH.
    static func path(of tool: String) throws -> String {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for dir in dirs where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") { return "\(dir)/\(tool)" }
        throw ClusterError(
            .toolMissing, "\(tool): not found on PATH: expected a Slurm client (scripts/slurm-local.sh starts a one-node cluster)")
    }

    private final class ErrorData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.withLock { data = d } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }
}
