import Kernels

@_specialize(where S == Float)
@_specialize(where S == Double)
func softmaxRows<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, rows: Int, cols: Int, log: Bool, _ y: UnsafeMutableBufferPointer<S>) {
    Parallel.chunks(rows, work: cols * 8) { r in
        for i in r {
            let o = i * cols
            var m = -S.infinity
            for j in 0..<cols { m = Swift.max(m, x[o + j]) }
            var z: S = 0
            for j in 0..<cols { z += S.exp(x[o + j] - m) }
            if log {
                let lz = m + S.log(z)
                for j in 0..<cols { y[o + j] = x[o + j] - lz }
            } else {
                let inv = 1 / z
                for j in 0..<cols { y[o + j] = S.exp(x[o + j] - m) * inv }
            }
        }
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func softmaxRowsBackward<S: TensorScalar>(_ y: UnsafeBufferPointer<S>, _ gy: UnsafeBufferPointer<S>, rows: Int, cols: Int, log: Bool, _ gx: UnsafeMutableBufferPointer<S>) {
    Parallel.chunks(rows, work: cols * 4) { r in
        for i in r {
            let o = i * cols
            if log {  // y = log p: gx = gy - p * sum(gy)
                var s: S = 0
                for j in 0..<cols { s += gy[o + j] }
                for j in 0..<cols { gx[o + j] += gy[o + j] - S.exp(y[o + j]) * s }
            } else {  // gx = y * (gy - sum(y gy))
                var s: S = 0
                for j in 0..<cols { s += y[o + j] * gy[o + j] }
                for j in 0..<cols { gx[o + j] += y[o + j] * (gy[o + j] - s) }
            }
        }
    }
}

/// Layer norm over rows; saves mean and 1/std per row.
@_specialize(where S == Float)
@_specialize(where S == Double)
func layerNormForward<S: TensorScalar>(
    _ x: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>, rows: Int, cols: Int, eps: S,
    _ y: UnsafeMutableBufferPointer<S>, _ mean: UnsafeMutableBufferPointer<S>, _ rstd: UnsafeMutableBufferPointer<S>
) {
    if isFloat(S.self) {
        // The C kernels (AVX-512 where the CPU has it; LayerNormKernelTests) on row ranges.
        guard let xp = asFloat(x).baseAddress, let wp = asFloat(w).baseAddress, let bp = asFloat(b).baseAddress,
              let yp = asFloat(y).baseAddress, let mp = asFloat(mean).baseAddress, let rp = asFloat(rstd).baseAddress else { return }
        let e = asFloat(eps)
        Parallel.chunks(rows, work: cols * 4) { r in
            qor_layer_norm_forward(Int32(QOR_LN_AUTO), xp + r.lowerBound * cols, wp, bp, r.count, cols, e,
                                   yp + r.lowerBound * cols, mp + r.lowerBound, rp + r.lowerBound)
        }
    } else {
        layerNormForwardBody(x, w, b, rows: rows, cols: cols, eps: eps, y, mean, rstd)
    }
}

@inline(__always)
func layerNormForwardBody<S: TensorScalar>(
    _ x: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>, rows: Int, cols: Int, eps: S,
    _ y: UnsafeMutableBufferPointer<S>, _ mean: UnsafeMutableBufferPointer<S>, _ rstd: UnsafeMutableBufferPointer<S>
) {
    Parallel.chunks(rows, work: cols * 4) { r in
        for i in r {
            let o = i * cols
            var m: S = 0
            for j in 0..<cols { m += x[o + j] }
            m /= S(cols)
            var v: S = 0
            for j in 0..<cols { let d = x[o + j] - m; v += d * d }
            v /= S(cols)
            let s = 1 / S.sqrt(v + eps)
            for j in 0..<cols { y[o + j] = (x[o + j] - m) * s * w[j] + b[j] }
            mean[i] = m
            rstd[i] = s
        }
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func layerNormBackwardInput<S: TensorScalar>(
    _ x: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, _ gy: UnsafeBufferPointer<S>, rows: Int, cols: Int,
    _ mean: UnsafeBufferPointer<S>, _ rstd: UnsafeBufferPointer<S>, _ gx: UnsafeMutableBufferPointer<S>
) {
    if isFloat(S.self) {
        guard let xp = asFloat(x).baseAddress, let wp = asFloat(w).baseAddress, let gp = asFloat(gy).baseAddress,
              let mp = asFloat(mean).baseAddress, let rp = asFloat(rstd).baseAddress, let op = asFloat(gx).baseAddress else { return }
        Parallel.chunks(rows, work: cols * 6) { r in
            qor_layer_norm_backward_input(Int32(QOR_LN_AUTO), xp + r.lowerBound * cols, wp, gp + r.lowerBound * cols, r.count, cols,
                                          mp + r.lowerBound, rp + r.lowerBound, op + r.lowerBound * cols)
        }
    } else {
        layerNormBackwardInputBody(x, w, gy, rows: rows, cols: cols, mean, rstd, gx)
    }
}

@inline(__always)
func layerNormBackwardInputBody<S: TensorScalar>(
    _ x: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, _ gy: UnsafeBufferPointer<S>, rows: Int, cols: Int,
    _ mean: UnsafeBufferPointer<S>, _ rstd: UnsafeBufferPointer<S>, _ gx: UnsafeMutableBufferPointer<S>
) {
    Parallel.chunks(rows, work: cols * 6) { r in
        for i in r {
            let o = i * cols, m = mean[i], s = rstd[i]
            // dx = s * (dn - mean(dn) - n * mean(dn * n)), n = (x - m) s, dn = gy * w
            var a: S = 0, c: S = 0
            for j in 0..<cols {
                let dn = gy[o + j] * w[j], n = (x[o + j] - m) * s
                a += dn; c += dn * n
            }
            a /= S(cols); c /= S(cols)
            for j in 0..<cols {
                let dn = gy[o + j] * w[j], n = (x[o + j] - m) * s
                gx[o + j] += s * (dn - a - n * c)
            }
        }
    }
}

/// `gw[j] += Σ_i gy[i, j] (x[i, j] - mean[i]) rstd[i]`, rows in order.
@inline(__always)
func layerNormWeightGradient<S: TensorScalar>(
    _ x: UnsafeBufferPointer<S>, _ gy: UnsafeBufferPointer<S>, _ mean: UnsafeBufferPointer<S>, _ rstd: UnsafeBufferPointer<S>,
    rows: Int, cols: Int, _ gw: UnsafeMutableBufferPointer<S>
) {
    for i in 0..<rows {
        for j in 0..<cols { gw[j] += gy[i * cols + j] * (x[i * cols + j] - mean[i]) * rstd[i] }
    }
}

/// `gb[j] += Σ_i gy[i, j]`, rows in order.
@inline(__always)
func columnSums<S: TensorScalar>(_ gy: UnsafeBufferPointer<S>, rows: Int, cols: Int, _ gb: UnsafeMutableBufferPointer<S>) {
    for i in 0..<rows { for j in 0..<cols { gb[j] += gy[i * cols + j] } }
}

/// Layer norm over the active channels of each row (`active[j]` 1 or 0): statistics over the
/// active ones only, inactive outputs 0. A channel-pruned model (CHEX on the node-state width)
/// normalises exactly as its narrower compacted form. Saves mean and 1/std per row.
@_specialize(where S == Float)
@_specialize(where S == Double)
func maskedLayerNormForward<S: TensorScalar>(
    _ x: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>, _ active: UnsafeBufferPointer<S>,
    rows: Int, cols: Int, eps: S, _ y: UnsafeMutableBufferPointer<S>, _ mean: UnsafeMutableBufferPointer<S>, _ rstd: UnsafeMutableBufferPointer<S>
) {
    var count: S = 0
    for j in 0..<cols { count += active[j] }
    let n = Swift.max(count, 1)
    Parallel.chunks(rows, work: cols * 4) { r in
        for i in r {
            let o = i * cols
            var m: S = 0
            for j in 0..<cols { m += active[j] * x[o + j] }
            m /= n
            var v: S = 0
            for j in 0..<cols { let d = x[o + j] - m; v += active[j] * d * d }
            v /= n
            let s = 1 / S.sqrt(v + eps)
            for j in 0..<cols { y[o + j] = active[j] * ((x[o + j] - m) * s * w[j] + b[j]) }
            mean[i] = m
            rstd[i] = s
        }
    }
}

/// The input gradient of `maskedLayerNormForward`; inactive channels get none.
@_specialize(where S == Float)
@_specialize(where S == Double)
func maskedLayerNormBackwardInput<S: TensorScalar>(
    _ x: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, _ active: UnsafeBufferPointer<S>, _ gy: UnsafeBufferPointer<S>,
    rows: Int, cols: Int, _ mean: UnsafeBufferPointer<S>, _ rstd: UnsafeBufferPointer<S>, _ gx: UnsafeMutableBufferPointer<S>
) {
    var count: S = 0
    for j in 0..<cols { count += active[j] }
    let n = Swift.max(count, 1)
    Parallel.chunks(rows, work: cols * 6) { r in
        for i in r {
            let o = i * cols, m = mean[i], s = rstd[i]
            var a: S = 0, c: S = 0
            for j in 0..<cols {
                let dn = active[j] * gy[o + j] * w[j], z = (x[o + j] - m) * s
                a += dn; c += dn * z
            }
            a /= n; c /= n
            for j in 0..<cols {
                let dn = gy[o + j] * w[j], z = (x[o + j] - m) * s
                gx[o + j] += active[j] * s * (dn - a - z * c)
            }
        }
    }
}

extension Tape {
    /// Softmax over the last axis.
    public func softmax(_ x: Value) -> Value { softmaxOp(x, log: false) }
    /// Log-softmax over the last axis.
    public func logSoftmax(_ x: Value) -> Value { softmaxOp(x, log: true) }

    private func softmaxOp(_ x: Value, log: Bool) -> Value {
        let xv = values[x.id]
        let rows = xv.rows, cols = xv.cols
        return op(xv.shape, inputs: [x], { y in xv.data.withPointer { softmaxRows($0, rows: rows, cols: cols, log: log, y) } }) { g, o in
            let gy = g.upstream(o), yv = g.values[o]
            g.accumulate(x) { gx in yv.data.withPointer { yp in gy.data.withPointer { softmaxRowsBackward(yp, $0, rows: rows, cols: cols, log: log, gx) } } }
        }
    }

    /// Layer normalisation over the last axis with gain `weight` and bias `bias` (both `[C]`).
    /// `active` (`[C]` of 1 and 0): statistics over the active channels only, the others output 0.
    public func layerNorm(_ x: Value, weight: Value, bias: Value, eps: Double = 1e-5, active: Tensor<S>? = nil) -> Value {
        let xv = values[x.id], wv = values[weight.id], bv = values[bias.id]
        let rows = xv.rows, cols = xv.cols
        precondition(wv.count == cols && bv.count == cols, "layerNorm: weight/bias must have \(cols) elements")
        precondition(active.map { $0.count == cols } ?? true, "layerNorm: active must have \(cols) elements")
        var mean = buffer(rows), rstd = buffer(rows)
        var out = buffer(xv.count)
        out.withUnsafeMutableBufferPointer { y in
            mean.withUnsafeMutableBufferPointer { mp in rstd.withUnsafeMutableBufferPointer { rp in
                xv.data.withPointer { xp in wv.data.withPointer { wp in bv.data.withPointer { bp in
                    if let active {
                        active.data.withPointer { ap in maskedLayerNormForward(xp, wp, bp, ap, rows: rows, cols: cols, eps: S(eps), y, mp, rp) }
                    } else {
                        layerNormForward(xp, wp, bp, rows: rows, cols: cols, eps: S(eps), y, mp, rp)
                    }
                } } }
            } }
        }
        // Saved statistics live on the tape as constants, so reset() recycles them.
        _ = pooledConstant(Tensor([rows], mean))
        _ = pooledConstant(Tensor([rows], rstd))
        return record(Tensor(shape: xv.shape, data: out), needsGrad: anyNeeds(x, weight, bias)) { g, o in
            var gy = g.upstream(o)
            let xv = g.values[x.id], wv = g.values[weight.id]
            // Inactive outputs are constant 0: no gradient reaches anything through them.
            if let active { for i in 0..<rows { for j in 0..<cols where active.data[j] == 0 { gy.data[i * cols + j] = 0 } } }
            g.accumulate(x) { gx in
                xv.data.withPointer { xp in wv.data.withPointer { wp in gy.data.withPointer { gp in
                    mean.withPointer { mp in rstd.withPointer { rp in
                        if let active {
                            active.data.withPointer { ap in maskedLayerNormBackwardInput(xp, wp, ap, gp, rows: rows, cols: cols, mp, rp, gx) }
                        } else {
                            layerNormBackwardInput(xp, wp, gp, rows: rows, cols: cols, mp, rp, gx)
                        }
                    } }
                } } }
            }
            g.accumulate(weight) { gw in
                xv.data.withPointer { xp in gy.data.withPointer { gp in mean.withPointer { mp in rstd.withPointer { rp in
                    if isFloat(S.self) {
                        qor_layer_norm_backward_params(Int32(QOR_LN_AUTO), asFloat(xp).baseAddress, asFloat(gp).baseAddress, rows, cols,
                                                       asFloat(mp).baseAddress, asFloat(rp).baseAddress, asFloat(gw).baseAddress, nil)
                    } else {
                        layerNormWeightGradient(xp, gp, mp, rp, rows: rows, cols: cols, gw)
                    }
                } } } }
            }
            g.accumulate(bias) { gb in
                gy.data.withPointer { gp in
                    if isFloat(S.self) {
                        qor_layer_norm_backward_params(Int32(QOR_LN_AUTO), nil, asFloat(gp).baseAddress, rows, cols, nil, nil, nil, asFloat(gb).baseAddress)
                    } else {
                        columnSums(gp, rows: rows, cols: cols, gb)
                    }
                }
            }
        }
    }

    /// Inverted dropout with probability `p` (training mode only; the identity otherwise).
    /// Masks come from the graph's seeded generator.
    public func dropout(_ x: Value, p: Double) -> Value {
        guard mode == .training, p > 0 else { return x }
        let xv = values[x.id]
        let keep = S(1 / (1 - p))
        var mask = buffer(xv.count)
        for i in 0..<mask.count { mask[i] = rng.unit() < p ? 0 : keep }
        let m = pooledConstant(Tensor(shape: xv.shape, data: mask))
        return mul(x, m)
    }
}
