/// The sequence family's cost: the graph pass (node states, readout and the design's fusion terms)
/// once per design; per flow the flow encoder and the fusion.
extension SequenceNetwork: CostCounting {
    func cost(_ w: ReferenceWorkload) -> NetworkCost {
        var g = CostCounter()
        graph.count(&g, nodes: w.nodes, edges: w.edges)
        g.linear(designPart, rows: 1)
        g.linear(designGate, rows: 1)
        g.mlp(level, rows: 1)
        var f = CostCounter()
        flow.count(&f, steps: w.steps)
        f.linear(flowPart, rows: 1)
        f.linear(productPart, rows: 1)
        f.relu(flowPart.output)
        if let head { f.mlp(head, rows: 1) } else if let expert = headExperts?.experts.first { f.mlp(expert, rows: 1) }
        return NetworkCost(graphPassMACs: g.macs, graphPassActivations: g.activations, perFlowMACs: f.macs,
                           perFlowActivations: f.activations, graphPassPerFlow: false)
    }
}

extension GraphEncoder {
    /// Input layer, message-passing layers, mean pooling (one MAC per node per feature) and readout MLP.
    /// Simplified: K propagation steps over `Â` (its 2·edges + nodes entries, one MAC each per
    /// feature; SIGN's concatenation adds none), counted in the graph pass though they run once per design.
    func count(_ c: inout CostCounter, nodes: Int, edges: Int) {
        if let s = simplification {
            for _ in 0..<s.hops { c.aggregate(edges: 2 * edges + nodes, width: AigGraph.featureCount, outputs: nodes * AigGraph.featureCount) }
            c.aggregate(edges: nodes, width: hidden, outputs: hidden)
            c.mlp(readout, rows: 1)
            return
        }
        guard let input else { return }
        c.linear(input, rows: nodes, activated: true)
        for layer in layers { layer.count(&c, nodes: nodes, edges: edges) }
        c.aggregate(edges: nodes, width: hidden, outputs: hidden)
        c.mlp(readout, rows: 1)
    }
}

extension FlowEncoder {
    /// One flow of `steps` steps: the LSTM's input and recurrent products per step and layer, or the
    /// Transformer's norms, projections, attention products and feed-forward, then the mean over steps.
    func count(_ c: inout CostCounter, steps t: Int) {
        if let lstm {
            for (l, _) in lstm.cells.enumerated() {
                let input = l == 0 ? lstm.input : lstm.hidden, gates = 4 * lstm.hidden
                // `x W_x` and `h W_h` per step; the gate nonlinearities count 0.
                c.add(macs: t * (input + lstm.hidden) * gates, activations: 2 * t * gates)
            }
            return
        }
        let d = embedding.tokens.dimension
        for layer in transformer {
            c.norm(t * d)
            c.linear(layer.attention.qkv, rows: t)
            c.attention(2 * t * t * d)
            c.linear(layer.attention.projection, rows: t)
            c.norm(t * d)
            c.mlp(layer.feedForward, rows: t)
        }
        if finalNorm != nil { c.norm(t * d) }
        c.aggregate(edges: t, width: d, outputs: d)
    }
}
