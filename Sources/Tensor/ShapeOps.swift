import Kernels
func copyBlocks<S: TensorScalar>(
    _ src: UnsafeBufferPointer<S>, srcRow: Int, srcOffset: Int,
    _ dst: UnsafeMutableBufferPointer<S>, dstRow: Int, dstOffset: Int, outer: Int, width: Int, accumulate: Bool
) {
    if isFloat(S.self) {
        if accumulate, let sp = src.baseAddress, let dp = dst.baseAddress, width > 0 {
            // The C kernel (AVX-512 where present): the same element-wise adds.
            let s = UnsafeRawPointer(sp).assumingMemoryBound(to: Float.self), d = UnsafeMutableRawPointer(dp).assumingMemoryBound(to: Float.self)
            Parallel.chunks(outer, work: width) { r in
                qor_add_blocks(Int32(QOR_BLOCKS_AUTO), r.count, width, s + r.lowerBound * srcRow + srcOffset, srcRow,
                               d + r.lowerBound * dstRow + dstOffset, dstRow)
            }
            return
        }
        copyBlocksBody(asFloat(src), srcRow: srcRow, srcOffset: srcOffset, asFloat(dst), dstRow: dstRow, dstOffset: dstOffset,
                       outer: outer, width: width, accumulate: accumulate)
    } else {
        copyBlocksBody(src, srcRow: srcRow, srcOffset: srcOffset, dst, dstRow: dstRow, dstOffset: dstOffset, outer: outer, width: width,
                       accumulate: accumulate)
    }
}

/// Row blocks of `width` elements from `src` to `dst` (added with `accumulate`); a plain copy is a memcpy.
@inline(__always)
func copyBlocksBody<S: TensorScalar>(
    _ src: UnsafeBufferPointer<S>, srcRow: Int, srcOffset: Int,
    _ dst: UnsafeMutableBufferPointer<S>, dstRow: Int, dstOffset: Int, outer: Int, width: Int, accumulate: Bool
) {
    guard width > 0, let sp = src.baseAddress, let dp = dst.baseAddress else { return }
    Parallel.chunks(outer, work: width) { r in
        for o in r {
            let s = o * srcRow + srcOffset, d = o * dstRow + dstOffset
            if accumulate {
                for j in 0..<width { dp[d + j] += sp[s + j] }
            } else {
                (dp + d).update(from: sp + s, count: width)
            }
        }
    }
}

/// dst[perm-index] (+)= src, where output axis i is input axis perm[i].
@_specialize(where S == Float)
@_specialize(where S == Double)
func permuteKernel<S: TensorScalar>(
    _ src: UnsafeBufferPointer<S>, inShape: Shape, perm: [Int], _ dst: UnsafeMutableBufferPointer<S>,
    inverse: Bool, accumulate: Bool
) {
    // Strides of the input, read in output-axis order.
    let rank = inShape.rank
    var inStride = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { inStride[i] = inStride[i + 1] * inShape[i + 1] }
    let outDims = perm.map { inShape[$0] }
    let strides = perm.map { inStride[$0] }
    var idx = [Int](repeating: 0, count: rank)
    var src0 = 0
    for o in 0..<src.count {
        // o is the linear index in the output; src0 the matching input index.
        if inverse {
            if accumulate { dst[src0] += src[o] } else { dst[src0] = src[o] }
        } else {
            if accumulate { dst[o] += src[src0] } else { dst[o] = src[src0] }
        }
        var ax = rank - 1
        while ax >= 0 {
            idx[ax] += 1
            src0 += strides[ax]
            if idx[ax] < outDims[ax] { break }
            src0 -= strides[ax] * outDims[ax]
            idx[ax] = 0
            ax -= 1
        }
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func gatherRows<S: TensorScalar>(
    _ src: UnsafeBufferPointer<S>, _ index: UnsafeBufferPointer<Int32>, cols: Int, _ dst: UnsafeMutableBufferPointer<S>
) {
    Parallel.chunks(index.count, work: cols) { r in
        for k in r {
            let s = Int(index[k]) * cols, d = k * cols
            for j in 0..<cols { dst[d + j] = src[s + j] }
        }
    }
}

/// dst[index[k]] += src[k], in k order (deterministic).
@_specialize(where S == Float)
@_specialize(where S == Double)
func scatterAddRows<S: TensorScalar>(
    _ src: UnsafeBufferPointer<S>, _ index: UnsafeBufferPointer<Int32>, cols: Int, _ dst: UnsafeMutableBufferPointer<S>
) {
    for k in 0..<index.count {
        let s = k * cols, d = Int(index[k]) * cols
        for j in 0..<cols { dst[d + j] += src[s + j] }
    }
}

extension Tape {
    /// Same data, new shape (no copy).
    public func reshape(_ x: Value, _ shape: Shape) -> Value {
        let xv = values[x.id]
        precondition(xv.count == shape.count, "reshape \(xv.shape) to \(shape)")
        return record(Tensor(shape: shape, data: xv.data), needsGrad: anyNeeds(x), owned: false) { g, o in
            g.accumulate(x, sharing: g.upstream(o))
        }
    }

    /// Reorders axes: output axis i is input axis `perm[i]`.
    public func permute(_ x: Value, _ perm: [Int]) -> Value {
        let xv = values[x.id]
        precondition(perm.sorted() == Array(0..<xv.rank), "permute: \(perm) for rank \(xv.rank)")
        let outShape = Shape(perm.map { xv.shape[$0] })
        return op(outShape, inputs: [x], { y in
            xv.data.withPointer { permuteKernel($0, inShape: xv.shape, perm: perm, y, inverse: false, accumulate: false) }
        }) { g, o in
            let gy = g.upstream(o), shape = g.values[x.id].shape
            g.accumulate(x) { gx in
                gy.data.withPointer { permuteKernel($0, inShape: shape, perm: perm, gx, inverse: true, accumulate: true) }
            }
        }
    }

    /// Transpose of a 2-D node.
    public func transpose(_ x: Value) -> Value { permute(x, [1, 0]) }

    /// Joins nodes along `axis`; other axes must agree.
    public func concat(_ xs: [Value], axis: Int) -> Value {
        precondition(!xs.isEmpty, "concat of nothing")
        let vs = xs.map { values[$0.id] }
        let first = vs[0].shape
        var total = 0
        for v in vs {
            precondition(v.rank == first.rank && (0..<first.rank).allSatisfy { $0 == axis || v.shape[$0] == first[$0] },
                         "concat: \(v.shape) vs \(first) on axis \(axis)")
            total += v.shape[axis]
        }
        let outShape = first.replacing(axis: axis, with: total)
        let (outer, _, inner) = outShape.split(at: axis)
        let outRow = total * inner
        return op(outShape, inputs: xs, { y in
            var offset = 0
            for v in vs {
                let w = v.shape[axis] * inner
                v.data.withPointer { copyBlocks($0, srcRow: w, srcOffset: 0, y, dstRow: outRow, dstOffset: offset, outer: outer, width: w, accumulate: false) }
                offset += w
            }
        }) { g, o in
            let gy = g.upstream(o)
            var offset = 0
            for (n, v) in zip(xs, vs) {
                let w = v.shape[axis] * inner, off = offset
                // A first gradient is copied into an unzeroed buffer (no memset, no read): the
                // same values as adding to zeros.
                g.accumulate(n, assigning: { gx, assign in
                    gy.data.withPointer {
                        copyBlocks($0, srcRow: outRow, srcOffset: off, gx, dstRow: w, dstOffset: 0, outer: outer, width: w, accumulate: !assign)
                    }
                })
                offset += w
            }
        }
    }

    /// The part `range` of `axis`.
    public func slice(_ x: Value, axis: Int, _ range: Range<Int>) -> Value {
        let xv = values[x.id]
        precondition(range.lowerBound >= 0 && range.upperBound <= xv.shape[axis], "slice \(range) of axis \(axis) in \(xv.shape)")
        let (outer, mid, inner) = xv.shape.split(at: axis)
        let w = range.count * inner, inRow = mid * inner, off = range.lowerBound * inner
        return op(xv.shape.replacing(axis: axis, with: range.count), inputs: [x], { y in
            xv.data.withPointer { copyBlocks($0, srcRow: inRow, srcOffset: off, y, dstRow: w, dstOffset: 0, outer: outer, width: w, accumulate: false) }
        }) { g, o in
            let gy = g.upstream(o)
            g.accumulate(x) { gx in
                gy.data.withPointer { copyBlocks($0, srcRow: w, srcOffset: 0, gx, dstRow: inRow, dstOffset: off, outer: outer, width: w, accumulate: true) }
            }
        }
    }

    /// Splits `axis` into consecutive parts of the given sizes.
    public func split(_ x: Value, axis: Int, sizes: [Int]) -> [Value] {
        precondition(sizes.reduce(0, +) == values[x.id].shape[axis], "split sizes \(sizes) of \(values[x.id].shape)")
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return slice(x, axis: axis, start..<(start + n))
        }
    }

    /// Rows `index` of x (index-select along axis 0): `[N, ...] -> [index.count, ...]`.
    public func gather(_ x: Value, _ index: [Int32]) -> Value {
        let xv = values[x.id]
        let n = xv.shape[0], cols = xv.count / Swift.max(n, 1)
        precondition(index.allSatisfy { $0 >= 0 && Int($0) < n }, "gather: index out of 0..<\(n)")
        return op(xv.shape.replacing(axis: 0, with: index.count), inputs: [x], { y in
            xv.data.withPointer { xp in index.withPointer { gatherRows(xp, $0, cols: cols, y) } }
        }) { g, o in
            let gy = g.upstream(o)
            g.accumulate(x) { gx in gy.data.withPointer { gp in index.withPointer { scatterAddRows(gp, $0, cols: cols, gx) } } }
        }
    }

    /// Adds row k of x into row `index[k]` of a zero tensor with `rows` rows (scatter-add).
    public func scatterAdd(_ x: Value, _ index: [Int32], rows: Int) -> Value {
        let xv = values[x.id]
        precondition(xv.shape[0] == index.count, "scatterAdd: \(index.count) indices for \(xv.shape)")
        precondition(index.allSatisfy { $0 >= 0 && Int($0) < rows }, "scatterAdd: index out of 0..<\(rows)")
        let cols = xv.count / Swift.max(xv.shape[0], 1)
        return op(xv.shape.replacing(axis: 0, with: rows), inputs: [x], zeroed: true, { y in
            xv.data.withPointer { xp in index.withPointer { scatterAddRows(xp, $0, cols: cols, y) } }
        }) { g, o in
            let gy = g.upstream(o)
            g.accumulate(x) { gx in
                gy.data.withPointer { gp in index.withPointer { ip in
                    for k in 0..<ip.count {
                        let d = k * cols, s = Int(ip[k]) * cols
                        for j in 0..<cols { gx[d + j] += gp[s + j] }
                    }
                } }
            }
        }
    }
}
