import Common
import Flows
import Foundation
import QoRModel
import Testing
@testable import Search

/// A planted design: the log objective falls by 0.2 per unit share of `balance` in the flow (plus
/// nothing else). After 30 labels the ridge must have learnt it: the flows it picks have more
/// balance than the candidates do on average, and its posterior mean orders held-out flows by it.
@Test func ridgeLearnsAPlantedEffectAndExploitsIt() throws {
    let vocabulary = FlowVocabulary(steps: Transformation.standard.map(\.text).sorted(), maxSteps: 20)
    let proposals = Proposals(vocabulary: Transformation.standard, length: 12, maxLength: 20)
    func share(_ f: Flow) -> Double { Double(f.steps.filter { $0 == .balance }.count) / Double(f.steps.count) }
    func truth(_ f: Flow) -> Double { 5 - 0.2 * share(f) }
    var g = SplitMix64(seed: 11)
    var history = SearchHistory()
    for _ in 0..<30 {
        let f = proposals.random(using: &g)
        history.verified.append((f, truth(f)))
        history.tried.insert(f.canonical)
    }
    var strategy = try RidgeThompson(StrategyContext(proposals: proposals, vocabulary: vocabulary, prior: nil, candidates: 400))
    let posterior = try #require(try strategy.fit(history))
    let heldOut = (0..<200).map { _ in proposals.random(using: &g) }
    let predicted = try strategy.features(heldOut).map(posterior.predict)
    // Rank agreement between the posterior mean and the planted truth on flows it never saw.
    var agree = 0, total = 0
    for i in 0..<heldOut.count {
        for j in (i + 1)..<heldOut.count where share(heldOut[i]) != share(heldOut[j]) {
            total += 1
            if (predicted[i] < predicted[j]) == (truth(heldOut[i]) < truth(heldOut[j])) { agree += 1 }
        }
    }
    #expect(Double(agree) / Double(total) > 0.9)
    let picked = try strategy.next(count: 4, history: history, using: &g)
    #expect(picked.count == 4 && picked.allSatisfy { !history.tried.contains($0.canonical) })
    let mean = heldOut.map(share).reduce(0, +) / Double(heldOut.count)
    #expect(picked.map(share).reduce(0, +) / 4 > mean + 0.1)
}
