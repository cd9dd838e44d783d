import ArgumentParser
import Foundation
import Netlist

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed; prints JSON",
        discussion: """
            Benchmarks are not tests: each subcommand times real work (often against ABC) and prints the \
            numbers.

            Example:
              qor bench parse ../shared/designs/epfl/arithmetic/hyp.aig --json
            """,
        subcommands: [BenchParse.self, BenchLabel.self, BenchImport.self, BenchTensor.self, BenchPredict.self, BenchSearch.self, BenchMemory.self, BenchNM.self]
    )
}

/// Wall-clock timing of whole processes, for the `bench` subcommands.
enum ProcessTimer {
    /// The running `qor` executable.
    static var currentExecutable: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        if let path = Bundle.main.executablePath { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    /// The full path of `name` on PATH, or a `toolMissing` error.
    static func tool(_ name: String) throws(NetlistError) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NetlistError(.toolMissing, file: name, "not found on PATH: expected it installed (scripts/setup.sh installs it)")
    }

    /// Runs the process once and returns its standard output and error; a failure exit is an error.
    static func output(_ executable: String, _ arguments: [String]) throws -> String {
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
    static func medianSeconds(_ executable: String, _ arguments: [String], runs: Int) throws -> Double {
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
}
