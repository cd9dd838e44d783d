/// GCN convolution (Kipf & Welling): `Â X W + b` with Â = D^-1/2 (A + I) D^-1/2
/// (`SparseMatrix.gcnNormalized`, or `GraphBatch.gcnMatrix`).
public struct GCNConv: Sendable {
    public let linear: Linear

    public init<S>(_ weights: ParameterStore<S>, _ name: String, input: Int, output: Int) {
        linear = Linear(weights, name, input: input, output: output)
    }

    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, normalized a: SparseMatrix<S>) -> Value {
        let xw = g.matmul(x, g.parameter(linear.weight))
        let y = g.spmm(a, xw)
        guard let b = linear.bias else { return y }
        return g.add(y, g.parameter(b))
    }
}

/// GIN convolution (Xu et al.): `MLP((1 + eps) x_i + sum_{j in N(i)} x_j)` with learnable eps
/// (starting at 0) and the sum adjacency (`SparseMatrix.adjacency`).
public struct GINConv: Sendable {
    public let eps: ParameterID
    public let mlp: MLP

    /// `sizes` = MLP sizes, e.g. [input, hidden, output]; `activateLast` applies the activation
    /// to the output too (fused into the last linear layer: cheaper than an activation after).
    public init<S>(_ weights: ParameterStore<S>, _ name: String, sizes: [Int], activation: Activation = .relu, activateLast: Bool = false) {
        eps = weights.add("\(name).eps", Tensor(zeros: [1]))
        mlp = MLP(weights, "\(name).mlp", sizes: sizes, activation: activation, activateLast: activateLast)
    }

    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, adjacency a: SparseMatrix<S>) -> Value {
        mlp(g, g.aggregate(a, x, selfWeight: g.parameter(eps)))
    }
}

/// GraphSAGE with the mean aggregator: `W_self x_i + W_neigh mean_{j in N(i)} x_j + b`;
/// pass the row-normalised adjacency (`SparseMatrix.adjacency(mean: true)`).
public struct SAGEConv: Sendable {
    public let root: Linear
    public let neighbours: Linear

    public init<S>(_ weights: ParameterStore<S>, _ name: String, input: Int, output: Int) {
        root = Linear(weights, "\(name).root", input: input, output: output)
        neighbours = Linear(weights, "\(name).neighbours", input: input, output: output, bias: false)
    }

    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, meanAdjacency a: SparseMatrix<S>) -> Value {
        g.add(root(g, x), neighbours(g, g.spmm(a, x)))
    }
}

/// Readout of node vectors to one vector per graph.
public enum Pooling: String, Sendable, Codable { case sum, mean, max }

extension Tape {
    /// Sum, mean or max of the node rows of each graph: `[graphs, D]`.
    public func pool(_ kind: Pooling, _ x: Value, _ graphs: Segments) -> Value {
        switch kind {
        case .sum: segmentSum(x, graphs)
        case .mean: segmentMean(x, graphs)
        case .max: segmentMax(x, graphs)
        }
    }
}

/// Global attention pooling: `sum_i softmax_graph(gate(x_i)) * x_i`, the softmax taken over the
/// nodes of each graph.
public struct AttentionPooling: Sendable {
    public let gate: Linear

    public init<S>(_ weights: ParameterStore<S>, _ name: String, dimension: Int) {
        gate = Linear(weights, "\(name).gate", input: dimension, output: 1)
    }

    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, _ graphs: Segments) -> Value {
        let weights = g.segmentSoftmax(gate(g, x), graphs)
        return g.segmentSum(g.mul(x, weights), graphs)
    }
}

/// The virtual-node (supernode) block: each graph has a virtual node that sums all nodes of its
/// graph, is updated by an MLP, and is added back to every node:
/// `v' = MLP(v + sum_{i in graph} h_i)`, `h'_i = h_i + v'_{graph(i)}`.
public struct VirtualNode: Sendable {
    public let start: ParameterID
    public let mlp: MLP

    public init<S>(_ weights: ParameterStore<S>, _ name: String, dimension: Int, hidden: Int? = nil) {
        start = weights.add("\(name).start", Tensor(zeros: [1, dimension]))
        mlp = MLP(weights, "\(name).mlp", sizes: [dimension, hidden ?? 2 * dimension, dimension], activateLast: true)
    }

    /// The initial virtual-node state of `count` graphs (the learned start vector, repeated).
    public func initial<S>(_ g: Tape<S>, graphs count: Int) -> Value {
        g.gather(g.parameter(start), [Int32](repeating: 0, count: count))
    }

    public func callAsFunction<S>(_ g: Tape<S>, nodes h: Value, virtual v: Value, _ graphs: Segments) -> (nodes: Value, virtual: Value) {
        let updated = mlp(g, g.add(v, g.segmentSum(h, graphs)))
        return (g.add(h, g.gather(updated, graphs.ids)), updated)
    }
}
