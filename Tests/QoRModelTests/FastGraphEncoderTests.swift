import Common
import Flows
import Foundation
import Netlist
import Tensor
import Testing
@testable import QoRModel

@Suite struct FastGraphEncoderTests {
    /// Own designs and, where `../shared` is present, EPFL control and ISCAS'85 designs (a .bench too).
    func designs() throws -> [DesignSample] {
        var out = try ["mult_4", "adder_8", "sorter_8"].map { sample($0, try ownDesign($0)) }
        for relative in ["designs/epfl/random_control/ctrl.aig", "designs/epfl/random_control/cavlc.aig",
                         "designs/iscas85/aig/c432.aig", "designs/openabcd/bench/c1355_orig.bench"] {
            if let path = shared(relative) { out.append(sample(relative, try DesignReader.read(path: path))) }
        }
        return out
    }

    /// Random weights everywhere (LayerNorm gains and biases too), so that every operator matters.
    func network(seed: UInt64) -> (SequenceNetwork, ParameterStore<Float>) {
        let vocabulary = FlowVocabulary(flows: [try! Flow.parse("b; rw; rwz; rf; rfz; rs; rsz")], minimumSteps: 12)
        let weights = ParameterStore<Float>(seed: seed)
        let net = SequenceNetwork(weights, tinySequence(hidden: 12), vocabulary: vocabulary, knownDesigns: 2)
        var rng = SeededGenerator(seed: seed &+ 7)
        for id in weights.ids { weights[id] = .uniform(weights[id].shape, bound: 0.6, rng: &rng) }
        return (net, weights)
    }

    /// The design vector from the tape-free node states equals the taped graph encoder's, to 1e-5 relative.
    @Test func designVectorMatchesTheTapedEncoder() throws {
        let (net, weights) = network(seed: 11)
        let fast = try #require(FastGraphEncoder(net.graph, weights: weights))
        for design in try designs() {
            let t = GraphTensors<Float>(design)
            let g = Tape(weights, mode: .inference)
            let taped = g.value(net.graph(g, t))
            g.reset()
            let stats = g.constant(t.stats)
            let free = g.value(net.graph.readout(g, pooled: g.constant(fast.pooled(design.graph)), stats: stats))
            #expect(free.shape == taped.shape)
            let scale = max(1e-3, taped.data.map(abs).max() ?? 0)
            for (x, y) in zip(free.data, taped.data) { #expect(abs(x - y) <= 1e-5 * scale, "\(design.name): \(x) vs \(y)") }
            #expect(Set(taped.data).count > 4, "\(design.name): degenerate design vector")
        }
    }

    /// Predictions with the tape-free graph encoder and LSTM equal those of the taped network, to 1e-5 relative.
    @Test func predictionsMatchTheTapedPass() throws {
        let flows = ["b; rw; rf", "rwz; rfz; b; rs", "rsz; rsz; b", "rf; rw; b; b; rwz; rs"].map { try! Flow.parse($0) }
        let config = ModelConfig(
            architecture: Architecture(tinySequence(hidden: 12)), vocabulary: FlowVocabulary(flows: flows, minimumSteps: 12),
            scaling: TargetScaling(delayMean: 0.3, delayStd: 0.2, areaMean: 0.1, areaStd: 0.3),
            fingerprint: "0123456789abcdef", library: "test", units: QoRUnits(delay: "ps", area: "um^2"))
        let m = QoRPredictor(config: config, seed: 4)
        var rng = SeededGenerator(seed: 9)
        for id in m.weights.ids { m.weights[id] = .uniform(m.weights[id].shape, bound: 0.5, rng: &rng) }
        let inference = try #require(m.inference as? SequenceInference)
        for design in try designs() {
            inference.fastKernels = true
            m.clearCache()
            let fast = try m.predict(design, flows: flows)
            inference.fastKernels = false
            m.clearCache()
            let taped = try m.predict(design, flows: flows)
            for (x, y) in zip(fast, taped) {
                #expect(abs(x.delay - y.delay) <= 1e-5 * abs(y.delay) && abs(x.area - y.area) <= 1e-5 * abs(y.area),
                        "\(design.name): \(x) vs \(y)")
            }
            #expect(Set(taped.map(\.delay)).count > 1)
        }
        inference.fastKernels = true
    }
}

@Suite struct SupernodeInferenceTests {
    /// The supernode model with its graph off the tape predicts what `forward` on the tape predicts,
    /// for several flows side by side and for one alone.
    @Test func predictionsMatchTheTapedPass() throws {
        let flows = ["b; rw; rf", "rwz; rfz; b; rs", "rsz; rsz; b", "rf; rw; b; b; rwz; rs"].map { try! Flow.parse($0) }
        let config = ModelConfig(
            architecture: Architecture(SupernodeConfig(hidden: 8, graphLayers: 2, fusionWidth: 16)),
            vocabulary: FlowVocabulary(flows: flows, minimumSteps: 12),
            scaling: TargetScaling(delayMean: 0.3, delayStd: 0.2, areaMean: 0.1, areaStd: 0.3),
            fingerprint: "0123456789abcdef", library: "test", units: QoRUnits(delay: "ps", area: "um^2"))
        let m = QoRPredictor(config: config, seed: 4)
        var rng = SeededGenerator(seed: 9)
        // Seeded noise in the zero-initialised output layers and LayerNorm biases (the rest keeps its initialisation).
        for id in m.weights.ids where m.weights[id].data.allSatisfy({ $0 == 0 }) {
            m.weights[id] = .uniform(m.weights[id].shape, bound: 0.3, rng: &rng)
        }
        let inference = try #require(m.inference as? SupernodeInference)
        for design in try FastGraphEncoderTests().designs() {
            for list in [flows, [flows[3]]] {
                inference.fastKernels = true
                let fast = try m.predict(design, flows: list)
                inference.fastKernels = false
                let taped = try m.predict(design, flows: list)
                for (x, y) in zip(fast, taped) {
                    #expect(abs(x.delay - y.delay) <= 1e-5 * abs(y.delay) && abs(x.area - y.area) <= 1e-5 * abs(y.area),
                            "\(design.name): \(x) vs \(y)")
                }
                if list.count > 1 { #expect(Set(taped.map(\.delay)).count > 1 || Set(taped.map(\.area)).count > 1, "\(design.name): flows predicted alike") }
            }
        }
    }
}
