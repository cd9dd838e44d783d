/// A weight matrix `[K, N]` quantised to int8, symmetric per output column: `w ≈ q * scale[col]`.
/// A parameter's int8 form (`ParameterStore.setQuantized`): every reader then sees it dequantised.
public struct Int8Matrix: Sendable, Equatable {
    public let rows: Int, cols: Int
    public let values: [Int8]
    public let scales: [Float]

    public init(quantizing w: Tensor<Float>) {
        precondition(w.rank == 2, "Int8Matrix needs a 2-D weight, got \(w.shape)")
        rows = w.shape[0]
        cols = w.shape[1]
        var scales = [Float](repeating: 1, count: cols)
        for j in 0..<cols {
            var m: Float = 0
            for i in 0..<rows { m = Swift.max(m, Swift.abs(w[i, j])) }
            scales[j] = m > 0 ? m / 127 : 1
        }
        var q = [Int8](repeating: 0, count: rows * cols)
        for i in 0..<rows {
            for j in 0..<cols { q[i * cols + j] = Int8(Swift.max(-127, Swift.min(127, (w[i, j] / scales[j]).rounded()))) }
        }
        values = q
        self.scales = scales
    }

    /// An int8 matrix as stored: `values` row-major `[rows, cols]`, one scale per column.
    public init(rows: Int, cols: Int, values: [Int8], scales: [Float]) {
        precondition(values.count == rows * cols && scales.count == cols, "Int8Matrix: \(values.count) values, \(scales.count) scales for [\(rows), \(cols)]")
        self.rows = rows
        self.cols = cols
        self.values = values
        self.scales = scales
    }

    /// The float matrix the int8 values stand for.
    public func dequantized() -> Tensor<Float> {
        Tensor([rows, cols], (0..<(rows * cols)).map { Float(values[$0]) * scales[$0 % cols] })
    }
}

/// Reference int8 product `x · w`: each row of x is quantised symmetrically to int8, products
/// are accumulated exactly in Int32, then scaled back to Float.
public func int8Matmul(_ x: Tensor<Float>, _ w: Int8Matrix) -> Tensor<Float> {
    precondition(x.cols == w.rows, "int8Matmul: \(x.shape) · [\(w.rows), \(w.cols)]")
    let m = x.rows, k = w.rows, n = w.cols
    var out = [Float](repeating: 0, count: m * n)
    var qx = [Int8](repeating: 0, count: k)
    for i in 0..<m {
        var amax: Float = 0
        for p in 0..<k { amax = Swift.max(amax, Swift.abs(x.data[i * k + p])) }
        let sx: Float = amax > 0 ? amax / 127 : 1
        for p in 0..<k { qx[p] = Int8(Swift.max(-127, Swift.min(127, (x.data[i * k + p] / sx).rounded()))) }
        for j in 0..<n {
            var acc: Int32 = 0
            for p in 0..<k { acc &+= Int32(qx[p]) * Int32(w.values[p * n + j]) }
            out[i * n + j] = Float(acc) * sx * w.scales[j]
        }
    }
    return Tensor(shape: x.shape.replacing(axis: x.rank - 1, with: n), data: out)
}
