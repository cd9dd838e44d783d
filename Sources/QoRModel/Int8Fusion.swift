import Tensor

/// The calibrated activation ranges of the sequence model's fusion MLP in int8 (the inputs of its
/// four dense layers), as an `int8` compression step records them in its settings
/// (`range.<layer>` = "lo hi").
struct FusionRanges: Sendable, Equatable {
    /// Input of `fusion.flow` (the flow vector f), of `fusion.product` (f ⊙ gate), of
    /// `fusion.head.0` (relu of the first fusion layer) and of `fusion.head.1`.
    var flow, product, hidden0, hidden1: ActivationRange

    static let sites = ["fusion.flow", "fusion.product", "fusion.head.0", "fusion.head.1"]

    init(flow: ActivationRange, product: ActivationRange, hidden0: ActivationRange, hidden1: ActivationRange) {
        self.flow = flow
        self.product = product
        self.hidden0 = hidden0
        self.hidden1 = hidden1
    }

    /// The ranges of the last `int8` step that has them; nil when there is none.
    init?(_ steps: [CompressionStep]) {
        guard let step = steps.last(where: { $0.option == Int8Compression.option }) else { return nil }
        var found: [ActivationRange] = []
        for site in Self.sites {
            guard let text = step.settings["range." + site] else { return nil }
            let parts = text.split(separator: " ").compactMap { Float(String($0)) }
            guard parts.count == 2 else { return nil }
            found.append(ActivationRange(lo: parts[0], hi: parts[1]))
        }
        self.init(flow: found[0], product: found[1], hidden0: found[2], hidden1: found[3])
    }

    var all: [ActivationRange] { [flow, product, hidden0, hidden1] }

    /// The settings that record the ranges (round-trip exact: shortest decimal form of each float).
    var settings: [String: String] {
        Dictionary(uniqueKeysWithValues: zip(Self.sites, all).map { ("range." + $0, "\($1.lo.description) \($1.hi.description)") })
    }
}

/// The sequence model's fusion MLP on the int8 kernels: `relu(f W_f + additive + (f ⊙ gate) W_x)`,
/// then the head `relu(h W_0 + b_0) W_1 + b_1`, each product with u8 activations (calibrated
/// ranges) times the layer's int8 weights (per output column scales), summed exactly in int32.
struct Int8Fusion: Sendable {
    let flow: PackedInt8Linear
    let product: PackedInt8Linear
    let head0: PackedInt8Linear
    let head1: PackedInt8Linear
    let ranges: FusionRanges
    /// Kernel variant (tests pin one; `auto` otherwise).
    var variant: Int8KernelVariant = .auto

    /// Nil unless every fusion weight has an int8 form and the head has exactly two layers.
    init?(_ network: SequenceNetwork, weights: ParameterStore<Float>, ranges: FusionRanges) {
        guard let head = network.head, head.layers.count == 2,
              let wf = weights.quantized(network.flowPart.weight), let wx = weights.quantized(network.productPart.weight),
              let w0 = weights.quantized(head.layers[0].weight), let w1 = weights.quantized(head.layers[1].weight)
        else { return nil }
        func bias(_ l: Linear) -> [Float]? { l.bias.map { weights.weight($0).data } }
        flow = PackedInt8Linear(wf, bias: nil)
        product = PackedInt8Linear(wx, bias: nil)
        head0 = PackedInt8Linear(w0, bias: bias(head.layers[0]))
        head1 = PackedInt8Linear(w1, bias: bias(head.layers[1]))
        self.ranges = ranges
    }

    /// Effects `[B, 2]` of flow vectors `f` `[B, F]` on a design with fusion terms `additive`
    /// `[1, W]` and `gate` `[1, F]`.
    func effects(_ f: Tensor<Float>, additive: Tensor<Float>, gate: Tensor<Float>) -> Tensor<Float> {
        precondition(f.cols == flow.input && gate.count == flow.input && additive.count == flow.output, "Int8Fusion: sizes")
        var out = [Float](repeating: 0, count: f.rows * head1.output)
        f.data.withUnsafeBufferPointer { fp in out.withUnsafeMutableBufferPointer { op in
            guard let fb = fp.baseAddress, let ob = op.baseAddress else { return }
            effects(rows: f.rows, flows: fb, additive: additive.data, gate: gate.data, workspace: LSTMWorkspace(), into: ob)
        } }
        return Tensor([f.rows, head1.output], out)
    }

    /// The same for `b` flow vectors at `f`, with a worker's buffers; effects into `out` `[b, 2]`.
    func effects(rows b: Int, flows f: UnsafePointer<Float>, additive: [Float], gate: [Float], workspace w: LSTMWorkspace,
                 into out: UnsafeMutablePointer<Float>) {
        let width = flow.input
        if w.gated.count < b * width { w.gated = [Float](repeating: 0, count: b * width) }
        if w.hiddenA.count < b * flow.output { w.hiddenA = [Float](repeating: 0, count: b * flow.output) }
        if w.hiddenB.count < b * head0.output { w.hiddenB = [Float](repeating: 0, count: b * head0.output) }
        for r in 0..<b { for j in 0..<width { w.gated[r * width + j] = f[r * width + j] * gate[j] } }
        let q = w.int8, v = variant
        let flows = UnsafeBufferPointer(start: f, count: b * width), result = UnsafeMutableBufferPointer(start: out, count: b * head1.output)
        additive.withUnsafeBufferPointer { ap in w.gated.withUnsafeBufferPointer { gp in w.hiddenA.withUnsafeMutableBufferPointer { pre in
            w.hiddenB.withUnsafeMutableBufferPointer { hidden in
                flow.apply(flows, rows: b, range: ranges.flow, extraBias: ap, into: pre, workspace: q, variant: v)
                product.apply(gp, rows: b, range: ranges.product, accumulate: true, relu: true, into: pre, workspace: q, variant: v)
                head0.apply(UnsafeBufferPointer(pre), rows: b, range: ranges.hidden0, relu: true, into: hidden, workspace: q, variant: v)
                head1.apply(UnsafeBufferPointer(hidden), rows: b, range: ranges.hidden1, into: result, workspace: q, variant: v)
            }
        } } }
    }
}

/// One design's int8 fusion on the inference blocks.
struct Int8DesignFusion: FlowFusion {
    let fusion: Int8Fusion
    let additive: [Float]
    let gate: [Float]
    var input: Int { fusion.flow.input }
    var outputs: Int { fusion.head1.output }

    func run(rows n: Int, flows: UnsafePointer<Float>, workspace: LSTMWorkspace, into out: UnsafeMutablePointer<Float>) {
        fusion.effects(rows: n, flows: flows, additive: additive, gate: gate, workspace: workspace, into: out)
    }
}
