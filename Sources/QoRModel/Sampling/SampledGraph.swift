/// Which aggregation operator of ``GraphTensors`` an edge belongs to: the aggregating node reads
/// its plain or inverted fanins (summed) or its plain or inverted fanouts (averaged).
public enum EdgeOperator: Int, Sendable, CaseIterable {
    case plainFanin = 0, invertedFanin, plainFanout, invertedFanout

    /// The operator of fanin edge (inverted or not) or fanout edge.
    static func of(fanout: Bool, inverted: Bool) -> EdgeOperator {
        fanout ? (inverted ? .invertedFanout : .plainFanout) : (inverted ? .invertedFanin : .plainFanin)
    }
}

/// One edge of a sampled subgraph, in local node indices: `row` aggregates `column`'s state with
/// `weight` in operator `op` (the full graph's weight times the sampler's normalisation).
public struct SampledEdge: Sendable, Equatable {
    public var row: Int32
    public var column: Int32
    public var op: EdgeOperator
    public var weight: Float
}

/// What a sampler produces for one training step on one design: the kept nodes (original ids, in
/// the order they were sampled, seeds first), the kept edges with their normalised weights, and
/// the readout weights with which the supernode (and the graph readout) estimates the mean node
/// state. The supernode itself is never cut: it is not a node here but is joined to every kept
/// node by the network (it sends to each kept node and reads the weighted mean of all of them).
public struct SampledGraph: Sendable {
    /// Original node id of each local node.
    public var nodes: [Int32]
    /// The first `seeds` nodes are the sampler's seeds (all nodes for subgraph samplers).
    public var seeds: Int
    public var edges: [SampledEdge]
    /// One weight per local node: Σ weight·state estimates the mean state over the whole graph.
    public var readout: [Float]

    /// The whole graph, unsampled: every node, every edge with its full-graph weight, the plain mean.
    public static func whole(_ g: AigGraph) -> SampledGraph {
        let n = g.nodeCount
        return SampledGraph(nodes: (0..<n).map { Int32($0) }, seeds: n, edges: FullEdges.all(g),
                            readout: [Float](repeating: 1 / Float(max(1, n)), count: n))
    }

    /// The subgraph induced by `nodes` (all edges between kept nodes; fanin sums keep weight 1,
    /// fanout means are taken over the kept fanouts), read out by the plain mean.
    static func induced(_ g: AigGraph, nodes: [Int32]) -> SampledGraph {
        var local = [Int32](repeating: -1, count: g.nodeCount)
        for (i, v) in nodes.enumerated() { local[Int(v)] = Int32(i) }
        var edges: [SampledEdge] = []
        for (i, v) in nodes.enumerated() {
            for e in Int(g.faninStart[Int(v)])..<Int(g.faninStart[Int(v) + 1]) where local[Int(g.faninSource[e])] >= 0 {
                edges.append(SampledEdge(row: Int32(i), column: local[Int(g.faninSource[e])],
                                         op: .of(fanout: false, inverted: g.faninInverted[e]), weight: 1))
            }
            let kept = (Int(g.fanoutStart[Int(v)])..<Int(g.fanoutStart[Int(v) + 1])).filter { local[Int(g.fanoutTarget[$0])] >= 0 }
            for e in kept {
                edges.append(SampledEdge(row: Int32(i), column: local[Int(g.fanoutTarget[e])],
                                         op: .of(fanout: true, inverted: g.fanoutInverted[e]), weight: 1 / Float(kept.count)))
            }
        }
        return SampledGraph(nodes: nodes, seeds: nodes.count, edges: edges,
                            readout: [Float](repeating: 1 / Float(max(1, nodes.count)), count: nodes.count))
    }
}

/// The full graph's edges as ``GraphTensors`` weighs them (fanins summed, fanouts averaged).
enum FullEdges {
    static func all(_ g: AigGraph) -> [SampledEdge] {
        var edges: [SampledEdge] = []
        edges.reserveCapacity(2 * g.edgeCount)
        for v in 0..<g.nodeCount {
            for e in Int(g.faninStart[v])..<Int(g.faninStart[v + 1]) {
                edges.append(SampledEdge(row: Int32(v), column: g.faninSource[e], op: .of(fanout: false, inverted: g.faninInverted[e]), weight: 1))
            }
            let lo = Int(g.fanoutStart[v]), hi = Int(g.fanoutStart[v + 1])
            for e in lo..<hi {
                edges.append(SampledEdge(row: Int32(v), column: g.fanoutTarget[e], op: .of(fanout: true, inverted: g.fanoutInverted[e]),
                                         weight: 1 / Float(hi - lo)))
            }
        }
        return edges
    }
}
