import Flows
import Foundation
import Testing
@testable import Synthesis

private func failure(_ body: () throws -> Void) -> SynthesisError? {
    do {
        try body()
        return nil
    } catch {
        return error as? SynthesisError
    }
}

@Test func aTinyTimeoutOnABigDesignKillsAbcAndReportsATimeout() throws {
    // Without the timeout this flow takes ABC tens of seconds on sorter_32 (6300 ANDs).
    let design = repositoryRoot + "/designs/gen/sorter_32.aig"
    let flow = try Flow.parse("b; rs -K 12 -N 3; rs -K 16 -N 3; rs -K 16 -N 3 -z; dc2; rs -K 16 -N 3")
    let e = failure { _ = try AbcDriver(timeout: 0.3).synthesize(design: design, flow: flow, library: .nangate45) }
    #expect(e == .timeout(design: design, seconds: 0.3))
}

@Test func aMissingDesignIsAMissingInput() throws {
    let e = failure {
        _ = try AbcDriver().synthesize(design: "/nonexistent/x.aig", flow: Flow.parse("b"), library: .nangate45)
    }
    #expect(e == .missingInput("/nonexistent/x.aig"))
}

@Test func aMissingAbcIsAMissingTool() throws {
    let e = failure {
        _ = try AbcDriver(executable: "/nonexistent/berkeley-abc")
            .synthesize(design: try writeTinyAdder(), flow: Flow.parse("b"), library: .nangate45)
    }
    #expect(e == .toolMissing("/nonexistent/berkeley-abc"))
}

@Test func aDesignAbcCannotReadIsAnAbcFailureWithItsMessage() throws {
    let design = try temporaryDirectory() + "/broken.bench"
    try "INPUT(a)\nOUTPUT(z)\nz = FROB(a, b\n".write(toFile: design, atomically: true, encoding: .utf8)
    let e = failure { _ = try AbcDriver().synthesize(design: design, flow: Flow.parse("b"), library: .nangate45) }
    guard case .abcFailed(let d, let message) = e else {
        Issue.record("expected abcFailed, got \(String(describing: e))")
        return
    }
    #expect(d == design)
    #expect(message.contains("cmd error") || message.lowercased().contains("error"))
}

@Test func lutSizesOutsideWhatIfAcceptsAreRejected() {
    #expect(failure { _ = try CellLibrary.lut(2) } == .badArgument("LUT size 2: expected 3...32"))
    #expect(failure { _ = try CellLibrary.lut(33) } != nil)
}

@Test func aMissingLibraryFileIsAMissingInput() {
    #expect(failure { _ = try CellLibrary.genlib("/nonexistent/x.genlib") } == .missingInput("/nonexistent/x.genlib"))
    #expect(failure { _ = try CellLibrary.liberty("/nonexistent/x.lib.gz") } == .missingInput("/nonexistent/x.lib.gz"))
}

// Hand-written fixture in ABC's print_stats format (colour codes included).
@Test func statsNumbersAreReadByWholeKeyWordsAfterStrippingColours() throws {
    let text = "\u{1B}[1;37mand =1 nd:\u{1B}[0m i/o =   36/    7  lat =    0  and =    208  lev =119\n"
    let line = try #require(AbcOutput.statsLines(AbcOutput.stripANSI(text)).first)
    #expect(line == "i/o =   36/    7  lat =    0  and =    208  lev =119")
    #expect(AbcOutput.number("and", in: line) == 208)
    #expect(AbcOutput.number("lev", in: line) == 119)
    #expect(AbcOutput.number("nd", in: line) == nil)
}

/// ABC maps a design without logic to delay -1e9 (the oracle: a hand-run prints it); that is a
/// failed run, never an ok label that training would refuse.
@Test func aDesignWithoutLogicIsAFailedRun() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/const.aig"
    // One input, one output tied to constant 0: binary AIGER with no AND gates.
    try Data("aig 1 1 0 1 0\n0\n".utf8).write(to: URL(fileURLWithPath: path))
    let hand = try HandRun("read_genlib \(repositoryRoot)/libs/nangate45.genlib; read \(path); strash; map; print_stats")
    #expect(try hand.numbers(#"delay\s*=\s*(-?[\d.e+]+)"#).first.map { $0 <= 0 } == true, "\(hand.text)")
    let e = failure { _ = try AbcDriver().synthesize(design: path, flow: Flow.parse("b"), library: .nangate45) }
    guard case .abcFailed(_, let message)? = e else {
        Issue.record("expected abcFailed, got \(String(describing: e))")
        return
    }
    #expect(message.contains("no logic"))
}
