/// Finite-difference check of gradients, in Float64: the oracle of every backward pass.
///
/// The scalar checked is `sum(f(inputs) * R)` with a fixed random R, so every output element
/// matters. Analytic gradients of each input and each parameter of `weights` are compared with
/// central differences `(L(x+h) - L(x-h)) / 2h`; the error is `|a - n| / max(|a|, |n|, 1e-4)`.
/// Each evaluation builds a fresh training tape with the same seed (same dropout masks).
public enum GradientCheck {
    /// One gradient that disagrees with its finite difference.
    public struct Mismatch: Sendable, CustomStringConvertible {
        public let what: String
        public let analytic: Double, numeric: Double, error: Double
        public var description: String { "\(what): analytic \(analytic) numeric \(numeric) error \(error)" }
    }

    /// The worst relative error and every mismatch above `tolerance` (stopping early once an error
    /// exceeds 100 × `tolerance`).
    public static func run(
        _ inputs: [Tensor<Double>], weights: ParameterStore<Double>? = nil, h: Double = 1e-5, tolerance: Double = 1e-6,
        _ f: (Tape<Double>, [Value]) -> Value
    ) -> (worst: Double, mismatches: [Mismatch]) {
        var probe: Tensor<Double>? = nil
        func loss(_ xs: [Tensor<Double>]) -> (Double, Tape<Double>, [Value], Value) {
            let g = Tape<Double>(weights, mode: .training, seed: 99)
            let nodes = xs.map { g.variable($0) }
            let y = f(g, nodes)
            if probe == nil { probe = random(g.shape(y), seed: 1234) }
            let r = g.constant(probe ?? Tensor(zeros: g.shape(y)))
            let l = g.sum(g.mul(y, r))
            return (g.scalar(l), g, nodes, l)
        }
        let (_, g, nodes, l) = loss(inputs)
        g.backward(l)
        var worst = 0.0, mismatches: [Mismatch] = []
        func compare(_ analytic: Double, _ numeric: Double, _ what: String) -> Bool {
            let err = abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-4)
            worst = max(worst, err)
            if err > tolerance { mismatches.append(Mismatch(what: what, analytic: analytic, numeric: numeric, error: err)) }
            return worst <= tolerance * 100
        }
        for (k, x) in inputs.enumerated() {
            let analytic = g.grad(nodes[k])?.data ?? [Double](repeating: 0, count: x.count)
            for i in 0..<x.count {
                var plus = inputs, minus = inputs
                plus[k].data[i] += h
                minus[k].data[i] -= h
                let numeric = (loss(plus).0 - loss(minus).0) / (2 * h)
                guard compare(analytic[i], numeric, "input \(k)[\(i)]") else { return (worst, mismatches) }
            }
        }
        if let weights {
            let grads = Dictionary(uniqueKeysWithValues: g.parameterGradients())
            for id in weights.ids {
                let analytic = grads[id]?.data ?? [Double](repeating: 0, count: weights[id].count)
                for i in 0..<weights[id].count {
                    let saved = weights.values[id.index].data[i]
                    weights.values[id.index].data[i] = saved + h
                    let lp = loss(inputs).0
                    weights.values[id.index].data[i] = saved - h
                    let lm = loss(inputs).0
                    weights.values[id.index].data[i] = saved
                    guard compare(analytic[i], (lp - lm) / (2 * h), "\(weights.name(id))[\(i)]") else { return (worst, mismatches) }
                }
            }
        }
        return (worst, mismatches)
    }

    /// Values uniform in [low, high) from a fixed seed.
    public static func random(_ shape: Shape, seed: UInt64, low: Double = -1, high: Double = 1) -> Tensor<Double> {
        var rng = SeededGenerator(seed: seed)
        return Tensor(shape: shape, data: (0..<shape.count).map { _ in low + (high - low) * rng.unit() })
    }
}
