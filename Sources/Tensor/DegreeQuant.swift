/// Degree-Quant (Tailor, Fernandez-Marques, Lane, ICLR 2021; COMPRESSION.md §1.3): uniform fake
/// quantisation with percentile range tracking, protective masking of high in-degree nodes, and a
/// straight-through backward with optional gradient clipping. Restated from the spec; no code copied.

/// How values map to integers: asymmetric (a zero point) or symmetric.
public enum QuantScheme: String, Sendable, Codable { case asymmetric, symmetric }

/// The backward of fake quantisation: pass the gradient through (STE), or zero it where the
/// value saturated (GC: gradient clipping).
public enum QuantGradient: String, Sendable, Codable { case straightThrough, clipped }

/// Scale and zero point of a uniform `bits`-bit quantiser: `x̂ = (clamp(round(x/scale + zero), qmin, qmax) − zero)·scale`.
public struct QuantParams: Sendable, Equatable {
    public let scale: Double, zero: Double
    public let qmin: Double, qmax: Double

    /// The parameters for the range [min, max] (widened to include 0).
    public init(min lo: Double, max hi: Double, bits: Int = 8, signed: Bool = true, scheme: QuantScheme = .asymmetric) {
        let lo = Swift.min(0, lo), hi = Swift.max(0, hi)
        qmin = signed ? -Double(1 << (bits - 1)) : 0
        qmax = qmin + Double(1 << bits) - 1
        if hi == lo {
            scale = 1
            zero = 0
            return
        }
        switch scheme {
        case .asymmetric:
            let s = Swift.max(Double(Float.ulpOfOne), (hi - lo) / (qmax - qmin))
            scale = s
            zero = Swift.max(qmin, Swift.min(qmax, qmin - (lo / s).rounded(.toNearestOrEven)))
        case .symmetric:
            scale = 2 * Swift.max(abs(lo), abs(hi)) / (qmax - qmin)
            zero = signed ? 0 : 128
        }
    }

    /// The integer `x` rounds to before clamping.
    @inline(__always) public func level(_ x: Double) -> Double { (x / scale + zero).rounded(.toNearestOrEven) }

    /// The fake-quantised value.
    @inline(__always) public func quantize(_ x: Double) -> Double { (Swift.max(qmin, Swift.min(qmax, level(x))) - zero) * scale }

    /// Whether the gradient is clipped at `x` (GC): the rounded level is at or beyond an end.
    @inline(__always) public func saturates(_ x: Double) -> Bool { let q = level(x); return q >= qmax || q <= qmin }
}

/// The range a quantiser uses, tracked over training batches and frozen at evaluation: the first
/// batch sets it; later batches move it by `momentum` (EMA: `min ← min + m·(cur − min)`), or widen
/// it (running min/max) when `momentum` is nil. With `percentile` p the batch's own range is its
/// ⌊p·n⌋-th and ⌊(1−p)·n⌋-th smallest values (1-based, as `kthvalue`), not its min and max.
public struct RangeTracker: Sendable, Equatable, Codable {
    public var min: Double = 0, max: Double = 0
    public private(set) var initialised = false
    public var momentum: Double?
    public var percentile: Double?

    public init(momentum: Double? = 0.01, percentile: Double? = 0.001) {
        self.momentum = momentum
        self.percentile = percentile
    }

    /// A frozen range (as read back from a checkpoint).
    public init(min: Double, max: Double) {
        self.min = min
        self.max = max
        initialised = true
    }

    /// The batch's own range: min/max, or the percentiles.
    public func batchRange<S: TensorScalar>(_ values: [S]) -> (min: Double, max: Double) {
        let finite = values.map { Double($0) }.filter(\.isFinite)
        guard !finite.isEmpty else { return (0, 0) }
        guard let p = percentile, p > 0 else { return (finite.min() ?? 0, finite.max() ?? 0) }
        let sorted = finite.sorted(), n = sorted.count
        let lo = Swift.max(1, Int((p * Double(n)).rounded(.down))), hi = Swift.max(1, Int(((1 - p) * Double(n)).rounded(.down)))
        return (sorted[Swift.min(n, lo) - 1], sorted[Swift.min(n, hi) - 1])
    }

    public mutating func update<S: TensorScalar>(_ values: [S]) {
        let cur = batchRange(values)
        guard initialised else {
            (min, max, initialised) = (cur.min, cur.max, true)
            return
        }
        if let m = momentum {
            min += m * (cur.min - min)
            max += m * (cur.max - max)
        } else {
            min = Swift.min(min, cur.min)
            max = Swift.max(max, cur.max)
        }
    }
}

/// Protective masking: each node is kept at full precision with a probability that grows with its
/// in-degree, the empirical CDF of the in-degree rescaled to [low, high]:
/// `p(d) = low + (high − low)·(Σ_{k≤d} c_k)/N`, `c_k` the number of nodes of in-degree k.
public enum DegreeMask {
    public static func probabilities(inDegrees: [Int], low: Double, high: Double) -> [Double] {
        let n = inDegrees.count
        guard n > 0 else { return [] }
        var counts: [Int: Int] = [:]
        for d in inDegrees { counts[d, default: 0] += 1 }
        var cumulative: [Int: Double] = [:], running = 0
        for d in counts.keys.sorted() {
            running += counts[d] ?? 0
            cumulative[d] = Double(running) / Double(n)
        }
        return inDegrees.map { low + (high - low) * (cumulative[$0] ?? 1) }
    }

    /// One Bernoulli draw per node: true = protected (full precision) in this forward pass.
    public static func draw(_ probabilities: [Double], rng: inout SeededGenerator) -> [Bool] {
        probabilities.map { rng.unit() < $0 }
    }
}

extension Tape {
    /// Fake quantisation of `x` with `params`; rows (first axis) where `protect` is true pass at
    /// full precision (Degree-Quant's protected nodes). Backward: the gradient passes through
    /// (protected rows, and `.straightThrough`), or is zeroed where the value saturated (`.clipped`).
    public func fakeQuantize(_ x: Value, _ params: QuantParams, gradient: QuantGradient = .clipped, protect: [Bool]? = nil) -> Value {
        let xv = values[x.id]
        let rows = xv.rank > 0 ? xv.shape[0] : 1, width = xv.count / Swift.max(1, rows)
        precondition(protect == nil || protect?.count == rows, "fakeQuantize: \(protect?.count ?? 0) row flags for \(rows) rows")
        let out = op(xv.shape, inputs: [x], { y in
            xv.data.withPointer { xp in
                for i in 0..<xv.count {
                    if let protect, protect[i / Swift.max(1, width)] { y[i] = xp[i]; continue }
                    y[i] = S(params.quantize(Double(xp[i])))
                }
            }
        }, backward: { t, i in
            let up = t.upstream(i)
            t.accumulate(x) { gx in
                up.data.withPointer { gp in
                    xv.data.withPointer { xp in
                        for k in 0..<xv.count {
                            let passes = gradient == .straightThrough || (protect?[k / Swift.max(1, width)] ?? false) || !params.saturates(Double(xp[k]))
                            if passes { gx[k] += gp[k] }
                        }
                    }
                }
            }
        })
        return out
    }
}
