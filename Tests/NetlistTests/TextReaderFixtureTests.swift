import Common
import Foundation
import Synthesis
import Testing
@testable import Netlist

/// Small hand-written BENCH, BLIF and Verilog designs whose truth tables are known; the AIG is
/// simulated on every input assignment and compared with the function computed here.
@Suite struct TextReaderFixtureTests {
    // MARK: BENCH

    @Test func benchGatesInAnyOrder() throws {
        let aig = try read("""
            # gates out of order, a 3-input XOR, constants, an output that is an input
            INPUT(a)
            INPUT(b)
            INPUT(c)
            OUTPUT(x)
            OUTPUT(n)
            OUTPUT(a)
            OUTPUT(k)
            OUTPUT(z)
            x = XOR(a, b, c)
            n = NAND(t, c)   # t comes later
            t = OR(a, b)
            k = XNOR(a, nb)
            nb = NOT(b)
            one = vdd
            zero = gnd
            z = OR(zero, w)
            w = AND(one, c2)
            c2 = BUFF(c)
            """, "t.bench")
        #expect(aig.outputNames == ["x", "n", "a", "k", "z"])
        try expectTable(aig, inputs: 3) { v in
            let (a, b, c) = (v[0], v[1], v[2])
            return [(a != b) != c, !((a || b) && c), a, a != b, c]
        }
    }

    @Test func benchConstantsAndWideGates() throws {
        let aig = try read("""
            INPUT(a)
            INPUT(b)
            INPUT(c)
            INPUT(d)
            OUTPUT(o1)
            OUTPUT(o2)
            OUTPUT(o3)
            o1 = NOR(a, b, c, d)
            o2 = XNOR(a, b, c, d)
            one = VDD
            o3 = AND(a, one, BUF1)
            BUF1 = BUF(d)
            """, "w.bench")
        try expectTable(aig, inputs: 4) { v in
            [!(v[0] || v[1] || v[2] || v[3]), !(((v[0] != v[1]) != v[2]) != v[3]), v[0] && v[3]]
        }
    }

    @Test func benchDffIsALatchWithInitZero() throws {
        let aig = try read("""
            INPUT(d)
            OUTPUT(q)
            q = DFF(n)
            n = NOT(d)
            """, "s.bench")
        #expect(aig.latchCount == 1)
        #expect(aig.latchInit == [.zero])
        #expect(aig.latchNames == ["q"])
        // Combinational view: inputs (d, q), outputs (q, next q = !d).
        try expectTable(aig, inputs: 2) { v in [v[1], !v[0]] }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Tools.abc)))
    func benchLutMatchesABC() throws {
        // Truth-table bit order (first input least significant) is ABC's: ABC is the oracle.
        let text = """
            INPUT(a)
            INPUT(b)
            INPUT(c)
            OUTPUT(y)
            OUTPUT(z)
            y = LUT 0x8e (a, b, c)
            z = LUT 0x2 (a, b)
            """
        let aig = try read(text, "lut.bench")
        try expectTable(aig, inputs: 3) { v in
            let m = (v[0] ? 1 : 0) | (v[1] ? 2 : 0) | (v[2] ? 4 : 0)
            return [0x8e >> m & 1 == 1, 0x2 >> (m & 3) & 1 == 1]
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/lut.bench", atomically: true, encoding: .utf8)
        try Data(AigerWriter.binary(aig)).write(to: URL(fileURLWithPath: dir + "/ours.aig"))
        let cec = try OracleFiles.run(Tools.abc, ["-c", "cec \(dir)/ours.aig \(dir)/lut.bench"])
        #expect(cec.output.contains("Networks are equivalent"), "\(cec.output)")
    }

    /// Latches through a loop (legal: the DFF cuts it), checked against ABC's reading with `cec`,
    /// which matches latches by name.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Tools.abc)),
          arguments: [
            ("counter.bench", """
                INPUT(en)
                OUTPUT(q0)
                OUTPUT(q1)
                OUTPUT(carry)
                q0 = DFF(n0)
                q1 = DFF(n1)
                n0 = XOR(q0, en)
                carry = AND(q0, en)
                n1 = XOR(q1, carry)
                """),
            ("counter.blif", """
                .model counter
                .inputs en
                .outputs q0 q1 carry
                .latch n0 q0 re clk 0
                .latch n1 q1 re clk 0
                .names q0 en n0
                10 1
                01 1
                .names q0 en carry
                11 1
                .names q1 carry n1
                00 0
                11 0
                .end
                """),
          ])
    func sequentialMatchesABC(file: String, text: String) throws {
        let aig = try read(text, file)
        #expect(aig.latchCount == 2)
        #expect(aig.latchInit == [.zero, .zero])
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
        try Data(AigerWriter.binary(aig)).write(to: URL(fileURLWithPath: dir + "/ours.aig"))
        let cec = try OracleFiles.run(Tools.abc, ["-c", "cec \(dir)/ours.aig \(dir)/\(file)"])
        #expect(cec.output.contains("Networks are equivalent"), "\(cec.output)")
    }

    // MARK: BLIF

    @Test func blifCovers() throws {
        let aig = try read("""
            # off-set cover, don't cares, constants, a continued line, a latch
            .model first
            .inputs a b \\
               c
            .outputs y on k0 k1 q
            .names a b c y
            11- 0
            --1 0
            .names a b c on
            1-0 1
            -11 1
            .names k0
            .names k1
            1
            .latch on q 1
            .end
            .model second
            .inputs z
            .outputs w
            .names z w
            1 1
            .end
            """, "t.blif")
        #expect(aig.inputNames == ["a", "b", "c"])
        #expect(aig.outputNames == ["y", "on", "k0", "k1", "q"])
        #expect(aig.latchInit == [.one])
        try expectTable(aig, inputs: 4) { v in
            let (a, b, c, q) = (v[0], v[1], v[2], v[3])
            let on = (a && !c) || (b && c)
            return [!((a && b) || c), on, false, true, q, on]
        }
    }

    @Test func blifErrors() {
        expectError(".model m\n.inputs a\n.outputs y\n.names a y\n1 1\n0 0\n.end\n", "m.blif", line: 6, "expected every row")
        expectError(".model m\n.inputs a\n.outputs y\n.subckt sub x=a y=y\n.end\n", "h.blif", line: 4, "hierarchical")
        expectError(".model m\n.inputs a\n.outputs y\n.names a b y\n11 1\n.end\n", "u.blif", line: 4, "undefined signal 'b'")
        expectError(".model m\n.inputs a\n.outputs y\n.names a y\n111 1\n.end\n", "r.blif", line: 5, "expected 1")
        expectError(".model m\n.inputs a\n.outputs y\n.names a t y\n11 1\n.names y t\n1 1\n.end\n", "l.blif", line: 4, "combinational loop")
        expectError(".model m\n.inputs a\n.outputs y\n.names a y\n1 1\n.names a y\n0 1\n.end\n", "d.blif", line: 6, "defined twice (first at line 4)")
    }

    // MARK: Verilog

    @Test func verilogTernaryPartSelectConcatenation() throws {
        let aig = try read("""
            module top(input [3:0] a, input [3:0] b, input s, input [0:2] c, output [1:0] y, output [0:3] r, output z);
              assign y = s ? a[3:2] : b[1:0];
              assign r = {a[0], b[3:1]} ^ {2'b00, c[0:1]};
              assign z = ^a ~^ &b;
            endmodule
            """, "t.v")
        #expect(aig.inputNames == ["a[0]", "a[1]", "a[2]", "a[3]", "b[0]", "b[1]", "b[2]", "b[3]", "s", "c[2]", "c[1]", "c[0]"])
        #expect(aig.outputNames == ["y[0]", "y[1]", "r[3]", "r[2]", "r[1]", "r[0]", "z"])
        try expectTable(aig, inputs: 12) { v in
            let a = Array(v[0..<4]), b = Array(v[4..<8]), s = v[8]
            let c = [v[11], v[10], v[9]]  // c[0], c[1], c[2]; c[2] is the least significant bit
            let y = s ? [a[2], a[3]] : [b[0], b[1]]
            // {a[0], b[3:1]} ^ {00, c[0], c[1]}, least significant first
            let r = [b[1] != c[1], b[2] != c[0], b[3], a[0]]
            let z = (a.filter { $0 }.count % 2 == 1) == b.allSatisfy { $0 }
            return y + r + [z]
        }
    }

    @Test func verilogWidthsAndConstants() throws {
        let aig = try read("""
            module w(a, y, k, l);
              input [1:0] a;
              output [3:0] y;
              output [7:0] k;
              output l;
              wire [3:0] y;
              assign y = ~a;                 // a is widened to 4 bits before ~
              assign k = {8'hf0} | {2{a}} ^ 0;
              assign l = (a[0] && !a[1]) || ~|a;
            endmodule
            """, "w.v")
        try expectTable(aig, inputs: 2) { v in
            let a = (v[0] ? 1 : 0) | (v[1] ? 2 : 0)
            let y = ~a & 0xF
            let k = 0xF0 | (a << 2 | a)
            let l = (v[0] && !v[1]) || a == 0
            return (0..<4).map { y >> $0 & 1 == 1 } + (0..<8).map { k >> $0 & 1 == 1 } + [l]
        }
    }

    @Test func verilogHierarchyAndGates() throws {
        let aig = try read("""
            /* a 2-bit adder from full adders built of gate primitives */
            module fa(a, b, ci, s, co);
              input a, b, ci;
              output s, co;
              wire t1, t2, t3;
              xor (s, a, b, ci);
              and g1 (t1, a, b);
              and (t2, a, ci), (t3, b, ci);
              or #1 g3 (co, t1, t2, t3);
            endmodule
            module add2(input [1:0] x, input [1:0] y, output [2:0] sum, output [1:0] nx);
              fa f1 (x[1], y[1], c, sum[1], sum[2]);  // c is used before it is driven
              fa f0 (.a(x[0]), .b(y[0]), .ci(1'b0), .s(sum[0]), .co(c));
              not (nx[0], nx[1], x[0]);
            endmodule
            """, "h.v")
        #expect(aig.outputNames == ["sum[0]", "sum[1]", "sum[2]", "nx[0]", "nx[1]"])
        try expectTable(aig, inputs: 4) { v in
            let x = (v[0] ? 1 : 0) | (v[1] ? 2 : 0)
            let y = (v[2] ? 1 : 0) | (v[3] ? 2 : 0)
            return (0..<3).map { (x + y) >> $0 & 1 == 1 } + [!v[0], !v[0]]
        }
    }

    /// Constructs checked against yosys (techmap only, no optimisation) with ABC's `cec`. Only
    /// `[n:0]` ranges here: yosys 0.23 names vector bits by offset (bit 0 is `b[0]` even for
    /// `[4:1]` or `[0:3]`), where we keep the declared index.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Tools.yosys)
        && FileManager.default.isExecutableFile(atPath: Tools.abc)))
    func verilogConstructsMatchYosys() throws {
        let text = """
            `timescale 1ns/1ps
            module sub(input [1:0] p, output [1:0] q, output unused);
              assign q = ~p;
              assign unused = ^p;
            endmodule
            module top(a, b, \\c$x , y, z, w, v, u);
              input [3:0] a; input [3:0] b; input \\c$x ;
              output [3:0] y; output z; output [1:0] w; output [5:0] v; output [2:0] u;
              wire [3:0] t = a ^ b;
              assign {z, y} = {t[0], t};
              sub s0 (.p(a[1:0]), .q(w), .unused());
              (* keep *) wire k;
              assign k = \\c$x ? 'b1 : 4'd10;
              assign v = {b[2:1], {2{k, a[3]}}} ^ 6'o52;
              assign u = (a[2:0] ~^ b[3:1]) | {3{~&a}} & ~(b[0] ? a[3:1] : 3'b101) || !k;
            endmodule
            """
        let aig = try read(text, "top.v")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/top.v", atomically: true, encoding: .utf8)
        try Data(AigerWriter.binary(aig)).write(to: URL(fileURLWithPath: dir + "/ours.aig"))
        let y = try OracleFiles.run(Tools.yosys, [
            "-q", "-p", "read_verilog \(dir)/top.v; hierarchy -top top; proc; flatten; techmap; aigmap; write_aiger -symbols \(dir)/yosys.aig",
        ])
        try #require(y.status == 0, "\(y.output)")
        let cec = try OracleFiles.run(Tools.abc, ["-c", "cec \(dir)/ours.aig \(dir)/yosys.aig"])
        #expect(cec.output.contains("Networks are equivalent"), "\(cec.output)")
    }

    @Test func verilogTopSelection() throws {
        let text = """
            module a(input x, output y); assign y = ~x; endmodule
            module b(input x, output y); assign y = x; endmodule
            """
        expectError(text, "two.v", line: nil, "among a, b")
        let aig = try DesignReader.read(bytes: Array(text.utf8), file: "two.v", options: ReadOptions(top: "a"))
        try expectTable(aig, inputs: 1) { v in [!v[0]] }
    }

    @Test func verilogErrors() {
        expectError("module m(input a, output y);\n  assign y = a & t;\n  assign t = y;\nendmodule\n", "loop.v", line: 2, "combinational loop")
        expectError("module m(input a, output y);\n  assign y = a;\n  assign y = ~a;\nendmodule\n", "twice.v", line: 3, "driven twice (first at line 2)")
        expectError("module m(input a, output y);\n  assign y = a & q;\nendmodule\n", "undef.v", line: 2, "undefined signal 'q'")
        expectError("module m(input a, output y);\n  nandd g (y, a, a);\nendmodule\n", "gate.v", line: 2, "unknown module 'nandd'")
        expectError("module m(input [3:0] a, output y);\n  assign y = a[4];\nendmodule\n", "range.v", line: 2, "outside its range")
        expectError("module m(input a, output y)\n  assign y = a;\nendmodule\n", "syntax.v", line: 2, "expected ';'")
    }

    @Test func verilogUnsupportedConstructIsDistinct() {
        let text = Array("module m(input a, input b, output [1:0] y);\n  assign y = a + b;\nendmodule\n".utf8)
        let error = #expect(throws: VerilogError.self) {
            _ = try VerilogReader.structural(text, file: "rtl.v", top: nil)
        }
        guard case .unsupported(let e)? = error else {
            Issue.record("expected an unsupported construct, got \(String(describing: error))")
            return
        }
        #expect(e.location == .line(2))
        #expect(e.message.contains("operator '+'"))
        expectError(String(decoding: text, as: UTF8.self), "rtl.v", line: 2, "unsupported construct", frontend: .builtin)
    }

    // MARK: yosys

    @Test(.enabled(if: Executable.find("yosys") != nil))
    func autoFrontendFallsBackToYosysForRTL() throws {
        let notices = OracleFiles.Flag()
        let text = "module add(input [1:0] a, input [1:0] b, output [2:0] y);\n  assign y = a + b;\nendmodule\n"
        let aig = try DesignReader.read(bytes: Array(text.utf8), file: "add.v", options: ReadOptions(rtl: YosysFrontend(), notice: { message in
            if message.contains("add.v: using yosys for RTL constructs (operator '+' at line 2)") { notices.set() }
        }))
        #expect(notices.isSet)
        #expect(aig.inputNames == ["a[0]", "a[1]", "b[0]", "b[1]"])
        try expectTable(aig, inputs: 4) { v in
            let s = ((v[0] ? 1 : 0) | (v[1] ? 2 : 0)) + ((v[2] ? 1 : 0) | (v[3] ? 2 : 0))
            return (0..<3).map { s >> $0 & 1 == 1 }
        }
    }

    @Test(.enabled(if: Executable.find("yosys") != nil))
    func yosysFrontendReadsRegistersAndReportsErrors() throws {
        let text = "module r(clk, d, q);\n  input clk, d;\n  output q;\n  reg q = 1'b0;\n  always @(posedge clk) q <= ~d;\nendmodule\n"
        let aig = try DesignReader.read(bytes: Array(text.utf8), file: "r.v", options: ReadOptions(frontend: .yosys, rtl: YosysFrontend()))
        #expect(aig.inputNames == ["clk", "d"])
        #expect(aig.latchInit == [.zero])
        // Combinational view: inputs (clk, d, q), outputs (q, next q = ~d).
        try expectTable(aig, inputs: 3) { v in [v[2], !v[1]] }
        expectError("module r(input a, output y);\n  assign y = a\nendmodule\n", "bad.v", line: 3, "yosys:", frontend: .yosys)
    }

    // MARK: Format detection

    @Test func detectsFormatsFromContent() {
        func format(_ text: String) -> DesignFormat? { DesignReader.detectFormat(file: "design", bytes: Array(text.utf8)) }
        #expect(format("# c17\n\nINPUT(1)\nOUTPUT(2)\n2 = NOT(1)\n") == .bench)
        #expect(format("# BLIF\n.model m\n.inputs a\n") == .blif)
        #expect(format(".inputs a\n.outputs y\n.names a y\n1 1\n") == .blif)
        #expect(format("// header\n`timescale 1ns/1ps\nmodule m; endmodule\n") == .verilog)
        #expect(format("/* block\n comment */\nmodule m; endmodule\n") == .verilog)
        #expect(format("// c17\nmodule c17 (N1, N22);\n") == .verilog)
        #expect(format("module_x = NOT(a)\n") == nil)
        #expect(format("hello\n") == nil)
        #expect(DesignReader.detectFormat(file: "x.bench", bytes: Array("module m; endmodule".utf8)) == .bench)
    }
}

// MARK: Helpers

private func read(_ text: String, _ file: String, frontend: VerilogFrontend = .builtin) throws(NetlistError) -> Aig {
    try DesignReader.read(bytes: Array(text.utf8), file: file, options: ReadOptions(frontend: frontend, rtl: YosysFrontend()))
}

/// Values of the combinational outputs (outputs, then latch next states) for the combinational
/// inputs (inputs, then latch outputs).
private func simulate(_ aig: Aig, _ values: [Bool]) -> [Bool] {
    var v = [Bool](repeating: false, count: aig.maxVariable + 1)
    for (i, x) in values.enumerated() { v[1 + i] = x }
    func value(_ l: Literal) -> Bool { v[Int(l.variable)] != l.isComplemented }
    for k in 0..<aig.andCount { v[aig.firstAndVariable + k] = value(aig.fanin0[k]) && value(aig.fanin1[k]) }
    return aig.combinationalOutputs.map(value)
}

/// Checks the AIG on every assignment of its `inputs` combinational inputs (input `i` is bit `i`).
private func expectTable(
    _ aig: Aig, inputs: Int, sourceLocation: SourceLocation = #_sourceLocation, _ expected: ([Bool]) -> [Bool]
) throws {
    try #require(aig.inputCount + aig.latchCount == inputs, sourceLocation: sourceLocation)
    for m in 0..<(1 << inputs) {
        let values = (0..<inputs).map { m >> $0 & 1 == 1 }
        let got = simulate(aig, values)
        let want = expected(values)
        #expect(got == want, "inputs \(values.map { $0 ? 1 : 0 })", sourceLocation: sourceLocation)
        if got != want { return }
    }
}

/// Reading `text` fails with bad input naming `file`, `line` and the `fragment`.
private func expectError(
    _ text: String, _ file: String, line: Int?, _ fragment: String, frontend: VerilogFrontend = .builtin,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let aig = try read(text, file, frontend: frontend)
        Issue.record("read \(file) without error: \(aig.andCount) ANDs", sourceLocation: sourceLocation)
    } catch {
        #expect(error.kind == .badInput, "\(error)", sourceLocation: sourceLocation)
        #expect(error.file == file, sourceLocation: sourceLocation)
        if let line { #expect(error.location == .line(line), "\(error)", sourceLocation: sourceLocation) }
        #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
    }
}
