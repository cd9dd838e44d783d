import Testing
@testable import Tensor

/// The kernels' paths for large shapes (split over cores), which the small gradient checks do not
/// reach, against naive loops.
@Suite struct LargeKernelTests {
    /// C = op(A) op(B) + beta C by the definition.
    func naiveGemm(_ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, _ a: [Double], _ b: [Double], beta: Double, _ c: [Double]) -> [Double] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]) }
                out[i * n + j] = s + beta * c[i * n + j]
            }
        }
        return out
    }

    // Row split (m = 600 is three blocks of 256 rows) and K split (small C, k = 5000).
    @Test(arguments: [(600, 20, 40), (8, 6, 5000)])
    func parallelGemmMatchesTheDefinition(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for ta in [false, true] {
            for tb in [false, true] {
                for beta in [0.0, 1.0] {
                    let a = randomTensor([m * k], seed: 1).data, b = randomTensor([k * n], seed: 2).data
                    var c = randomTensor([m * n], seed: 3).data
                    let expected = naiveGemm(ta, tb, m: m, n: n, k: k, a, b, beta: beta, c)
                    a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                        parallelGemm(transA: ta, transB: tb, m: m, n: n, k: k, a: ap.baseAddress!, lda: ta ? m : k,
                                     b: bp.baseAddress!, ldb: tb ? k : n, beta: beta, c: cp.baseAddress!, ldc: n)
                    } } }
                    let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
                    #expect(worst < 1e-10, "transA \(ta) transB \(tb) beta \(beta): max error \(worst)")
                }
            }
        }
    }
}
