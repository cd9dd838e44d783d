import Kernels

/// One LSTM layer over all steps as a single tape op. Op by op, a 20-step layer recorded ~300
/// tape nodes (slices, splits, four activations, products, the outputs' concat), each with its
/// own buffers and backward closure; here the forward keeps the activated gates and cell states,
/// and the backward runs backpropagation through time with two GEMMs per step. The arithmetic
/// is the op-by-op path's (the same gate functions, masks and order of the forward sums).
extension Tape {
    /// `projected` `[B, T, 4H]` (input projection plus bias), `hiddenWeight` `[H, 4H]`, each
    /// sequence's length: `[B, T + 1, H]` holding the outputs at steps `0..<T` (zero past a
    /// sequence's length) and each sequence's final hidden state at index `T`.
    public func lstmLayer(_ projected: Value, hiddenWeight: Value, lengths: [Int]) -> Value {
        let pv = values[projected.id], wv = values[hiddenWeight.id]
        let b = pv.shape[0], t = pv.shape[1], h4 = pv.shape[2], h = h4 / 4
        precondition(pv.rank == 3 && h4 == 4 * h && wv.shape.dims == [h, h4] && lengths.count == b, "lstmLayer: \(pv.shape), \(wv.shape)")
        // Saved for the backward: activated gates per step [T, B, 4H]; cell before the step and
        // the tanh of the step's new cell, and the hidden state before the step, [T, B, H] each.
        var gates = buffer(t * b * h4), cPrev = buffer(t * b * h), tanhC = buffer(t * b * h), hPrev = buffer(t * b * h)
        var out = buffer(b * (t + 1) * h)
        let masked = (0..<t).map { step in lengths.contains { $0 <= step } }
        pv.data.withPointer { pp in wv.data.withPointer { wp in
            gates.withUnsafeMutableBufferPointer { gp in cPrev.withUnsafeMutableBufferPointer { cp in
                tanhC.withUnsafeMutableBufferPointer { cn in hPrev.withUnsafeMutableBufferPointer { hp in
                    out.withUnsafeMutableBufferPointer { op in
                        lstmForward(pp, wp, b: b, t: t, h: h, lengths: lengths, masked: masked, gp, cp, cn, hp, op)
                    }
                } }
            } }
        } }
        for saved in [gates, cPrev, tanhC, hPrev] { _ = pooledConstant(Tensor([saved.count], saved)) }
        return record(Tensor([b, t + 1, h], out), needsGrad: anyNeeds(projected, hiddenWeight)) { g, o in
            let gy = g.upstream(o), wv = g.values[hiddenWeight.id]
            var dGates = g.buffer(t * b * h4)
            gy.data.withPointer { dy in wv.data.withPointer { wp in
                gates.withPointer { gp in cPrev.withPointer { cp in tanhC.withPointer { cn in
                    dGates.withUnsafeMutableBufferPointer { dg in
                        lstmBackward(dy, wp, b: b, t: t, h: h, lengths: lengths, masked: masked, gp, cp, cn, dg)
                    }
                } } }
            } }
            // dProjected[:, s, :] += dGates[s]; dWh += Σ_s hPrev[s]^T dGates[s].
            g.accumulate(projected) { dp in
                dGates.withPointer { dg in
                    for s in 0..<t {
                        copyBlocks(UnsafeBufferPointer(rebasing: dg[(s * b * h4)..<((s + 1) * b * h4)]), srcRow: h4, srcOffset: 0,
                                   dp, dstRow: t * h4, dstOffset: s * h4, outer: b, width: h4, accumulate: true)
                    }
                }
            }
            g.accumulate(hiddenWeight) { dw in
                guard let dwp = dw.baseAddress else { return }
                dGates.withPointer { dg in hPrev.withPointer { hp in
                    guard let dgp = dg.baseAddress, let hpp = hp.baseAddress else { return }
                    S.gemm(transA: true, transB: false, m: h, n: h4, k: t * b, alpha: 1, a: hpp, lda: h, b: dgp, ldb: h4, beta: 1, c: dwp, ldc: h4)
                } }
            }
        }
    }
}

/// The forward of `lstmLayer` (see there); `masked[s]`: some sequence has ended by step s.
/// Float runs the cell in the C kernel (`qor_lstm_cell`, AVX-512 where present).
func lstmForward<S: TensorScalar>(
    _ p: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, b: Int, t: Int, h: Int, lengths: [Int], masked: [Bool],
    _ gates: UnsafeMutableBufferPointer<S>, _ cPrev: UnsafeMutableBufferPointer<S>, _ tanhC: UnsafeMutableBufferPointer<S>,
    _ hPrev: UnsafeMutableBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>
) {
    if isFloat(S.self) {
        lstmForwardBody(asFloat(p), asFloat(w), b: b, t: t, h: h, lengths: lengths, masked: masked, asFloat(gates), asFloat(cPrev),
                        asFloat(tanhC), asFloat(hPrev), asFloat(out)) { g, c, cn, th, hn in
            qor_lstm_cell(Int32(QOR_CELL_AUTO), Int32(b), Int32(h), g, c, cn, th, hn)
        }
    } else {
        lstmForwardBody(p, w, b: b, t: t, h: h, lengths: lengths, masked: masked, gates, cPrev, tanhC, hPrev, out) { g, c, cn, th, hn in
            lstmCell(b: b, h: h, g, c, cn, th, hn)
        }
    }
}

/// One step's cell for a batch, as `qor_lstm_cell`'s reference computes it: gates [b, 4h] from
/// pre-activations to activations in place; new cell, its tanh and the new hidden state [b, h].
@inline(__always)
func lstmCell<S: TensorScalar>(
    b: Int, h: Int, _ gates: UnsafeMutablePointer<S>, _ cPrev: UnsafePointer<S>, _ cNew: UnsafeMutablePointer<S>,
    _ tanhC: UnsafeMutablePointer<S>, _ hNew: UnsafeMutablePointer<S>
) {
    @inline(__always) func sigmoid(_ v: S) -> S {
        if v >= 0 { return 1 / (1 + S.exp(-v)) }
        let e = S.exp(v)
        return e / (1 + e)
    }
    for i in 0..<b {
        let row = i * 4 * h
        for j in 0..<h {
            let ig = sigmoid(gates[row + j]), fg = sigmoid(gates[row + h + j])
            let cg = S.tanh(gates[row + 2 * h + j]), og = sigmoid(gates[row + 3 * h + j])
            gates[row + j] = ig
            gates[row + h + j] = fg
            gates[row + 2 * h + j] = cg
            gates[row + 3 * h + j] = og
            let k = i * h + j
            let cn = f2(fg, cPrev[k], ig, cg), th = S.tanh(cn)
            cNew[k] = cn
            tanhC[k] = th
            hNew[k] = og * th
        }
    }
}

@inline(__always)
func lstmForwardBody<S: TensorScalar>(
    _ p: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, b: Int, t: Int, h: Int, lengths: [Int], masked: [Bool],
    _ gates: UnsafeMutableBufferPointer<S>, _ cPrev: UnsafeMutableBufferPointer<S>, _ tanhC: UnsafeMutableBufferPointer<S>,
    _ hPrev: UnsafeMutableBufferPointer<S>, _ out: UnsafeMutableBufferPointer<S>,
    cell: (UnsafeMutablePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>) -> Void
) {
    guard let wp = w.baseAddress, let gp = gates.baseAddress, let hp = hPrev.baseAddress, let cp = cPrev.baseAddress,
          let tp = tanhC.baseAddress else { return }
    let h4 = 4 * h
    var hState = [S](repeating: 0, count: b * h), cState = [S](repeating: 0, count: b * h)
    var cNew = [S](repeating: 0, count: b * h), hNew = [S](repeating: 0, count: b * h)
    for s in 0..<t {
        let gs = s * b * h4, hs = s * b * h
        // gates = p[:, s, :] + h W
        for i in 0..<b { for j in 0..<h4 { gates[gs + i * h4 + j] = p[(i * t + s) * h4 + j] } }
        for k in 0..<(b * h) { hPrev[hs + k] = hState[k]; cPrev[hs + k] = cState[k] }
        S.gemm(transA: false, transB: false, m: b, n: h4, k: h, alpha: 1, a: hp + hs, lda: h, b: wp, ldb: h4, beta: 1, c: gp + gs, ldc: h4)
        cNew.withUnsafeMutableBufferPointer { cn in hNew.withUnsafeMutableBufferPointer { hn in
            if let cnp = cn.baseAddress, let hnp = hn.baseAddress { cell(gp + gs, cp + hs, cnp, tp + hs, hnp) }
        } }
        for i in 0..<b {
            let keep: S = lengths[i] > s ? 1 : 0
            for j in 0..<h {
                let k = i * h + j, c = cState[k], hOld = hState[k]
                var cn = cNew[k], hn = hNew[k], o = hn
                if masked[s] {
                    cn = c + (cn - c) * keep
                    o = hn * keep
                    hn = hOld + (hn - hOld) * keep
                }
                cState[k] = cn
                hState[k] = hn
                out[(i * (t + 1) + s) * h + j] = o
            }
        }
    }
    for i in 0..<b { for j in 0..<h { out[(i * (t + 1) + t) * h + j] = hState[i * h + j] } }
}

/// `f c + i g`, summed as the op-by-op path does (`add(mul(f, c), mul(i, g))`).
@inline(__always)
func f2<S: TensorScalar>(_ f: S, _ c: S, _ i: S, _ g: S) -> S { f * c + i * g }

/// Backpropagation through time for `lstmLayer`: the gradients of the gates' pre-activations
/// `[T, B, 4H]` from the upstream gradient `dy` `[B, T + 1, H]`.
func lstmBackward<S: TensorScalar>(
    _ dy: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, b: Int, t: Int, h: Int, lengths: [Int], masked: [Bool],
    _ gates: UnsafeBufferPointer<S>, _ cPrev: UnsafeBufferPointer<S>, _ tanhC: UnsafeBufferPointer<S>, _ dGates: UnsafeMutableBufferPointer<S>
) {
    if isFloat(S.self) {
        lstmBackwardFloat(asFloat(dy), asFloat(w), b: b, t: t, h: h, lengths: lengths, masked: masked, asFloat(gates), asFloat(cPrev),
                          asFloat(tanhC), asFloat(dGates))
    } else {
        lstmBackwardBody(dy, w, b: b, t: t, h: h, lengths: lengths, masked: masked, gates, cPrev, tanhC, dGates)
    }
}

/// Float: the element-wise part of each step in the C kernel (`qor_lstm_cell_backward`,
/// AVX-512 where present), the recurrent product through BLAS.
func lstmBackwardFloat(
    _ dy: UnsafeBufferPointer<Float>, _ w: UnsafeBufferPointer<Float>, b: Int, t: Int, h: Int, lengths: [Int], masked: [Bool],
    _ gates: UnsafeBufferPointer<Float>, _ cPrev: UnsafeBufferPointer<Float>, _ tanhC: UnsafeBufferPointer<Float>,
    _ dGates: UnsafeMutableBufferPointer<Float>
) {
    guard let wp = w.baseAddress, let dgp = dGates.baseAddress, let dyp = dy.baseAddress, let gp = gates.baseAddress,
          let cp = cPrev.baseAddress, let tp = tanhC.baseAddress else { return }
    let h4 = 4 * h
    var dh = [Float](repeating: 0, count: b * h), dc = [Float](repeating: 0, count: b * h)
    for i in 0..<b { for j in 0..<h { dh[i * h + j] = dy[(i * (t + 1) + t) * h + j] } }
    let all = [Float](repeating: 1, count: b)
    dh.withUnsafeMutableBufferPointer { dhb in dc.withUnsafeMutableBufferPointer { dcb in
        guard let dhp = dhb.baseAddress, let dcp = dcb.baseAddress else { return }
        for s in stride(from: t - 1, through: 0, by: -1) {
            let gs = s * b * h4, hs = s * b * h
            let keep = masked[s] ? lengths.map { $0 > s ? Float(1) : 0 } : all
            qor_lstm_cell_backward(Int32(QOR_CELL_AUTO), Int32(b), Int32(h), gp + gs, cp + hs, tp + hs, dyp + s * h, (t + 1) * h, keep,
                                   dhp, dcp, dgp + gs)
            // dh_{s-1} = dGates W^T + the masked rows' pass-through (left in dh by the kernel).
            Float.gemm(transA: false, transB: true, m: b, n: h, k: h4, alpha: 1, a: dgp + gs, lda: h4, b: wp, ldb: h4, beta: 1, c: dhp, ldc: h)
        }
    } }
}

@inline(__always)
func lstmBackwardBody<S: TensorScalar>(
    _ dy: UnsafeBufferPointer<S>, _ w: UnsafeBufferPointer<S>, b: Int, t: Int, h: Int, lengths: [Int], masked: [Bool],
    _ gates: UnsafeBufferPointer<S>, _ cPrev: UnsafeBufferPointer<S>, _ tanhC: UnsafeBufferPointer<S>, _ dGates: UnsafeMutableBufferPointer<S>
) {
    guard let wp = w.baseAddress, let dgp = dGates.baseAddress else { return }
    let h4 = 4 * h
    // Gradients of the state after the step being processed: hidden (from the final state) and cell.
    var dh = [S](repeating: 0, count: b * h), dc = [S](repeating: 0, count: b * h)
    for i in 0..<b { for j in 0..<h { dh[i * h + j] = dy[(i * (t + 1) + t) * h + j] } }
    var dhPrev = [S](repeating: 0, count: b * h)
    for s in stride(from: t - 1, through: 0, by: -1) {
        let gs = s * b * h4, hs = s * b * h
        for i in 0..<b {
            let row = gs + i * h4
            let keep: S = masked[s] ? (lengths[i] > s ? 1 : 0) : 1
            for j in 0..<h {
                let k = i * h + j
                let ig = gates[row + j], fg = gates[row + h + j], cg = gates[row + 2 * h + j], og = gates[row + 3 * h + j]
                let dOut = dy[(i * (t + 1) + s) * h + j]
                // h_s = h_{s-1} + (hNew - h_{s-1}) keep, out = hNew keep (without masks: both hNew).
                let dhNew = dOut * keep + dh[k] * keep
                let dcNewFromState = dc[k] * keep
                dhPrev[k] = dh[k] * (1 - keep)
                let th = tanhC[hs + k]
                let dcn = dcNewFromState + dhNew * og * (1 - th * th)
                let dog = dhNew * th
                let dfg = dcn * cPrev[hs + k], dig = dcn * cg, dcg = dcn * ig
                dc[k] = dcn * fg + dc[k] * (1 - keep)
                dGates[row + j] = dig * ig * (1 - ig)
                dGates[row + h + j] = dfg * fg * (1 - fg)
                dGates[row + 2 * h + j] = dcg * (1 - cg * cg)
                dGates[row + 3 * h + j] = dog * og * (1 - og)
            }
        }
        // dh_{s-1} = dGates W^T + the masked rows' pass-through.
        dhPrev.withUnsafeMutableBufferPointer { dp in
            guard let dpp = dp.baseAddress else { return }
            S.gemm(transA: false, transB: true, m: b, n: h, k: h4, alpha: 1, a: dgp + gs, lda: h4, b: wp, ldb: h4, beta: 1, c: dpp, ldc: h)
        }
        swap(&dh, &dhPrev)
    }
}
