import Foundation
import Testing
@testable import Netlist

/// Issue 11, items 8, 17 and 18: sizes that allocate before reading, BENCH LUT tables and gate
/// decomposition as ABC reads them, and one rule for designs without outputs.
@Suite struct HostileDesignTests {
    static let abc = FileManager.default.isExecutableFile(atPath: Tools.abc)

    func read(_ text: String, _ file: String) throws(NetlistError) -> Aig {
        try DesignReader.read(bytes: Array(text.utf8), file: file, options: ReadOptions(frontend: .builtin))
    }

    func expectError(_ text: String, _ file: String, line: Int, _ message: String) {
        do {
            let aig = try read(text, file)
            Issue.record("\(file) was read (\(aig.inputCount) inputs, \(aig.andCount) ANDs): expected \(message)")
        } catch {
            #expect(error.kind == .badInput, "\(error)")
            #expect(error.location == .line(line), "\(error)")
            #expect(error.description.contains(file), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    // MARK: 8

    /// A 72-byte file asked for 10^8 inputs (8 GB and more); past 2^20 bits a vector is refused.
    @Test func hugeVectorIsRefusedWithItsLine() {
        expectError("module m(a, y);\ninput [99999999:0] a;\noutput y;\nassign y = a[0];\nendmodule\n", "big.v", line: 2,
                    "expected at most 1048576 bits")
        expectError("module m(a, y);\ninput a;\noutput [0:2000000] y;\nassign y = a;\nendmodule\n", "big2.v", line: 3,
                    "expected at most 1048576 bits")
    }

    /// Nested replications multiply (2^20 x 2^20 overflowed into a trap or ran out of memory).
    @Test func nestedReplicationIsRefused() {
        expectError("module m(a, y);\ninput a;\noutput y;\nwire [3:0] w;\nassign w = {1048576{{1048576{a}}}};\nassign y = w[0];\nendmodule\n",
                    "rep.v", line: 5, "expected at most 1048576")
    }

    /// Many wide vectors add up: the design as a whole is capped at 2^22 signal bits.
    @Test func manyWideVectorsAreRefused() {
        let wires = (0..<5).map { "wire [1048575:0] w\($0);" }.joined(separator: "\n")
        expectError("module m(a, y);\ninput a;\noutput y;\n\(wires)\nassign y = a;\nendmodule\n", "wide.v", line: 7,
                    "past 4194304 signal bits")
    }

    /// Found by `scripts/fuzz.sh`: an undriven output declared on a line whose number exceeded the
    /// count of graph nodes trapped (the line, kept beside the net, was read as an operand).
    @Test func undrivenOutputOnALateLineIsAnError() {
        let text = "module m(a, y);\ninput a;\n" + String(repeating: "\n", count: 60) + "output y;\nendmodule\n"
        expectError(text, "late.v", line: 63, "signal 'y' is never driven")
    }

    // MARK: 17: empty designs, one rule

    /// A design with neither outputs nor latches is refused by every reader, with the same words.
    @Test(arguments: [
        ("empty.v", "module m(a);\ninput a;\nendmodule\n", 1),
        ("empty2.v", "module m;\nendmodule\n", 1),
        ("empty.blif", ".model m\n.inputs a\n.end\n", 3),
        ("empty.bench", "INPUT(a)\n", 1),
        ("empty.aag", "aag 1 1 0 0 0\n2\n", 1),
    ])
    func designWithoutOutputsIsRefusedByEveryReader(file: String, text: String, line: Int) {
        expectError(text, file, line: line, "expected at least one output (or latch)")
    }

    // MARK: 17: LUT tables as ABC reads them

    /// `LUT 0x1F (a, b)` was read as constant 1 (the low digit); ABC reads the first 2^k/4 digits
    /// (`0x1`, a NOR). Shorter tables get zeros in front. `cec` against ABC's reading is the oracle.
    @Test(.enabled(if: abc), arguments: ["0x1F", "0xF1", "0x81", "0x0E", "0x2", "0x9", "0x6", "0x7", "0x8e", "0x1", "0x96FF", "0xA"])
    func lutTableIsReadAsABCReadsIt(table: String) throws {
        let inputs = table == "0x8e" || table == "0x96FF" ? ["a", "b", "c"] : ["a", "b"]
        let text = inputs.map { "INPUT(\($0))\n" }.joined() + "OUTPUT(y)\nOUTPUT(z)\ny = LUT \(table) (\(inputs.joined(separator: ", ")))\nz = AND(a, b)\n"
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/lut.bench", atomically: true, encoding: .utf8)
        let aig = try read(text, "lut.bench")
        try Data(AigerWriter.binary(aig)).write(to: URL(fileURLWithPath: dir + "/ours.aig"))
        let check = try #require(try OracleFiles.abcCheck(dir + "/lut.bench", against: dir + "/ours.aig", byOrder: false))
        #expect(check.equivalent, "\(table): \(check.output)")
        // Two-input LUTs are built as ABC builds them; wider ones are only equivalent (ABC factors
        // its covers there, we expand; see BenchReader.lut).
        if inputs.count == 2 { #expect(aig.andCount == check.ands, "\(table): ours \(aig.andCount) ANDs, ABC \(check.ands)") }
    }

    @Test func oneInputLutOutsideABCsTablesIsRefused() {
        expectError("INPUT(a)\nOUTPUT(y)\ny = LUT 0x3 (a)\n", "one.bench", line: 3, "expected 0x0, 0x1 (NOT) or 0x2 (BUF)")
    }

    // MARK: 18: stats as ABC's print_stats

    static let benchFiles: [String] = OracleFiles.all.filter { $0.hasSuffix(".bench") }

    /// Every BENCH file of `designs/` and `../shared/designs` reads into as many ANDs and levels
    /// as ABC's `read; strash; print_stats` prints: wide gates are chains in fan-in order (not
    /// balanced trees: c432 had 26 levels against ABC's 42) and 2-input LUTs are ABC's covers
    /// (mult_4 had 211 ANDs against 204).
    @Test(.enabled(if: abc), arguments: benchFiles)
    func benchStatsMatchABC(path: String) throws {
        let aig = try DesignReader.read(path: path)
        let r = try OracleFiles.run(Tools.abc, ["-c", "read \(path); strash; print_stats"])
        let line = try #require(r.output.split(separator: "\n").first { $0.contains("and =") }.map(String.init))
        func number(_ key: String) -> Int? {
            guard let range = line.range(of: key) else { return nil }
            return Int(line[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber })
        }
        #expect(aig.andCount == number("and ="), "\(path): ours \(aig.andCount), ABC: \(line)")
        #expect(aig.depth == number("lev ="), "\(path): ours \(aig.depth) levels, ABC: \(line)")
    }
}
