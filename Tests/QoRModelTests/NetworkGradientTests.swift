import Flows
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// Finite differences in Float64 against the backward passes of the AIG convolution and of both
/// networks' `forward` (the entry training uses), on tiny sizes with every weight random (the
/// zero-initialised heads would hide the layers before them).
@Suite struct NetworkGradientTests {
    /// A 2-input, 3-AND AIG with an inverted edge and a node of fanout 2.
    func tinyGraph() -> GraphTensors<Double> {
        var b = AigBuilder()
        let x = b.addInput(), y = b.addInput()
        let a = b.and(x, !y)
        let c = b.and(a, y)
        b.addOutput(b.and(!a, c))
        b.addOutput(c)
        let g = AigGraph(b.finish())
        return GraphTensors<Double>(g, stats: DesignStats(g))
    }

    func randomise(_ weights: ParameterStore<Double>, seed: UInt64) {
        for (k, id) in weights.ids.enumerated() {
            weights[id] = GradientCheck.random(weights[id].shape, seed: seed &+ UInt64(k), low: -0.8, high: 0.8)
        }
    }

    func check(_ inputs: [Tensor<Double>] = [], weights: ParameterStore<Double>, sourceLocation: SourceLocation = #_sourceLocation,
               _ f: (Tape<Double>, [Value]) -> Value) {
        let result = GradientCheck.run(inputs, weights: weights, tolerance: 1e-5, f)
        for m in result.mismatches.prefix(5) { Issue.record("\(m)", sourceLocation: sourceLocation) }
        #expect(result.worst < 1e-5, sourceLocation: sourceLocation)
    }

    let vocabulary = FlowVocabulary(steps: ["balance", "rewrite"], maxSteps: 4)
    /// Flows of different lengths (the masked mean and the LSTM's frozen state past the end).
    let tokens = TokenBatch([[1, 2, 2], [2, 1], [1]])

    @Test func aigConvolution() {
        let t = tinyGraph()
        let weights = ParameterStore<Double>(seed: 1)
        let layer = AigConvolution(weights, "conv", width: 3)
        randomise(weights, seed: 10)
        let h = GradientCheck.random([t.nodes, 2 * 3], seed: 11)
        check([h], weights: weights) { g, x in layer(g, x[0], t, copies: 2) }
    }

    @Test func sequenceNetwork() {
        let t = tinyGraph()
        let weights = ParameterStore<Double>(seed: 2)
        let config = SequenceConfig(hidden: 3, graphLayers: 1, designWidth: 3, embedding: 2, flowEncoder: .lstm, flowWidth: 3,
                                    flowLayers: 1, heads: 1, fusionWidth: 4)
        let network = SequenceNetwork(weights, config, vocabulary: vocabulary, knownDesigns: 1)
        randomise(weights, seed: 20)
        // Two designs in one step (one known, one presented as unseen): rows 0-1 and row 2.
        let groups = [DesignGroup(tensors: t, memory: 1, flows: 2), DesignGroup(tensors: t, memory: 0, flows: 1)]
        check(weights: weights) { g, _ in
            let out = network.forward(g, groups, tokens: tokens)
            return g.concat([out.effect, out.level], axis: 0)
        }
    }

    @Test func sequenceNetworkWithTransformer() {
        let t = tinyGraph()
        let weights = ParameterStore<Double>(seed: 3)
        let config = SequenceConfig(hidden: 2, graphLayers: 1, designWidth: 2, embedding: 2, flowEncoder: .transformer, flowWidth: 4,
                                    flowLayers: 1, heads: 2, fusionWidth: 4)
        let network = SequenceNetwork(weights, config, vocabulary: vocabulary, knownDesigns: 0)
        randomise(weights, seed: 30)
        check(weights: weights) { g, _ in
            let out = network.forward(g, [DesignGroup(tensors: t, memory: 0, flows: 3)], tokens: tokens)
            return g.concat([out.effect, out.level], axis: 0)
        }
    }

    @Test func supernodeNetwork() {
        let t = tinyGraph()
        let weights = ParameterStore<Double>(seed: 4)
        let network = SupernodeNetwork(weights, SupernodeConfig(hidden: 3, graphLayers: 2, fusionWidth: 4), vocabulary: vocabulary,
                                       knownDesigns: 1)
        randomise(weights, seed: 40)
        check(weights: weights) { g, _ in
            let out = network.forward(g, [DesignGroup(tensors: t, memory: 1, flows: 3)], tokens: tokens)
            return g.concat([out.effect, out.level], axis: 0)
        }
    }
}
