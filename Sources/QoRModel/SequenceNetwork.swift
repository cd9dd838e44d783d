import Tensor

/// The design side of the fusion, computed once per design: the design's additive term in the
/// first fusion layer `[1, fusionWidth]`, the gate that multiplies each flow vector
/// `[1, flowWidth + 6 * steps + 1]`, and the level predicted from the graph `[1, 2]`.
struct DesignContext {
    let additive: Tensor<Float>
    let gate: Tensor<Float>
    let level: Tensor<Float>
}

/// Graph encoder once per design, flow encoder once per flow, and a fusion MLP:
/// `h = relu(W_f f + W_d d + W_x (f ⊙ gate(d)))`, then an MLP to the flow's effect on (delay, area);
/// the design's level comes from the graph alone (see `TargetScaling`).
/// The flow vector `f` is the encoder's output joined with the flow's summary (share, recency and
/// share per quarter of each step kind, length), which a linear model already ranks with; the product term lets a
/// flow's effect depend on the design (the ranking within a design). The effect's last layer
/// starts at zero, so an untrained model predicts each known design's level.
struct SequenceNetwork {
    let graph: GraphEncoder
    let memory: Embedding
    let flow: FlowEncoder
    let designPart: Linear
    let designGate: Linear
    let flowPart: Linear
    let productPart: Linear
    let head: MLP
    let level: MLP
    let steps: Int

    init(_ store: ParameterStore<Float>, _ a: Architecture, vocabulary: FlowVocabulary, knownDesigns: Int) {
        graph = GraphEncoder(store, "graph", a)
        memory = Embedding(store, "design.memory", count: knownDesigns + 1, dimension: a.designWidth, std: 0.01)
        flow = FlowEncoder(store, "flow", a, vocabulary: vocabulary)
        let d = a.designWidth + DesignStats.featureCount
        steps = vocabulary.steps.count
        let f = a.flowWidth + 6 * steps + 1
        designPart = Linear(store, "fusion.design", input: d, output: a.fusionWidth)
        designGate = Linear(store, "fusion.gate", input: d, output: f)
        flowPart = Linear(store, "fusion.flow", input: f, output: a.fusionWidth, bias: false)
        productPart = Linear(store, "fusion.product", input: f, output: a.fusionWidth, bias: false)
        head = MLP(store, "fusion.head", sizes: [a.fusionWidth, a.fusionWidth / 2, 2])
        head.zeroLastLayer(store)
        level = MLP(store, "design.level", sizes: [d, a.fusionWidth / 2, 2])
        level.zeroLastLayer(store)
    }

    /// The design's fusion terms and level as graph nodes; `memory` is the design's row of the
    /// memory (0: unseen), which the level does not see.
    func context(_ g: Graph<Float>, _ t: GraphTensors, memory index: Int32) -> (additive: Node, gate: Node, level: Node) {
        let encoded = graph(g, t), stats = g.constant(t.stats)
        let d = g.concat([g.add(encoded, memory(g, [index])), stats], axis: 1)
        return (designPart(g, d), g.affine(g.tanh(designGate(g, d)), scale: 1, shift: 1), level(g, g.concat([encoded, stats], axis: 1)))
    }

    /// The flow vectors `[B, flowWidth + 6 * steps + 1]`: encoder output and flow summary.
    func flowVectors(_ g: Graph<Float>, encoded: Node, _ batch: TokenBatch) -> Node {
        g.concat([encoded, g.constant(batch.summary(steps: steps))], axis: 1)
    }

    /// Effects `[B, 2]` of flows (`flowVectors`) on one design.
    func fuse(_ g: Graph<Float>, flows f: Node, additive: Node, gate: Node) -> Node {
        let pre = g.add(g.add(flowPart(g, f), additive), productPart(g, g.mul(f, gate)))
        return head(g, g.relu(pre))
    }

    /// Training forward: one flow-encoder pass for all flows of the step, then each design's
    /// consecutive rows are fused with its context. `groups` = (design tensors, memory row, flow
    /// count) in row order; per group, the effects `[count, 2]` and the level `[1, 2]`.
    func forward(_ g: Graph<Float>, groups: [(GraphTensors, Int32, Int)], tokens: TokenBatch) -> [(effect: Node, level: Node)] {
        let f = flowVectors(g, encoded: flow(g, tokens), tokens)
        var start = 0, outputs: [(effect: Node, level: Node)] = []
        for (t, index, count) in groups {
            let c = context(g, t, memory: index)
            let rows = groups.count == 1 ? f : g.slice(f, axis: 0, start..<(start + count))
            outputs.append((fuse(g, flows: rows, additive: c.additive, gate: c.gate), c.level))
            start += count
        }
        return outputs
    }
}
