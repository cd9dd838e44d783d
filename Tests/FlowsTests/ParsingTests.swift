import Foundation
import Testing
@testable import Flows

@Test(arguments: [
    ("b", "balance"), ("balance", "balance"),
    ("rw", "rewrite"), ("rewrite", "rewrite"),
    ("rwz", "rewrite -z"), ("rewrite -z", "rewrite -z"),
    ("rf", "refactor"), ("refactor", "refactor"),
    ("rfz", "refactor -z"), ("refactor -z", "refactor -z"),
    ("rs", "resub"), ("resub", "resub"),
    ("rsz", "resub -z"), ("resub -z", "resub -z"),
])
func everyStandardSpellingParses(spelling: String, canonical: String) throws {
    let t = try Transformation(parsing: spelling)
    #expect(t.text == canonical)
    #expect(Transformation.standard.contains(t))
}

@Test func shortNamesMapBackToTheSevenStandardSteps() {
    #expect(Transformation.standard.map(\.shortName) == ["b", "rw", "rwz", "rf", "rfz", "rs", "rsz"])
    #expect(Flow(Transformation.standard).shortText == "b; rw; rwz; rf; rfz; rs; rsz")
}

@Test(arguments: [
    ("resub -N 2 -K 8", "resub -K 8 -N 2"),
    ("resub   -K8    -N2", "resub -K 8 -N 2"),
    ("rs -K 08 -N 2", "resub -K 8 -N 2"),
    ("rsz -K 6", "resub -K 6 -z"),
    ("rewrite -lz", "rewrite -l -z"),
    ("rewrite -z -l", "rewrite -l -z"),
    ("rwz -l", "rewrite -l -z"),
    ("b -l", "balance -l"),
    ("drf -z -K 10 -C 5 -e", "drf -C 5 -K 10 -e -z"),
    ("dc2", "dc2"),
    ("drw -N 3", "drw -N 3"),
    ("irw -z", "irw -z"),
])
func optionsAreNormalised(spelling: String, canonical: String) throws {
    #expect(try Transformation(parsing: spelling).text == canonical)
}

@Test func separatorsNewlinesAndTrailingSemicolonsGiveTheSameFlow() throws {
    let spellings = [
        "balance; rewrite; refactor",
        "balance;rewrite;refactor;",
        "b; rw; rf",
        "  b ;; rw ; ; rf ;  ",
        "balance\nrewrite\nrefactor\n",
        "b\r\nrw;\r\n\r\nrf",
        "# a comment line\nbalance; rewrite # trailing comment\n\nrefactor",
    ]
    for text in spellings {
        #expect(try Flow.parse(text).canonical == "balance; rewrite; refactor", "\(text)")
    }
}

@Test func canonicalTextRoundTripsInLongAndShortForm() throws {
    let flows = Flow.distinctRandom(count: 50, length: 12, seed: 7)
        + [try Flow.parse("resub -K 8 -N 2; drf -e -K 10; b -l; dc2 -b")]
    for flow in flows {
        let again = try Flow.parse(flow.canonical)
        #expect(again == flow)
        #expect(again.canonical == flow.canonical)
        #expect(try Flow.parse(flow.shortText) == flow)
        #expect(try Flow.parse(flow.abcScript) == flow)
    }
}

@Test func abcScriptHasOneSpelledOutCommandPerLine() throws {
    let flow = try Flow.parse("b; rwz; rs -K 6 -N 2")
    #expect(flow.abcScript == "balance\nrewrite -z\nresub -K 6 -N 2\n")
}

@Test func parseListReadsOneFlowPerLine() throws {
    let flows = try Flow.parseList("# recipes\nb; rw\n\nrf;rfz;\n   \nrs\n")
    #expect(flows.map(\.canonical) == ["balance; rewrite", "refactor; refactor -z", "resub"])
}

@Test func flowsEncodeAsTheirCanonicalText() throws {
    let flow = try Flow.parse("b; rwz; rs -N 2 -K 8")
    let json = try JSONEncoder().encode([flow])
    #expect(String(decoding: json, as: UTF8.self) == #"["balance; rewrite -z; resub -K 8 -N 2"]"#)
    #expect(try JSONDecoder().decode([Flow].self, from: Data(#"["b;rwz;rs -K8 -N2"]"#.utf8)) == [flow])
    #expect(throws: (any Error).self) { try JSONDecoder().decode([Flow].self, from: Data(#"["bogus"]"#.utf8)) }
}
