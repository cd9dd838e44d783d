/// Sum over `axis` of a tensor viewed as [outer, mid, inner].
@_specialize(where S == Float)
@_specialize(where S == Double)
func sumAxisKernel<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, outer: Int, mid: Int, inner: Int, scale: S, _ y: UnsafeMutableBufferPointer<S>) {
    if isFloat(S.self) {
        sumAxisBody(asFloat(x), outer: outer, mid: mid, inner: inner, scale: asFloat(scale), asFloat(y))
    } else {
        sumAxisBody(x, outer: outer, mid: mid, inner: inner, scale: scale, y)
    }
}

@inline(__always)
func sumAxisBody<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, outer: Int, mid: Int, inner: Int, scale: S, _ y: UnsafeMutableBufferPointer<S>) {
    Parallel.chunks(outer, work: mid * inner) { r in
        for o in r {
            let yo = o * inner
            for j in 0..<inner { y[yo + j] = 0 }
            for m in 0..<mid {
                let xo = (o * mid + m) * inner
                for j in 0..<inner { y[yo + j] += x[xo + j] }
            }
            if scale != 1 { for j in 0..<inner { y[yo + j] *= scale } }
        }
    }
}

/// The backward of a sum over an axis: `gx[a, m, j] += scale * gy[a, j]`.
@inline(__always)
func spreadAxisBody<S: TensorScalar>(_ gy: UnsafeBufferPointer<S>, outer: Int, mid: Int, inner: Int, scale: S, _ gx: UnsafeMutableBufferPointer<S>) {
    for a in 0..<outer { for m in 0..<mid { for j in 0..<inner {
        gx[(a * mid + m) * inner + j] += scale * gy[a * inner + j]
    } } }
}

/// Sum of all elements in fixed-size blocks combined in order (reproducible at any thread count).
@_specialize(where S == Float)
@_specialize(where S == Double)
func sumAll<S: TensorScalar>(_ x: UnsafeBufferPointer<S>) -> S {
    let block = 4096
    let blocks = (x.count + block - 1) / block
    guard blocks > 1 else { return x.reduce(0, +) }
    var partial = [S](repeating: 0, count: blocks)
    partial.withUnsafeMutableBufferPointer { p in
        Parallel.chunks(blocks, work: block) { r in
            for b in r {
                var s: S = 0
                for i in (b * block)..<Swift.min(x.count, (b + 1) * block) { s += x[i] }
                p[b] = s
            }
        }
    }
    return partial.reduce(0, +)
}

extension Tape {
    /// Sum of all elements: shape [1].
    public func sum(_ x: Value) -> Value {
        let xv = values[x.id]
        let s = xv.data.withPointer { sumAll($0) }
        return op([1], inputs: [x], { $0[0] = s }) { g, o in
            let gy = g.upstream(o).data[0]
            g.accumulate(x) { gx in for i in 0..<gx.count { gx[i] += gy } }
        }
    }

    /// Mean of all elements: shape [1].
    public func mean(_ x: Value) -> Value {
        affine(sum(x), scale: 1 / Double(Swift.max(values[x.id].count, 1)))
    }

    /// Sum over one axis (removed from the shape).
    public func sum(_ x: Value, axis: Int) -> Value { reduce(x, axis: axis, mean: false) }
    /// Mean over one axis (removed from the shape).
    public func mean(_ x: Value, axis: Int) -> Value { reduce(x, axis: axis, mean: true) }

    private func reduce(_ x: Value, axis: Int, mean: Bool) -> Value {
        let xv = values[x.id]
        let (outer, mid, inner) = xv.shape.split(at: axis)
        var dims = xv.shape.dims
        dims.remove(at: axis)
        if dims.isEmpty { dims = [1] }
        let scale: S = mean ? 1 / S(Swift.max(mid, 1)) : 1
        return op(Shape(dims), inputs: [x], { y in
            xv.data.withPointer { sumAxisKernel($0, outer: outer, mid: mid, inner: inner, scale: scale, y) }
        }) { g, o in
            let gy = g.upstream(o)
            g.accumulate(x) { gx in
                gy.data.withPointer { gp in
                    if isFloat(S.self) {
                        spreadAxisBody(asFloat(gp), outer: outer, mid: mid, inner: inner, scale: asFloat(scale), asFloat(gx))
                    } else {
                        spreadAxisBody(gp, outer: outer, mid: mid, inner: inner, scale: scale, gx)
                    }
                }
            }
        }
    }
}
