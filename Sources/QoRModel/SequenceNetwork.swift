import Tensor

/// The design side of the fusion, computed once per design: the design's additive term in the
/// first fusion layer `[1, fusionWidth]` and the gate that multiplies each flow vector `[1, flowWidth + steps + 1]`.
struct DesignContext {
    let additive: Tensor<Float>
    let gate: Tensor<Float>
}

/// Graph encoder once per design, flow encoder once per flow, and a fusion MLP:
/// `h = relu(W_f f + W_d d + W_x (f ⊙ gate(d)))`, then an MLP to (delay, area).
/// The flow vector `f` is the encoder's output joined with the share of each step in the flow and
/// its length (which a linear model already ranks with); the product term lets a flow's effect
/// depend on the design (the ranking within a design).
struct SequenceNetwork {
    let graph: GraphEncoder
    let memory: Embedding
    let flow: FlowEncoder
    let designPart: Linear
    let designGate: Linear
    let flowPart: Linear
    let productPart: Linear
    let head: MLP

    init(_ store: ParameterStore<Float>, _ a: Architecture, vocabulary: FlowVocabulary, knownDesigns: Int) {
        graph = GraphEncoder(store, "graph", a)
        memory = Embedding(store, "design.memory", count: knownDesigns + 1, dimension: a.designWidth, std: 0.01)
        flow = FlowEncoder(store, "flow", a, vocabulary: vocabulary)
        let d = a.designWidth + DesignStats.featureCount
        let f = a.flowWidth + vocabulary.steps.count + 1
        designPart = Linear(store, "fusion.design", input: d, output: a.fusionWidth)
        designGate = Linear(store, "fusion.gate", input: d, output: f)
        flowPart = Linear(store, "fusion.flow", input: f, output: a.fusionWidth, bias: false)
        productPart = Linear(store, "fusion.product", input: f, output: a.fusionWidth, bias: false)
        head = MLP(store, "fusion.head", sizes: [a.fusionWidth, a.fusionWidth / 2, 2])
    }

    /// The design's fusion terms as graph nodes; `memory` is the design's row of the memory (0: unseen).
    func context(_ g: Graph<Float>, _ t: GraphTensors, memory index: Int32) -> (additive: Node, gate: Node) {
        let d = g.concat([g.add(graph(g, t), memory(g, [index])), g.constant(t.stats)], axis: 1)
        return (designPart(g, d), g.affine(g.tanh(designGate(g, d)), scale: 1, shift: 1))
    }

    /// The flow vectors `[B, flowWidth + steps + 1]`: encoder output and step shares.
    func flowVectors(_ g: Graph<Float>, encoded: Node, _ batch: TokenBatch) -> Node {
        g.concat([encoded, g.constant(batch.shares(steps: designGate.output - flow.width - 1))], axis: 1)
    }

    /// Predictions `[B, 2]` for flows (`flowVectors`) on one design.
    func fuse(_ g: Graph<Float>, flows f: Node, additive: Node, gate: Node) -> Node {
        let pre = g.add(g.add(flowPart(g, f), additive), productPart(g, g.mul(f, gate)))
        return head(g, g.relu(pre))
    }

    /// Training forward: one flow-encoder pass for all flows of the step, then each design's
    /// consecutive rows are fused with its context. `groups` = (design tensors, memory row, flow count) in row order.
    func forward(_ g: Graph<Float>, groups: [(GraphTensors, Int32, Int)], tokens: TokenBatch) -> Node {
        let f = flowVectors(g, encoded: flow(g, tokens), tokens)
        var start = 0, outputs: [Node] = []
        for (t, index, count) in groups {
            let c = context(g, t, memory: index)
            let rows = groups.count == 1 ? f : g.slice(f, axis: 0, start..<(start + count))
            outputs.append(fuse(g, flows: rows, additive: c.additive, gate: c.gate))
            start += count
        }
        return outputs.count == 1 ? outputs[0] : g.concat(outputs, axis: 0)
    }
}
