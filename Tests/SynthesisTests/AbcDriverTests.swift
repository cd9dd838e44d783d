import Flows
import Foundation
import Testing
@testable import Synthesis

// Oracle: ABC itself. Each test types out the commands of a hand-run of `berkeley-abc -c "..."`,
// reads its output with its own regular expressions, and expects the driver's numbers to be equal.

private let driver = AbcDriver(timeout: 120)
private let resyn2Short = "b; rw; rf; b; rw; rwz; b; rfz; rwz; b"
private let resyn2Long =
    "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"
private let genlibFile = repositoryRoot + "/libs/nangate45.genlib"

private func expectGenlibAgrees(design: String, flow: String, typed: String) throws {
    let result = try driver.synthesize(design: design, flow: Flow.parse(flow), library: .nangate45)
    let hand = try HandRun(
        "read_genlib \(genlibFile); read \(design); strash; \(typed); print_stats; map; print_stats")
    #expect(try hand.aig() == [Double(result.ands), Double(result.levels)])
    #expect(try hand.numbers(#"area\s*=\s*([0-9.]+)\s+delay\s*=\s*([0-9.]+)"#, match: -1) == [result.area, result.delay])
    #expect(result.area > 0 && result.delay > 0)
    #expect(result.seconds > 0)
}

@Test func defaultGenlibAgreesWithAbcOnATinyAigWrittenHere() throws {
    let design = try writeTinyAdder()
    try expectGenlibAgrees(design: design, flow: resyn2Short, typed: resyn2Long)
    try expectGenlibAgrees(design: design, flow: "rs -K 6 -N 2; drw; irw -z; dc2", typed: "resub -K 6 -N 2; drw; irw -z; dc2")
}

@Test(arguments: ["designs/gen/mult_6.aig", "designs/gen/adder_8.bench", "designs/gen/sorter_8.blif"])
func defaultGenlibAgreesWithAbcOnTheProjectsDesigns(relative: String) throws {
    try expectGenlibAgrees(design: repositoryRoot + "/" + relative, flow: resyn2Short, typed: resyn2Long)
}

@Test(
    .enabled(if: shared("designs/iscas85/aig/c880.aig") != nil, "needs ../shared/designs/iscas85"),
    arguments: ["designs/iscas85/aig/c432.aig", "designs/iscas85/aig/c880.aig", "designs/iscas85/bench/c432.bench"])
func defaultGenlibAgreesWithAbcOnIscas(relative: String) throws {
    let design = try #require(shared(relative))
    try expectGenlibAgrees(
        design: design, flow: "resub -z; rewrite -z; refactor; balance; resub",
        typed: "resub -z; rewrite -z; refactor; balance; resub")
}

@Test(.enabled(if: shared("libs/liberty/nangate45_typ.lib.gz") != nil, "needs ../shared/libs/liberty/nangate45_typ.lib.gz"))
func libertyAgreesWithAbc() throws {
    let gz = try #require(shared("libs/liberty/nangate45_typ.lib.gz"))
    let unpacked = try temporaryDirectory() + "/nangate45_typ.lib"
    let text = try runProgram("/bin/gzip", ["-dc", gz], cwd: try temporaryDirectory())
    try text.write(toFile: unpacked, atomically: true, encoding: .utf8)
    let designs = [try writeTinyAdder()] + [shared("designs/iscas85/aig/c432.aig")].compactMap { $0 }
    let library = try CellLibrary.liberty(gz)
    for design in designs {
        let result = try driver.synthesize(design: design, flow: Flow.parse(resyn2Short), library: library)
        let hand = try HandRun(
            "read_lib \(unpacked); read \(design); strash; \(resyn2Long); print_stats; map; topo; stime -p")
        #expect(try hand.aig() == [Double(result.ands), Double(result.levels)])
        #expect(try hand.numbers(#"Area\s*=\s*([0-9.]+).*Delay\s*=\s*([0-9.]+)\s*ps"#) == [result.area, result.delay])
    }
}

@Test func lutMappingAgreesWithAbc() throws {
    var designs = [try writeTinyAdder(), repositoryRoot + "/designs/gen/mult_6.aig"]
    if let c880 = shared("designs/iscas85/aig/c880.aig") { designs.append(c880) }
    for design in designs {
        let result = try driver.synthesize(design: design, flow: Flow.parse("b; rwz; rfz"), library: .lut(6))
        let hand = try HandRun(
            "read \(design); strash; balance; rewrite -z; refactor -z; print_stats; if -K 6; print_stats")
        #expect(try hand.aig() == [Double(result.ands), Double(result.levels)])
        #expect(try hand.numbers(#"\bnd\s*=\s*(\d+).*\blev\s*=\s*(\d+)"#, match: -1) == [result.area, result.delay])
    }
}

@Test func abcVersionIsTheLineAbcPrints() throws {
    let hand = try HandRun("version")
    let line = try #require(hand.text.split(separator: "\n").first { $0.hasPrefix("UC Berkeley") })
    #expect(try driver.version() == String(line).trimmingCharacters(in: .whitespaces))
    let result = try driver.synthesize(design: try writeTinyAdder(), flow: Flow.parse("b"), library: .nangate45)
    #expect(result.abcVersion == String(line).trimmingCharacters(in: .whitespaces))
}

@Test func concurrentRunsGiveTheSameResultsAsSequentialOnes() async throws {
    let design = try writeTinyAdder()
    let flows = Flow.distinctRandom(count: 6, length: 8, seed: 99)
    let sequential = try flows.map { try driver.synthesize(design: design, flow: $0, library: .nangate45) }
    let concurrent = try await withThrowingTaskGroup(of: (Int, SynthesisResult).self) { group in
        for (i, flow) in flows.enumerated() {
            group.addTask { (i, try driver.synthesize(design: design, flow: flow, library: .nangate45)) }
        }
        var results: [Int: SynthesisResult] = [:]
        for try await (i, r) in group { results[i] = r }
        return results
    }
    for (i, r) in sequential.enumerated() {
        #expect(concurrent[i].map { [$0.area, $0.delay, Double($0.ands), Double($0.levels)] }
            == [r.area, r.delay, Double(r.ands), Double(r.levels)])
    }
}

@Test func scriptSpellsEveryCommandOut() throws {
    let script = try driver.script(design: "/d/x.aig", flow: Flow.parse("b; rwz"), library: .lut(4))
    #expect(script == "read \"/d/x.aig\"\nstrash\nbalance\nrewrite -z\nprint_stats\nif -K 4\nprint_stats\n")
}
