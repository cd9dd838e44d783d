import Common
import Flows
import Foundation
import Testing
@testable import Search

@Test func referenceFlowsAreTheFlowFiles() throws {
    let refs = try ReferenceFlows.all()
    #expect(refs[0].flow == (try Flow.load(contentsOf: repositoryRoot + "/flows/resyn2.flow")))
    #expect(refs[1].flow == (try Flow.load(contentsOf: repositoryRoot + "/flows/compress2rs.flow")))
}

@Test func candidatesAreDistinctNewAndOfTheVocabulary() throws {
    let p = Proposals(vocabulary: Transformation.standard, length: 12, maxLength: 20)
    var g = SplitMix64(seed: 9)
    let parents = (0..<4).map { _ in p.random(using: &g) }
    let tried = Set(parents.map(\.canonical))
    let c = p.candidates(parents: parents, tried: tried, random: 200, mutants: 300, crosses: 200, using: &g)
    #expect(c.count > 450)  // mutations of four parents overlap: one substitution has 84 neighbours
    #expect(Set(c.map(\.canonical)).count == c.count)
    #expect(c.allSatisfy { !tried.contains($0.canonical) })
    #expect(c.allSatisfy { f in (1...20).contains(f.steps.count) && f.steps.allSatisfy { Transformation.standard.contains($0) } })
    // Mutations keep the length and differ from the parent in few positions.
    for _ in 0..<100 {
        let child = p.mutate(parents[0], using: &g)
        #expect(child.steps.count == 12)
    }
}

@Test func flowFileIsWrittenWholeAndReadsBack() throws {
    let dir = try temporaryDirectory()
    let flow = try Flow.parse("b; rw; rfz; rs")
    try FlowFileWriter.write(flow, comments: ["best of 5"], to: dir + "/best.flow")
    #expect(try Flow.load(contentsOf: dir + "/best.flow") == flow)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["best.flow"])
    #expect(throws: SearchError.self) { try FlowFileWriter.write(flow, comments: [], to: dir + "/missing/best.flow") }
}
