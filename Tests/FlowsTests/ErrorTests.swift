import Testing
@testable import Flows

private func error(_ body: () throws -> Void) -> FlowError? {
    do {
        try body()
        return nil
    } catch {
        return error as? FlowError
    }
}

@Test func unknownCommandNamesItsStepAndColumn() {
    let e = error { _ = try Flow.parse("balance; rewrite; rwx -z; refactor") }
    #expect(e?.kind == .badInput)
    #expect(e?.line == 1)
    #expect(e?.step == 3)
    #expect(e?.column == 19)
    #expect(e?.message.contains("unknown command 'rwx'") == true)
    #expect(e?.message.contains("balance (b)") == true)
}

@Test func errorOnALaterLineCountsStepsAcrossLines() {
    let e = error { _ = try Flow.parse("# header\nb; rw\n  rf; strash\n") }
    #expect(e?.line == 3)
    #expect(e?.column == 7)
    #expect(e?.step == 4)
    #expect(e?.description == "flow:3:7: step 4: " + (e?.message ?? ""))
}

@Test(arguments: [
    ("rewrite -q", 10, "unknown option -q for rewrite"),
    ("resub -K", 8, "option -K of resub expects an integer in 4...16"),
    ("resub -K 40", 10, "expects an integer in 4...16, found '40'"),
    ("resub -K x", 10, "found 'x'"),
    ("resub -N -2", 10, "found '-2'"),
    ("rwz -z", 6, "option -z given twice"),
    ("balance -l -l", 13, "option -l given twice"),
    ("rewrite z", 9, "expected an option"),
    ("refactor -v", 11, "unknown option -v for refactor"),
])
func badOptionsAreRejectedWithTheirColumn(text: String, column: Int, fragment: String) {
    let e = error { _ = try Flow.parse(text) }
    #expect(e?.column == column, "\(text)")
    #expect(e?.step == 1)
    #expect(e?.message.contains(fragment) == true, "\(e?.message ?? "no error")")
}

@Test func anEmptyFlowIsAnError() {
    #expect(error { _ = try Flow.parse("  ; \n# only a comment\n") }?.message.contains("at least one") == true)
}

@Test func parseListNamesTheLineOfTheBadFlow() {
    let e = error { _ = try Flow.parseList("b; rw\nrf; rfz\nrs; bogus\n") }
    #expect(e?.line == 3)
    #expect(e?.step == 2)
    #expect(e?.column == 5)
}

@Test func missingFlowFileIsAMissingFileError() {
    let e = error { _ = try Flow.load(contentsOf: "/nonexistent/flow.flow") }
    #expect(e?.kind == .missingFile)
    #expect(e?.file == "/nonexistent/flow.flow")
}
