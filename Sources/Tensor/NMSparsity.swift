/// An N:M fine-grained structured sparsity pattern: in every aligned group of M consecutive
/// elements, N are kept (COMPRESSION.md §3.2–3.3). An explicit config value, never inferred from
/// the dtype.
public struct NMPattern: Sendable, Codable, Equatable, CustomStringConvertible {
    public let n: Int, m: Int

    public init?(n: Int, m: Int) {
        guard n >= 1, m >= 2, n < m, m <= 16 else { return nil }
        self.n = n
        self.m = m
    }

    /// Parses "N:M" (e.g. "2:4", "1:2").
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(n: n, m: m)
    }

    public static let twoFour = NMPattern(n: 2, m: 4) ?? NMPattern.unreachable
    private static var unreachable: NMPattern { preconditionFailure("2:4 is a valid pattern") }

    public var description: String { "\(n):\(m)" }

    /// Which of `values[start..<start+count]` (count ≤ m) to keep: the `min(n, count)` largest
    /// by value; ties go to the lower index. A short last group stands for a group padded with −∞
    /// keys, which are never chosen while real ones remain.
    @inline(__always)
    func keep<S: TensorScalar>(_ key: (Int) -> S, count: Int, into kept: inout [Bool]) {
        for i in 0..<count { kept[i] = false }
        for _ in 0..<Swift.min(n, count) {
            var best = -1
            for i in 0..<count where !kept[i] {
                if best < 0 || key(i) > key(best) { best = i }
            }
            kept[best] = true
        }
    }
}

/// The value DFSS gives pruned scores before the softmax: probability exactly 0 after it.
let prunedScore = -1e19

extension Tape {
    /// DFSS selection (COMPRESSION.md §3.2) over the last axis: in every aligned group of M
    /// scores of a row, the N largest by value stay and the rest become −1e19, so a softmax after
    /// it runs over the kept entries only. The gradient of a pruned score is 0.
    public func nmSelect(_ x: Value, _ pattern: NMPattern) -> Value {
        let xv = values[x.id]
        let rows = xv.rows, cols = xv.cols
        var keptMask = [Bool](repeating: false, count: xv.count)
        var scratch = [Bool](repeating: false, count: pattern.m)
        xv.data.withPointer { xp in
            for r in 0..<rows {
                for start in stride(from: 0, to: cols, by: pattern.m) {
                    let o = r * cols + start, count = Swift.min(pattern.m, cols - start)
                    pattern.keep({ xp[o + $0] }, count: count, into: &scratch)
                    for i in 0..<count { keptMask[o + i] = scratch[i] }
                }
            }
        }
        let low = S(prunedScore)
        return op(xv.shape, inputs: [x], { y in
            xv.data.withPointer { xp in for i in 0..<y.count { y[i] = keptMask[i] ? xp[i] : low } }
        }) { g, o in
            let gy = g.upstream(o)
            g.accumulate(x) { gx in gy.data.withPointer { gp in for i in 0..<gx.count where keptMask[i] { gx[i] += gp[i] } } }
        }
    }
}

/// Why a weight cannot take an N:M mask.
public struct NMShapeError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Static N:M weight masks (COMPRESSION.md §3.3): for `Linear` weights `[input, output]`, groups
/// of M consecutive weights along the input dimension, keeping the N largest in |w| (ties: lower index).
public enum NMWeights {
    /// The 0/1 mask of a 2-D weight `[input, output]`; the input size must be a multiple of M
    /// (like PyTorch's shape guards, a weight that does not fit is rejected, not padded).
    public static func mask<S: TensorScalar>(_ w: Tensor<S>, _ pattern: NMPattern) throws(NMShapeError) -> Tensor<S> {
        guard w.shape.rank == 2 else { throw NMShapeError(description: "N:M masks need a 2-D weight, found shape \(w.shape)") }
        let k = w.shape[0], n = w.shape[1]
        guard k % pattern.m == 0, k > 0 else {
            throw NMShapeError(description: "input size \(k) is not a multiple of \(pattern.m) for \(pattern) sparsity")
        }
        var out = Tensor<S>(zeros: w.shape)
        var scratch = [Bool](repeating: false, count: pattern.m)
        for col in 0..<n {
            for g in stride(from: 0, to: k, by: pattern.m) {
                pattern.keep({ abs(w.data[(g + $0) * n + col]) }, count: pattern.m, into: &scratch)
                for i in 0..<pattern.m where scratch[i] { out.data[(g + i) * n + col] = 1 }
            }
        }
        return out
    }
}
