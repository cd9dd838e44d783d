import Testing
@testable import Tensor

/// Random test data from a fixed seed.
func randomTensor(_ shape: Shape, seed: UInt64, low: Double = -1, high: Double = 1) -> Tensor<Double> {
    var rng = SeededGenerator(seed: seed)
    return Tensor(shape: shape, data: (0..<shape.count).map { _ in low + (high - low) * rng.unit() })
}

/// Finite-difference check of every gradient, in Float64.
///
/// The scalar checked is `sum(f(inputs) * R)` with a fixed random R, so every output element
/// matters. Analytic gradients of each input and each parameter of `store` are compared with
/// central differences `(L(x+h) - L(x-h)) / 2h`; the error is `|a - n| / max(|a|, |n|, 1e-4)`.
/// Each evaluation builds a fresh training graph with the same seed (same dropout masks).
@discardableResult
func checkGradients(
    _ inputs: [Tensor<Double>], store: ParameterStore<Double>? = nil, h: Double = 1e-5, tolerance: Double = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ f: (Graph<Double>, [Node]) -> Node
) -> Double {
    var weights: Tensor<Double>? = nil
    func loss(_ xs: [Tensor<Double>]) -> (Double, Graph<Double>, [Node], Node) {
        let g = Graph<Double>(store, mode: .training, seed: 99)
        let nodes = xs.map { g.variable($0) }
        let y = f(g, nodes)
        if weights == nil { weights = randomTensor(g.shape(y), seed: 1234) }
        let r = g.constant(weights ?? Tensor(zeros: g.shape(y)))
        let l = g.sum(g.mul(y, r))
        return (g.scalar(l), g, nodes, l)
    }
    let (_, g, nodes, l) = loss(inputs)
    g.backward(l)
    var worst = 0.0
    func compare(_ analytic: Double, _ numeric: Double, _ what: String) {
        let err = abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-4)
        worst = max(worst, err)
        if err > tolerance {
            Issue.record("\(what): analytic \(analytic) numeric \(numeric) error \(err)", sourceLocation: sourceLocation)
        }
    }
    for (k, x) in inputs.enumerated() {
        let analytic = g.grad(nodes[k])?.data ?? [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            var plus = inputs, minus = inputs
            plus[k].data[i] += h
            minus[k].data[i] -= h
            let numeric = (loss(plus).0 - loss(minus).0) / (2 * h)
            compare(analytic[i], numeric, "input \(k)[\(i)]")
            if worst > tolerance * 100 { return worst }
        }
    }
    if let store {
        let grads = Dictionary(uniqueKeysWithValues: g.parameterGradients())
        for id in store.ids {
            let analytic = grads[id]?.data ?? [Double](repeating: 0, count: store[id].count)
            for i in 0..<store[id].count {
                let saved = store.values[id.index].data[i]
                store.values[id.index].data[i] = saved + h
                let lp = loss(inputs).0
                store.values[id.index].data[i] = saved - h
                let lm = loss(inputs).0
                store.values[id.index].data[i] = saved
                compare(analytic[i], (lp - lm) / (2 * h), "\(store.name(id))[\(i)]")
                if worst > tolerance * 100 { return worst }
            }
        }
    }
    return worst
}
