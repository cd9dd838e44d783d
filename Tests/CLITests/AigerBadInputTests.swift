import Foundation
import Testing

// `qor convert` end to end: malformed AIGER input exits 65 with the file, the place and what was
// expected, and leaves no output (nor temporary) file; good input converts to every format, and
// the written files agree with ABC (counts, `cec`) and NetworkX (GraphML) or Graphviz (DOT).

/// Writes `bytes` as `name` in a fresh directory, converts it to `out.aig` there, and checks the
/// failure. `place` is `:LINE:` or ` byte N:` as printed after the file name.
private func expectRejected(_ name: String, _ bytes: [UInt8], place: String, says: String) throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let bad = "\(dir)/\(name)"
    try Data(bytes).write(to: URL(fileURLWithPath: bad))
    let r = try qor("convert", bad, "\(dir)/out.aig")
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.contains("\(bad)\(place)"), "\(r.stderr)")
    #expect(r.stderr.contains("expected"), "\(r.stderr)")
    #expect(r.stderr.contains(says), "\(r.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [name])
}

@Test func truncatedBinaryAiger() throws {
    let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(repositoryRoot)/designs/gen/adder_8.aig")))
    // Cut 10 bytes into the AND section, which starts after the header, latch and output lines.
    let header = String(decoding: whole.prefix { $0 != 0x0A }, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
    let textLines = 1 + header[2] + header[3]
    let newlines = whole.indices.filter { whole[$0] == 0x0A }
    let cut = Array(whole.prefix(newlines[textLines - 1] + 1 + 10))
    try expectRejected("cut.aig", cut, place: ": byte \(cut.count):", says: "truncated binary AIGER")
}

@Test func literalOutOfRange() throws {
    try expectRejected("range.aag", Array("aag 3 2 0 1 1\n2\n4\n99\n6 2 4\n".utf8), place: ":4:", says: "out of range: expected at most 2M+1 = 7")
}

@Test func combinationalLoop() throws {
    try expectRejected("loop.aag", Array("aag 4 1 0 1 2\n2\n6\n6 8 2\n8 6 2\n".utf8), place: ":5:", says: "combinational loop")
}

@Test func undefinedVariable() throws {
    try expectRejected("undef.aag", Array("aag 4 2 0 1 1\n2\n4\n6\n6 2 8\n".utf8), place: ":5:", says: "never defined")
}

@Test func twiceDefinedVariable() throws {
    try expectRejected("twice.aag", Array("aag 3 2 0 1 1\n2\n4\n6\n4 2 2\n".utf8), place: ":5:", says: "defined twice, first at line 3")
}

@Test func headerLiesAboutItsCounts() throws {
    // Announces 2 AND gates, gives 1.
    try expectRejected("short.aag", Array("aag 4 2 0 1 2\n2\n4\n6\n6 2 4\n".utf8), place: ":6:", says: "AND gate 1 of 2, found end of file")
}

@Test func nonUTF8Bytes() throws {
    let bytes = Array("aag 1 1 0 0 0\n2\ni0 caf".utf8) + [0xE9] + Array("\n".utf8)
    try expectRejected("latin1.aag", bytes, place: ":3:", says: "not valid UTF-8")
}

@Test func emptyFile() throws {
    try expectRejected("empty.aig", [], place: ": byte 0:", says: "empty file")
}

@Test func unknownOutputExtensionIsAUsageError() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try qor("convert", "\(repositoryRoot)/designs/rtl/traffic.aig", "\(dir)/out.txt")
    #expect(r.status == 64)
    #expect(r.stderr.contains(".graphml"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
}

// MARK: - Good conversions

/// A design with latches, in the repository (so these run without ../shared).
private let source = "\(repositoryRoot)/designs/rtl/traffic.aig"

private struct Counts: Equatable {
    var inputs = 0, outputs = 0, latches = 0, ands = 0, levels = 0
}

/// ABC's `print_stats` for a binary AIGER file.
private func abcCounts(_ path: String) throws -> Counts {
    let r = try run(Tools.abc, ["-c", "read \(path); print_stats"])
    let text = r.stdout.replacing(/\u{1B}\[[0-9;]*m/, with: "")
    let m = try #require(text.firstMatch(of: /i\/o\s*=\s*(\d+)\/\s*(\d+)\s+lat\s*=\s*(\d+)\s+and\s*=\s*(\d+)\s+lev\s*=\s*(\d+)/), "\(text)")
    return Counts(inputs: Int(m.1) ?? -1, outputs: Int(m.2) ?? -1, latches: Int(m.3) ?? -1, ands: Int(m.4) ?? -1, levels: Int(m.5) ?? -1)
}

/// `qor stats --json` of one file.
private func qorCounts(_ path: String) throws -> Counts {
    let r = try qor("stats", "--json", path)
    #expect(r.status == 0, "\(r.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(Set(object.keys) == ["file", "inputs", "outputs", "latches", "ands", "levels"])
    #expect(object["file"] as? String == path)
    func int(_ key: String) -> Int { (object[key] as? Int) ?? -1 }
    return Counts(inputs: int("inputs"), outputs: int("outputs"), latches: int("latches"), ands: int("ands"), levels: int("levels"))
}

private func convert(to ext: String, in dir: String) throws -> String {
    let out = "\(dir)/out.\(ext)"
    let r = try qor("convert", source, out)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.\(ext)"])
    return out
}

@Test func convertToBinaryAiger() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = try convert(to: "aig", in: dir)
    let expected = try abcCounts(source)
    #expect(try abcCounts(out) == expected)
    #expect(try qorCounts(out) == expected)
    let cec = try run(Tools.abc, ["-c", "cec \(source) \(out)"])
    #expect(cec.stdout.contains("Networks are equivalent"), "\(cec.stdout)")
}

@Test func convertToAsciiAigerAndBack() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = try convert(to: "aag", in: dir)
    #expect(try qorCounts(out) == abcCounts(source))
    // ABC reads no .aag: convert it back to .aig and let ABC prove it equivalent to the source.
    let back = "\(dir)/back.aig"
    #expect(try qor("convert", out, back).status == 0)
    let cec = try run(Tools.abc, ["-c", "cec \(source) \(back)"])
    #expect(cec.stdout.contains("Networks are equivalent"), "\(cec.stdout)")
}

@Test func convertToGraphMLReadByNetworkX() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = try convert(to: "graphml", in: dir)
    let script = """
        import json, sys, networkx as nx
        g = nx.read_graphml(sys.argv[1])
        kinds = {}
        for _, d in g.nodes(data=True):
            kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
        consistent = all(
            d["inverted_fanins"] == sum(1 for _, _, e in g.in_edges(n, data=True) if e["inverted"])
            for n, d in g.nodes(data=True) if d["kind"] == "and")
        print(json.dumps({"directed": g.is_directed(), "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
            "kinds": kinds, "levels": max(d["level"] for _, d in g.nodes(data=True)), "consistent": consistent}))
        """
    let r = try run("/usr/bin/env", ["python3", "-c", script, out])
    #expect(r.status == 0, "\(r.stderr)")
    let graph = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let abc = try abcCounts(source)
    #expect(graph["directed"] as? Bool == true)
    #expect(graph["nodes"] as? Int == 1 + abc.inputs + abc.latches + abc.ands + abc.outputs)
    #expect(graph["edges"] as? Int == 2 * abc.ands + abc.latches + abc.outputs)
    #expect(graph["kinds"] as? [String: Int] == ["const": 1, "input": abc.inputs, "latch": abc.latches, "and": abc.ands, "output": abc.outputs])
    #expect(graph["levels"] as? Int == abc.levels)
    #expect(graph["consistent"] as? Bool == true)
}

/// Graphviz's `gc`, where installed.
private let graphvizCount: String? = ["/usr/bin/gc", "/usr/local/bin/gc"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Test(.enabled(if: graphvizCount != nil, "Graphviz (gc) is not installed"))
func convertToDotReadByGraphviz() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = try convert(to: "dot", in: dir)
    let r = try run(try #require(graphvizCount), ["-n", "-e", out])
    #expect(r.status == 0, "\(r.stderr)")
    let numbers = r.stdout.split(separator: " ").compactMap { Int($0) }
    let abc = try abcCounts(source)
    #expect(numbers == [1 + abc.inputs + abc.latches + abc.ands + abc.outputs, 2 * abc.ands + abc.latches + abc.outputs])
}

@Test func statsJSONEscapesTheFileName() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let odd = "\(dir)/we\"ird\\name.aig"
    try FileManager.default.copyItem(atPath: source, toPath: odd)
    let counts = try qorCounts(odd)
    #expect(counts == (try abcCounts(source)))
}
