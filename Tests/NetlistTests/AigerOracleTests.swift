import Foundation
import Testing
@testable import Netlist

// Oracle: berkeley-abc. Our reader must give ABC's `print_stats` numbers on every binary AIGER
// file we have, and what we write must read back the same and be `cec`-equivalent to the source.

private let packageRoot = URL(fileURLWithPath: repositoryRoot)

/// Every `.aig` under `dir`, sorted; empty when `dir` is absent.
private func aigFiles(under dir: URL) -> [String] {
    guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
    return walker.compactMap { ($0 as? URL)?.path }.filter { $0.hasSuffix(".aig") }.sorted()
}

/// `.aig` files of `../shared/designs` (absent on machines without the shared data).
private let sharedAigs = aigFiles(under: packageRoot.deletingLastPathComponent().appendingPathComponent("shared/designs"))
/// `.aig` files of the project's own `designs/` (may be empty).
private let ownAigs = aigFiles(under: packageRoot.appendingPathComponent("designs"))

private struct Counts: Equatable, CustomStringConvertible {
    var inputs, outputs, latches, ands, levels: Int
    var description: String { "i/o = \(inputs)/\(outputs) lat = \(latches) and = \(ands) lev = \(levels)" }

    init(inputs: Int, outputs: Int, latches: Int, ands: Int, levels: Int) {
        (self.inputs, self.outputs, self.latches, self.ands, self.levels) = (inputs, outputs, latches, ands, levels)
    }

    init(_ aig: Aig) {
        self.init(inputs: aig.inputCount, outputs: aig.outputs.count, latches: aig.latchCount, ands: aig.andCount, levels: aig.depth)
    }
}

/// Runs `berkeley-abc -c command` and returns its output without ANSI escape codes.
private func abc(_ command: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Tools.abc)
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).replacing(/\u{1B}\[[0-9;]*m/, with: "")
}

/// ABC's `print_stats` line: `i/o = a/b  lat = c  and = d  lev = e`.
private func abcCounts(_ path: String) throws -> Counts? {
    let text = try abc("read \(path); print_stats")
    guard let m = text.firstMatch(of: /i\/o\s*=\s*(\d+)\/\s*(\d+)\s+lat\s*=\s*(\d+)\s+and\s*=\s*(\d+)\s+lev\s*=\s*(\d+)/) else {
        return nil
    }
    return Counts(inputs: Int(m.1) ?? -1, outputs: Int(m.2) ?? -1, latches: Int(m.3) ?? -1, ands: Int(m.4) ?? -1, levels: Int(m.5) ?? -1)
}

/// The whole check for one file: stats against ABC, round trips through both AIGER flavours,
/// and ABC's `cec` between the source and what we wrote.
private func checkAgainstABC(_ path: String) throws {
    let aig = try DesignReader.read(path: path)
    let expected = try #require(try abcCounts(path), "ABC printed no stats for \(path)")
    #expect(Counts(aig) == expected, "\(path)")

    let dir = URL(fileURLWithPath: try temporaryDirectory())
    defer { try? FileManager.default.removeItem(at: dir) }
    let binaryPath = dir.appendingPathComponent("written.aig").path
    let asciiPath = dir.appendingPathComponent("written.aag").path
    let viaAsciiPath = dir.appendingPathComponent("via-aag.aig").path
    try DesignWriter.write(aig, to: binaryPath)
    try DesignWriter.write(aig, to: asciiPath)

    let fromBinary = try DesignReader.read(path: binaryPath)
    let fromAscii = try DesignReader.read(path: asciiPath)
    #expect(Counts(fromBinary) == expected, "\(path) via .aig")
    #expect(Counts(fromAscii) == expected, "\(path) via .aag")
    #expect(fromBinary == aig, "\(path): the .aig we wrote reads back to a different AIG")
    #expect(fromAscii == aig, "\(path): the .aag we wrote reads back to a different AIG")
    // This ABC cannot read .aag: the ASCII file goes back to ABC through our reader and binary writer.
    try FileIO.writeAtomically(AigerWriter.binary(fromAscii), to: viaAsciiPath)

    let text = try abc("cec \(path) \(binaryPath); cec \(path) \(viaAsciiPath)")
    let verdicts = text.split(separator: "\n").filter { $0.contains("Networks are") }
    #expect(verdicts.count == 2, "\(path): \(text)")
    for verdict in verdicts {
        #expect(verdict.contains("Networks are equivalent"), "\(path): \(verdict)")
    }
}

@Test(.enabled(if: !sharedAigs.isEmpty, "../shared/designs is absent"), arguments: sharedAigs)
func sharedAigerFilesMatchABC(path: String) throws {
    try checkAgainstABC(path)
}

@Test(.enabled(if: !ownAigs.isEmpty, "designs/ holds no .aig yet"), arguments: ownAigs)
func ownAigerFilesMatchABC(path: String) throws {
    try checkAgainstABC(path)
}
