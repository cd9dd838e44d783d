/// The linear algebra of CHEX channel exploration (COMPRESSION.md §3.1), on a matrix whose
/// columns are channels: column-subset-selection leverage scores for pruning and the residual
/// off the kept span for regrowing. Double precision; matrices are row-major `[rows][cols]` flat.
public enum ChannelImportance {
    /// Eigen-decomposition of a symmetric `n×n` matrix by cyclic Jacobi rotations: eigenvalues
    /// (descending) and the matching eigenvectors as columns of a row-major `n×n` matrix.
    public static func symmetricEigen(_ a: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
        var m = a, v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<60 {
            var off = 0.0, total = 0.0
            for i in 0..<n { for j in 0..<n { total += m[i * n + j] * m[i * n + j]; if i != j { off += m[i * n + j] * m[i * n + j] } } }
            if off <= 1e-24 * max(total, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let apq = m[p * n + q]
                    if abs(apq) < 1e-300 { continue }
                    let theta = (m[q * n + q] - m[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {  // columns p, q
                        let mkp = m[k * n + p], mkq = m[k * n + q]
                        m[k * n + p] = c * mkp - s * mkq
                        m[k * n + q] = s * mkp + c * mkq
                    }
                    for k in 0..<n {  // rows p, q
                        let mpk = m[p * n + k], mqk = m[q * n + k]
                        m[p * n + k] = c * mpk - s * mqk
                        m[q * n + k] = s * mpk + c * mqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { m[$0 * n + $0] > m[$1 * n + $1] || (m[$0 * n + $0] == m[$1 * n + $1] && $0 < $1) }
        var vectors = [Double](repeating: 0, count: n * n)
        for (newCol, old) in order.enumerated() { for k in 0..<n { vectors[k * n + newCol] = v[k * n + old] } }
        return (order.map { m[$0 * n + $0] }, vectors)
    }

    /// CSS leverage scores of the `cols` columns of `x` (`rows × cols`): with `X = UΣVᵀ`, the norm
    /// of row i of the top-`k` right singular vectors `V_k` (CHEX uses the norm; the square ranks
    /// the same and sums to k). When `rows < cols` the SVD criterion does not apply and CHEX falls
    /// back to each column's L1 norm.
    public static func leverage(_ x: [Double], rows: Int, cols: Int, keep k: Int) -> [Double] {
        guard rows >= cols else { return l1(x, rows: rows, cols: cols) }
        var gram = [Double](repeating: 0, count: cols * cols)
        for r in 0..<rows {
            let o = r * cols
            for i in 0..<cols where x[o + i] != 0 { for j in 0..<cols { gram[i * cols + j] += x[o + i] * x[o + j] } }
        }
        let v = symmetricEigen(gram, n: cols).vectors
        let kk = min(max(k, 0), cols)
        return (0..<cols).map { i in
            var s = 0.0
            for j in 0..<kk { s += v[i * cols + j] * v[i * cols + j] }
            return s.squareRoot()
        }
    }

    /// The L1 norm of each column.
    public static func l1(_ x: [Double], rows: Int, cols: Int) -> [Double] {
        (0..<cols).map { c in (0..<rows).reduce(0) { $0 + abs(x[$1 * cols + c]) } }
    }

    /// `‖w_j − P_S w_j‖₂` for each column j in `candidates`, with S the columns `kept` of `x` and
    /// `P_S` the orthogonal projector onto their span (modified Gram–Schmidt; dependent columns add nothing).
    public static func residuals(_ x: [Double], rows: Int, cols: Int, kept: [Int], candidates: [Int]) -> [Double] {
        var basis: [[Double]] = []
        func column(_ c: Int) -> [Double] { (0..<rows).map { x[$0 * cols + c] } }
        func project(_ w: inout [Double]) {
            for q in basis {
                var d = 0.0
                for r in 0..<rows { d += q[r] * w[r] }
                for r in 0..<rows { w[r] -= d * q[r] }
            }
        }
        func norm(_ w: [Double]) -> Double { w.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        for c in kept {
            var w = column(c)
            let n0 = norm(w)
            project(&w)
            project(&w)  // twice is enough for orthogonality in floating point
            let n = norm(w)
            if n > 1e-10 * max(n0, 1e-300) { basis.append(w.map { $0 / n }) }
        }
        return candidates.map { c in
            var w = column(c)
            project(&w)
            project(&w)
            return norm(w)
        }
    }
}
