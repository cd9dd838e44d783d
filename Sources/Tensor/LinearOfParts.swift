/// A linear layer on the concatenation of equal-width parts, without the concatenation: the
/// GIN update `W [h, A0 h, A1 h, A2 h, A3 h]` concatenated five `[rows, width]` parts into a
/// `[rows, 5 width]` buffer and copied its gradient back out (with a supernode pass's 64k node
/// states, a 42 MB buffer, beyond what the heap keeps, so mapped and zeroed by the kernel every
/// pass). Here each part multiplies its own rows of W: `Σ_k p_k W[k width ..< (k+1) width] + b`.
extension Tape {
    /// `parts`: values of `rows * width` elements each (any shape, read as `[rows, width]`);
    /// `weight` `[parts.count * width, out]`; `bias` `[out]` or nil. Returns `[rows, out]`.
    public func linearOfParts(_ parts: [Value], width: Int, weight: Value, bias: Value?) -> Value {
        let wv = values[weight.id], pvs = parts.map { values[$0.id] }, bv = bias.map { values[$0.id] }
        precondition(!parts.isEmpty && width > 0 && wv.rank == 2 && wv.shape[0] == parts.count * width, "linearOfParts: \(wv.shape) for \(parts.count) x \(width)")
        let out = wv.shape[1], rows = pvs[0].count / width
        precondition(pvs.allSatisfy { $0.count == rows * width } && (bv == nil || bv?.count == out), "linearOfParts: part or bias sizes")
        let inputs = parts + [weight] + (bias.map { [$0] } ?? [])
        return op([rows, out], inputs: inputs, { c in
            guard let cp = c.baseAddress else { return }
            if let bv {
                bv.data.withPointer { bp in
                    guard let b = bp.baseAddress else { return }
                    for r in 0..<rows { (cp + r * out).update(from: b, count: out) }
                }
            }
            wv.data.withPointer { wp in
                guard let w = wp.baseAddress else { return }
                for (k, pv) in pvs.enumerated() {
                    pv.data.withPointer { pp in
                        guard let p = pp.baseAddress else { return }
                        parallelGemm(transA: false, transB: false, m: rows, n: out, k: width, a: p, lda: width, b: w + k * width * out, ldb: out,
                                     beta: k == 0 && bv == nil ? 0 : 1, c: cp, ldc: out)
                    }
                }
            }
        }) { g, o in
            let gy = g.upstream(o), wv = g.values[weight.id]
            gy.data.withPointer { gp in wv.data.withPointer { wp in
                guard let dz = gp.baseAddress, let w = wp.baseAddress else { return }
                // d part_k (+)= dZ W_k^T
                for (k, part) in parts.enumerated() {
                    g.accumulate(part, assigning: { dp, assign in
                        guard let d = dp.baseAddress else { return }
                        parallelGemm(transA: false, transB: true, m: rows, n: width, k: out, a: dz, lda: out, b: w + k * width * out, ldb: out,
                                     beta: assign ? 0 : 1, c: d, ldc: width)
                    })
                }
                // dW_k += part_k^T dZ
                g.accumulate(weight) { dw in
                    guard let d = dw.baseAddress else { return }
                    for (k, pv) in pvs.enumerated() {
                        pv.data.withPointer { pp in
                            guard let p = pp.baseAddress else { return }
                            parallelGemm(transA: true, transB: false, m: width, n: out, k: rows, a: p, lda: width, b: dz, ldb: out,
                                         beta: 1, c: d + k * width * out, ldc: out)
                        }
                    }
                }
                if let bias {
                    g.accumulate(bias) { db in
                        if isFloat(S.self) { columnSums(asFloat(gp), rows: rows, cols: out, asFloat(db)) } else { columnSums(gp, rows: rows, cols: out, db) }
                    }
                }
            } }
        }
    }
}
