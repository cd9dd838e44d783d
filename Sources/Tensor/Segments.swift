/// A grouping of rows into `count` segments (e.g. nodes into graphs), from one id per row;
/// ids need not be sorted. Members of each segment are kept in row order, so reductions are
/// reproducible.
public struct Segments: Sendable {
    public let count: Int
    public let ids: [Int32]
    /// Members of segment s are `members[offsets[s]..<offsets[s+1]]`.
    public let offsets: [Int32]
    public let members: [Int32]

    public init(ids: [Int32], count: Int) {
        precondition(ids.allSatisfy { $0 >= 0 && Int($0) < count }, "segment id outside 0..<\(count)")
        self.count = count
        self.ids = ids
        var off = [Int32](repeating: 0, count: count + 1)
        for s in ids { off[Int(s) + 1] += 1 }
        for i in 0..<count { off[i + 1] += off[i] }
        var fill = off
        var m = [Int32](repeating: 0, count: ids.count)
        for (row, s) in ids.enumerated() { m[Int(fill[Int(s)])] = Int32(row); fill[Int(s)] += 1 }
        self.offsets = off
        self.members = m
    }

    public func size(_ s: Int) -> Int { Int(offsets[s + 1] - offsets[s]) }
}

public enum SegmentReduction: Sendable { case sum, mean, max }

@_specialize(where S == Float)
@_specialize(where S == Double)
func segmentForward<S: TensorScalar>(
    _ kind: SegmentReduction, _ seg: Segments, _ x: UnsafeBufferPointer<S>, cols: Int,
    _ y: UnsafeMutableBufferPointer<S>, _ arg: UnsafeMutableBufferPointer<Int32>
) {
    seg.offsets.withPointer { off in seg.members.withPointer { mem in
        Parallel.chunks(seg.count, work: Swift.max(1, mem.count / Swift.max(seg.count, 1)) * cols) { r in
            for s in r {
                let o = s * cols, lo = Int(off[s]), hi = Int(off[s + 1])
                switch kind {
                case .sum, .mean:
                    guard let xb = x.baseAddress, let yb = y.baseAddress else { return }
                    (yb + o).update(repeating: 0, count: cols)
                    for e in lo..<hi { axpy(cols, 1, xb + Int(mem[e]) &* cols, yb + o) }
                    if kind == .mean, hi > lo {
                        let inv = 1 / S(hi - lo)
                        for j in 0..<cols { y[o + j] *= inv }
                    }
                case .max:
                    for j in 0..<cols {
                        var best: S = 0, at: Int32 = -1
                        for e in lo..<hi {
                            let v = x[Int(mem[e]) * cols + j]
                            if at < 0 || v > best { best = v; at = mem[e] }
                        }
                        y[o + j] = best
                        arg[o + j] = at
                    }
                }
            }
        }
    } }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func segmentBackward<S: TensorScalar>(
    _ kind: SegmentReduction, _ seg: Segments, _ gy: UnsafeBufferPointer<S>, cols: Int,
    _ arg: UnsafeBufferPointer<Int32>, _ gx: UnsafeMutableBufferPointer<S>, assign: Bool = false
) {
    switch kind {
    case .sum, .mean:
        seg.ids.withPointer { ids in seg.offsets.withPointer { off in
            guard let gyb = gy.baseAddress, let gxb = gx.baseAddress else { return }
            Parallel.chunks(ids.count, work: cols) { r in
                for i in r {
                    let s = Int(ids[i])
                    let scale: S = kind == .mean ? 1 / S(off[s + 1] - off[s]) : 1
                    let from = gyb + s &* cols, to = gxb + i &* cols
                    if assign { for j in 0..<cols { to[j] = scale * from[j] } } else { axpy(cols, scale, from, to) }
                }
            }
        } }
    case .max:
        if assign { gx.update(repeating: 0) }
        for s in 0..<seg.count {
            for j in 0..<cols where arg[s * cols + j] >= 0 {
                gx[Int(arg[s * cols + j]) * cols + j] += gy[s * cols + j]
            }
        }
    }
}

/// Softmax over the rows of each segment, per column.
@_specialize(where S == Float)
@_specialize(where S == Double)
func segmentSoftmaxForward<S: TensorScalar>(_ seg: Segments, _ x: UnsafeBufferPointer<S>, cols: Int, _ y: UnsafeMutableBufferPointer<S>) {
    seg.offsets.withPointer { off in seg.members.withPointer { mem in
        Parallel.chunks(seg.count, work: Swift.max(1, mem.count / Swift.max(seg.count, 1)) * cols * 4) { r in
            for s in r {
                let lo = Int(off[s]), hi = Int(off[s + 1])
                guard hi > lo else { continue }
                for j in 0..<cols {
                    var m = x[Int(mem[lo]) * cols + j]
                    for e in lo..<hi { m = Swift.max(m, x[Int(mem[e]) * cols + j]) }
                    var z: S = 0
                    for e in lo..<hi {
                        let i = Int(mem[e]) * cols + j
                        y[i] = S.exp(x[i] - m); z += y[i]
                    }
                    for e in lo..<hi { y[Int(mem[e]) * cols + j] /= z }
                }
            }
        }
    } }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func segmentSoftmaxBackward<S: TensorScalar>(
    _ seg: Segments, _ y: UnsafeBufferPointer<S>, _ gy: UnsafeBufferPointer<S>, cols: Int, _ gx: UnsafeMutableBufferPointer<S>
) {
    seg.offsets.withPointer { off in seg.members.withPointer { mem in
        Parallel.chunks(seg.count, work: Swift.max(1, mem.count / Swift.max(seg.count, 1)) * cols * 3) { r in
            for s in r {
                let lo = Int(off[s]), hi = Int(off[s + 1])
                for j in 0..<cols {
                    var dot: S = 0
                    for e in lo..<hi { let i = Int(mem[e]) * cols + j; dot += y[i] * gy[i] }
                    for e in lo..<hi { let i = Int(mem[e]) * cols + j; gx[i] += y[i] * (gy[i] - dot) }
                }
            }
        }
    } }
}

extension Tape {
    /// Reduces the rows of x (`[N, ...]`) per segment: `[segments.count, ...]`. Empty segments
    /// give 0. Max passes the gradient to the first row holding the maximum.
    public func segment(_ kind: SegmentReduction, _ x: Value, _ seg: Segments) -> Value {
        let xv = values[x.id]
        precondition(xv.shape[0] == seg.ids.count, "segment: \(seg.ids.count) ids for \(xv.shape)")
        let cols = xv.count / Swift.max(xv.shape[0], 1)
        let outShape = xv.shape.replacing(axis: 0, with: seg.count)
        var arg = [Int32](repeating: -1, count: kind == .max ? outShape.count : 0)
        var out = buffer(outShape.count)
        out.withUnsafeMutableBufferPointer { y in
            arg.withUnsafeMutableBufferPointer { ap in xv.data.withPointer { segmentForward(kind, seg, $0, cols: cols, y, ap) } }
        }
        return record(Tensor(shape: outShape, data: out), needsGrad: anyNeeds(x)) { g, o in
            let gy = g.upstream(o)
            g.accumulate(x, assigning: { gx, assign in
                gy.data.withPointer { gp in arg.withPointer { segmentBackward(kind, seg, gp, cols: cols, $0, gx, assign: assign) } }
            })
        }
    }

    public func segmentSum(_ x: Value, _ seg: Segments) -> Value { segment(.sum, x, seg) }
    public func segmentMean(_ x: Value, _ seg: Segments) -> Value { segment(.mean, x, seg) }
    public func segmentMax(_ x: Value, _ seg: Segments) -> Value { segment(.max, x, seg) }

    /// Softmax over the rows of each segment, separately per column (attention pooling weights).
    public func segmentSoftmax(_ x: Value, _ seg: Segments) -> Value {
        let xv = values[x.id]
        precondition(xv.shape[0] == seg.ids.count, "segmentSoftmax: \(seg.ids.count) ids for \(xv.shape)")
        let cols = xv.count / Swift.max(xv.shape[0], 1)
        return op(xv.shape, inputs: [x], { y in xv.data.withPointer { segmentSoftmaxForward(seg, $0, cols: cols, y) } }) { g, o in
            let gy = g.upstream(o), yv = g.values[o]
            g.accumulate(x) { gx in yv.data.withPointer { yp in gy.data.withPointer { segmentSoftmaxBackward(seg, yp, $0, cols: cols, gx) } } }
        }
    }
}
