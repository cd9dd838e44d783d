import Common

/// GraphSAINT node sampling (COMPRESSION.md §1.2 (c)): each subgraph is the induced subgraph of
/// `nodes` distinct nodes drawn uniformly [T: PyG's node sampler draws ∝ degree with replacement],
/// with GraphSAINT's normalisation estimated per design from pre-sampled subgraphs until every
/// node was drawn `coverage` times on average (PyG's `sample_coverage`).
///
/// Counting C_v (subgraphs holding node v) and C_e (holding edge e) over those M subgraphs, an
/// edge that row node r aggregates is weighted by its full-graph weight times C_r / C_e (1/α, the
/// aggregator norm), so r's aggregation is unbiased given r is sampled; the readout weights node v
/// by M / (C_v · N) (the loss norm λ_v), an unbiased estimate of the mean over all N nodes.
/// With `coverage` 0 every norm is 1 and the readout is the plain mean.
public struct SaintNodeSampler: GraphSampler {
    public let nodes: Int
    public let coverage: Int

    public init(nodes: Int, coverage: Int) throws(ModelError) {
        guard nodes >= 1, coverage >= 0 else {
            throw ModelError(.usage, "GraphSAINT needs at least 1 node per subgraph and a coverage of at least 0; found \(nodes), \(coverage)")
        }
        self.nodes = nodes
        self.coverage = coverage
    }

    public var name: String { "saint" }
    public var settings: [String: String] { ["nodes": String(nodes), "coverage": String(coverage), "mode": "node"] }

    public func prepare(_ graph: AigGraph, seed: UInt64) -> any DesignSampler {
        let k = min(nodes, graph.nodeCount)
        var samples: [[Int32]] = []
        if coverage > 0 {
            var rng = SplitMix64(seed: seed ^ 0x5A1E_7C0F)
            let m = (coverage * graph.nodeCount + k - 1) / max(1, k)
            samples = (0..<m).map { _ in draw(k, graph.nodeCount, &rng) }
        }
        return Prepared(graph: graph, norms: SaintNorms(graph, samples: samples), size: k)
    }

    func draw(_ k: Int, _ n: Int, _ rng: inout SplitMix64) -> [Int32] {
        SampleIndices.distinct(k, of: n, using: &rng).map { Int32($0) }.sorted()
    }

    struct Prepared: DesignSampler {
        let graph: AigGraph
        let norms: SaintNorms
        let size: Int

        func sample(using rng: inout SplitMix64) -> SampledGraph {
            norms.subgraph(graph, nodes: SampleIndices.distinct(size, of: graph.nodeCount, using: &rng).map { Int32($0) }.sorted())
        }
    }
}

/// GraphSAINT's counts over pre-sampled subgraphs and the normalised subgraph they give.
/// Edges are counted by their index in the fanin CSR; `fanoutEdge` maps a fanout slot to it.
public struct SaintNorms: Sendable {
    /// Subgraphs counted (M); 0: every norm is 1.
    public let samples: Int
    public let nodeCounts: [Int32]
    public let edgeCounts: [Int32]
    let fanoutEdge: [Int32]

    /// Counts over `samples` (node id lists) of `g`.
    public init(_ g: AigGraph, samples: [[Int32]]) {
        let n = g.nodeCount
        var fill = Array(g.fanoutStart.prefix(n)), map = [Int32](repeating: 0, count: g.edgeCount)
        for v in 0..<n {
            for e in Int(g.faninStart[v])..<Int(g.faninStart[v + 1]) {
                let u = Int(g.faninSource[e])
                map[Int(fill[u])] = Int32(e)
                fill[u] += 1
            }
        }
        fanoutEdge = map
        var nodeCounts = [Int32](repeating: 0, count: n), edgeCounts = [Int32](repeating: 0, count: g.edgeCount)
        var kept = [Bool](repeating: false, count: n)
        for s in samples {
            for v in s { kept[Int(v)] = true; nodeCounts[Int(v)] += 1 }
            for v in s {
                for e in Int(g.faninStart[Int(v)])..<Int(g.faninStart[Int(v) + 1]) where kept[Int(g.faninSource[e])] { edgeCounts[e] += 1 }
            }
            for v in s { kept[Int(v)] = false }
        }
        self.samples = samples.count
        self.nodeCounts = nodeCounts
        self.edgeCounts = edgeCounts
    }

    /// 1/α for an edge counted `edge` times aggregated by a node counted `row` times (1 when unseen,
    /// at most 1e4 as in PyG).
    func edgeNorm(row: Int32, edge: Int32) -> Float {
        guard samples > 0, row > 0, edge > 0 else { return 1 }
        return min(1e4, Float(row) / Float(edge))
    }

    /// The subgraph induced by `nodes` (ascending ids), normalised.
    public func subgraph(_ g: AigGraph, nodes: [Int32]) -> SampledGraph {
        var local = [Int32](repeating: -1, count: g.nodeCount)
        for (i, v) in nodes.enumerated() { local[Int(v)] = Int32(i) }
        var edges: [SampledEdge] = []
        for (i, v32) in nodes.enumerated() {
            let v = Int(v32)
            for e in Int(g.faninStart[v])..<Int(g.faninStart[v + 1]) where local[Int(g.faninSource[e])] >= 0 {
                edges.append(SampledEdge(row: Int32(i), column: local[Int(g.faninSource[e])], op: .of(fanout: false, inverted: g.faninInverted[e]),
                                         weight: edgeNorm(row: nodeCounts[v], edge: edgeCounts[e])))
            }
            let lo = Int(g.fanoutStart[v]), hi = Int(g.fanoutStart[v + 1])
            for s in lo..<hi where local[Int(g.fanoutTarget[s])] >= 0 {
                edges.append(SampledEdge(row: Int32(i), column: local[Int(g.fanoutTarget[s])], op: .of(fanout: true, inverted: g.fanoutInverted[s]),
                                         weight: edgeNorm(row: nodeCounts[v], edge: edgeCounts[Int(fanoutEdge[s])]) / Float(hi - lo)))
            }
        }
        let plain = 1 / Float(max(1, nodes.count))
        let readout = nodes.map { v -> Float in
            guard samples > 0, nodeCounts[Int(v)] > 0 else { return plain }
            return Float(samples) / (Float(nodeCounts[Int(v)]) * Float(g.nodeCount))
        }
        return SampledGraph(nodes: nodes, seeds: nodes.count, edges: edges, readout: readout)
    }
}
