import Common
import Foundation
import Netlist

/// Wall-clock timing of whole processes, for the benchmarks that time a command as a user runs it.
public enum ProcessTimer {
    /// The full path of `name` on PATH, or a `toolMissing` error.
    public static func tool(_ name: String) throws(NetlistError) -> String {
        guard let path = Executable.find(name) else {
            throw NetlistError(.toolMissing, file: name, "not found on PATH: expected it installed (scripts/setup.sh installs it)")
        }
        return path
    }

    /// Runs the process once and returns its standard output and error; a failure exit is an error.
    public static func output(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw NetlistError(
                .badInput, file: executable,
                "exited with status \(process.terminationStatus): \(text.split(separator: "\n").last ?? "")")
        }
        return text
    }

    /// Median wall time in seconds of `runs` runs, output discarded.
    public static func medianSeconds(_ executable: String, _ arguments: [String], runs: Int) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            try process.run()
            process.waitUntilExit()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            guard process.terminationStatus == 0 else {
                throw NetlistError(.badInput, file: executable, "exited with status \(process.terminationStatus) while timed")
            }
        }
        times.sort()
        let mid = times.count / 2
        return times.count % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2
    }

    /// Seconds elapsed since `start` (a `DispatchTime` reading in nanoseconds).
    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
