import Common
import Flows
import Foundation
import QoRModel

/// The design's own model, refitted every round: a Bayesian ridge of the log objective on the
/// flow summary features the model's per-design bases use (standardised), plus — when there is
/// a model — the model's predicted log objective as a feature whose weight starts at 1. So before
/// any label the ranking is the model's (its prediction includes the pooled flow ridge), and each
/// label moves it toward what this design does. The prior's two scales (weights, noise) are
/// chosen by the evidence of the labels. Flows are chosen by Thompson sampling: each slot of a
/// round draws weights from the posterior and takes the best candidate under them, which explores
/// where the posterior is unsure and exploits where it is not.
public struct RidgeThompson: SearchStrategy {
    let proposals: Proposals
    let vocabulary: FlowVocabulary
    let prior: ModelPrior?
    /// Mean and scale of each summary feature over random flows of the search's length.
    let featureMean: [Double], featureScale: [Double]
    /// Mean of the model's log prediction over the same flows.
    let priorMean: Double
    /// Candidates per round: random flows, mutations, recombinations.
    public var pool: (random: Int, mutants: Int, crosses: Int)
    /// Prior mean of the model prediction's weight: 1 starts from the model's ranking, 0 lets the
    /// design's labels decide whether the model helps at all.
    let modelWeightMean: Double

    public init(_ context: StrategyContext, modelWeightMean: Double = 1) throws {
        self.modelWeightMean = modelWeightMean
        proposals = context.proposals
        vocabulary = context.vocabulary
        prior = context.prior
        let n = context.candidates
        pool = (random: n * 8 / 25, mutants: n * 12 / 25, crosses: n / 5)
        var g = SplitMix64(seed: 0x5EA4C4)
        let reference = (0..<min(2000, n)).map { _ in context.proposals.random(using: &g) }
        let x = try vocabulary.summaries(reference)
        let p = x.first?.count ?? 0
        var mean = [Double](repeating: 0, count: p), scale = [Double](repeating: 0, count: p)
        for row in x { for k in 0..<p { mean[k] += Double(row[k]) / Double(x.count) } }
        for row in x { for k in 0..<p { scale[k] += (Double(row[k]) - mean[k]) * (Double(row[k]) - mean[k]) / Double(x.count) } }
        featureMean = mean
        // Constant features (the length, for one search length) get a unit scale: their weight is
        // then held near zero and only moves for labels of other lengths (such as resyn2's).
        featureScale = scale.map { $0 > 1e-8 ? $0.squareRoot() : 1 }
        if let prior = context.prior {
            let m = try prior.logValues(reference)
            priorMean = m.reduce(0, +) / Double(max(1, m.count))
        } else {
            priorMean = 0
        }
    }

    /// The feature rows of flows: 1, the standardised summary, and the centred model prediction.
    func features(_ flows: [Flow]) throws -> [[Double]] {
        let x = try vocabulary.summaries(flows)
        let m = try prior?.logValues(flows)
        return x.enumerated().map { i, row in
            var out = [1.0]
            out.reserveCapacity(row.count + 2)
            for k in 0..<row.count { out.append((Double(row[k]) - featureMean[k]) / featureScale[k]) }
            if let m { out.append(m[i] - priorMean) }
            return out
        }
    }

    /// The posterior given the verified flows, its hyperparameters chosen by the evidence.
    public func fit(_ history: SearchHistory) throws -> BayesianRidge? {
        let flows = history.verified.map(\.flow)
        let x = try features(flows)
        let n = history.verified.count
        let y0 = history.verified.map(\.logValue)
        let centre = n > 0 ? y0.reduce(0, +) / Double(n) : 0
        let y = y0.map { $0 - centre }
        let p = featureMean.count
        // How much QoR moves across flows within a design: the labels' own variance once there are
        // a few, else a typical value (log-objective spread of a few percent).
        let variance = n >= 4 ? max(y.reduce(0) { $0 + $1 * $1 } / Double(n - 1), 1e-6) : 0.05 * 0.05
        func model(_ weightShare: Double, _ noiseShare: Double) -> BayesianRidge? {
            var mean = [0.0] + [Double](repeating: 0, count: p)
            var v = [1.0] + [Double](repeating: weightShare * variance / Double(max(1, p)), count: p)
            if prior != nil {
                mean.append(modelWeightMean)
                v.append(0.25)
            }
            return BayesianRidge(x: x, y: y, priorMean: mean, priorVariance: v, noise: noiseShare * variance)
        }
        guard n >= 4 else { return model(1, 0.5) }
        var best: BayesianRidge?
        for w in [0.1, 0.3, 1, 3] {
            for s in [0.05, 0.2, 0.5, 1] {
                if let m = model(w, s), m.logEvidence > best?.logEvidence ?? -.infinity { best = m }
            }
        }
        return best
    }

    public mutating func next(count: Int, history: SearchHistory, using g: inout SplitMix64) throws -> [Flow] {
        let parents = Array(history.ranked.filter { vocabulary.covers($0) }.prefix(8))
        let candidates = proposals.candidates(
            parents: parents, tried: history.tried, random: pool.random, mutants: pool.mutants, crosses: pool.crosses, using: &g
        ).filter { vocabulary.covers($0) }
        guard !candidates.isEmpty else { return [] }
        let x = try features(candidates)
        guard let posterior = try fit(history) else {
            return Array(candidates.prefix(count))
        }
        var chosen: [Int] = []
        var taken = Set<Int>()
        for _ in 0..<min(count, candidates.count) {
            let w = posterior.sample(using: &g)
            var best = -1, bestScore = Double.infinity
            for (i, row) in x.enumerated() where !taken.contains(i) {
                let s = zip(w, row).reduce(0) { $0 + $1.0 * $1.1 }
                if s < bestScore { (best, bestScore) = (i, s) }
            }
            guard best >= 0 else { break }
            chosen.append(best)
            taken.insert(best)
        }
        return chosen.map { candidates[$0] }
    }
}
