import Foundation
import Tensor

/// The propagation operator `Â = D^-1/2 (A + I) D^-1/2` of an AIG taken as undirected (SGC's
/// normalised adjacency with self-loops; edge inversions are already among the node features).
struct SGCPropagation<S: TensorScalar> {
    let matrix: SparseMatrix<S>

    /// `fanins`: (node, fanin) pairs, each edge once.
    init(nodes: Int, fanins: [(target: Int, source: Int)]) {
        matrix = .gcnNormalized(nodes: nodes, edges: fanins + fanins.map { (target: $0.source, source: $0.target) })
    }

    /// The operator of a whole AIG.
    init(_ graph: AigGraph) {
        var edges: [(target: Int, source: Int)] = []
        edges.reserveCapacity(graph.edgeCount)
        for v in 0..<graph.nodeCount {
            for e in Int(graph.faninStart[v])..<Int(graph.faninStart[v + 1]) { edges.append((target: v, source: Int(graph.faninSource[e]))) }
        }
        self.init(nodes: graph.nodeCount, fanins: edges)
    }

    /// The operator of a design's (or sampled subgraph's) tensors: its fanin operators' edges.
    init(_ t: GraphTensors<S>) {
        var edges: [(target: Int, source: Int)] = []
        for op in t.operators.prefix(2) {
            for v in 0..<op.rows {
                for e in Int(op.rowPointers[v])..<Int(op.rowPointers[v + 1]) { edges.append((target: v, source: Int(op.columns[e]))) }
            }
        }
        self.init(nodes: t.nodes, fanins: edges)
    }

    /// One step, `Â x` for `x` `[nodes, width]`.
    func apply(_ x: Tensor<S>) -> Tensor<S> {
        let n = matrix.rows, w = x.shape[1]
        var y = [S](repeating: 0, count: n * w)
        for v in 0..<n {
            for e in Int(matrix.rowPointers[v])..<Int(matrix.rowPointers[v + 1]) {
                let u = Int(matrix.columns[e]), a = matrix.values[e]
                for j in 0..<w { y[v * w + j] += a * x.data[u * w + j] }
            }
        }
        return Tensor([n, w], y)
    }

    /// `Â^K x` (SGC) or `[x, Âx, …, Â^K x]` side by side (SIGN): `[nodes, width]`.
    func propagate(_ x: Tensor<S>, _ s: GraphSimplification) -> Tensor<S> {
        var powers = [x]
        for _ in 0..<s.hops { powers.append(apply(powers[powers.count - 1])) }
        guard s.mode == .sign else { return powers[powers.count - 1] }
        let n = x.shape[0], f = x.shape[1], k = powers.count
        var joined = [S](repeating: 0, count: n * f * k)
        for (p, power) in powers.enumerated() {
            for v in 0..<n { for j in 0..<f { joined[v * f * k + p * f + j] = power.data[v * f + j] } }
        }
        return Tensor([n, f * k], joined)
    }

    /// The readout input `[1, 2 · width]`: mean and max over the nodes of `propagate(x, s)`.
    func pooled(_ x: Tensor<S>, _ s: GraphSimplification) -> Tensor<S> {
        let p = propagate(x, s), n = p.shape[0], w = p.shape[1]
        var mean = [S](repeating: 0, count: w), maximum = [S](repeating: n == 0 ? 0 : -S.greatestFiniteMagnitude, count: w)
        for v in 0..<n {
            for j in 0..<w {
                mean[j] += p.data[v * w + j]
                maximum[j] = max(maximum[j], p.data[v * w + j])
            }
        }
        return Tensor([1, 2 * w], mean.map { $0 / S(max(n, 1)) } + maximum)
    }
}

/// A design's pooled propagation, kept beside its graph tensors so that training and taped
/// prediction compute it once per design (the tensors are cached per design, and this with them).
final class PropagationMemo: @unchecked Sendable {
    private var stored: [GraphSimplification: Any] = [:]
    private let lock = NSLock()

    /// The pooled features of `t` under `s`, computed on first use.
    func pooled<S: TensorScalar>(_ s: GraphSimplification, _ t: GraphTensors<S>) -> Tensor<S> {
        lock.lock()
        if let p = stored[s] as? Tensor<S> {
            lock.unlock()
            return p
        }
        lock.unlock()
        let p = SGCPropagation<S>(t).pooled(t.features, s)
        lock.lock()
        stored[s] = p
        lock.unlock()
        return p
    }
}
