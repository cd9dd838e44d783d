import Common

/// Cluster-GCN subgraph sampling (COMPRESSION.md §1.2 (c)): each design's nodes are split once
/// into `parts` clusters, and each batch merges `partsPerBatch` random clusters and restores
/// every edge among them (the induced subgraph of their union).
///
/// The partition is not METIS [T]: nodes are taken in breadth-first order over the undirected
/// AIG (fanins and fanouts, restarting at the lowest unvisited node) and cut into `parts`
/// contiguous runs of equal size, so a cluster is a connected-ish region, as METIS's are, at
/// O(nodes + edges) and without another library.
public struct ClusterSampler: GraphSampler {
    public let parts: Int
    public let partsPerBatch: Int

    public init(parts: Int, partsPerBatch: Int) throws(ModelError) {
        guard parts >= 1, partsPerBatch >= 1, partsPerBatch <= parts else {
            throw ModelError(.usage, "--parts must be at least 1 and at least the parts per batch; found \(parts) parts, \(partsPerBatch) per batch")
        }
        self.parts = parts
        self.partsPerBatch = partsPerBatch
    }

    public var name: String { "cluster" }
    public var settings: [String: String] { ["parts": String(parts), "parts_per_batch": String(partsPerBatch), "partition": "bfs"] }

    public func prepare(_ graph: AigGraph, seed: UInt64) -> any DesignSampler {
        Prepared(graph: graph, clusters: Self.partition(graph, parts: parts), perBatch: partsPerBatch)
    }

    /// The clusters (node ids, ascending) of `graph`: every node in exactly one; `parts` clusters
    /// (fewer when the graph has fewer nodes).
    public static func partition(_ g: AigGraph, parts: Int) -> [[Int32]] {
        let n = g.nodeCount
        var order: [Int32] = [], seen = [Bool](repeating: false, count: n)
        order.reserveCapacity(n)
        for root in 0..<n where !seen[root] {
            seen[root] = true
            var head = order.count
            order.append(Int32(root))
            while head < order.count {
                let v = Int(order[head])
                head += 1
                for e in Int(g.faninStart[v])..<Int(g.faninStart[v + 1]) where !seen[Int(g.faninSource[e])] {
                    seen[Int(g.faninSource[e])] = true
                    order.append(g.faninSource[e])
                }
                for e in Int(g.fanoutStart[v])..<Int(g.fanoutStart[v + 1]) where !seen[Int(g.fanoutTarget[e])] {
                    seen[Int(g.fanoutTarget[e])] = true
                    order.append(g.fanoutTarget[e])
                }
            }
        }
        let k = max(1, min(parts, n))
        return (0..<k).map { c in Array(order[(c * n / k)..<((c + 1) * n / k)]).sorted() }
    }

    struct Prepared: DesignSampler {
        let graph: AigGraph
        let clusters: [[Int32]]
        let perBatch: Int

        func sample(using rng: inout SplitMix64) -> SampledGraph {
            let chosen = SampleIndices.distinct(min(perBatch, clusters.count), of: clusters.count, using: &rng)
            return .induced(graph, nodes: chosen.flatMap { clusters[$0] }.sorted())
        }
    }
}
