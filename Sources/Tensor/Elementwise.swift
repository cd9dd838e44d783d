/// Element-wise functions of one tensor.
public enum UnaryFunction: Sendable {
    case relu, gelu, sigmoid, tanh, exp, log, abs, square, sqrt
    /// `scale * x + shift`.
    case affine(scale: Double, shift: Double)
}

// GELU, tanh approximation (as GPT-2 / llm.c): 0.5 x (1 + tanh(c (x + 0.044715 x^3))), c = sqrt(2/pi).
private let geluC = 0.7978845608028654

// The relu loops below load every operand unconditionally and compare with a typed zero:
// written as `x[i] > 0 ? x[i] : 0` they compile (specialised) to a branch per element instead
// of vector max/select, 2-3x slower on random signs.

/// p[i] = relu(p[i]) (NaN gives 0, as `relu`).
@_specialize(where S == Float)
@_specialize(where S == Double)
func reluInPlace<S: TensorScalar>(_ p: UnsafeMutablePointer<S>, _ n: Int) {
    let zero: S = 0
    for i in 0..<n {
        let v = p[i]
        p[i] = v > zero ? v : zero
    }
}

/// y[i] = relu(x[i]).
@_specialize(where S == Float)
@_specialize(where S == Double)
func relu<S: TensorScalar>(_ y: UnsafeMutablePointer<S>, _ x: UnsafePointer<S>, _ n: Int) {
    let zero: S = 0
    for i in 0..<n {
        let v = x[i]
        y[i] = v > zero ? v : zero
    }
}

/// out[i] (+)= g[i] where x[i] > 0, else (+)= 0: the relu gradient.
@_specialize(where S == Float)
@_specialize(where S == Double)
func reluGradient<S: TensorScalar>(
    _ out: UnsafeMutablePointer<S>, _ x: UnsafePointer<S>, _ g: UnsafePointer<S>, _ n: Int, accumulate: Bool
) {
    let zero: S = 0
    if accumulate {
        for i in 0..<n {
            let v = g[i]
            out[i] += x[i] > zero ? v : zero
        }
    } else {
        for i in 0..<n {
            let v = g[i]
            out[i] = x[i] > zero ? v : zero
        }
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func unaryForward<S: TensorScalar>(_ f: UnaryFunction, _ x: UnsafeBufferPointer<S>, _ y: UnsafeMutableBufferPointer<S>) {
    Parallel.chunks(x.count, work: 8) { r in
        switch f {
        case .relu:
            if let yb = y.baseAddress, let xb = x.baseAddress { relu(yb + r.lowerBound, xb + r.lowerBound, r.count) }
        case .gelu:
            let c = S(geluC), k = S(0.044715)
            for i in r {
                let v = x[i]
                y[i] = S(0.5) * v * (1 + S.tanh(c * (v + k * v * v * v)))
            }
        case .sigmoid:
            for i in r {
                let v = x[i]
                if v >= 0 { y[i] = 1 / (1 + S.exp(-v)) } else { let e = S.exp(v); y[i] = e / (1 + e) }
            }
        case .tanh: for i in r { y[i] = S.tanh(x[i]) }
        case .exp: for i in r { y[i] = S.exp(x[i]) }
        case .log: for i in r { y[i] = S.log(x[i]) }
        case .abs: for i in r { y[i] = Swift.abs(x[i]) }
        case .square: for i in r { y[i] = x[i] * x[i] }
        case .sqrt: for i in r { y[i] = S.sqrt(x[i]) }
        case let .affine(a, b):
            let a = S(a), b = S(b)
            for i in r { y[i] = a * x[i] + b }
        }
    }
}

/// gx += gy * f'(x), using the saved output y where that is cheaper.
@_specialize(where S == Float)
@_specialize(where S == Double)
func unaryBackward<S: TensorScalar>(
    _ f: UnaryFunction, _ x: UnsafeBufferPointer<S>, _ y: UnsafeBufferPointer<S>,
    _ gy: UnsafeBufferPointer<S>, _ gx: UnsafeMutableBufferPointer<S>
) {
    Parallel.chunks(x.count, work: 8) { r in
        switch f {
        case .relu:
            if let o = gx.baseAddress, let xb = x.baseAddress, let g = gy.baseAddress {
                reluGradient(o + r.lowerBound, xb + r.lowerBound, g + r.lowerBound, r.count, accumulate: true)
            }
        case .gelu:
            let c = S(geluC), k = S(0.044715)
            for i in r {
                let v = x[i]
                let t = S.tanh(c * (v + k * v * v * v))
                let d = S(0.5) * (1 + t) + S(0.5) * v * (1 - t * t) * c * (1 + 3 * k * v * v)
                gx[i] += gy[i] * d
            }
        case .sigmoid: for i in r { gx[i] += gy[i] * y[i] * (1 - y[i]) }
        case .tanh: for i in r { gx[i] += gy[i] * (1 - y[i] * y[i]) }
        case .exp: for i in r { gx[i] += gy[i] * y[i] }
        case .log: for i in r { gx[i] += gy[i] / x[i] }
        case .abs: for i in r { gx[i] += x[i] > 0 ? gy[i] : (x[i] < 0 ? -gy[i] : 0) }
        case .square: for i in r { gx[i] += 2 * x[i] * gy[i] }
        case .sqrt: for i in r { gx[i] += gy[i] / (2 * y[i]) }
        case let .affine(a, _):
            let a = S(a)
            for i in r { gx[i] += a * gy[i] }
        }
    }
}

/// How an operand of a binary op maps onto the `[rows, cols]` output.
enum Broadcast: Sendable {
    case full, row, column, scalar

    /// Offset of row i's first element and the step along a row.
    @inline(__always) func base(_ i: Int, cols: Int) -> (Int, Int) {
        switch self {
        case .full: (i * cols, 1)
        case .row: (0, 1)
        case .column: (i, 0)
        case .scalar: (0, 0)
        }
    }
}

public enum BinaryOperator: Sendable { case add, sub, mul, div }

/// y[j] = f(a[j * sa], b[j * sb]) for j < n, strides 0 or 1.
@inline(__always)
func rowLoop<S: TensorScalar>(
    _ n: Int, _ y: UnsafeMutablePointer<S>, _ a: UnsafePointer<S>, _ sa: Int, _ b: UnsafePointer<S>, _ sb: Int,
    _ f: (S, S) -> S
) {
    if sa == 1 && sb == 1 {
        for j in 0..<n { y[j] = f(a[j], b[j]) }
    } else if sa == 1 {
        let bv = b[0]
        for j in 0..<n { y[j] = f(a[j], bv) }
    } else if sb == 1 {
        let av = a[0]
        for j in 0..<n { y[j] = f(av, b[j]) }
    } else {
        y.update(repeating: f(a[0], b[0]), count: n)
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func binaryForward<S: TensorScalar>(
    _ op: BinaryOperator, _ a: UnsafeBufferPointer<S>, _ am: Broadcast, _ b: UnsafeBufferPointer<S>,
    _ bm: Broadcast, rows: Int, cols: Int, _ y: UnsafeMutableBufferPointer<S>
) {
    guard let ap = a.baseAddress, let bp = b.baseAddress, let yp = y.baseAddress else { return }
    if am == .full && bm == .full {
        Parallel.chunks(y.count, work: 2) { r in
            let o = r.lowerBound, n = r.count
            switch op {
            case .add: rowLoop(n, yp + o, ap + o, 1, bp + o, 1, +)
            case .sub: rowLoop(n, yp + o, ap + o, 1, bp + o, 1, -)
            case .mul: rowLoop(n, yp + o, ap + o, 1, bp + o, 1, *)
            case .div: rowLoop(n, yp + o, ap + o, 1, bp + o, 1, /)
            }
        }
        return
    }
    Parallel.chunks(rows, work: cols * 2) { rr in
        for i in rr {
            let (ab, sa) = am.base(i, cols: cols), (bb, sb) = bm.base(i, cols: cols)
            let out = yp + i &* cols
            switch op {
            case .add: rowLoop(cols, out, ap + ab, sa, bp + bb, sb, +)
            case .sub: rowLoop(cols, out, ap + ab, sa, bp + bb, sb, -)
            case .mul: rowLoop(cols, out, ap + ab, sa, bp + bb, sb, *)
            case .div: rowLoop(cols, out, ap + ab, sa, bp + bb, sb, /)
            }
        }
    }
}

/// Accumulates the gradient of operand `which` (0 = a, 1 = b) into g, reduced to its broadcast mode.
@_specialize(where S == Float)
@_specialize(where S == Double)
func binaryBackward<S: TensorScalar>(
    _ op: BinaryOperator, which: Int, _ a: UnsafeBufferPointer<S>, _ am: Broadcast,
    _ b: UnsafeBufferPointer<S>, _ bm: Broadcast, rows: Int, cols: Int,
    _ gy: UnsafeBufferPointer<S>, _ g: UnsafeMutableBufferPointer<S>
) {
    guard let ap = a.baseAddress, let bp = b.baseAddress, let gyp = gy.baseAddress, let gp = g.baseAddress else { return }
    let mode = which == 0 ? am : bm
    // Contribution of row i to the gradient, before reduction: t[j] = gy[i, j] * d(a op b)/d(operand).
    @inline(__always) func contribution(_ i: Int, _ t: UnsafeMutablePointer<S>) {
        let (ab, sa) = am.base(i, cols: cols), (bb, sb) = bm.base(i, cols: cols)
        let g = gyp + i &* cols
        let a = ap + ab, b = bp + bb
        switch (op, which) {
        case (.add, _), (.sub, 0): t.update(from: g, count: cols)
        case (.sub, _): for j in 0..<cols { t[j] = -g[j] }
        case (.mul, 0): rowLoop(cols, t, g, 1, b, sb, *)
        case (.mul, _): rowLoop(cols, t, g, 1, a, sa, *)
        case (.div, 0): rowLoop(cols, t, g, 1, b, sb, /)
        default: for j in 0..<cols { let bv = b[j &* sb]; t[j] = -g[j] * a[j &* sa] / (bv * bv) }
        }
    }
    switch mode {
    case .full, .column:
        Parallel.chunks(rows, work: cols * 3) { rr in
            withUnsafeTemporaryAllocation(of: S.self, capacity: cols) { tb in
                guard let t = tb.baseAddress else { return }
                for i in rr {
                    contribution(i, t)
                    if mode == .full {
                        axpy(cols, 1, t, gp + i &* cols)
                    } else {
                        var s: S = 0
                        for j in 0..<cols { s += t[j] }
                        gp[i] += s
                    }
                }
            }
        }
    case .row, .scalar:
        withUnsafeTemporaryAllocation(of: S.self, capacity: cols) { tb in
            guard let t = tb.baseAddress else { return }
            var s: S = 0
            for i in 0..<rows {
                contribution(i, t)
                if mode == .row {
                    axpy(cols, 1, t, gp)
                } else {
                    for j in 0..<cols { s += t[j] }
                }
            }
            if mode == .scalar { gp[0] += s }
        }
    }
}

extension Tape {
    /// Applies an element-wise function.
    public func apply(_ f: UnaryFunction, _ x: Value) -> Value {
        let xv = values[x.id]
        return op(xv.shape, inputs: [x], { y in xv.data.withPointer { unaryForward(f, $0, y) } }) { g, o in
            let gy = g.upstream(o), yv = g.values[o], xv = g.values[x.id]
            g.accumulate(x) { gx in
                xv.data.withPointer { xp in
                    yv.data.withPointer { yp in gy.data.withPointer { unaryBackward(f, xp, yp, $0, gx) } }
                }
            }
        }
    }

    public func relu(_ x: Value) -> Value { apply(.relu, x) }
    /// GELU, tanh approximation.
    public func gelu(_ x: Value) -> Value { apply(.gelu, x) }
    public func sigmoid(_ x: Value) -> Value { apply(.sigmoid, x) }
    public func tanh(_ x: Value) -> Value { apply(.tanh, x) }
    public func exp(_ x: Value) -> Value { apply(.exp, x) }
    public func log(_ x: Value) -> Value { apply(.log, x) }
    /// `scale * x + shift`.
    public func affine(_ x: Value, scale: Double, shift: Double = 0) -> Value {
        apply(.affine(scale: scale, shift: shift), x)
    }

    /// Element-wise binary op. Broadcasting (in either operand): same element count, a row
    /// vector of the last dimension (`[C]` or `[1, C]`), a column `[R, 1]`, or one element.
    public func binary(_ opr: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        let av = values[a.id], bv = values[b.id]
        let big = av.count >= bv.count ? av.shape : bv.shape
        let rows = big.rows, cols = big.last
        let am = Tape.mode(of: av.shape, in: big), bm = Tape.mode(of: bv.shape, in: big)
        return op(big, inputs: [a, b], { y in
            av.data.withPointer { ap in bv.data.withPointer { bp in
                binaryForward(opr, ap, am, bp, bm, rows: rows, cols: cols, y)
            } }
        }) { g, o in
            let gy = g.upstream(o), av = g.values[a.id], bv = g.values[b.id]
            for (which, n) in [(0, a), (1, b)] {
                g.accumulate(n) { gn in
                    av.data.withPointer { ap in bv.data.withPointer { bp in gy.data.withPointer { gp in
                        binaryBackward(opr, which: which, ap, am, bp, bm, rows: rows, cols: cols, gp, gn)
                    } } }
                }
            }
        }
    }

    static func mode(of s: Shape, in big: Shape) -> Broadcast {
        if s.count == big.count { return .full }
        if s.count == 1 { return .scalar }
        if s.count == big.last && s.last == big.last { return .row }
        if s.count == big.rows && s.last == 1 { return .column }
        preconditionFailure("cannot broadcast \(s) to \(big)")
    }

    public func add(_ a: Value, _ b: Value) -> Value { binary(.add, a, b) }
    public func sub(_ a: Value, _ b: Value) -> Value { binary(.sub, a, b) }
    public func mul(_ a: Value, _ b: Value) -> Value { binary(.mul, a, b) }
    public func div(_ a: Value, _ b: Value) -> Value { binary(.div, a, b) }
}
