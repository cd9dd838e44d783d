import Foundation
import QoRModel

/// A peer benchmark process (a Python script) driven line by line: its standard output read as
/// lines, commands written to its standard input; one thread of math libraries when asked.
final class PeerProcess {
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private var buffer = Data()

    init(python: String, arguments: [String], threads: Int) throws {
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"] { environment[key] = "\(threads)" }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
    }

    /// The next line of output ("" at its end).
    func line() -> String {
        let handle = output.fileHandleForReading
        while true {
            if let i = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<i], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...i)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return "" }
            buffer.append(chunk)
        }
    }

    func send(_ command: String) { input.fileHandleForWriting.write(Data((command + "\n").utf8)) }

    /// Ends its input and waits for it.
    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
