import Kernels
import Tensor

/// The fusion MLP of one design for the kernels (`qor_dense`). The design's gate multiplies the
/// flow vector before `fusion.product`, so `f W_f + (f ⊙ gate) W_x = f (W_f + diag(gate) W_x)`:
/// one `[F, fusionWidth]` matrix per design instead of two products per flow.
struct FastFusion {
    let input: Int
    let width: Int
    /// `W_f + diag(gate) W_x`, packed.
    let first: [Float]
    /// The design's additive term: the first layer's bias.
    let additive: [Float]
    /// The head's layers: packed weights, bias, input and output sizes.
    let head: [(weights: [Float], bias: [Float], input: Int, output: Int)]

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
        head = (net.head?.layers ?? []).map { layer in
            (FastLSTM.pack(weights.weight(layer.weight)), layer.bias.map { weights.weight($0).data } ?? [Float](repeating: 0, count: layer.output),
             layer.input, layer.output)
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
        } }
    }
}
