import Testing
@testable import Netlist

// Each malformed file must fail with a typed error at the right line (ASCII) or byte offset
// (binary) and say what was expected; the locations are counted by hand from the text.

struct BadAiger: Sendable, CustomStringConvertible {
    var name: String
    var bytes: [UInt8]
    var location: NetlistError.Location
    var says: String
    var description: String { name }

    init(_ name: String, _ text: String, _ location: NetlistError.Location, _ says: String) {
        self.init(name, Array(text.utf8), location, says)
    }

    init(_ name: String, _ bytes: [UInt8], _ location: NetlistError.Location, _ says: String) {
        self.name = name
        self.bytes = bytes
        self.location = location
        self.says = says
    }
}

private let cases: [BadAiger] = [
    BadAiger("empty", "", .line(1), "empty file"),
    BadAiger("bad magic", "aog 1 1 0 0 0\n2\n", .line(1), "expected 'aag' or 'aig'"),
    BadAiger("missing count", "aag 1 1 0 0\n2\n", .line(1), "the count A"),
    BadAiger("header garbage", "aag 1 1 0 0 0 x\n2\n", .line(1), "expected the header count B, found 'x'"),
    BadAiger("M too small", "aag 1 1 0 0 1\n2\n4 2 2\n", .line(1), "expected M >= I + L + A"),
    BadAiger("binary M", "aig 5 1 0 0 1\n", .byteOffset(0), "expected M = I + L + A"),
    BadAiger("bad property", "aag 1 1 0 0 0 1\n2\n", .line(1), "expected B = 0"),
    BadAiger("fewer lines", "aag 3 2 0 1 1\n2\n4\n6\n", .line(5), "expected a literal for AND gate 0 of 1, found end of file"),
    BadAiger("more lines", "aag 3 2 0 1 1\n2\n4\n6\n6 2 4\n6 4 2\n", .line(6), "more lines than the header announces"),
    BadAiger("out of range", "aag 3 2 0 1 1\n2\n4\n6\n6 2 9\n", .line(5), "literal 9 for the second fanin of AND gate 0 is out of range: expected at most 2M+1 = 7"),
    BadAiger("odd lhs", "aag 3 2 0 1 1\n2\n4\n6\n7 2 4\n", .line(5), "expected an even literal"),
    BadAiger("constant lhs", "aag 3 2 0 1 1\n2\n4\n6\n0 2 4\n", .line(5), "not the constant"),
    BadAiger("twice defined", "aag 3 2 0 1 1\n2\n4\n6\n4 2 2\n", .line(5), "defined twice, first at line 3"),
    BadAiger("undefined fanin", "aag 4 2 0 1 1\n2\n4\n6\n6 2 8\n", .line(5), "variable 4, which is never defined"),
    BadAiger("undefined output", "aag 4 2 0 1 1\n2\n4\n9\n6 2 4\n", .line(4), "variable 4, which is never defined"),
    BadAiger("loop", "aag 4 1 0 1 2\n2\n6\n6 8 2\n8 6 2\n", .line(5), "combinational loop"),
    BadAiger("self loop", "aag 2 1 0 1 1\n2\n4\n4 5 2\n", .line(4), "depends on itself"),
    BadAiger("bad reset", "aag 2 1 1 0 0\n2\n4 2 3\n", .line(3), "expected 0, 1 or the latch's literal 4"),
    BadAiger("non-UTF-8 name", Array("aag 1 1 0 0 0\n2\ni0 ab".utf8) + [0xFF] + Array("\n".utf8), .line(3), "expected UTF-8 text"),
    BadAiger("non-UTF-8 header", Array("aag ".utf8) + [0xC3, 0x28], .line(1), "found byte 0xC3"),
    BadAiger("symbol out of range", "aag 1 1 0 0 0\n2\ni1 x\n", .line(3), "expected i0 to i0"),
    BadAiger("symbol twice", "aag 1 1 0 0 0\n2\ni0 x\ni0 y\n", .line(4), "named twice"),
    BadAiger("huge number", "aag 99999999999 1 0 0 0\n", .line(1), "too large"),
    BadAiger("truncated binary", Array("aig 4 2 0 1 2\n8\n".utf8) + [0x02, 0x02, 0x02], .byteOffset(19), "truncated binary AIGER"),
    BadAiger("truncated varint", Array("aig 4 2 0 1 2\n8\n".utf8) + [0x02, 0x02, 0x82, 0x82], .byteOffset(20), "the data ends inside AND gate 1"),
    BadAiger("bad delta", Array("aig 3 2 0 1 1\n6\n".utf8) + [0x07, 0x00], .byteOffset(16), "first delta 7 is out of range: expected 1 to 6"),
    BadAiger("zero delta", Array("aig 3 2 0 1 1\n6\n".utf8) + [0x00, 0x00], .byteOffset(16), "expected 1 to 6"),
    BadAiger("second delta", Array("aig 3 2 0 1 1\n6\n".utf8) + [0x02, 0x05], .byteOffset(17), "expected 0 to 4"),
    BadAiger("varint overflow", Array("aig 3 2 0 1 1\n6\n".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00], .byteOffset(16), "does not fit in 32 bits"),
    BadAiger("binary output range", "aig 3 2 0 1 1\n8\n\u{2}\u{2}", .byteOffset(14), "literal 8 for output 0 of 1 is out of range"),
    BadAiger("binary trailing garbage", Array("aig 3 2 0 1 1\n6\n".utf8) + [0x02, 0x02, 0x01], .byteOffset(18), "expected a symbol"),
    BadAiger("binary too many latches", "aig 100 0 100 0 0\n0\n", .byteOffset(20), "expected a literal for the next state of latch 1 of 100, found end of file"),
    BadAiger("binary huge AND count", "aig 100000000 0 0 0 100000000\n", .byteOffset(30), "truncated binary AIGER: expected 100000000 AND gates"),
    BadAiger("binary too many inputs", "aig 100000000 100000000 0 0 0\n", .byteOffset(0), "expected at most 16777216"),
]

@Test(arguments: cases)
func malformedAigerIsRejected(_ bad: BadAiger) {
    let file = bad.bytes.starts(with: Array("aig".utf8)) ? "bad.aig" : "bad.aag"
    do {
        let aig = try AigerReader.read(bad.bytes, file: file)
        Issue.record("\(bad.name): read without error: \(aig.andCount) ANDs")
    } catch {
        #expect(error.file == file)
        #expect(error.kind == .badInput)
        #expect(error.location == bad.location, "\(bad.name): \(error)")
        #expect(error.message.contains(bad.says), "\(bad.name): \(error)")
    }
}
