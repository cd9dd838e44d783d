import Dispatch
import Foundation
import Tensor

/// Tape-free LSTM flow encoding for prediction: the same numbers as `FlowEncoder` with an LSTM,
/// computed without a graph. The first layer's input projection needs no matrix product: a step's
/// input is a token embedding plus a position embedding, so `x W = T[token] + P[position]` with the
/// small tables `T = tokens · W` and `P = positions · W + b` computed once. Each time step is then
/// one gather-add, one `h · W_h` product and one fused loop over the gates; row blocks run in parallel.
struct FastLSTM {
    let hidden: Int
    /// Per layer: `[count, 4H]` token table (layer 0 only), `[T, 4H]` position table (layer 0) or bias (others).
    let tokenTable: [Float]
    let positionTable: [Float]
    let inputWeights: [[Float]]   // layers >= 1: [H, 4H]
    let biases: [[Float]]         // layers >= 1: [4H]
    let hiddenWeights: [[Float]]  // [H, 4H]
    let maxSteps: Int

    init(_ encoder: FlowEncoder, weights: ParameterStore<Float>) {
        guard let lstm = encoder.lstm else { preconditionFailure("FastLSTM needs an LSTM flow encoder") }
        let h = lstm.hidden, w4 = 4 * h
        hidden = h
        let tokens = weights.weight(encoder.embedding.tokens.table), positions = weights.weight(encoder.embedding.positions.table)
        let first = lstm.cells[0]
        let wi = weights.weight(first.inputWeight), b = weights.weight(first.bias)
        func project(_ table: Tensor<Float>, bias: Bool) -> [Float] {
            var out = [Float](repeating: 0, count: table.rows * w4)
            table.data.withUnsafeBufferPointer { t in wi.data.withUnsafeBufferPointer { w in out.withUnsafeMutableBufferPointer { o in
                gemm(m: table.rows, n: w4, k: table.cols, t, w, o)
            } } }
            if bias { for r in 0..<table.rows { for j in 0..<w4 { out[r * w4 + j] += b.data[j] } } }
            return out
        }
        tokenTable = project(tokens, bias: false)
        positionTable = project(positions, bias: true)
        maxSteps = positions.rows
        inputWeights = lstm.cells.dropFirst().map { weights.weight($0.inputWeight).data }
        biases = lstm.cells.dropFirst().map { weights.weight($0.bias).data }
        hiddenWeights = lstm.cells.map { weights.weight($0.hiddenWeight).data }
    }

    /// Final hidden states `[B, H]` of the last layer.
    func encode(_ batch: TokenBatch) -> Tensor<Float> {
        let b = batch.count, h = hidden
        var out = [Float](repeating: 0, count: b * h)
        let block = 256
        let blocks = (b + block - 1) / block
        out.withUnsafeMutableBufferPointer { o in
            let result = UnsafeSendable(o)
            DispatchQueue.concurrentPerform(iterations: blocks) { k in
                let lo = k * block, hi = min(b, lo + block)
                run(batch, rows: lo..<hi, into: UnsafeMutableBufferPointer(rebasing: result.value[(lo * h)..<(hi * h)]))
            }
        }
        return Tensor([b, h], out)
    }

    private func run(_ batch: TokenBatch, rows: Range<Int>, into output: UnsafeMutableBufferPointer<Float>) {
        let n = rows.count, h = hidden, w4 = 4 * h, t = batch.width
        let layers = hiddenWeights.count
        var gates = [Float](repeating: 0, count: n * w4)
        var hs = [Float](repeating: 0, count: n * h), cs = [Float](repeating: 0, count: n * h)
        // Outputs of the layer below at every step (layers >= 1 read them).
        var below = [Float](repeating: 0, count: layers > 1 ? n * t * h : 0)
        for layer in 0..<layers {
            for i in 0..<(n * h) { hs[i] = 0; cs[i] = 0 }
            var next = [Float](repeating: 0, count: layers > 1 && layer < layers - 1 ? n * t * h : 0)
            for step in 0..<t {
                gates.withUnsafeMutableBufferPointer { g in
                    if layer == 0 {
                        tokenTable.withUnsafeBufferPointer { tt in positionTable.withUnsafeBufferPointer { pt in
                            batch.ids.withUnsafeBufferPointer { ids in
                                let p = step * w4
                                for r in 0..<n {
                                    let id = Int(ids[(rows.lowerBound + r) * t + step]) * w4, o = r * w4
                                    for j in 0..<w4 { g[o + j] = tt[id + j] + pt[p + j] }
                                }
                            }
                        } }
                    } else {
                        let wi = inputWeights[layer - 1], bias = biases[layer - 1]
                        for r in 0..<n { for j in 0..<w4 { g[r * w4 + j] = bias[j] } }
                        var x = [Float](repeating: 0, count: n * h)
                        for r in 0..<n { for j in 0..<h { x[r * h + j] = below[(r * t + step) * h + j] } }
                        x.withUnsafeBufferPointer { xp in wi.withUnsafeBufferPointer { wp in gemm(m: n, n: w4, k: h, xp, wp, g, accumulate: true) } }
                    }
                    hs.withUnsafeBufferPointer { hp in hiddenWeights[layer].withUnsafeBufferPointer { wp in gemm(m: n, n: w4, k: h, hp, wp, g, accumulate: true) } }
                    hs.withUnsafeMutableBufferPointer { hp in cs.withUnsafeMutableBufferPointer { cp in
                        guard let gb = g.baseAddress, let hb = hp.baseAddress, let cb = cp.baseAddress else { return }
                        for r in 0..<n where batch.lengths[rows.lowerBound + r] > step {
                            let o = r * w4, base = r * h
                            var j = 0
                            while j + 8 <= h {
                                let ig = sigmoid8(load(gb + o + j)), fg = sigmoid8(load(gb + o + h + j))
                                let cand = tanh8(load(gb + o + 2 * h + j)), og = sigmoid8(load(gb + o + 3 * h + j))
                                let c = fg * load(cb + base + j) + ig * cand
                                store8(c, cb + base + j)
                                store8(og * tanh8(c), hb + base + j)
                                j += 8
                            }
                            while j < h {
                                let ig = sigmoid(gb[o + j]), fg = sigmoid(gb[o + h + j])
                                let cand = tanh(gb[o + 2 * h + j]), og = sigmoid(gb[o + 3 * h + j])
                                let c = fg * cb[base + j] + ig * cand
                                cb[base + j] = c
                                hb[base + j] = og * tanh(c)
                                j += 1
                            }
                        }
                    } }
                    if !next.isEmpty {
                        for r in 0..<n {
                            let live = batch.lengths[rows.lowerBound + r] > step
                            for j in 0..<h { next[(r * t + step) * h + j] = live ? hs[r * h + j] : 0 }
                        }
                    }
                }
            }
            below = next
        }
        for i in 0..<(n * h) { output[i] = hs[i] }
    }
}

/// Row-major `c (+)= a · b` with `a` `[m, k]` and `b` `[k, n]`.
private func gemm(m: Int, n: Int, k: Int, _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                  _ c: UnsafeMutableBufferPointer<Float>, accumulate: Bool = false) {
    guard let ap = a.baseAddress, let bp = b.baseAddress, let cp = c.baseAddress, m > 0, n > 0, k > 0 else { return }
    Float.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: ap, lda: k, b: bp, ldb: n,
               beta: accumulate ? 1 : 0, c: cp, ldc: n)
}

/// tanh through one `exp` (glibc's `tanhf` goes through the slower `expm1f`); absolute error
/// about 1e-7, which is what the LSTM state needs.
@inline(__always) private func tanh(_ v: Float) -> Float {
    if v > 9 { return 1 }
    if v < -9 { return -1 }
    let e = Foundation.exp(2 * v)
    return (e - 1) / (e + 1)
}

/// e^x for 8 lanes (8, not 16: without AVX a 16-lane value spills registers): x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its degree-7 Taylor polynomial
/// (relative error below 2e-8 there), times 2^n built in the exponent bits. Inputs are clamped to
/// [-87, 88], where the result is a normal float.
@inline(__always) private func exp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let x = x.clamped(lowerBound: SIMD8(repeating: -87), upperBound: SIMD8(repeating: 88))
    // Adding 1.5 * 2^23 rounds to an integer held in the low mantissa bits (no lane-wise conversion).
    let shifted = x * 1.442_695_04 + 12_582_912
    let n = shifted - 12_582_912
    let r = x - n * 0.693_145_75 - n * 1.428_606_8e-6
    var p = SIMD8<Float>(repeating: 1 / 5040)
    p = p * r + 1 / 720
    p = p * r + 1 / 120
    p = p * r + 1 / 24
    p = p * r + 1 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
}

@inline(__always) private func sigmoid8(_ v: SIMD8<Float>) -> SIMD8<Float> { 1 / (1 + exp8(-v)) }

@inline(__always) private func tanh8(_ v: SIMD8<Float>) -> SIMD8<Float> { 1 - 2 / (exp8(2 * v) + 1) }

@inline(__always) private func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

@inline(__always) private func sigmoid(_ v: Float) -> Float {
    if v >= 0 { return 1 / (1 + Foundation.exp(-v)) }
    let e = Foundation.exp(v)
    return e / (1 + e)
}

/// A pointer handed to parallel blocks that write disjoint parts.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
