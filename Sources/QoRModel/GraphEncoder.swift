import Tensor

/// One message-passing layer over an AIG: every node sees itself, its plain and inverted fanins
/// (summed) and its plain and inverted fanouts (averaged); `h' = LN(h + relu(W [h, m1..m4]))`.
/// Node states may hold several flows side by side (`[nodes, copies * width]`), all with the
/// same operators.
struct AigConvolution {
    let linear: Linear
    let norm: LayerNorm
    let width: Int

    init<S>(_ weights: ParameterStore<S>, _ name: String, width: Int) {
        linear = Linear(weights, "\(name).linear", input: 5 * width, output: width)
        norm = LayerNorm(weights, "\(name).norm", dimension: width)
        self.width = width
    }

    func callAsFunction<S>(_ g: Tape<S>, _ h: Value, _ t: GraphTensors<S>, copies: Int = 1) -> Value {
        let n = t.nodes, w = width
        let parts = [h] + t.operators.map { g.spmm($0, h) }
        let joined = g.concat(parts.map { g.reshape($0, [n, copies, w]) }, axis: 2)
        let z = g.relu(linear(g, joined))
        let sum = g.reshape(g.add(g.reshape(h, [n, copies, w]), z), [n * copies, w])
        return g.reshape(norm(g, sum), [n, copies * w])
    }
}

/// The graph half of the sequence model: node states by message passing, mean and max readout,
/// then an MLP with the initial-AIG statistics to one design vector `[1, designWidth]`.
struct GraphEncoder {
    let input: Linear
    let layers: [AigConvolution]
    let readout: MLP
    let hidden: Int

    /// `hidden`-wide node states, `layers` message-passing layers, an `output`-wide design vector.
    init<S>(_ weights: ParameterStore<S>, _ name: String, hidden: Int, layers count: Int, readout middle: Int, output: Int) {
        input = Linear(weights, "\(name).input", input: AigGraph.featureCount, output: hidden)
        layers = (0..<count).map { AigConvolution(weights, "\(name).layer\($0)", width: hidden) }
        readout = MLP(weights, "\(name).readout", sizes: [2 * hidden + DesignStats.featureCount, middle, output],
                      activation: .relu, activateLast: true)
        self.hidden = hidden
    }

    func callAsFunction<S>(_ g: Tape<S>, _ t: GraphTensors<S>) -> Value {
        var h = g.relu(input(g, g.constant(t.features)))
        for layer in layers { h = layer(g, h, t) }
        let mean = g.reshape(g.mean(h, axis: 0), [1, hidden])
        let max = g.segmentMax(h, t.single)
        return readout(g, g.concat([mean, max, g.constant(t.stats)], axis: 1))
    }
}

/// Token and position embeddings of a batch of flows: `[B, T, width]`.
struct FlowEmbedding {
    let tokens: Embedding
    let positions: Embedding

    init<S>(_ weights: ParameterStore<S>, _ name: String, vocabulary: FlowVocabulary, width: Int) {
        tokens = Embedding(weights, "\(name).tokens", count: vocabulary.tokenCount, dimension: width, std: 0.5)
        positions = Embedding(weights, "\(name).positions", count: vocabulary.maxSteps, dimension: width, std: 0.5)
    }

    func callAsFunction<S>(_ g: Tape<S>, _ batch: TokenBatch) -> Value {
        let b = batch.count, t = batch.width, w = tokens.dimension
        var pos = [Int32](repeating: 0, count: b * t)
        for i in 0..<b { for s in 0..<t { pos[i * t + s] = Int32(s) } }
        return g.reshape(g.add(tokens(g, batch.ids), positions(g, pos)), [b, t, w])
    }
}

/// The mean over the valid steps of `[B, T, W]` sequences: `[B, W]`.
func maskedMean<S>(_ g: Tape<S>, _ x: Value, _ batch: TokenBatch) -> Value {
    if batch.uniformLength { return g.mean(x, axis: 1) }
    let t = batch.width
    var mask = [S](repeating: 0, count: batch.count * t)
    for (i, len) in batch.lengths.enumerated() { for s in 0..<len { mask[i * t + s] = 1 } }
    let summed = g.sum(g.mul(x, g.constant(Tensor([batch.count, t, 1], mask))), axis: 1)
    return g.div(summed, g.constant(Tensor([batch.count, 1], batch.lengths.map { S(max(1, $0)) })))
}

/// The flow half of the sequence model: embeddings, then an LSTM (last state) or a Transformer
/// encoder (mean over steps): `[B, flowWidth]`.
struct FlowEncoder {
    let embedding: FlowEmbedding
    let lstm: LSTM?
    let transformer: [TransformerEncoderLayer]
    let finalNorm: LayerNorm?

    init<S>(_ weights: ParameterStore<S>, _ name: String, _ a: SequenceConfig, vocabulary: FlowVocabulary) {
        switch a.flowEncoder {
        case .lstm:
            embedding = FlowEmbedding(weights, "\(name).embedding", vocabulary: vocabulary, width: a.embedding)
            lstm = LSTM(weights, "\(name).lstm", input: a.embedding, hidden: a.flowWidth, layers: a.flowLayers)
            transformer = []
            finalNorm = nil
        case .transformer:
            embedding = FlowEmbedding(weights, "\(name).embedding", vocabulary: vocabulary, width: a.flowWidth)
            lstm = nil
            transformer = (0..<a.flowLayers).map {
                TransformerEncoderLayer(weights, "\(name).transformer\($0)", dimension: a.flowWidth, heads: a.heads, feedForward: 2 * a.flowWidth,
                                        attentionSparsity: a.sparseAttention)
            }
            finalNorm = LayerNorm(weights, "\(name).norm", dimension: a.flowWidth)
        }
    }

    /// Width of the output.
    var width: Int { lstm?.hidden ?? embedding.tokens.dimension }

    func callAsFunction<S>(_ g: Tape<S>, _ batch: TokenBatch) -> Value {
        let x = embedding(g, batch)
        if let lstm { return lstm(g, x, lengths: batch.lengths).last }
        var h = x
        for layer in transformer { h = layer(g, h, lengths: batch.lengths) }
        if let finalNorm { h = finalNorm(g, h) }
        return maskedMean(g, h, batch)
    }
}

extension MLP {
    /// Sets the last layer's weights and bias to zero: the MLP starts by answering zero.
    func zeroLastLayer<S>(_ weights: ParameterStore<S>) {
        guard let last = layers.last else { return }
        weights[last.weight] = Tensor(zeros: [last.input, last.output])
        if let b = last.bias { weights[b] = Tensor(zeros: [last.output]) }
    }
}
