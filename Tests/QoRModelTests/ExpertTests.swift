import Flows
import Foundation
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// Mixture-of-experts placements in the sequence model, MoEC's cluster dropout, and expert pruning
/// (COMPRESSION.md §2.1 tests 5, §2.2 tests 1-6).
@Suite struct ExpertTests {
    func tinyGraph<S: TensorScalar>(_ type: S.Type = Double.self) -> GraphTensors<S> {
        var b = AigBuilder()
        let x = b.addInput(), y = b.addInput()
        let a = b.and(x, !y)
        let c = b.and(a, y)
        b.addOutput(b.and(!a, c))
        b.addOutput(c)
        let g = AigGraph(b.finish())
        return GraphTensors<S>(g, stats: DesignStats(g))
    }

    let vocabulary = FlowVocabulary(steps: ["balance", "rewrite"], maxSteps: 4)
    let tokens = TokenBatch([[1, 2, 2], [2, 1], [1]])

    func config(_ moe: MoESettings, encoder: FlowEncoderKind = .transformer) -> SequenceConfig {
        var c = SequenceConfig(hidden: 2, graphLayers: 1, designWidth: 2, embedding: 2, flowEncoder: encoder, flowWidth: 4,
                               flowLayers: 1, heads: 2, fusionWidth: 4)
        c.moe = moe
        return c
    }

    /// Finite differences through each placement's forward, auxiliary loss included, every weight random.
    @Test(arguments: [
        MoESettings(placement: .head, experts: 3, capacityFactor: 1),
        MoESettings(placement: .ffn, experts: 4, router: .cosine, clusters: 2),
        MoESettings(placement: .gin, experts: 2, router: .cosine, clusters: 1, capacityFactor: 1),
    ])
    func placementGradients(moe: MoESettings) {
        let weights = ParameterStore<Double>(seed: 5)
        let network = SequenceNetwork(weights, config(moe), vocabulary: vocabulary, knownDesigns: 1)
        for (k, id) in weights.ids.enumerated() {
            weights[id] = GradientCheck.random(weights[id].shape, seed: 50 &+ UInt64(k), low: -0.8, high: 0.8)
            if weights.name(id).hasSuffix("temperature") { weights[id] = Tensor(scalar: 0.5) }
        }
        let t = tinyGraph()
        let result = GradientCheck.run([], weights: weights, tolerance: 1e-5) { g, _ in
            let out = network.forward(g, [DesignGroup(tensors: t, memory: 1, flows: 3)], tokens: tokens)
            let aux = out.auxiliary ?? g.constant(Tensor(zeros: [1]))
            return g.concat([g.reshape(out.effect, [6, 1]), g.reshape(out.level, [2, 1]), g.reshape(aux, [1, 1])], axis: 0)
        }
        for m in result.mismatches.prefix(5) { Issue.record("\(m)") }
        #expect(result.worst < 1e-5)
        #expect(network.expertLayers.count == 1)
    }

    /// §2.1 test 5: survivors stay for exactly `dropoutInterval` steps, then are resampled; every
    /// cluster keeps ⌈(1-r)·size⌉ ≥ 1; eval uses every expert; r = 0 keeps all.
    @Test func clusterDropoutInvariants() {
        let moe = MoESettings(placement: .head, experts: 8, router: .cosine, clusters: 2, expertDropout: 0.5, dropoutInterval: 3)
        let control = ExpertControl(moe, layers: 2, seed: 7)
        var seen: [[[Bool]]] = [control.survivors]
        var changes = 0
        for step in 1...60 {
            let before = control.survivors
            control.didStep(step)
            if step % 3 != 0 { #expect(control.survivors == before, "step \(step)") } else if control.survivors != before { changes += 1 }
            seen.append(control.survivors)
            for layer in 0..<2 {
                #expect(control.candidates(layer, training: false) == [Bool](repeating: true, count: 8))
                let training = control.candidates(layer, training: true)
                for c in 0..<2 { #expect(training[(c * 4)..<(c * 4 + 4)].filter { $0 }.count == 2) }
            }
        }
        #expect(changes >= 10, "resampled \(changes) times in 20 intervals")
        let none = ExpertControl(MoESettings(placement: .head, experts: 4, router: .cosine, clusters: 2, expertDropout: 0), layers: 1, seed: 7)
        #expect(none.candidates(0, training: true) == [true, true, true, true])
    }

    /// Eval is unaffected by dropout state; no token goes to a dropped expert while training.
    @Test func evalIgnoresDropout() {
        let moe = MoESettings(placement: .head, experts: 4, router: .cosine, clusters: 2, dropoutInterval: 1)
        let weights = ParameterStore<Float>(seed: 3)
        let network = SequenceNetwork(weights, config(moe, encoder: .lstm), vocabulary: vocabulary, knownDesigns: 0)
        for id in weights.ids { weights[id] = GradientCheck.random(weights[id].shape, seed: UInt64(id.index) &+ 90).converted(to: Float.self) }
        guard let control = network.experts else {
            Issue.record("an MoE head has an expert control")
            return
        }
        let t = tinyGraph(Float.self)
        func evaluate() -> Tensor<Float> {
            let g = Tape<Float>(weights, mode: .inference)
            return g.value(network.forward(g, [DesignGroup(tensors: t, memory: 0, flows: 3)], tokens: tokens).effect)
        }
        let first = evaluate()
        for step in 1...5 {
            control.didStep(step)
            #expect(evaluate() == first)
            let g = Tape<Float>(weights, mode: .training)
            let x = g.constant(Tensor<Float>([6, 4], (0..<24).map { Float($0 % 7) - 3 }))
            let survivors = control.candidates(0, training: true)
            let assigned = network.expertLayers[0](g, x, candidates: survivors).assignment.expert
            #expect(assigned.allSatisfy { $0 < 0 || survivors[Int($0)] })
        }
    }

    func assignment(_ experts: [Int32], score: Double = 0.9, count: Int) -> ExpertAssignment {
        var load = [Int](repeating: 0, count: count)
        for e in experts { load[Int(e)] += 1 }
        return ExpertAssignment(expert: experts, argmax: experts, score: experts.map { _ in score }, capacity: 100, load: load)
    }

    /// §2.2 test 6: an expert that gets every token leaves the others below any β: all dropped at the first window.
    @Test func dominantExpertPrunesTheRestAtOnce() {
        let control = ExpertControl(MoESettings(placement: .head, experts: 4), layers: 1, seed: 1)
        control.startPruning(ExpertPruningSchedule(horizon: 0.5, windows: 4), steps: 40)
        for step in 1...5 {
            control.record(0, assignment([Int32](repeating: 2, count: 10), count: 4))
            control.didStep(step)
        }
        #expect(control.alive[0] == [false, false, true, false])
        #expect(control.settled)
    }

    /// §2.2 tests 1 and 3: |alive| never grows, is 1 in every layer by the horizon, and the survivor
    /// is the expert of highest accumulated proficiency.
    @Test func pruningIsMonotoneAndEndsAtTheHorizon() {
        let control = ExpertControl(MoESettings(placement: .gin, experts: 6), layers: 2, seed: 1)
        control.startPruning(ExpertPruningSchedule(horizon: 0.5, windows: 4), steps: 48)
        var rng = SeededGenerator(seed: 9)
        for step in 1...48 {
            for layer in 0..<2 {
                let alive = control.alive[layer].indices.filter { control.alive[layer][$0] }
                // Skewed use: lower experts more often (expert e with weight 1 / (e + 1)).
                let tokens = (0..<30).map { _ -> Int32 in
                    let w = alive.map { 1 / Double($0 + 1 + layer) }, r = rng.unit() * w.reduce(0, +)
                    var acc = 0.0
                    for (k, e) in alive.enumerated() { acc += w[k]; if r < acc { return Int32(e) } }
                    return Int32(alive[alive.count - 1])
                }
                control.record(layer, assignment(tokens, score: 0.5 + 0.4 * rng.unit(), count: 6))
            }
            if step == 24 {
                let before = (0..<2).map { l in control.alive[l].indices.filter { control.alive[l][$0] }.max { control.proficiency[l][$0] < control.proficiency[l][$1] } }
                control.didStep(step)
                #expect(control.survivorsAfterPruning == before.compactMap { $0 })
            } else {
                control.didStep(step)
            }
        }
        let history = control.aliveHistory
        for l in 0..<2 {
            let counts = history.map { $0[l] }
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 }, "layer \(l): \(counts)")
            #expect(counts[23] == 1 && counts.last == 1)
            #expect(counts[22] >= 1)
        }
    }
}
