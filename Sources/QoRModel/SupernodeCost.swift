/// The supernode family's cost: every flow runs the whole graph with the flow's virtual node, so
/// the cost per flow includes a graph pass.
extension SupernodeNetwork: CostCounting {
    func cost(_ w: ReferenceWorkload) -> NetworkCost {
        let n = w.nodes, h = hidden
        var g = CostCounter()
        g.linear(input, rows: n, activated: true)
        for layer in layers {
            layer.count(&g, nodes: n, edges: w.edges)
            g.aggregate(edges: n, width: h, outputs: h)
        }
        g.aggregate(edges: n, width: h, outputs: h)
        var f = CostCounter()
        f.aggregate(edges: w.steps, width: h, outputs: h)
        f.mlp(flowStart, rows: 1)
        for k in layers.indices {
            f.linear(toNodes[k], rows: 1)
            f.mlp(update[k], rows: 1)
        }
        f.mlp(head, rows: 1)
        let total = g + f
        return NetworkCost(graphPassMACs: g.macs, graphPassActivations: g.activations, perFlowMACs: total.macs,
                           perFlowActivations: total.activations, graphPassPerFlow: true)
    }
}
