import Foundation
import Testing

/// Malformed BENCH and Verilog files: `qor stats` exits 65 (sysexits EX_DATAERR) with one error
/// line naming the file, the line and what was expected.
@Suite struct TextBadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var content: [UInt8]
        /// `:line:` or `byte N` in the message.
        var location: String
        var fragments: [String]
        var testDescription: String { file }

        init(_ file: String, _ text: String, location: String, _ fragments: String...) {
            self.file = file
            content = Array(text.utf8)
            self.location = location
            self.fragments = fragments
        }

        init(_ file: String, bytes: [UInt8], location: String, _ fragments: String...) {
            self.file = file
            content = bytes
            self.location = location
            self.fragments = fragments
        }
    }

    static let cases: [Case] = [
        Case("undefined.bench", "INPUT(a)\nOUTPUT(y)\ny = AND(a, b)\n", location: ":3:", "undefined signal 'b'", "expected INPUT(b)"),
        Case("twice.bench", "INPUT(a)\nOUTPUT(y)\ny = NOT(a)\ny = BUFF(a)\n", location: ":4:", "defined twice (first at line 3)", "expected one definition"),
        Case("unknown.bench", "INPUT(a)\nOUTPUT(y)\ny = MAJ(a, a, a)\n", location: ":3:", "unknown gate 'MAJ'", "expected AND, NAND"),
        Case("arity.bench", "INPUT(a)\nINPUT(b)\nOUTPUT(y)\ny = NOT(a, b)\n", location: ":4:", "NOT has 2 inputs", "expected exactly 1"),
        Case("loop.bench", "INPUT(a)\nOUTPUT(y)\ny = AND(a, t)\nt = NOT(y)\n", location: ":3:", "combinational loop 'y' -> 't' -> 'y'", "expected an acyclic netlist"),
        Case("syntax.bench", "INPUT(a)\nOUTPUT(y)\ny = AND(a,, a)\n", location: ":3:", "unexpected ','", "expected a signal name"),
        Case("utf8.bench", bytes: Array("INPUT(a)\nOUTPUT(y)\n# caf".utf8) + [0xE9] + Array("\ny = NOT(a)\n".utf8), location: ":3:", "invalid UTF-8 byte 0xE9", "expected UTF-8 text"),
        Case("empty.bench", "", location: "byte 0", "empty file", "expected a design"),
        Case("comments.bench", "# nothing but a comment\n", location: ":1:", "no OUTPUT declaration", "expected at least one output"),
        Case("undefined.v", "module m(input a, output y);\n  assign y = a & b;\nendmodule\n", location: ":2:", "undefined signal 'b'", "expected a declaration and a driver"),
        Case("twice.v", "module m(input a, output y);\n  assign y = a;\n  not (y, a);\nendmodule\n", location: ":3:", "driven twice (first at line 2)", "expected one driver"),
        Case("unknown.v", "module m(input a, output y);\n  nand2 g1 (y, a, a);\nendmodule\n", location: ":2:", "unknown module 'nand2'", "expected a module defined in this file or a gate"),
        Case("loop.v", "module m(input a, output y);\n  wire t;\n  and (y, a, t);\n  not (t, y);\nendmodule\n", location: ":3:", "combinational loop 'y' -> 't' -> 'y'", "expected an acyclic netlist"),
        Case("syntax.v", "module m(input a, output y);\n  assign y = a &;\nendmodule\n", location: ":2:", "unexpected ';'", "expected an expression"),
        Case("utf8.v", bytes: Array("module m(input a, output y);\n  // \u{00E9}\n  /* ".utf8) + [0xFF] + Array(" */ assign y = a;\nendmodule\n".utf8), location: ":3:", "invalid UTF-8 byte 0xFF", "expected UTF-8 text"),
        Case("empty.v", "", location: "byte 0", "empty file", "expected a design"),
        Case("unsupported.v", "module m(input a, output reg y);\nendmodule\n", location: ":1:", "unsupported construct: 'reg'", "expected structural Verilog"),
    ]

    @Test(arguments: cases)
    func badInputExits65(_ c: Case) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + c.file
        try Data(c.content).write(to: URL(fileURLWithPath: path))
        let r = try qor("stats", "--frontend", "builtin", path)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(path + (c.location.hasPrefix(":") ? c.location : ": " + c.location)), "\(r.stderr)")
        for fragment in c.fragments {
            #expect(r.stderr.contains(fragment), "\(r.stderr)")
        }
    }

    @Test func missingYosysExits69() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rtl.v"
        try "module m(input [1:0] a, output [2:0] y);\n  assign y = a + 1;\nendmodule\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try qor("stats", path, environment: ["PATH": dir])
        #expect(r.status == 69, "\(r.stderr)")
        #expect(r.stderr.contains("yosys"))
        #expect(r.stderr.contains("using yosys for RTL constructs (operator '+' at line 2)"))
    }
}
