import Kernels
import Testing
@testable import Tensor

/// oneDNN's sgemm, the default Float product, against OpenBLAS's (the reference), with every
/// transpose, padded leading dimensions, alpha and beta.
@Suite struct GEMMBackendTests {
    @Test(arguments: [(1, 1, 1), (7, 5, 3), (64, 32, 160), (300, 256, 64), (33, 17, 129)])
    func oneDNNEqualsOpenBLAS(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SeededGenerator(seed: UInt64(m * 1_000_003 + n * 1_009 + k))
        for transA in [false, true] {
            for transB in [false, true] {
                let lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 5
                let a = (0..<((transA ? k : m) * lda)).map { _ in Float(rng.unit() * 2 - 1) }
                let b = (0..<((transB ? n : k) * ldb)).map { _ in Float(rng.unit() * 2 - 1) }
                let c0 = (0..<(m * ldc)).map { _ in Float(rng.unit() * 2 - 1) }
                var fast = c0, reference = c0
                let status = fast.withUnsafeMutableBufferPointer { c in
                    qor_sgemm_onednn(transA ? 1 : 0, transB ? 1 : 0, m, n, k, 0.75, a, lda, b, ldb, -0.5, c.baseAddress, ldc)
                }
                #expect(status == 0)
                reference.withUnsafeMutableBufferPointer { c in
                    Float.referenceGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda, b: b, ldb: ldb,
                                        beta: -0.5, c: c.baseAddress!, ldc: ldc)
                }
                for i in 0..<m {
                    for j in 0..<ldc {
                        let x = fast[i * ldc + j], y = reference[i * ldc + j]
                        // Past column n the output is untouched; inside it agrees to rounding (sums of k terms).
                        if j >= n { #expect(x == c0[i * ldc + j]) } else { #expect(abs(x - y) <= 1e-6 * Float(k) + 1e-6, "\(m)x\(n)x\(k) \(transA) \(transB): \(x) vs \(y)") }
                    }
                }
            }
        }
    }
}
