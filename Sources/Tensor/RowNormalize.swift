extension Tape {
    /// Each row of `x` (last axis) divided by its L2 norm, `y = x / sqrt(|x|² + eps)`: the cosine
    /// router's unit vectors (MoEC). Backward: `gx = (gy - y (gy·y)) / n`.
    public func rowNormalize(_ x: Value, eps: Double = 1e-12) -> Value {
        let xv = values[x.id]
        let rows = xv.rows, cols = xv.cols
        var norms = [S](repeating: 0, count: rows)
        for i in 0..<rows {
            var s: S = 0
            for j in 0..<cols { let v = xv.data[i * cols + j]; s += v * v }
            norms[i] = S.sqrt(s + S(eps))
        }
        return op(xv.shape, inputs: [x], { y in
            for i in 0..<rows { for j in 0..<cols { y[i * cols + j] = xv.data[i * cols + j] / norms[i] } }
        }) { g, o in
            let gy = g.upstream(o), yv = g.values[o]
            g.accumulate(x) { gx in
                for i in 0..<rows {
                    var dot: S = 0
                    for j in 0..<cols { dot += gy.data[i * cols + j] * yv.data[i * cols + j] }
                    for j in 0..<cols { gx[i * cols + j] += (gy.data[i * cols + j] - yv.data[i * cols + j] * dot) / norms[i] }
                }
            }
        }
    }
}
