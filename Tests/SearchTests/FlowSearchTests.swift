import Flows
import Foundation
import Netlist
import QoRModel
import Store
import Synthesis
import Testing
@testable import Search

private func search(_ db: String, budget: Int, useModel: Bool = true, seed: UInt64 = 1) throws -> SearchOutcome {
    let model = try shippedModel()
    let settings = SearchSettings(budget: budget, objective: .adp, flowLength: 8, jobs: 2, seed: seed, candidates: 200)
    return try FlowSearch(store: try Store(path: db), driver: AbcDriver(), library: .nangate45, settings: settings, predictor: model,
                          useModel: useModel).run(try newDesign("designs/gen/adder_8.aig"))
}

private func labels(_ db: String) throws -> [DesignLabel] {
    let store = try Store(path: db)
    let design = try #require(try store.designs().first)
    let lib = try #require(try store.libraries().first)
    return try store.designLabels(designID: design.id, libraryID: lib.id)
}

@Test func budgetOfFiveStoresFiveLabelsAndARerunResumes() throws {
    let db = try temporaryDirectory() + "/q.sqlite"
    let references = Set(try ReferenceFlows.all().map(\.flow.canonical))
    let first = try search(db, budget: 5)
    #expect(first.newRuns == 5 && first.spent == 5 && first.resumed == 0)
    let stored = try labels(db)
    let searched = stored.filter { !references.contains($0.flowText) }
    #expect(searched.count == 5 && Set(searched.map(\.flowText)).count == 5)
    #expect(stored.count == 7)  // and the two reference runs, which the budget does not count

    // The same budget again: nothing to do, nothing new.
    let again = try search(db, budget: 5)
    #expect(again.newRuns == 0 && again.resumed == 5)
    #expect(try labels(db) == stored)

    // A larger budget continues: three new flows, the first five kept, no flow twice.
    let more = try search(db, budget: 8)
    #expect(more.newRuns == 3 && more.resumed == 5 && more.spent == 8)
    let after = try labels(db)
    #expect(after.count == 10 && Set(after.map(\.flowText)).count == 10)
    #expect(Set(stored.map(\.flowText)).isSubset(of: Set(after.map(\.flowText))))
}

@Test func reportedBestIsTheStoredLabelAndAHandRunOfABC() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let outcome = try search(db, budget: 4, useModel: false, seed: 7)
    let best = try #require(outcome.best)
    let references = Set(try ReferenceFlows.all().map(\.flow.canonical))
    let searched = try labels(db).filter { !references.contains($0.flowText) && $0.status == "ok" }
    let minimum = try #require(searched.min { ($0.delay ?? 0) * ($0.area ?? 0) < ($1.delay ?? 0) * ($1.area ?? 0) })
    #expect(minimum.flowText == best.flow && minimum.delay == best.delay && minimum.area == best.area)
    // ABC run by hand through the driver on the design file gives the same numbers.
    let hand = try AbcDriver().synthesize(design: repositoryRoot + "/designs/gen/adder_8.aig", flow: try Flow.parse(best.flow), library: .nangate45)
    #expect(hand.delay == best.delay && hand.area == best.area)
    // And the reference rows are ABC's too.
    let resyn2 = try #require(outcome.references.first { $0.name == "resyn2" })
    let handResyn2 = try AbcDriver().synthesize(design: repositoryRoot + "/designs/gen/adder_8.aig", flow: try Flow.parse(ReferenceFlows.resyn2), library: .nangate45)
    #expect(resyn2.result.delay == handResyn2.delay && resyn2.result.area == handResyn2.area)
}
