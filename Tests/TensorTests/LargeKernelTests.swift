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

    /// The fused linear + relu over several row blocks (600 rows: three blocks, on both cores)
    /// against the separately gradient-checked matmul, add and relu.
    @Test func fusedLinearMatchesUnfusedOps() {
        let x = randomTensor([600, 12], seed: 4), w = randomTensor([12, 10], seed: 5), b = randomTensor([10], seed: 6)
        let w2 = randomTensor([12, 10], seed: 7), r = randomTensor([600, 10], seed: 8)
        func run(fused: Bool) -> [Tensor<Double>] {
            let g = Tape<Double>()
            let v = [x, w, b, w2].map { g.variable($0) }
            let y = fused ? g.linear(v[0], weight: v[1], bias: v[2], activation: .relu) : g.relu(g.add(g.matmul(v[0], v[1]), v[2]))
            let loss = g.sum(g.mul(g.add(y, g.matmul(v[0], v[3])), g.constant(r)))
            g.backward(loss)
            return [g.value(y)] + v.map { g.grad($0) ?? Tensor(zeros: [1]) }
        }
        let fused = run(fused: true), plain = run(fused: false)
        for (name, (a, e)) in zip(["y", "dx", "dw", "db", "dw2"], zip(fused, plain)) {
            #expect(a.shape == e.shape, "\(name) shape")
            let worst = zip(a.data, e.data).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
            #expect(worst < 1e-12, "\(name): max relative error \(worst)")
        }
    }
}
