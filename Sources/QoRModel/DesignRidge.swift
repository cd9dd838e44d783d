import Common
/// A design's own ridge regression of a standardised target on the flow summary
/// (`TokenBatch.summary`), fitted in closed form. Coefficients: intercept first, then one weight per feature.
enum DesignRidge {
    static func apply<C: Collection>(_ coefficients: [Double], _ x: C) -> Double where C.Element == Float {
        var y = coefficients.first ?? 0
        for (w, v) in zip(coefficients.dropFirst(), x) { y += w * Double(v) }
        return y
    }

    /// Each feature's standard deviation over the rows (at least 1e-6): the `scale` of ``fit``.
    static func scales(_ x: [[Float]]) -> [Double] {
        let p = x.first?.count ?? 0, n = Double(max(1, x.count))
        var mean = [Double](repeating: 0, count: p), variance = [Double](repeating: 0, count: p)
        for row in x { for k in 0..<p { mean[k] += Double(row[k]) } }
        for k in 0..<p { mean[k] /= n }
        for row in x { for k in 0..<p { let v = Double(row[k]) - mean[k]; variance[k] += v * v / n } }
        return variance.map { max($0.squareRoot(), 1e-6) }
    }

    /// The weights minimise `Σ (y - a - w·x)² + lambda Σ_k (scale_k w_k)²` (the penalty of
    /// features standardised by `scale`); the intercept then makes the median residual zero.
    static func fit(_ x: [[Float]], _ y: [Double], scale: [Double], lambda: Double) -> [Double] {
        let n = x.count, p = scale.count
        guard n > 0 else { return [0] + [Double](repeating: 0, count: p) }
        var mean = [Double](repeating: 0, count: p)
        for row in x { for k in 0..<p { mean[k] += Double(row[k]) / Double(n) } }
        let my = y.reduce(0, +) / Double(n)
        var a = [Double](repeating: 0, count: p * p), b = [Double](repeating: 0, count: p)
        for (row, t) in zip(x, y) {
            for r in 0..<p {
                let xr = Double(row[r]) - mean[r]
                b[r] += xr * (t - my)
                for c in 0..<p { a[r * p + c] += xr * (Double(row[c]) - mean[c]) }
            }
        }
        for k in 0..<p { a[k * p + k] += lambda * scale[k] * scale[k] + 1e-9 }
        let w = solve(a, b, p)
        var coefficients = [my - zip(w, mean).reduce(0) { $0 + $1.0 * $1.1 }] + w
        // The intercept moves to the median residual: QoR across flows is skewed (a few flows land
        // far off), and MAPE is an absolute error, which the median minimises.
        coefficients[0] += Metrics.median(zip(x, y).map { $1 - apply(coefficients, $0) })
        return coefficients
    }

    /// Solves the symmetric positive definite system (``solveLinearSystem``); all zeros, the
    /// prior, when it is singular to working precision.
    static func solve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        solveLinearSystem(a, b) ?? [Double](repeating: 0, count: n)
    }
}
