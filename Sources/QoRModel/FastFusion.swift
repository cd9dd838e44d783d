import Foundation
import Kernels
import Tensor

/// The fusion MLP of one design for the kernels (`qor_dense`). The design's gate multiplies the
/// flow vector before `fusion.product`, so `f W_f + (f ⊙ gate) W_x = f (W_f + diag(gate) W_x)`:
/// one `[F, fusionWidth]` matrix per design instead of two products per flow.
struct FastFusion: FlowFusion {
    let input: Int
    let width: Int
    /// `W_f + diag(gate) W_x`, packed.
    let first: [Float]
    /// The design's additive term: the first layer's bias.
    let additive: [Float]
    /// The head's layers: packed weights, bias, input and output sizes.
    let head: [(weights: [Float], bias: [Float], input: Int, output: Int)]
    /// A head pruned to one cosine-routed expert (task-specific expert pruning keeps its α-gate):
    /// the router's reduction `[width, rank]`, the unit centroid `[rank]` and the temperature.
    let alpha: (reduce: [Float], centroid: [Float], temperature: Float)?

    var outputs: Int { head.last?.output ?? 0 }

    /// Whether the kernels run this network's head: a dense one, or one expert after pruning.
    static func supports(_ net: SequenceNetwork) -> Bool {
        net.head != nil || (net.headExperts.map { $0.count == 1 && ($0.router == .softmax || $0.centroids != nil) } ?? false)
    }

    init(_ net: SequenceNetwork, weights: ParameterStore<Float>, context: DesignContext) {
        let wf = weights.weight(net.flowPart.weight), wx = weights.weight(net.productPart.weight)
        input = wf.rows
        width = wf.cols
        let gate = context.gate.data
        var combined = wf.data
        for k in 0..<input {
            let g = gate[k]
            for j in 0..<width { combined[k * width + j] += g * wx.data[k * width + j] }
        }
        first = FastLSTM.pack(Tensor([input, width], combined))
        additive = context.additive.data
        let single = net.headExperts.flatMap { $0.count == 1 ? $0 : nil }
        head = (net.head?.layers ?? single?.experts[0].layers ?? []).map { layer in
            (FastLSTM.pack(weights.weight(layer.weight)), layer.bias.map { weights.weight($0).data } ?? [Float](repeating: 0, count: layer.output),
             layer.input, layer.output)
        }
        if let single, single.router == .cosine, let r = single.reduce, let c = single.centroids, let t = single.temperature {
            let centroid = weights.weight(c).data
            let norm = (centroid.reduce(Float(0)) { $0 + $1 * $1 } + 1e-12).squareRoot()
            alpha = (weights.weight(r).data, centroid.map { $0 / norm }, weights.weight(t).data[0])
        } else {
            alpha = nil
        }
    }

    /// α = sigmoid(cos(x W_red, c) / t) of each row of the head's input `x` `[n, width]`, as
    /// `MixtureOfExperts.single` computes it on the tape.
    func gates(rows n: Int, _ x: UnsafePointer<Float>) -> [Float] {
        guard let alpha else { return [] }
        let rank = alpha.centroid.count
        var reduced = [Float](repeating: 0, count: n * rank)
        reduced.withUnsafeMutableBufferPointer { r in alpha.reduce.withUnsafeBufferPointer { w in
            guard let rp = r.baseAddress, let wp = w.baseAddress else { return }
            Float.gemm(transA: false, transB: false, m: n, n: rank, k: width, alpha: 1, a: x, lda: width, b: wp, ldb: rank, beta: 0, c: rp, ldc: rank)
        } }
        return (0..<n).map { i in
            var squares: Float = 0, dot: Float = 0
            for j in 0..<rank {
                let v = reduced[i * rank + j]
                squares += v * v
                dot += v * alpha.centroid[j]
            }
            let cos = dot / (squares + 1e-12).squareRoot()
            return 1 / (1 + Foundation.exp(-cos / alpha.temperature))
        }
    }

    /// Effects `[n, outputs]` of `n` flow vectors `[n, input]` into `out` (row stride = outputs).
    func run(rows n: Int, flows: UnsafePointer<Float>, workspace w: LSTMWorkspace, into out: UnsafeMutablePointer<Float>) {
        let widest = max(width, head.map(\.output).max() ?? 0)
        if w.hiddenA.count < n * widest { w.hiddenA = [Float](repeating: 0, count: n * widest) }
        if w.hiddenB.count < n * widest { w.hiddenB = [Float](repeating: 0, count: n * widest) }
        w.hiddenA.withUnsafeMutableBufferPointer { a in w.hiddenB.withUnsafeMutableBufferPointer { b in
            guard let pa = a.baseAddress, let pb = b.baseAddress else { return }
            first.withUnsafeBufferPointer { wp in additive.withUnsafeBufferPointer { bp in
                qor_dense(Int32(n), Int32(input), Int32(width), flows, Int32(input), wp.baseAddress, bp.baseAddress, 1, pa, Int32(width))
            } }
            let gate = gates(rows: n, pa)
            var x = pa, y = pb
            for (i, layer) in head.enumerated() {
                let last = i == head.count - 1
                let target = last ? out : y
                layer.weights.withUnsafeBufferPointer { wp in layer.bias.withUnsafeBufferPointer { bp in
                    qor_dense(Int32(n), Int32(layer.input), Int32(layer.output), x, Int32(layer.input), wp.baseAddress, bp.baseAddress,
                              last ? 0 : 1, target, Int32(layer.output))
                } }
                Swift.swap(&x, &y)
            }
            for (i, a) in gate.enumerated() { for j in 0..<outputs { out[i * outputs + j] *= a } }
        } }
    }
}
