import Flows
import Tensor
import Testing
@testable import QoRModel

/// MAC and activation counts (COMPRESSION.md §4) against hand-computed fixtures.
@Suite struct NetworkCostTests {
    @Test func linearAndMLPFollowTheNTIRERules() {
        let weights = ParameterStore<Float>(seed: 1)
        var c = CostCounter()
        c.linear(Linear(weights, "l", input: 64, output: 32), rows: 1)
        #expect(c.macs == 2048)  // §4 test 2
        #expect(c.activations == 32)
        // A 2-layer toy MLP 5 -> 4 -> 3 on 2 rows: MACs 2·5·4 + 2·4 (ReLU) + 2·4·3; activations 2·4 + 2·3.
        let toy = ParameterStore<Float>(seed: 2)
        let mlp = MLP(toy, "m", sizes: [5, 4, 3])
        var m = CostCounter()
        m.mlp(mlp, rows: 2)
        #expect(m.macs == 40 + 8 + 24)
        #expect(m.activations == 14)
        #expect(toy.scalarCount == 5 * 4 + 4 + 4 * 3 + 3)  // §4 test 1: parameters of the toy MLP
    }

    /// A tiny sequence model on a 6-node workload, every term written out (see the comments).
    @Test func sequenceCostMatchesTheHandCount() throws {
        let a = SequenceConfig(hidden: 2, graphLayers: 1, designWidth: 3, embedding: 2, flowEncoder: .lstm, flowWidth: 2,
                               flowLayers: 1, heads: 1, fusionWidth: 4)
        let vocabulary = FlowVocabulary(flows: [try Flow.parse("b")], minimumSteps: 2)
        #expect(vocabulary.steps.count == 1)  // flow vector f = 2 + 6·1 + 1 = 9
        let net = SequenceNetwork(ParameterStore<Float>(seed: 1), a, vocabulary: vocabulary, knownDesigns: 1)
        let w = ReferenceWorkload(inputs: 2, ands: 3, outputs: 1, steps: 2)  // N = 6, E = 7
        #expect(w.nodes == 6 && w.edges == 7)
        let c = net.cost(w)
        // Graph pass: input 6·7·2 + ReLU 12 = 96; layer: aggregation 2·7·2 = 28, linear 6·10·2 + ReLU 12 = 132,
        // LayerNorm 2·12 = 24; mean pooling 6·2 = 12; readout (2·2 + 6 statistics = 10 inputs) 10·3 + 3 + 3·3 + 3 = 45;
        // with d = 3 + 6 = 9: design part 9·4 = 36; gate 9·9 = 81; level 9·2 + 2 + 2·2 = 24.
        #expect(DesignStats.featureCount == 6)
        #expect(c.graphPassMACs == 96 + 28 + 132 + 24 + 12 + 45 + 36 + 81 + 24)
        // Activations: 12; 4·6·2 + 12; 2; 3 + 3; 4; 9; 2 + 2.
        #expect(c.graphPassActivations == 12 + 60 + 2 + 6 + 4 + 9 + 4)
        // Per flow: LSTM 2 steps · (2 + 2) · 8 = 64; flow and product parts 9·4 each; ReLU 4; head 4·2 + 2 + 2·2 = 14.
        #expect(c.perFlowMACs == 64 + 36 + 36 + 4 + 14)
        // Activations: LSTM 2·8 (input) + 2·8 (recurrent); 4 + 4; head 2 + 2.
        #expect(c.perFlowActivations == 32 + 8 + 4)
        #expect(!c.graphPassPerFlow)
    }

    /// The supernode family pays a graph pass per flow; the Transformer's attention products count.
    @Test func supernodeAndTransformerCosts() throws {
        let vocabulary = FlowVocabulary(flows: [try Flow.parse("b; rw")], minimumSteps: 4)
        let s = SupernodeNetwork(ParameterStore<Float>(seed: 1), SupernodeConfig(hidden: 4, graphLayers: 2, fusionWidth: 8),
                                 vocabulary: vocabulary, knownDesigns: 0)
        let c = s.cost(.standard)
        #expect(c.graphPassPerFlow && c.perFlowMACs > c.graphPassMACs)
        // Each layer's message passing alone is 2·E·h MACs.
        #expect(c.graphPassMACs > 2 * 2 * ReferenceWorkload.standard.edges * 4)
        var t = SequenceConfig(hidden: 2, graphLayers: 1, designWidth: 3, embedding: 2, flowEncoder: .transformer, flowWidth: 4,
                               flowLayers: 1, heads: 2, fusionWidth: 4)
        let transformer = SequenceNetwork(ParameterStore<Float>(seed: 1), t, vocabulary: vocabulary, knownDesigns: 0)
        let w = ReferenceWorkload(inputs: 1, ands: 1, outputs: 1, steps: 3)
        // T = 3, d = 4: norms 2·12 ×3 (two per layer and the final one); qkv 3·4·12 = 144; QKᵀ and PV 2·3·3·4 = 72;
        // projection 3·4·4 = 48; feed-forward 3·4·8 + GELU 24 + 3·8·4 = 216; mean over steps 12; then the fusion
        // (f = 4 + 6·2 + 1 = 17): 2·17·4 + ReLU 4 + head 4·2 + 2 + 2·2 = 154.
        #expect(transformer.cost(w).perFlowMACs == 72 + 144 + 72 + 48 + 216 + 12 + 154)
        t.flowLayers = 2
        let deeper = SequenceNetwork(ParameterStore<Float>(seed: 1), t, vocabulary: vocabulary, knownDesigns: 0)
        // A second layer adds its two norms, qkv, attention products, projection and feed-forward.
        #expect(deeper.cost(w).perFlowMACs == 72 + 144 + 72 + 48 + 216 + 12 + 154 + (48 + 144 + 72 + 48 + 216))
    }
}
