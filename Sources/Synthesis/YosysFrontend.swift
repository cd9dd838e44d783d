import Common
import Foundation
import Netlist

/// Turns Verilog (RTL included) into an AIG with yosys:
/// `read_verilog; synth -flatten -top T; async2sync; dffunmap; aigmap; write_aiger -zinit`,
/// run in a temporary directory, then read back with the AIGER reader. Readers get it through
/// `ReadOptions(rtl: YosysFrontend())`.
public struct YosysFrontend: RTLFrontend {
    public init() {}

    public func read(_ bytes: [UInt8], file: String, top: String?) throws(NetlistError) -> Aig {
        guard let yosys = Executable.find("yosys") else {
            throw NetlistError(.toolMissing, file: file, "yosys is needed to read this Verilog but was not found on PATH: expected it installed (apt-get install yosys)")
        }
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("qor-yosys-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw NetlistError(.io, file: file, "cannot create a temporary directory for yosys: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: dir) }
        let isSystemVerilog = (file as NSString).pathExtension.lowercased() == "sv"
        let input = dir.appendingPathComponent(isSystemVerilog ? "input.sv" : "input.v").path
        let output = dir.appendingPathComponent("out.aig").path
        let log = dir.appendingPathComponent("yosys.log").path
        try FileIO.writeAtomically(bytes, to: input)

        let includeDir = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let topOption = top.map { "-top \(quoted($0))" } ?? "-auto-top"
        let script = [
            "read_verilog \(isSystemVerilog ? "-sv " : "")-I \(quoted(includeDir)) \(quoted(input))",
            "synth -flatten \(topOption)", "async2sync", "dffunmap", "aigmap",
            "write_aiger -zinit -symbols \(quoted(output))",
        ].joined(separator: "; ")

        let status: Int32
        do {
            _ = fm.createFile(atPath: log, contents: nil)
            let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            defer { try? logHandle.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: yosys)
            process.arguments = ["-q", "-p", script]
            process.currentDirectoryURL = dir
            process.standardOutput = logHandle
            process.standardError = logHandle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            status = process.terminationStatus
        } catch {
            throw NetlistError(.io, file: file, "cannot run yosys: \(error.localizedDescription)")
        }
        guard status == 0, let aig = fm.contents(atPath: output) else {
            let text = (fm.contents(atPath: log).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .replacingOccurrences(of: input, with: file)
            throw failure(text, file: file, status: status)
        }
        var result = try AigerReader.read([UInt8](aig), file: file)
        // yosys names the register behind an output port like the port; ABC rejects such an AIG.
        let ports = Set(result.inputNames + result.outputNames)
        result.latchNames = result.latchNames.map { ports.contains($0) ? "" : $0 }
        return result
    }

    private func quoted(_ s: String) -> String { "\"\(s)\"" }

    /// yosys's first `ERROR:` line, with the line number when it names one (`FILE:12: ERROR: ...`).
    private func failure(_ log: String, file: String, status: Int32) -> NetlistError {
        let lines = log.split(whereSeparator: \.isNewline).map(String.init)
        guard let errorLine = lines.first(where: { $0.contains("ERROR:") }) else {
            let tail = lines.suffix(3).joined(separator: " | ")
            return NetlistError(file: file, "yosys failed (status \(status)): \(tail.isEmpty ? "no output" : tail)")
        }
        let parts = errorLine.components(separatedBy: "ERROR:")
        let message = parts.dropFirst().joined(separator: "ERROR:").trimmingCharacters(in: .whitespaces)
        let before = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: " :"))
        if let colon = before.lastIndex(of: ":"), let n = Int(before[before.index(after: colon)...]) {
            return NetlistError(file: file, at: .line(n), "yosys: \(message)")
        }
        return NetlistError(file: file, "yosys: \(message)")
    }
}
