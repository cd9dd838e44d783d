import Common
import Testing
@testable import Flows

// Published FNV-1a 64 test vectors (Fowler/Noll/Vo reference), and values computed by hand from
// the definition (offset basis 0xcbf29ce484222325, prime 0x100000001b3) for two canonical texts.
@Test func fnv1aMatchesTheDefinition() {
    #expect(StableHash.hex(StableHash.fnv1a64("")) == "cbf29ce484222325")
    #expect(StableHash.hex(StableHash.fnv1a64("a")) == "af63dc4c8601ec8c")
    #expect(StableHash.hex(StableHash.fnv1a64("foobar")) == "85944171f73967e8")
}

@Test func flowHashIsTheFnvOfItsCanonicalText() throws {
    #expect(try Flow.parse("b; rw; rf").hash == "d20e1d769ee67705")
    #expect(try Flow.parse("b\nrwz\nrs -N 2 -K 8").hash == "a8464186cf820494")
}

// Vigna's reference splitmix64.c, seeded with 0: the first three outputs.
@Test func splitMixMatchesTheReferenceSequence() {
    var g = SplitMix64(seed: 0)
    #expect(g.next() == 0xe220_a839_7b1d_cdaf)
    #expect(g.next() == 0x6e78_9e6a_a1b9_65f4)
    #expect(g.next() == 0x06c4_5d18_8009_454f)
}

@Test func boundedDrawsStayInRangeAndCoverIt() {
    var g = SplitMix64(seed: 42)
    var seen = Set<Int>()
    for _ in 0..<1000 {
        let x = g.next(below: 7)
        #expect((0..<7).contains(x))
        seen.insert(x)
    }
    #expect(seen.count == 7)
}

@Test func randomFlowsAreDeterministicDistinctAndFromTheVocabulary() {
    let a = Flow.distinctRandom(count: 200, length: 20, seed: 2024)
    let b = Flow.distinctRandom(count: 200, length: 20, seed: 2024)
    let c = Flow.distinctRandom(count: 200, length: 20, seed: 2025)
    #expect(a == b)
    #expect(a != c)
    #expect(Set(a).count == 200)
    #expect(a.allSatisfy { $0.steps.count == 20 && $0.steps.allSatisfy(Transformation.standard.contains) })
    // Over 4000 draws every one of the seven transformations appears.
    #expect(Set(a.flatMap(\.steps)).count == 7)
}

@Test func distinctRandomStopsAtTheNumberOfPossibleFlows() {
    let flows = Flow.distinctRandom(count: 100, length: 2, vocabulary: [.balance, .rewrite, .balance], seed: 1)
    #expect(flows.count == 4)
    #expect(Set(flows.map(\.canonical)) == ["balance; balance", "balance; rewrite", "rewrite; balance", "rewrite; rewrite"])
}
