/// One graph as directed edges `source -> target` over nodes `0..<nodes`.
public struct EdgeList: Sendable, Equatable {
    public var nodes: Int
    public var targets: [Int32]
    public var sources: [Int32]

    public init(nodes: Int, targets: [Int32], sources: [Int32]) {
        precondition(targets.count == sources.count, "edge arrays differ in length")
        self.nodes = nodes
        self.targets = targets
        self.sources = sources
    }

    /// The same edges with direction reversed.
    public var reversed: EdgeList { EdgeList(nodes: nodes, targets: sources, sources: targets) }

    /// The subgraph induced by `nodes` (for sampled mini-batches): node k of the result is
    /// `nodes[k]`; edges with both ends inside are kept, in their original order.
    public func induced(by nodes: [Int32]) -> EdgeList {
        var local = [Int32](repeating: -1, count: self.nodes)
        for (k, v) in nodes.enumerated() { local[Int(v)] = Int32(k) }
        var t: [Int32] = [], s: [Int32] = []
        for (a, b) in zip(targets, sources) where local[Int(a)] >= 0 && local[Int(b)] >= 0 {
            t.append(local[Int(a)])
            s.append(local[Int(b)])
        }
        return EdgeList(nodes: nodes.count, targets: t, sources: s)
    }

    var pairs: [(target: Int, source: Int)] { zip(targets, sources).map { (Int($0), Int($1)) } }
}

/// Several graphs as one block-diagonal graph: node i of graph k becomes node
/// `nodeOffsets[k] + i`; `graphs` maps each node to its graph for pooling.
public struct GraphBatch: Sendable {
    public let edges: EdgeList
    public let nodeOffsets: [Int]
    public let graphs: Segments

    public init(_ members: [EdgeList]) {
        var offsets = [0], targets: [Int32] = [], sources: [Int32] = [], ids: [Int32] = []
        for (k, m) in members.enumerated() {
            let base = Int32(offsets[k])
            targets += m.targets.map { $0 + base }
            sources += m.sources.map { $0 + base }
            ids += [Int32](repeating: Int32(k), count: m.nodes)
            offsets.append(offsets[k] + m.nodes)
        }
        edges = EdgeList(nodes: offsets[members.count], targets: targets, sources: sources)
        nodeOffsets = offsets
        graphs = Segments(ids: ids, count: members.count)
    }

    public var nodeCount: Int { edges.nodes }
    public var graphCount: Int { graphs.count }

    /// Sum adjacency (GIN), or mean adjacency (GraphSAGE) when `mean`.
    public func adjacency<S>(mean: Bool = false, as: S.Type = S.self) -> SparseMatrix<S> {
        .adjacency(nodes: nodeCount, edges: edges.pairs, mean: mean)
    }
    /// D^-1/2 (A + I) D^-1/2 (GCN).
    public func gcnMatrix<S>(as: S.Type = S.self) -> SparseMatrix<S> {
        .gcnNormalized(nodes: nodeCount, edges: edges.pairs)
    }

    /// Node features of the members stacked in batch order.
    public static func stack<S>(_ features: [Tensor<S>]) -> Tensor<S> {
        precondition(!features.isEmpty, "stack of nothing")
        let cols = features[0].cols
        precondition(features.allSatisfy { $0.cols == cols && $0.rank == 2 }, "stack: features must be [n, \(cols)]")
        return Tensor([features.reduce(0) { $0 + $1.rows }, cols], features.flatMap(\.data))
    }
}
