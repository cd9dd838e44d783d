import Common

/// GraphSAGE-style node-wise sampling (COMPRESSION.md §1.2 (a)): `seeds` distinct nodes drawn
/// uniformly, then at hop i every node the previous hop added draws min(S_i, degree) of its
/// neighbours without replacement (S_i = -1: all). Neighbours are fanins and, unless
/// `direction` is `.fanin`, fanouts. Along fanins an AND has 2, so S_i ≥ 2 keeps them all.
///
/// A sampled edge's weight is its full-graph weight times degree / drawn (Horvitz–Thompson), so
/// each node's sampled aggregation is an unbiased estimate of its full one; drawing all
/// neighbours gives exactly the full weights. The readout is the mean over the seeds, an unbiased
/// estimate of the mean over all nodes because the seeds are uniform.
public struct NeighborSampler: GraphSampler {
    public enum Direction: String, Sendable { case fanin, both }

    public let fanouts: [Int]
    /// Seeds per subgraph (0 or more than the nodes: every node is a seed).
    public let seeds: Int
    public let direction: Direction

    public init(fanouts: [Int], seeds: Int, direction: Direction = .both) throws(ModelError) {
        guard !fanouts.isEmpty, fanouts.allSatisfy({ $0 == -1 || $0 >= 1 }) else {
            throw ModelError(.usage, "fanouts must be -1 (all) or at least 1 per hop, at least one hop; found \(fanouts)")
        }
        guard seeds >= 0 else { throw ModelError(.usage, "the seed count must not be negative, found \(seeds)") }
        self.fanouts = fanouts
        self.seeds = seeds
        self.direction = direction
    }

    public var name: String { "neighbor" }
    public var settings: [String: String] {
        ["fanouts": fanouts.map(String.init).joined(separator: ","), "seeds": String(seeds), "direction": direction.rawValue]
    }

    public func prepare(_ graph: AigGraph, seed: UInt64) -> any DesignSampler { Prepared(graph: graph, sampler: self) }

    struct Prepared: DesignSampler {
        let graph: AigGraph
        let sampler: NeighborSampler

        func sample(using rng: inout SplitMix64) -> SampledGraph {
            let g = graph, n = g.nodeCount
            let seedCount = sampler.seeds == 0 ? n : min(sampler.seeds, n)
            var local = [Int32](repeating: -1, count: n)
            var nodes = seedCount == n ? (0..<n).map { Int32($0) } : SampleIndices.distinct(seedCount, of: n, using: &rng).map { Int32($0) }
            for (i, v) in nodes.enumerated() { local[Int(v)] = Int32(i) }
            var edges: [SampledEdge] = []
            var frontier = 0..<nodes.count
            for cap in sampler.fanouts {
                for i in frontier {
                    let v = Int(nodes[i])
                    // Candidates: (neighbour, operator, full weight).
                    var candidates: [(Int32, EdgeOperator, Float)] = []
                    for e in Int(g.faninStart[v])..<Int(g.faninStart[v + 1]) {
                        candidates.append((g.faninSource[e], .of(fanout: false, inverted: g.faninInverted[e]), 1))
                    }
                    if sampler.direction == .both {
                        let lo = Int(g.fanoutStart[v]), hi = Int(g.fanoutStart[v + 1])
                        for e in lo..<hi {
                            candidates.append((g.fanoutTarget[e], .of(fanout: true, inverted: g.fanoutInverted[e]), 1 / Float(hi - lo)))
                        }
                    }
                    let degree = candidates.count
                    guard degree > 0 else { continue }
                    let drawn = cap == -1 ? degree : min(cap, degree)
                    let picks = drawn == degree ? Array(0..<degree) : SampleIndices.distinct(drawn, of: degree, using: &rng)
                    let scale = Float(degree) / Float(drawn)
                    for p in picks {
                        let (u, op, w) = candidates[p]
                        if local[Int(u)] < 0 {
                            local[Int(u)] = Int32(nodes.count)
                            nodes.append(u)
                        }
                        edges.append(SampledEdge(row: Int32(i), column: local[Int(u)], op: op, weight: w * scale))
                    }
                }
                frontier = frontier.upperBound..<nodes.count
            }
            var readout = [Float](repeating: 0, count: nodes.count)
            for i in 0..<seedCount { readout[i] = 1 / Float(seedCount) }
            return SampledGraph(nodes: nodes, seeds: seedCount, edges: edges, readout: readout)
        }
    }
}

/// Uniform draws without replacement by a partial Fisher–Yates shuffle on `SplitMix64`, so the
/// draws are fixed by the seed on every platform.
enum SampleIndices {
    /// `k` distinct indices of `0..<n`, in the order drawn (`k ≤ n`).
    static func distinct(_ k: Int, of n: Int, using rng: inout SplitMix64) -> [Int] {
        if k * 4 < n {
            // Sparse: a set of taken indices (Floyd's idea would lose the draw order).
            var taken = Set<Int>(), out: [Int] = []
            out.reserveCapacity(k)
            while out.count < k {
                let x = rng.next(below: n)
                if taken.insert(x).inserted { out.append(x) }
            }
            return out
        }
        var a = Array(0..<n)
        for i in 0..<k { a.swapAt(i, i + rng.next(below: n - i)) }
        return Array(a.prefix(k))
    }
}
