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
final class Int8Fusion {
    let flow: PackedInt8Linear
    let product: PackedInt8Linear
    let head0: PackedInt8Linear
    let head1: PackedInt8Linear
    let ranges: FusionRanges
    private let workspace = Int8Workspace()
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
        let b = f.rows, width = f.cols
        precondition(width == flow.input && gate.count == width && additive.count == flow.output, "Int8Fusion: sizes")
        var gated = f.data
        for r in 0..<b { for j in 0..<width { gated[r * width + j] *= gate.data[j] } }
        var pre = [Float](repeating: 0, count: b * flow.output)
        var hidden = [Float](repeating: 0, count: b * head0.output)
        var out = [Float](repeating: 0, count: b * head1.output)
        f.data.withUnsafeBufferPointer { fp in additive.data.withUnsafeBufferPointer { ap in gated.withUnsafeBufferPointer { gp in
            pre.withUnsafeMutableBufferPointer { pp in
                flow.apply(fp, rows: b, range: ranges.flow, extraBias: ap, into: pp, workspace: workspace, variant: variant)
                product.apply(gp, rows: b, range: ranges.product, accumulate: true, relu: true, into: pp, workspace: workspace, variant: variant)
            }
        } } }
        pre.withUnsafeBufferPointer { pp in hidden.withUnsafeMutableBufferPointer { hp in
            head0.apply(pp, rows: b, range: ranges.hidden0, relu: true, into: hp, workspace: workspace, variant: variant)
        } }
        hidden.withUnsafeBufferPointer { hp in out.withUnsafeMutableBufferPointer { op in
            head1.apply(hp, rows: b, range: ranges.hidden1, into: op, workspace: workspace, variant: variant)
        } }
        return Tensor([b, head1.output], out)
    }
}
