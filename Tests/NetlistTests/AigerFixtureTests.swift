import Foundation
import Testing
@testable import Netlist

// Hand-written AIGER files whose reading is worked out by hand below.

/// Two inputs, three latches (reset 0, 1 and undefined), two outputs, two AND gates given in
/// reverse order (14 uses 12, defined on the next line), symbols and comments.
private let sequential = """
    aag 7 2 3 2 2
    2
    4
    6 15
    8 10 1
    10 7 10
    14
    9
    14 12 6
    12 2 5
    i0 a
    i1 b
    l0 s0
    l1 s1
    l2 s2
    o0 y
    o1 z
    c
    first comment
    second comment

    """

private func read(_ text: String, file: String = "fixture.aag") throws -> Aig {
    try AigerReader.read(Array(text.utf8), file: file)
}

@Test func asciiFixtureWithLatchesSymbolsAndComments() throws {
    let aig = try read(sequential)
    #expect(aig.inputCount == 2)
    #expect(aig.latchCount == 3)
    // Variables: a=1 b=2, latches s0=3 s1=4 s2=5, then 12 = a & !b built first (var 6), 14 = (12) & s0 (var 7).
    #expect(aig.fanin0 == [Literal(raw: 5), Literal(raw: 12)])
    #expect(aig.fanin1 == [Literal(raw: 2), Literal(raw: 6)])
    #expect(aig.latchNext == [Literal(raw: 15), Literal(raw: 10), Literal(raw: 7)])
    #expect(aig.latchInit == [.zero, .one, .undefined])
    #expect(aig.outputs == [Literal(raw: 14), Literal(raw: 9)])
    #expect(aig.inputNames == ["a", "b"])
    #expect(aig.latchNames == ["s0", "s1", "s2"])
    #expect(aig.outputNames == ["y", "z"])
    #expect(aig.comments == ["first comment", "second comment"])
    #expect(aig.depth == 2)
}

@Test func fixtureSurvivesBothWriters() throws {
    let aig = try read(sequential)
    #expect(try AigerReader.read(AigerWriter.ascii(aig), file: "x.aag") == aig)
    #expect(try AigerReader.read(AigerWriter.binary(aig), file: "x.aig") == aig)
}

@Test func asciiIsStrashedAndCleaned() throws {
    // 8 duplicates 6, 10 is 6 & 0 (constant, and unused), 12 is 8 & 1 = 6.
    let aig = try read("aag 6 2 0 2 4\n2\n4\n12\n1\n6 2 4\n8 4 2\n10 6 0\n12 8 1\n")
    #expect(aig.andCount == 1)
    #expect(aig.fanin0 == [Literal(raw: 4)])
    #expect(aig.fanin1 == [Literal(raw: 2)])
    #expect(aig.outputs == [Literal(raw: 6), Literal(raw: 1)])
}

@Test func asciiAllowsSparseNumberingAndCRLF() throws {
    // Inputs numbered 10 and 4, M far beyond what is defined, Windows line ends.
    let aig = try read("aag 1000000 2 0 1 1\r\n10\r\n4\r\n7\r\n6 10 5\r\ni1 second\r\n")
    #expect(aig.inputCount == 2)
    // 6 = in0 & !in1 -> builder: in0 = var 1, in1 = var 2, AND var 3 = (5, 2).
    #expect(aig.fanin0 == [Literal(raw: 5)])
    #expect(aig.fanin1 == [Literal(raw: 2)])
    #expect(aig.outputs == [Literal(raw: 7)])
    #expect(aig.inputNames == ["", "second"])
}

@Test func binaryFixtureByHand() throws {
    // aig M=3 I=1 L=1 O=1 A=1: latch 4 with next !6 and reset 4 (undefined); output 6;
    // AND 6 = 4 & 2, encoded as deltas 6-4 = 2 and 4-2 = 2.
    let bytes = Array("aig 3 1 1 1 1\n7 4\n6\n".utf8) + [0x02, 0x02] + Array("i0 x\nl0 q\nc\nhello".utf8)
    let aig = try AigerReader.read(bytes, file: "hand.aig")
    #expect(aig.inputCount == 1)
    #expect(aig.latchNext == [Literal(raw: 7)])
    #expect(aig.latchInit == [.undefined])
    #expect(aig.fanin0 == [Literal(raw: 4)])
    #expect(aig.fanin1 == [Literal(raw: 2)])
    #expect(aig.outputs == [Literal(raw: 6)])
    #expect(aig.inputNames == ["x"])
    #expect(aig.latchNames == ["q"])
    #expect(aig.outputNames == [""])
    #expect(aig.comments == ["hello"])
}

@Test func binaryMultiByteDeltas() throws {
    // 200 inputs; AND 402 = 400 & 2: deltas 2 and 398 (= 0x8E 0x03 as a 7-bit varint).
    let bytes = Array("aig 201 200 0 1 1\n402\n".utf8) + [0x02, 0x8E, 0x03]
    let aig = try AigerReader.read(bytes, file: "wide.aig")
    #expect(aig.fanin0 == [Literal(raw: 400)])
    #expect(aig.fanin1 == [Literal(raw: 2)])
    #expect(aig.outputs == [Literal(raw: 402)])
}

@Test func headerMayCarryZeroPropertyCounts() throws {
    let aig = try read("aag 3 2 0 1 1 0 0 0 0\n2\n4\n6\n6 4 2\n")
    #expect(aig.andCount == 1)
}

@Test func sequentialFixtureMatchesABC() throws {
    // ABC cannot read .aag: write our reading as .aig and let ABC count it.
    let aig = try read(sequential)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("qor-fixture-\(UUID().uuidString).aig").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try FileIO.writeAtomically(AigerWriter.binary(aig), to: path)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Tools.abc)
    process.arguments = ["-c", "read \(path); print_stats"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let squeezed = text.replacing(/\u{1B}\[[0-9;]*m/, with: "").replacing(/\s+/, with: " ")
    #expect(squeezed.contains("i/o = 2/ 2 lat = 3 and = 2 lev = 2"), "\(squeezed)")
}

@Test func graphMLEscapesNamesAndKeepsEveryNodeAndEdge() throws {
    // One AND of two inputs named with XML's special characters; the output is inverted.
    let aig = try AigerReader.read(Array("aag 3 2 0 1 1\n2\n4\n7\n6 2 5\ni0 a<b\ni1 c&\"d'\no0 y>z\n".utf8), file: "x.aag")
    let text = String(decoding: GraphMLWriter.graphML(aig), as: UTF8.self)
    #expect(text.contains("<data key=\"name\">a&lt;b</data>"))
    #expect(text.contains("<data key=\"name\">c&amp;&quot;d&apos;</data>"))
    #expect(text.contains("<data key=\"name\">y&gt;z</data>"))
    #expect(text.components(separatedBy: "<node ").count - 1 == 5)
    #expect(text.components(separatedBy: "<edge ").count - 1 == 3)
    #expect(text.contains("<edge source=\"n2\" target=\"n3\">\n      <data key=\"inverted\">true</data>"))
    #expect(text.hasSuffix("</graphml>\n"))
}
