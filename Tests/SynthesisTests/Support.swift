@_exported import TestSupport
import Foundation
import Netlist

/// Runs a program and returns its standard output (standard error is discarded).
func runProgram(_ executable: String, _ arguments: [String], cwd: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: cwd)
    let out = cwd + "/hand-run.out"
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardOutput = handle
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return try String(contentsOfFile: out, encoding: .utf8)
}

/// What a hand-run of ABC printed, read with the test's own regular expressions.
struct HandRun {
    var text: String

    /// Runs `berkeley-abc -c "<commands>"` in a fresh directory.
    init(_ commands: String) throws {
        let raw = try runProgram(Tools.abc, ["-c", commands], cwd: try temporaryDirectory())
        text = raw.replacing(try Regex(#"\x1B\[[0-9;]*m"#), with: "")
    }

    /// The captures of the `index`-th match of `pattern` (negative: from the end) as numbers.
    func numbers(_ pattern: String, match index: Int = 0) throws -> [Double] {
        let matches = text.matches(of: try Regex(pattern))
        guard !matches.isEmpty else { return [] }
        let m = matches[index >= 0 ? index : matches.count + index]
        return (1..<m.output.count).compactMap { i in m.output[i].substring.flatMap { Double($0) } }
    }

    /// `and = N  lev = L` of the first print_stats.
    func aig() throws -> [Double] { try numbers(#"and\s*=\s*(\d+)\s+lev\s*=\s*(\d+)"#) }
}

/// A small 4-bit adder with a comparator, built redundantly so that optimisation has work to do.
func tinyAdderAig() -> Aig {
    var b = AigBuilder()
    let x = (0..<4).map { b.addInput(name: "x\($0)") }
    let y = (0..<4).map { b.addInput(name: "y\($0)") }
    var carry = Literal.constantFalse
    var sums: [Literal] = []
    for i in 0..<4 {
        let p = b.xor(x[i], y[i])
        sums.append(b.xor(p, carry))
        // carry = x&y | x&c | y&c, spelled as three terms rather than the majority's cheaper form
        carry = b.or(all: [b.and(x[i], y[i]), b.and(x[i], carry), b.and(y[i], carry)])
    }
    for (i, s) in sums.enumerated() { b.addOutput(s, name: "s\(i)") }
    b.addOutput(carry, name: "cout")
    // x > y, most significant bit first
    var greater = Literal.constantFalse
    var equal = Literal.constantTrue
    for i in (0..<4).reversed() {
        greater = b.or(greater, b.and(equal, b.and(x[i], !y[i])))
        equal = b.and(equal, !b.xor(x[i], y[i]))
    }
    b.addOutput(greater, name: "gt")
    return b.finish()
}

/// Writes the tiny adder as a binary AIGER file and returns its path.
func writeTinyAdder() throws -> String {
    let path = try temporaryDirectory() + "/tiny_adder.aig"
    try Data(AigerWriter.binary(tinyAdderAig())).write(to: URL(fileURLWithPath: path))
    return path
}
