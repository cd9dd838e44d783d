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
        parallelGemm(
            transA: transA, transB: transB, m: m, n: n, k: k,
            a: ap + t * strideA, lda: transA ? m : k, b: bp + t * strideB, ldb: transB ? k : n,
            beta: beta, c: cp + t * strideC, ldc: n)
    }
}

/// Row-major `C = op(A) op(B) + beta C` over both cores when OpenBLAS is single-threaded: by
/// rows of C, or, for a small C and a long K (weight gradients `X^T dY`), by slices of K whose
/// partial products are added to C in slice order. Splits depend only on the shape, so results
/// are reproducible.
@_specialize(where S == Float)
@_specialize(where S == Double)
func parallelGemm<S: TensorScalar>(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
    beta: S, c: UnsafeMutablePointer<S>, ldc: Int
) {
    let work = 2 * m * n * k
    guard work >= Parallel.threshold * 8, BLAS.threads == 1 else {
        S.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        return
    }
    if m * n <= 1 << 16 && k >= 16 * Swift.max(m, n) {
        let slices = Swift.max(2, Swift.min(16, k / 2048)), size = (k + slices - 1) / slices
        withUnsafeTemporaryAllocation(of: S.self, capacity: slices * m * n) { partial in
            guard let p = partial.baseAddress else { return }
            Parallel.chunks(slices, work: 2 * m * n * size) { r in
                for s in r {
                    let lo = s * size, count = Swift.min(k, lo + size) - lo
                    S.gemm(transA: transA, transB: transB, m: m, n: n, k: count, alpha: 1,
                           a: transA ? a + lo * lda : a + lo, lda: lda, b: transB ? b + lo : b + lo * ldb, ldb: ldb,
                           beta: 0, c: p + s * m * n, ldc: n)
                }
            }
            for i in 0..<m {
                let row = c + i * ldc
                if beta == 0 { row.update(repeating: 0, count: n) } else if beta != 1 { for j in 0..<n { row[j] *= beta } }
                for s in 0..<slices { axpy(n, 1, p + s * m * n + i * n, row) }
            }
        }
        return
    }
    // Blocks of 256 rows keep each OpenBLAS call large enough to amortise its packing of B.
    let block = 256, blocks = (m + block - 1) / block
    Parallel.chunks(blocks, work: 2 * block * n * k) { r in
        let lo = r.lowerBound * block, hi = Swift.min(m, r.upperBound * block)
        S.gemm(transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: 1,
               a: transA ? a + lo : a + lo * lda, lda: lda, b: b, ldb: ldb, beta: beta, c: c + lo * ldc, ldc: ldc)
    }
}

extension Tape {
    /// Matrix product `op(a) · op(b)` through BLAS gemm. Without `transposeA`, `a` may have any rank:
    /// its leading axes are rows (`[..., K] · [K, N] -> [..., N]`). With it, `a` is `[K, M]`.
    /// `b` is `[K, N]`, or `[N, K]` with `transposeB`.
    public func matmul(_ a: Value, _ b: Value, transposeA: Bool = false, transposeB: Bool = false) -> Value {
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
    public func bmm(_ a: Value, _ b: Value, transposeA: Bool = false, transposeB: Bool = false) -> Value {
        let av = values[a.id], bv = values[b.id]
        precondition(av.rank == 3 && bv.rank == 3 && av.shape[0] == bv.shape[0], "bmm: shapes \(av.shape) \(bv.shape)")
        let m = transposeA ? av.shape[2] : av.shape[1], k = transposeA ? av.shape[1] : av.shape[2]
        let kb = transposeB ? bv.shape[2] : bv.shape[1], n = transposeB ? bv.shape[1] : bv.shape[2]
        precondition(k == kb, "bmm: inner dimensions \(av.shape) · \(bv.shape) differ")
        return batchedMatmul(a, b, batch: av.shape[0], m: m, n: n, k: k, transA: transposeA, transB: transposeB,
                             strideA: m * k, strideB: k * n, outShape: [av.shape[0], m, n])
    }

    private func batchedMatmul(
        _ a: Value, _ b: Value, batch: Int, m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
        strideA: Int, strideB: Int, outShape: Shape
    ) -> Value {
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

/// Rows per block of the fused linear kernels: a block of 64-wide rows (64 KiB) stays in L2
/// between its bias fill, product and activation. Blocks are fixed by the shape, and so is the
/// order in which per-block bias-gradient sums are added.
let linearBlock = 256

/// Calls `body(block, rows)` for the fixed row blocks of `0..<m`: spread over both cores when
/// OpenBLAS is single-threaded and `work` (per row) pays, else in order on the calling thread.
func rowBlocks(_ m: Int, work: Int, _ body: (Int, Range<Int>) -> Void) {
    let blocks = (m + linearBlock - 1) / linearBlock
    @inline(__always) func rows(_ b: Int) -> Range<Int> { (b * linearBlock)..<Swift.min(m, (b + 1) * linearBlock) }
    if BLAS.threads == 1 {
        Parallel.chunks(blocks, work: linearBlock * work) { r in
            for b in r { body(b, rows(b)) }
        }
    } else {
        for b in 0..<blocks { body(b, rows(b)) }
    }
}

extension Tape {
    /// Fused `activation(x · weight + bias)` (bias `[N]` added to every row; activation `.relu`
    /// or `.identity` fused, others applied after): bias fill, product and activation run per
    /// block of rows while it is in cache, and the backward pass needs no separate activation
    /// gradient. `x` is `[..., K]`, `weight` `[K, N]`.
    public func linear(_ x: Value, weight: Value, bias: Value?, activation: Activation = .identity) -> Value {
        guard activation == .relu || activation == .identity else {
            return activate(activation, linear(x, weight: weight, bias: bias))
        }
        let relu = activation == .relu
        let xv = values[x.id], wv = values[weight.id], bv = bias.map { values[$0.id] }
        precondition(wv.rank == 2 && xv.cols == wv.shape[0], "linear: \(xv.shape) · \(wv.shape)")
        let m = xv.rows, k = xv.cols, n = wv.shape[1]
        precondition(bv == nil || bv?.count == n, "linear: bias of \(bv?.count ?? 0) for \(n) outputs")
        let outShape = xv.shape.replacing(axis: xv.rank - 1, with: n)
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return op(outShape, inputs: inputs, { c in
            guard let cp = c.baseAddress else { return }
            xv.data.withPointer { ap in wv.data.withPointer { wp in
                guard let a = ap.baseAddress, let w = wp.baseAddress else { return }
                let b = bv?.data
                rowBlocks(m, work: 2 * n * k) { _, rows in
                    let out = cp + rows.lowerBound &* n, count = rows.count &* n
                    if let b {
                        b.withPointer { bp in
                            guard let bb = bp.baseAddress else { return }
                            for i in 0..<rows.count { (out + i &* n).update(from: bb, count: n) }
                        }
                    }
                    if k > 0 {
                        S.gemm(transA: false, transB: false, m: rows.count, n: n, k: k, alpha: 1, a: a + rows.lowerBound &* k, lda: k,
                               b: w, ldb: n, beta: b == nil ? 0 : 1, c: out, ldc: n)
                    } else if b == nil {
                        out.update(repeating: 0, count: count)
                    }
                    if relu { reluInPlace(out, count) }
                }
            } }
        }) { g, o in
            g.linearBackward(o, x: x, weight: weight, bias: bias, relu: relu, m: m, k: k, n: n)
        }
    }

    /// dZ = dY masked by Y > 0 (relu) or dY; per row block: dX (+)= dZ W^T and the block's bias
    /// sum; then dW += X^T dZ and db += the block sums in block order.
    private func linearBackward(_ o: Int, x: Value, weight: Value, bias: Value?, relu: Bool, m: Int, k: Int, n: Int) {
        let gy = upstream(o), yv = values[o], xv = values[x.id], wv = values[weight.id]
        let blocks = (m + linearBlock - 1) / linearBlock
        let wantBias = bias.map { needsGrad($0) } ?? false
        var masked = relu ? buffer(m * n) : []
        var sums = wantBias ? buffer(blocks * n) : []
        func pass(_ gx: UnsafeMutableBufferPointer<S>?, assign: Bool, _ t: UnsafeMutablePointer<S>?, _ s: UnsafeMutablePointer<S>?) {
            gy.data.withPointer { gyp in yv.data.withPointer { yp in wv.data.withPointer { wp in
                guard let gyb = gyp.baseAddress, let yb = yp.baseAddress, let w = wp.baseAddress else { return }
                rowBlocks(m, work: 2 * n * k + 2 * n) { block, rows in
                    let lo = rows.lowerBound &* n, count = rows.count &* n
                    var z = UnsafePointer(gyb + lo)
                    if let t {
                        reluGradient(t + lo, yb + lo, gyb + lo, count, accumulate: false)
                        z = UnsafePointer(t + lo)
                    }
                    if let s {
                        let sum = s + block &* n
                        sum.update(repeating: 0, count: n)
                        for i in 0..<rows.count { axpy(n, 1, z + i &* n, sum) }
                    }
                    if let gxb = gx?.baseAddress, k > 0 {
                        S.gemm(transA: false, transB: true, m: rows.count, n: k, k: n, alpha: 1, a: z, lda: n,
                               b: w, ldb: n, beta: assign ? 0 : 1, c: gxb + rows.lowerBound &* k, ldc: k)
                    }
                }
            } } }
        }
        masked.withMutablePointer { mp in sums.withMutablePointer { sp in
            let t = relu ? mp.baseAddress : nil, s = wantBias ? sp.baseAddress : nil
            if needsGrad(x) { accumulate(x, assigning: { gx, assign in pass(gx, assign: assign, t, s) }) } else { pass(nil, assign: false, t, s) }
        } }
        let dz = relu ? masked : gy.data
        accumulate(weight) { gw in
            xv.data.withPointer { ap in dz.withPointer { zp in
                guard let a = ap.baseAddress, let z = zp.baseAddress, let c = gw.baseAddress else { return }
                parallelGemm(transA: true, transB: false, m: k, n: n, k: m, a: a, lda: k, b: z, ldb: n, beta: 1, c: c, ldc: n)
            } }
        }
        if let bias {
            accumulate(bias) { gb in
                sums.withPointer { sp in
                    guard let s = sp.baseAddress, let out = gb.baseAddress else { return }
                    for b in 0..<blocks { axpy(n, 1, s + b &* n, out) }
                }
            }
        }
        if relu { pool.give(masked) }
        if wantBias { pool.give(sums) }
    }
}
