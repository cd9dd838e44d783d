import Flows
import Testing
@testable import QoRModel

@Suite struct DesignRidgeTests {
    @Test func summaryOfAShortFlowIsTheHandComputedOne() throws {
        // Tokens: 1 = b, 2 = rw (vocabulary order of the flows given).
        let vocabulary = FlowVocabulary(flows: [try Flow.parse("b; rw")])
        let tokens = try vocabulary.tokens(try Flow.parse("b; rw; b"), number: nil)
        let steps = vocabulary.steps.count
        let x = TokenBatch([tokens]).summary(steps: steps)
        #expect(x.shape == [1, 6 * steps + 1])
        let b = try #require(vocabulary.steps.firstIndex(of: "balance")), rw = try #require(vocabulary.steps.firstIndex(of: "rewrite"))
        func at(_ block: Int, _ step: Int) -> Float { x.data[block * steps + step] }
        #expect(abs(at(0, b) - 2.0 / 3) < 1e-6 && abs(at(0, rw) - 1.0 / 3) < 1e-6)
        // Recency: the last b 0.2, rw 0.2 * 0.8, the first b 0.2 * 0.8^2.
        #expect(abs(at(1, b) - 0.328) < 1e-6 && abs(at(1, rw) - 0.16) < 1e-6)
        // Quarters of a 3-step flow: steps 0, 1, 2 fall in quarters 0, 1, 2; each counts 4/3.
        #expect(abs(at(2, b) - 4.0 / 3) < 1e-6 && at(2, rw) == 0)
        #expect(abs(at(3, rw) - 4.0 / 3) < 1e-6 && at(3, b) == 0)
        #expect(abs(at(4, b) - 4.0 / 3) < 1e-6 && at(5, b) == 0)
        #expect(abs(x.data[6 * steps] - 3.0 / 20) < 1e-6)
    }

    @Test func ridgeRecoversAnExactLinearLaw() {
        // y = 1 + 2 x0 - x1 on six points, with a negligible penalty.
        let x: [[Float]] = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 1], [1, 3]]
        let y = x.map { 1 + 2 * Double($0[0]) - Double($0[1]) }
        let c = DesignRidge.fit(x, y, scale: [1, 1], lambda: 1e-9)
        #expect(abs(c[0] - 1) < 1e-6 && abs(c[1] - 2) < 1e-6 && abs(c[2] + 1) < 1e-6)
        #expect(abs(DesignRidge.apply(c, [Float(3), 2]) - 5) < 1e-6)
    }

    @Test func theInterceptMakesTheMedianResidualZero() {
        // A constant feature carries no information: the fit is the median of y, not its mean.
        let x: [[Float]] = [[1], [1], [1], [1], [1]]
        let y: [Double] = [0, 0, 1, 1, 10]
        let c = DesignRidge.fit(x, y, scale: [1], lambda: 10)
        #expect(abs(DesignRidge.apply(c, [Float(1)]) - 1) < 1e-9)
    }

    /// Three designs whose targets are their own level plus one shared linear law of the flow
    /// summary: the pooled ridge finds the law (up to its shrinkage) on flows it never saw.
    @Test func pooledFlowRidgeFindsTheSharedFlowEffect() throws {
        let flows = Flow.distinctRandom(count: 40, length: 10, seed: 9)
        let vocabulary = FlowVocabulary(flows: flows)
        let tokens = try flows.map { try vocabulary.tokens($0, number: nil) }
        let summaries = TokenBatch(tokens).summaryRows(steps: vocabulary.steps.count)
        let p = summaries[0].count
        let w = (0..<p).map { k in Float(k % 3 == 0 ? 1 : (k % 3 == 1 ? -0.5 : 0)) }
        func law(_ f: Int) -> Float { zip(w, summaries[f]).reduce(0) { $0 + $1.0 * $1.1 } }
        let names = ["adder_8", "mult_4", "sorter_8"], level: [Float] = [-1, 0.5, 2]
        var examples: [LabelledExample] = [], targets: [(Float, Float)] = []
        for d in 0..<3 {
            for f in 0..<flows.count {
                examples.append(LabelledExample(design: d, flow: f, delay: 1, area: 1))
                targets.append((level[d] + law(f), level[d] - 2 * law(f)))
            }
        }
        let set = try TrainingSet(designs: try names.map { sample($0, try ownDesign($0)) }, flows: flows, examples: examples)
        // Flows 0..<30 train; flows 30..<40 of design 2 validate and test.
        var byDesign: [Int: [Int]] = [:], levels: [Int: (Float, Float)] = [:]
        for (i, e) in examples.enumerated() where e.flow < 30 { byDesign[e.design, default: []].append(i) }
        for (d, rows) in byDesign {
            let n = Float(rows.count)
            levels[d] = (rows.reduce(0) { $0 + targets[$1].0 } / n, rows.reduce(0) { $0 + targets[$1].1 } / n)
        }
        let validation = examples.indices.filter { examples[$0].flow >= 30 && examples[$0].design == 2 }
        let fit = BaseFit.pooledFlowRidge(byDesign, levels: levels, validation: validation, set: set, targets: targets, summaries: summaries)
        let unseen = Array(30..<40)
        let truth = unseen.map { Double(law($0)) }
        for (k, sign) in [(0, 1.0), (1, -2.0)] {
            let predicted = unseen.map { DesignRidge.apply(fit[k], summaries[$0]) }
            #expect(Metrics.spearman(predicted, truth.map { sign * $0 }) > 0.95)
        }
    }

    /// Distances from the design means over the spread, averaged over designs: flow 3 is nearest,
    /// then 0, then 2; flow 4 sits exactly on a mean but is labelled on one design of three.
    @Test func typicalFlowsAreTheClosestToTheDesignMeans() throws {
        let flows = try ["b", "rw", "rf", "rs", "rwz"].map { try Flow.parse($0) }
        let offsets: [Float] = [0.1, -1, 0.9, 0.0], level: [Float] = [0, 5, -2]
        var examples: [LabelledExample] = [], targets: [(Float, Float)] = []
        var byDesign: [Int: [Int]] = [:]
        for d in 0..<3 {
            for f in 0..<4 {
                byDesign[d, default: []].append(examples.count)
                examples.append(LabelledExample(design: d, flow: f, delay: 1, area: 1))
                let y = level[d] + offsets[f] * Float(d + 1)
                targets.append((y, y))
            }
        }
        byDesign[0, default: []].append(examples.count)
        examples.append(LabelledExample(design: 0, flow: 4, delay: 1, area: 1))
        targets.append((0, 0))
        let names = ["adder_8", "mult_4", "sorter_8"]
        let set = try TrainingSet(designs: try names.map { sample($0, try ownDesign($0)) }, flows: flows, examples: examples)
        // Means are the levels: offsets of the four common flows sum to zero (flow 4 moves design 0's mean by 0).
        let levels = Dictionary(uniqueKeysWithValues: (0..<3).map { ($0, (level[$0], level[$0])) })
        #expect(CalibrationFlows.anchors(byDesign, levels: levels, targets: targets, sigma: (1, 1), set: set, others: 0) == [3, 0, 2])
        // Then the other flows on at least half the designs (flow 1; not flow 4, on one design of three), once each.
        #expect(CalibrationFlows.anchors(byDesign, levels: levels, targets: targets, sigma: (1, 1), set: set) == [3, 0, 2, 1])
        #expect(CalibrationFlows.anchors(byDesign, levels: levels, targets: targets, sigma: (1, 1), set: set, typical: 1, others: 3).sorted() == [0, 1, 2, 3])
    }
}
