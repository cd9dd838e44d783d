/// Multi-layer LSTM over a batch of padded sequences `[B, T, input]` with their lengths.
/// Gates in PyTorch order (input, forget, cell, output); one bias per layer. Past a sequence's
/// length its state is frozen and its outputs are zero.
public struct LSTM: Sendable {
    public struct Cell: Sendable {
        public let inputWeight: ParameterID   // [input, 4H]
        public let hiddenWeight: ParameterID  // [H, 4H]
        public let bias: ParameterID          // [4H]
    }
    public let cells: [Cell]
    public let input: Int, hidden: Int

    public init<S>(_ weights: ParameterStore<S>, _ name: String, input: Int, hidden: Int, layers: Int = 1) {
        let bound = 1 / Double(hidden).squareRoot()
        self.input = input
        self.hidden = hidden
        cells = (0..<layers).map { l in
            Cell(
                inputWeight: weights.add("\(name).\(l).input_weight", .uniform([l == 0 ? input : hidden, 4 * hidden], bound: bound, rng: &weights.rng)),
                hiddenWeight: weights.add("\(name).\(l).hidden_weight", .uniform([hidden, 4 * hidden], bound: bound, rng: &weights.rng)),
                bias: weights.add("\(name).\(l).bias", .uniform([4 * hidden], bound: bound, rng: &weights.rng)))
        }
    }

    /// Returns all outputs of the last layer `[B, T, H]` and each sequence's final hidden state
    /// `[B, H]`; each layer is one fused tape op (`Tape.lstmLayer`).
    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, lengths: [Int]) -> (outputs: Value, last: Value) {
        let shape = g.shape(x)
        let b = shape[0], t = shape[1], hsz = hidden
        precondition(lengths.count == b && lengths.allSatisfy { $0 >= 0 && $0 <= t }, "LSTM: lengths \(lengths) for \(shape)")
        guard t > 0 else { return opByOp(g, x, lengths: lengths) }
        var layerInput = x, last = x
        for cell in cells {
            let projected = g.add(g.matmul(layerInput, g.parameter(cell.inputWeight)), g.parameter(cell.bias))
            let all = g.lstmLayer(projected, hiddenWeight: g.parameter(cell.hiddenWeight), lengths: lengths)
            layerInput = g.slice(all, axis: 1, 0..<t)
            last = g.reshape(g.slice(all, axis: 1, t..<(t + 1)), [b, hsz])
        }
        return (layerInput, last)
    }

    /// The same as separate tape ops per step and gate: the reference the fused op is tested against.
    func opByOp<S>(_ g: Tape<S>, _ x: Value, lengths: [Int]) -> (outputs: Value, last: Value) {
        let shape = g.shape(x)
        let b = shape[0], t = shape[1], hsz = hidden
        var layerInput = x
        var last = x
        for cell in cells {
            // Input projections of all steps at once: [B, T, 4H].
            let projected = g.add(g.matmul(layerInput, g.parameter(cell.inputWeight)), g.parameter(cell.bias))
            let wh = g.parameter(cell.hiddenWeight)
            var h = g.constant(Tensor(zeros: [b, hsz])), c = g.constant(Tensor(zeros: [b, hsz]))
            var outputs: [Value] = []
            for step in 0..<t {
                let xp = g.reshape(g.slice(projected, axis: 1, step..<(step + 1)), [b, 4 * hsz])
                let gates = g.add(xp, g.matmul(h, wh))
                let parts = g.split(gates, axis: 1, sizes: [hsz, hsz, hsz, hsz])
                let i = g.sigmoid(parts[0]), f = g.sigmoid(parts[1]), cand = g.tanh(parts[2]), o = g.sigmoid(parts[3])
                var cNew = g.add(g.mul(f, c), g.mul(i, cand))
                var hNew = g.mul(o, g.tanh(cNew))
                var out = hNew
                if lengths.contains(where: { $0 <= step }) {
                    let m = g.constant(Tensor([b, 1], lengths.map { $0 > step ? 1 : 0 }))
                    cNew = g.add(c, g.mul(g.sub(cNew, c), m))
                    out = g.mul(hNew, m)
                    hNew = g.add(h, g.mul(g.sub(hNew, h), m))
                }
                h = hNew
                c = cNew
                outputs.append(g.reshape(out, [b, 1, hsz]))
            }
            layerInput = t > 0 ? g.concat(outputs, axis: 1) : g.constant(Tensor(zeros: [b, 0, hsz]))
            last = h
        }
        return (layerInput, last)
    }
}

/// Multi-head self-attention with key padding masks: positions at or past a sequence's length
/// are never attended to.
public struct MultiHeadAttention: Sendable {
    public let qkv: Linear     // [D, 3D]: queries, keys, values
    public let projection: Linear
    public let heads: Int, dimension: Int
    public let dropout: Double
    /// DFSS N:M attention (COMPRESSION.md §3.2): per row, only the N largest of every M scores
    /// (after the key mask) enter the softmax; nil is dense attention.
    public let sparsity: NMPattern?

    public init<S>(_ weights: ParameterStore<S>, _ name: String, dimension: Int, heads: Int, dropout: Double = 0,
                   sparsity: NMPattern? = nil) {
        precondition(dimension % heads == 0, "dimension \(dimension) not divisible by \(heads) heads")
        qkv = Linear(weights, "\(name).qkv", input: dimension, output: 3 * dimension)
        projection = Linear(weights, "\(name).projection", input: dimension, output: dimension)
        self.heads = heads
        self.dimension = dimension
        self.dropout = dropout
        self.sparsity = sparsity
    }

    /// The additive mask `[B*heads, T, T]`: 0 where key j < length, -1e9 elsewhere.
    public static func keyMask<S>(lengths: [Int], steps t: Int, heads: Int) -> Tensor<S> {
        var m = Tensor<S>(zeros: [lengths.count * heads, t, t])
        for (b, len) in lengths.enumerated() {
            for h in 0..<heads { for i in 0..<t { for j in len..<t { m.data[((b * heads + h) * t + i) * t + j] = -1e9 } } }
        }
        return m
    }

    /// `[B, T, D] -> [B, T, D]`.
    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, lengths: [Int]) -> Value {
        let shape = g.shape(x)
        let b = shape[0], t = shape[1], d = dimension, dh = d / heads
        let parts = g.split(qkv(g, x), axis: 2, sizes: [d, d, d])
        func heads3(_ n: Value) -> Value {
            g.reshape(g.permute(g.reshape(n, [b, t, heads, dh]), [0, 2, 1, 3]), [b * heads, t, dh])
        }
        let q = heads3(parts[0]), k = heads3(parts[1]), v = heads3(parts[2])
        var scores = g.affine(g.bmm(q, k, transposeB: true), scale: 1 / Double(dh).squareRoot())
        scores = g.add(scores, g.constant(MultiHeadAttention.keyMask(lengths: lengths, steps: t, heads: heads)))
        if let sparsity { scores = g.nmSelect(scores, sparsity) }
        let weights = g.dropout(g.softmax(scores), p: dropout)
        let context = g.bmm(weights, v)
        let merged = g.reshape(g.permute(g.reshape(context, [b, heads, t, dh]), [0, 2, 1, 3]), [b, t, d])
        return projection(g, merged)
    }
}

/// Pre-norm Transformer encoder layer: `x + MHA(LN(x))`, then `+ FFN(LN(.))` with a GELU
/// feed-forward of width `feedForward`.
public struct TransformerEncoderLayer: Sendable {
    public let norm1: LayerNorm, norm2: LayerNorm
    public let attention: MultiHeadAttention
    public let feedForward: MLP
    public let dropout: Double

    public init<S>(_ weights: ParameterStore<S>, _ name: String, dimension: Int, heads: Int, feedForward: Int, dropout: Double = 0,
                   attentionSparsity: NMPattern? = nil) {
        norm1 = LayerNorm(weights, "\(name).norm1", dimension: dimension)
        attention = MultiHeadAttention(weights, "\(name).attention", dimension: dimension, heads: heads, dropout: dropout,
                                       sparsity: attentionSparsity)
        norm2 = LayerNorm(weights, "\(name).norm2", dimension: dimension)
        self.feedForward = MLP(weights, "\(name).feed_forward", sizes: [dimension, feedForward, dimension], activation: .gelu, dropout: dropout)
        self.dropout = dropout
    }

    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, lengths: [Int]) -> Value {
        let a = g.add(x, g.dropout(attention(g, norm1(g, x), lengths: lengths), p: dropout))
        return g.add(a, g.dropout(feedForward(g, norm2(g, a)), p: dropout))
    }
}
