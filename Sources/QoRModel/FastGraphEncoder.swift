import Dispatch
import Foundation
import Tensor

/// Tape-free node states of `GraphEncoder` for prediction: the same numbers as the taped pass,
/// read straight from the AIG's Int32 CSR (no sparse matrices, no transposes) and computed block
/// by block, so a layer's temporaries (the `[block, 5 * width]` join and its product) live only
/// while their block is computed. At any time the pass holds two `[nodes, hidden]` state arrays
/// (the layer's input and output) on top of the graph: ~256 bytes per node at width 32, where the
/// tape kept every intermediate of every layer (~7 KB per AND).
struct FastGraphEncoder {
    let hidden: Int
    /// `[featureCount, hidden]` and `[hidden]`.
    let inputWeight: [Float], inputBias: [Float]
    /// Per layer: `[5 * hidden, hidden]`, `[hidden]`, LayerNorm gain and bias `[hidden]`, eps,
    /// and the channels the norm counts (1; 0 for channels CHEX pruned but did not yet remove).
    let layers: [Layer]
    typealias Layer = (weight: [Float], bias: [Float], gain: [Float], shift: [Float], eps: Float, active: [Float])

    /// Nodes per block: the join of a block is `block * 5 * hidden` floats.
    static let block = 1024

    /// nil for a simplified encoder (its propagation has no weights: `SGCPropagation`).
    init?(_ encoder: GraphEncoder, weights: ParameterStore<Float>) {
        guard let input = encoder.input else { return nil }
        self.init(input: input, layers: encoder.layers, hidden: encoder.hidden, weights: weights)
    }

    /// The input layer and message-passing layers of any encoder built from them (the supernode family's too).
    init(input: Linear, layers convolutions: [AigConvolution], hidden: Int, weights: ParameterStore<Float>) {
        self.hidden = hidden
        inputWeight = weights.weight(input.weight).data
        inputBias = input.bias.map { weights.weight($0).data } ?? [Float](repeating: 0, count: hidden)
        // Layers with experts (`--moe gin`) have no dense update: callers keep such encoders on the tape.
        layers = convolutions.compactMap { l in
            l.linear.map { linear in
                (weights.weight(linear.weight).data,
                 linear.bias.map { weights.weight($0).data } ?? [Float](repeating: 0, count: l.width),
                 weights.weight(l.norm.weight).data, weights.weight(l.norm.bias).data, Float(l.norm.eps),
                 weights.mask(l.norm.weight)?.data ?? [Float](repeating: 1, count: l.width))
            }
        }
    }

    /// The readout input `[1, 2 * hidden]`: mean and max over the nodes of the last layer's states.
    func pooled(_ graph: AigGraph) -> Tensor<Float> {
        let n = graph.nodeCount, w = hidden
        var h = initialStates(graph)
        for k in layers.indices { h = convolve(k, graph, h) }  // each layer's input is released as it returns
        var sum = [Double](repeating: 0, count: w), max = [Float](repeating: -.infinity, count: w)
        for v in 0..<n {
            for j in 0..<w {
                let x = h[v * w + j]
                sum[j] += Double(x)
                if x > max[j] { max[j] = x }
            }
        }
        if n == 0 { max = [Float](repeating: 0, count: w) }
        return Tensor([1, 2 * w], sum.map { Float($0 / Double(Swift.max(n, 1))) } + max)
    }

    /// `relu(X W + b)`: `[nodes, hidden]`.
    func initialStates(_ graph: AigGraph) -> [Float] {
        let n = graph.nodeCount, w = hidden, f = AigGraph.featureCount
        var h = [Float](repeating: 0, count: n * w)
        h.withUnsafeMutableBufferPointer { out in
            graph.features.withUnsafeBufferPointer { x in
                inputWeight.withUnsafeBufferPointer { wt in
                    guard let xp = x.baseAddress, let wp = wt.baseAddress, let op = out.baseAddress, n > 0 else { return }
                    Float.gemm(transA: false, transB: false, m: n, n: w, k: f, alpha: 1, a: xp, lda: f, b: wp, ldb: w, beta: 0, c: op, ldc: w)
                }
            }
            for v in 0..<n { for j in 0..<w { out[v * w + j] = Swift.max(0, out[v * w + j] + inputBias[j]) } }
        }
        return h
    }

    /// Layer `k` (an `AigConvolution`) on states `[nodes, copies * hidden]` (several flows side by
    /// side, as the taped layer takes them): `LN(h + relu([h, Σ plain fanins, Σ inverted fanins,
    /// mean plain fanouts, mean inverted fanouts] W + b))` per node and copy, blocks of nodes in parallel.
    func convolve(_ k: Int, _ graph: AigGraph, _ h: [Float], copies: Int = 1) -> [Float] {
        let n = graph.nodeCount, layer = layers[k]
        let block = Swift.max(1, Self.block / copies)
        let blocks = (n + block - 1) / block
        var next = [Float](repeating: 0, count: n * copies * hidden)
        next.withUnsafeMutableBufferPointer { out in
            let target = SendablePointer(out)
            h.withUnsafeBufferPointer { hp in
                let states = SendableConstPointer(hp)
                DispatchQueue.concurrentPerform(iterations: blocks) { b in
                    let lo = b * block, hi = Swift.min(n, lo + block)
                    convolveBlock(graph, states.value, layer, rows: lo..<hi, copies: copies, into: target.value)
                }
            }
        }
        return next
    }

    private func convolveBlock(_ graph: AigGraph, _ h: UnsafeBufferPointer<Float>,
                               _ layer: Layer,
                               rows: Range<Int>, copies: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let w = hidden, w5 = 5 * w, m = rows.count * copies, stride = copies * w
        // Row (node r, copy c) of the join is [h, m1, m2, m3, m4] of that copy.
        var joined = [Float](repeating: 0, count: m * w5)
        var z = [Float](repeating: 0, count: m * w)
        graph.faninStart.withUnsafeBufferPointer { fs in graph.faninSource.withUnsafeBufferPointer { src in
        graph.faninInverted.withUnsafeBufferPointer { finv in graph.fanoutStart.withUnsafeBufferPointer { os in
        graph.fanoutTarget.withUnsafeBufferPointer { tgt in graph.fanoutInverted.withUnsafeBufferPointer { oinv in
            joined.withUnsafeMutableBufferPointer { jp in
                for (r, v) in rows.enumerated() {
                    for c in 0..<copies {
                        let row = (r * copies + c) * w5, own = v * stride + c * w
                        for j in 0..<w { jp[row + j] = h[own + j] }
                        for e in Int(fs[v])..<Int(fs[v + 1]) {
                            let base = row + (finv[e] ? 2 : 1) * w, u = Int(src[e]) * stride + c * w
                            for j in 0..<w { jp[base + j] += h[u + j] }
                        }
                        let lo = Int(os[v]), hi = Int(os[v + 1])
                        let scale = Float(1) / Float(Swift.max(1, hi - lo))
                        for e in lo..<hi {
                            let base = row + (oinv[e] ? 4 : 3) * w, u = Int(tgt[e]) * stride + c * w
                            for j in 0..<w { jp[base + j] += scale * h[u + j] }
                        }
                    }
                }
            }
        } } } } } }
        joined.withUnsafeBufferPointer { jp in layer.weight.withUnsafeBufferPointer { wp in z.withUnsafeMutableBufferPointer { zp in
            guard let a = jp.baseAddress, let b = wp.baseAddress, let c = zp.baseAddress, m > 0 else { return }
            Float.gemm(transA: false, transB: false, m: m, n: w, k: w5, alpha: 1, a: a, lda: w5, b: b, ldb: w, beta: 0, c: c, ldc: w)
        } } }
        var x = [Float](repeating: 0, count: w)
        let active = layer.active, count = Swift.max(1, active.reduce(0, +))
        for (r, v) in rows.enumerated() {
            for c in 0..<copies {
                let o = v * stride + c * w, zr = (r * copies + c) * w
                var mean: Float = 0
                for j in 0..<w {
                    x[j] = h[o + j] + Swift.max(0, z[zr + j] + layer.bias[j])
                    mean += active[j] * x[j]
                }
                mean /= count
                var variance: Float = 0
                for j in 0..<w { let d = x[j] - mean; variance += active[j] * d * d }
                variance /= count
                let s = 1 / (variance + layer.eps).squareRoot()
                for j in 0..<w { out[o + j] = active[j] * ((x[j] - mean) * s * layer.gain[j] + layer.shift[j]) }
            }
        }
    }
}

/// Pointers handed to parallel blocks that read shared data or write disjoint rows.
private struct SendablePointer: @unchecked Sendable {
    let value: UnsafeMutableBufferPointer<Float>
    init(_ value: UnsafeMutableBufferPointer<Float>) { self.value = value }
}

private struct SendableConstPointer: @unchecked Sendable {
    let value: UnsafeBufferPointer<Float>
    init(_ value: UnsafeBufferPointer<Float>) { self.value = value }
}
