import Tensor

/// One message-passing layer over an AIG: every node sees itself, its plain and inverted fanins
/// (summed) and its plain and inverted fanouts (averaged); `h' = LN(h + relu(W [h, m1..m4]))`.
/// Node states may hold several flows side by side (`[nodes, copies * width]`), all with the
/// same operators. With experts (`--moe gin`), the update `relu(W ·)` is a mixture of experts
/// routed per node (a dropped node keeps `h`).
struct AigConvolution {
    let linear: Linear?
    let experts: MixtureOfExperts?
    let norm: LayerNorm
    let width: Int
    let name: String

    init<S>(_ weights: ParameterStore<S>, _ name: String, width: Int, moe: MoESettings? = nil) {
        self.name = name
        if let moe {
            linear = nil
            experts = MixtureOfExperts(weights, "\(name).experts", denseNames: ["\(name).linear"], sizes: [5 * width, width], activation: .relu,
                                       activateLast: true, experts: moe.experts, router: moe.router, clusters: moe.clusters,
                                       capacityFactor: moe.capacityFactor, varianceWeight: moe.varianceWeight)
        } else {
            linear = Linear(weights, "\(name).linear", input: 5 * width, output: width)
            experts = nil
        }
        norm = LayerNorm(weights, "\(name).norm", dimension: width)
        self.width = width
    }

    /// `route`: the MoE layer's control, index and collector (required when the layer has experts).
    func callAsFunction<S>(_ g: Tape<S>, _ h: Value, _ t: GraphTensors<S>, copies: Int = 1, route: ExpertRoute? = nil) -> Value {
        let n = t.nodes, w = width
        // Degree-Quant QAT or a model trained with it: fake quantisation at each site (DegreeQuantGNN.swift).
        let dq = DegreeQuantContext.current
        func q(_ v: Value, _ site: String) -> Value { dq?.quantize(g, v, site: "\(name).\(site)") ?? v }
        let h = q(h, "input")
        let parts = [h] + t.operators.enumerated().map { q(g.spmm($1, h), "aggregate\($0)") }
        let z: Value
        if let experts, let route {
            let joined = g.concat(parts.map { g.reshape($0, [n, copies, w]) }, axis: 2)
            z = g.reshape(route(g, experts, g.reshape(joined, [n * copies, 5 * w])), [n, copies, w])
        } else if let linear {
            // W [h, m1..m4] as five products with W's row blocks: no concatenated copy (Tape.linearOfParts).
            let pre = g.linearOfParts(parts, width: w, weight: g.parameter(linear.weight), bias: linear.bias.map { g.parameter($0) })
            z = g.relu(q(g.reshape(pre, [n, copies, w]), "linear"))
        } else {
            preconditionFailure("AigConvolution with experts needs a route")
        }
        let sum = g.reshape(g.add(g.reshape(h, [n, copies, w]), z), [n * copies, w])
        return q(g.reshape(norm(g, sum), [n, copies * w]), "update")
    }
}

/// The graph half of the sequence model: node states by message passing, mean and max readout,
/// then an MLP with the initial-AIG statistics to one design vector `[1, designWidth]`.
/// Simplified (`simplification`, SGC/SIGN): no input layer and no message-passing layer; the node
/// states are the weightless propagation of the features, pooled once per design.
struct GraphEncoder {
    /// nil when simplified.
    let input: Linear?
    let layers: [AigConvolution]
    let readout: MLP
    /// Width of the node states the readout pools (the propagated features' width when simplified).
    let hidden: Int
    let simplification: GraphSimplification?

    /// `hidden`-wide node states, `layers` message-passing layers, an `output`-wide design vector;
    /// with `simplification`, its propagation instead of the input and message-passing layers.
    init<S>(_ weights: ParameterStore<S>, _ name: String, hidden: Int, layers count: Int, readout middle: Int, output: Int,
                moe: MoESettings? = nil, simplification: GraphSimplification? = nil) {
        let width = simplification?.width ?? hidden
        if simplification == nil {
            input = Linear(weights, "\(name).input", input: AigGraph.featureCount, output: hidden)
            layers = (0..<count).map { AigConvolution(weights, "\(name).layer\($0)", width: hidden, moe: moe?.placement == .gin ? moe : nil) }
        } else {
            input = nil
            layers = []
        }
        readout = MLP(weights, "\(name).readout", sizes: [2 * width + DesignStats.featureCount, middle, output],
                      activation: .relu, activateLast: true)
        self.hidden = width
        self.simplification = simplification
    }

    /// `routes`: the experts' control and collector when the layers have experts.
    func callAsFunction<S>(_ g: Tape<S>, _ t: GraphTensors<S>, experts: ExpertRoutes? = nil) -> Value {
        guard let input else {
            let pooled = simplification.map { t.simplified.pooled($0, t) } ?? Tensor(zeros: [1, 2 * hidden])
            return readout(g, pooled: g.constant(pooled), stats: g.constant(t.stats))
        }
        DegreeQuantContext.current?.begin(t)
        var h = g.relu(input(g, g.constant(t.features)))
        for (l, layer) in layers.enumerated() { h = layer(g, h, t, route: experts?.layer(l)) }
        let mean = g.reshape(t.mean(g, h), [1, hidden])
        let max = g.segmentMax(h, t.single)
        return readout(g, pooled: g.concat([mean, max], axis: 1), stats: g.constant(t.stats))
    }

    /// The design vector from the pooled node states `[1, 2 * hidden]` (mean, max) and the
    /// statistics `[1, DesignStats.featureCount]`: what `FastGraphEncoder` feeds in prediction.
    func readout<S>(_ g: Tape<S>, pooled: Value, stats: Value) -> Value {
        readout(g, g.concat([pooled, stats], axis: 1))
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
    /// Transformer layers whose feed-forward is a mixture of experts (`--moe ffn`), instead of `transformer`.
    let expertTransformer: [ExpertTransformerLayer]
    let finalNorm: LayerNorm?

    init<S>(_ weights: ParameterStore<S>, _ name: String, _ a: SequenceConfig, vocabulary: FlowVocabulary) {
        switch a.flowEncoder {
        case .lstm:
            embedding = FlowEmbedding(weights, "\(name).embedding", vocabulary: vocabulary, width: a.embedding)
            lstm = LSTM(weights, "\(name).lstm", input: a.embedding, hidden: a.flowWidth, layers: a.flowLayers)
            transformer = []
            expertTransformer = []
            finalNorm = nil
        case .transformer:
            embedding = FlowEmbedding(weights, "\(name).embedding", vocabulary: vocabulary, width: a.flowWidth)
            lstm = nil
            if let moe = a.moe, moe.placement == .ffn {
                transformer = []
                expertTransformer = (0..<a.flowLayers).map {
                    ExpertTransformerLayer(weights, "\(name).transformer\($0)", dimension: a.flowWidth, heads: a.heads, feedForward: 2 * a.flowWidth, moe: moe)
                }
            } else {
                transformer = (0..<a.flowLayers).map {
                    TransformerEncoderLayer(weights, "\(name).transformer\($0)", dimension: a.flowWidth, heads: a.heads, feedForward: 2 * a.flowWidth,
                                            attentionSparsity: a.sparseAttention)
                }
                expertTransformer = []
            }
            finalNorm = LayerNorm(weights, "\(name).norm", dimension: a.flowWidth)
        }
    }

    /// Width of the output.
    var width: Int { lstm?.hidden ?? embedding.tokens.dimension }

    /// `experts`: the control and collector of the feed-forward experts, if any.
    func callAsFunction<S>(_ g: Tape<S>, _ batch: TokenBatch, experts: ExpertRoutes? = nil) -> Value {
        let x = embedding(g, batch)
        if let lstm { return lstm(g, x, lengths: batch.lengths).last }
        var h = x
        for layer in transformer { h = layer(g, h, lengths: batch.lengths) }
        for (l, layer) in expertTransformer.enumerated() {
            guard let route = experts?.layer(l) else { preconditionFailure("a flow encoder with experts needs their control") }
            h = layer(g, h, lengths: batch.lengths, route: route)
        }
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
