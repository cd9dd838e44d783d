/// Solves the square system `a x = b` (row-major `a`, n×n) by Gaussian elimination with partial
/// pivoting; nil when the matrix is singular to working precision.
public func solveLinearSystem(_ a: [Double], _ b: [Double]) -> [Double]? {
    let n = b.count
    guard a.count == n * n else { return nil }
    var m = a
    var x = b
    let scale = m.map(abs).max() ?? 0
    for col in 0..<n {
        var pivot = col
        for row in (col + 1)..<max(col + 1, n) where abs(m[row * n + col]) > abs(m[pivot * n + col]) { pivot = row }
        guard abs(m[pivot * n + col]) > 1e-12 * max(scale, 1e-300) else { return nil }
        if pivot != col {
            for k in 0..<n { m.swapAt(col * n + k, pivot * n + k) }
            x.swapAt(col, pivot)
        }
        for row in (col + 1)..<max(col + 1, n) {
            let f = m[row * n + col] / m[col * n + col]
            if f == 0 { continue }
            for k in col..<n { m[row * n + k] -= f * m[col * n + k] }
            x[row] -= f * x[col]
        }
    }
    for row in stride(from: n - 1, through: 0, by: -1) {
        var s = x[row]
        for k in (row + 1)..<max(row + 1, n) { s -= m[row * n + k] * x[k] }
        x[row] = s / m[row * n + row]
    }
    return x
}
