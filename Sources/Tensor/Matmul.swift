/// Batched row-major gemm: for each of `batch` blocks, C = alpha * op(A) op(B) + beta * C.
@_specialize(where S == Float)
@_specialize(where S == Double)
func batchedGemm<S: TensorScalar>(
    batch: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    _ a: UnsafeBufferPointer<S>, strideA: Int, _ b: UnsafeBufferPointer<S>, strideB: Int,
    beta: S, _ c: UnsafeMutableBufferPointer<S>, strideC: Int
) {
    guard m > 0, n > 0, let ap = a.baseAddress, let bp = b.baseAddress, let cp = c.baseAddress else { return }
    if k == 0 {
        for i in 0..<(batch * m * n) where beta == 0 { c[i] = 0 }
        return
    }
    for t in 0..<batch {
        S.gemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
            a: ap + t * strideA, lda: transA ? m : k, b: bp + t * strideB, ldb: transB ? k : n,
            beta: beta, c: cp + t * strideC, ldc: n)
    }
}

extension Graph {
    /// Matrix product `op(a) · op(b)` through BLAS gemm. Without `transposeA`, `a` may have any rank:
    /// its leading axes are rows (`[..., K] · [K, N] -> [..., N]`). With it, `a` is `[K, M]`.
    /// `b` is `[K, N]`, or `[N, K]` with `transposeB`.
    public func matmul(_ a: Node, _ b: Node, transposeA: Bool = false, transposeB: Bool = false) -> Node {
        let av = values[a.id], bv = values[b.id]
        precondition(bv.rank == 2, "matmul: b must be 2-D, got \(bv.shape)")
        precondition(!transposeA || av.rank == 2, "matmul: transposed a must be 2-D")
        let m = transposeA ? av.shape[1] : av.rows
        let k = transposeA ? av.shape[0] : av.cols
        let kb = transposeB ? bv.shape[1] : bv.shape[0]
        let n = transposeB ? bv.shape[0] : bv.shape[1]
        precondition(k == kb, "matmul: inner dimensions \(av.shape) · \(bv.shape) differ")
        let outShape = (!transposeA && av.rank > 2) ? av.shape.replacing(axis: av.rank - 1, with: n) : Shape([m, n])
        return batchedMatmul(a, b, batch: 1, m: m, n: n, k: k, transA: transposeA, transB: transposeB,
                             strideA: 0, strideB: 0, outShape: outShape)
    }

    /// Batched product of 3-D tensors: `[B, M, K] · [B, K, N] -> [B, M, N]` (with optional
    /// transposes of the last two axes of either operand).
    public func bmm(_ a: Node, _ b: Node, transposeA: Bool = false, transposeB: Bool = false) -> Node {
        let av = values[a.id], bv = values[b.id]
        precondition(av.rank == 3 && bv.rank == 3 && av.shape[0] == bv.shape[0], "bmm: shapes \(av.shape) \(bv.shape)")
        let m = transposeA ? av.shape[2] : av.shape[1], k = transposeA ? av.shape[1] : av.shape[2]
        let kb = transposeB ? bv.shape[2] : bv.shape[1], n = transposeB ? bv.shape[1] : bv.shape[2]
        precondition(k == kb, "bmm: inner dimensions \(av.shape) · \(bv.shape) differ")
        return batchedMatmul(a, b, batch: av.shape[0], m: m, n: n, k: k, transA: transposeA, transB: transposeB,
                             strideA: m * k, strideB: k * n, outShape: [av.shape[0], m, n])
    }

    private func batchedMatmul(
        _ a: Node, _ b: Node, batch: Int, m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
        strideA: Int, strideB: Int, outShape: Shape
    ) -> Node {
        let av = values[a.id], bv = values[b.id]
        return op(outShape, inputs: [a, b], { c in
            av.data.withPointer { ap in bv.data.withPointer { bp in
                batchedGemm(batch: batch, transA: transA, transB: transB, m: m, n: n, k: k,
                            ap, strideA: strideA, bp, strideB: strideB, beta: 0, c, strideC: m * n)
            } }
        }) { g, o in
            let gy = g.upstream(o), av = g.values[a.id], bv = g.values[b.id]
            // C = op(A) op(B); dop(A) = dC op(B)^T, dop(B) = op(A)^T dC.
            g.accumulate(a) { ga in
                gy.data.withPointer { gp in bv.data.withPointer { bp in
                    if transA {  // A^T stored [K, M]: dA = op(B) dC^T
                        batchedGemm(batch: batch, transA: transB, transB: true, m: k, n: m, k: n,
                                    bp, strideA: strideB, gp, strideB: m * n, beta: 1, ga, strideC: strideA)
                    } else {
                        batchedGemm(batch: batch, transA: false, transB: !transB, m: m, n: k, k: n,
                                    gp, strideA: m * n, bp, strideB: strideB, beta: 1, ga, strideC: strideA)
                    }
                } }
            }
            g.accumulate(b) { gb in
                gy.data.withPointer { gp in av.data.withPointer { ap in
                    if transB {  // B stored [N, K]: dB = dC^T op(A)
                        batchedGemm(batch: batch, transA: true, transB: transA, m: n, n: k, k: m,
                                    gp, strideA: m * n, ap, strideB: strideA, beta: 1, gb, strideC: strideB)
                    } else {
                        batchedGemm(batch: batch, transA: !transA, transB: false, m: k, n: n, k: m,
                                    ap, strideA: strideA, gp, strideB: m * n, beta: 1, gb, strideC: strideB)
                    }
                } }
            }
        }
    }
}

extension Graph {
    /// Fused `x · weight + bias` (bias `[N]` added to every row): one pass fewer than matmul + add.
    /// `x` is `[..., K]`, `weight` `[K, N]`.
    public func linear(_ x: Node, weight: Node, bias: Node?) -> Node {
        guard let bias else { return matmul(x, weight) }
        let xv = values[x.id], wv = values[weight.id], bv = values[bias.id]
        precondition(wv.rank == 2 && xv.cols == wv.shape[0], "linear: \(xv.shape) · \(wv.shape)")
        let m = xv.rows, k = xv.cols, n = wv.shape[1]
        precondition(bv.count == n, "linear: bias of \(bv.count) for \(n) outputs")
        let outShape = xv.shape.replacing(axis: xv.rank - 1, with: n)
        return op(outShape, inputs: [x, weight, bias], { c in
            guard let cp = c.baseAddress else { return }
            bv.data.withPointer { bp in
                guard let b = bp.baseAddress else { return }
                for i in 0..<m { (cp + i &* n).update(from: b, count: n) }
            }
            xv.data.withPointer { ap in wv.data.withPointer { wp in
                batchedGemm(batch: 1, transA: false, transB: false, m: m, n: n, k: k, ap, strideA: 0, wp, strideB: 0, beta: 1, c, strideC: 0)
            } }
        }) { g, o in
            let gy = g.upstream(o), xv = g.values[x.id], wv = g.values[weight.id]
            g.accumulate(x) { gx in
                gy.data.withPointer { gp in wv.data.withPointer { wp in
                    batchedGemm(batch: 1, transA: false, transB: true, m: m, n: k, k: n, gp, strideA: 0, wp, strideB: 0, beta: 1, gx, strideC: 0)
                } }
            }
            g.accumulate(weight) { gw in
                xv.data.withPointer { ap in gy.data.withPointer { gp in
                    batchedGemm(batch: 1, transA: true, transB: false, m: k, n: n, k: m, ap, strideA: 0, gp, strideB: 0, beta: 1, gw, strideC: 0)
                } }
            }
            g.accumulate(bias) { gb in
                gy.data.withPointer { gp in
                    guard let gyb = gp.baseAddress, let out = gb.baseAddress else { return }
                    for i in 0..<m { axpy(n, 1, gyb + i &* n, out) }
                }
            }
        }
    }
}
