import Tensor

/// The flow encoder of the sequence model.
public enum FlowEncoderKind: String, Sendable, Codable, CaseIterable { case lstm, transformer }

extension ModelKind {
    /// A graph encoder run once per design, a flow encoder run once per flow, and a fusion MLP:
    /// the cost per flow does not grow with the design.
    public static let sequence = ModelKind(known: "sequence")
}

/// The sizes of a sequence model.
public struct SequenceConfig: NetworkConfig {
    public static var kind: ModelKind { .sequence }
    /// Width of node states.
    public var hidden = 32
    /// Message-passing layers.
    public var graphLayers = 4
    /// Width of the design vector.
    public var designWidth = 64
    /// Width of token and position embeddings (LSTM input).
    public var embedding = 32
    public var flowEncoder = FlowEncoderKind.lstm
    /// Width of the flow vector: LSTM hidden size, or Transformer model width.
    public var flowWidth = 64
    public var flowLayers = 1
    /// Attention heads of the Transformer flow encoder.
    public var heads = 4
    /// Width of the fusion MLP.
    public var fusionWidth = 128

    public init() {}

    public init(hidden: Int, graphLayers: Int, designWidth: Int, embedding: Int, flowEncoder: FlowEncoderKind, flowWidth: Int,
                flowLayers: Int, heads: Int, fusionWidth: Int) {
        self.hidden = hidden
        self.graphLayers = graphLayers
        self.designWidth = designWidth
        self.embedding = embedding
        self.flowEncoder = flowEncoder
        self.flowWidth = flowWidth
        self.flowLayers = flowLayers
        self.heads = heads
        self.fusionWidth = fusionWidth
    }

    public var sizes: [(name: String, value: Int, limit: Int)] {
        let w = ModelConfig.maxWidth, l = ModelConfig.maxLayers
        return [("hidden", hidden, w), ("graphLayers", graphLayers, l), ("designWidth", designWidth, w), ("embedding", embedding, w),
                ("flowWidth", flowWidth, w), ("flowLayers", flowLayers, l), ("heads", heads, l), ("fusionWidth", fusionWidth, w)]
    }

    public var inconsistency: (field: String, message: String)? {
        guard flowEncoder == .transformer, heads > 0, flowWidth % heads != 0 else { return nil }
        return ("flowWidth", "\(flowWidth) is not divisible by heads \(heads)")
    }
}

/// The design side of the fusion, computed once per design: the design's additive term in the
/// first fusion layer `[1, fusionWidth]`, the gate that multiplies each flow vector
/// `[1, flowWidth + 6 * steps + 1]`, and the level predicted from the graph `[1, 2]`.
struct DesignContext {
    let additive: Tensor<Float>
    let gate: Tensor<Float>
    let level: Tensor<Float>
}

/// Graph encoder once per design, flow encoder once per flow, and a fusion MLP:
/// `h = relu(W_f f + W_d d + W_x (f ⊙ gate(d)))`, then an MLP to the flow's effect on (delay, area);
/// the design's level comes from the graph alone (see `BaseModel`).
/// The flow vector `f` is the encoder's output joined with the flow's summary (share, recency and
/// share per quarter of each step kind, length), which a linear model already ranks with; the product term lets a
/// flow's effect depend on the design (the ranking within a design). The effect's last layer
/// starts at zero, so an untrained model predicts each known design's level.
struct SequenceNetwork: QoRNetwork {
    let graph: GraphEncoder
    let memory: Embedding
    let flow: FlowEncoder
    let designPart: Linear
    let designGate: Linear
    let flowPart: Linear
    let productPart: Linear
    let head: MLP
    let level: MLP
    let steps: Int

    init<S>(_ weights: ParameterStore<S>, _ a: SequenceConfig, vocabulary: FlowVocabulary, knownDesigns: Int) {
        graph = GraphEncoder(weights, "graph", hidden: a.hidden, layers: a.graphLayers, output: a.designWidth)
        memory = Embedding(weights, "design.memory", count: knownDesigns + 1, dimension: a.designWidth, std: 0.01)
        flow = FlowEncoder(weights, "flow", a, vocabulary: vocabulary)
        let d = a.designWidth + DesignStats.featureCount
        steps = vocabulary.steps.count
        let f = a.flowWidth + 6 * steps + 1
        designPart = Linear(weights, "fusion.design", input: d, output: a.fusionWidth)
        designGate = Linear(weights, "fusion.gate", input: d, output: f)
        flowPart = Linear(weights, "fusion.flow", input: f, output: a.fusionWidth, bias: false)
        productPart = Linear(weights, "fusion.product", input: f, output: a.fusionWidth, bias: false)
        head = MLP(weights, "fusion.head", sizes: [a.fusionWidth, a.fusionWidth / 2, 2])
        head.zeroLastLayer(weights)
        level = MLP(weights, "design.level", sizes: [d, a.fusionWidth / 2, 2])
        level.zeroLastLayer(weights)
    }

    /// Several designs per step, all flows of a step through the flow encoder at once.
    var batching: NetworkBatching { NetworkBatching() }

    /// The design's fusion terms and level as graph nodes; `memory` is the design's row of the
    /// memory (0: unseen), which the level does not see.
    func context<S>(_ g: Tape<S>, _ t: GraphTensors<S>, memory index: Int32) -> (additive: Value, gate: Value, level: Value) {
        let encoded = graph(g, t), stats = g.constant(t.stats)
        let d = g.concat([g.add(encoded, memory(g, [index])), stats], axis: 1)
        return (designPart(g, d), g.affine(g.tanh(designGate(g, d)), scale: 1, shift: 1), level(g, g.concat([encoded, stats], axis: 1)))
    }

    /// The flow vectors `[B, flowWidth + 6 * steps + 1]`: encoder output and flow summary.
    func flowVectors<S>(_ g: Tape<S>, encoded: Value, _ batch: TokenBatch) -> Value {
        g.concat([encoded, g.constant(batch.summary(steps: steps).converted(to: S.self))], axis: 1)
    }

    /// Effects `[B, 2]` of flows (`flowVectors`) on one design.
    func fuse<S>(_ g: Tape<S>, flows f: Value, additive: Value, gate: Value) -> Value {
        head(g, fused(g, flows: f, additive: additive, gate: gate))
    }

    /// The fusion layer `[B, fusionWidth]` the head reads: the joint view of design and flow.
    func fused<S>(_ g: Tape<S>, flows f: Value, additive: Value, gate: Value) -> Value {
        g.relu(g.add(g.add(flowPart(g, f), additive), productPart(g, g.mul(f, gate))))
    }

    /// One flow-encoder pass for all flows of the step, then each design's consecutive rows are
    /// fused with its context: effects `[flows, 2]`, one level `[1, 2]` per design.
    func forward<S>(_ g: Tape<S>, _ groups: [DesignGroup<S>], tokens: TokenBatch) -> NetworkOutput {
        let f = flowVectors(g, encoded: flow(g, tokens), tokens)
        var start = 0, effects: [Value] = [], levels: [Value] = [], hidden: [Value] = []
        for group in groups {
            let c = context(g, group.tensors, memory: group.memory)
            let rows = groups.count == 1 ? f : g.slice(f, axis: 0, start..<(start + group.flows))
            let h = fused(g, flows: rows, additive: c.additive, gate: c.gate)
            hidden.append(h)
            effects.append(head(g, h))
            levels.append(c.level)
            start += group.flows
        }
        func joined(_ v: [Value]) -> Value { v.count == 1 ? v[0] : g.concat(v, axis: 0) }
        return NetworkOutput(effect: joined(effects), level: joined(levels), levelRows: .perDesign, auxiliary: nil,
                             features: joined(hidden))
    }

    func inference(weights: ParameterStore<Float>) -> any NetworkInference { SequenceInference(self, weights) }
}

/// Sequence-model prediction: each design's context once (cached by content hash), then the flows
/// in batches through the tape-free LSTM (`FastLSTM`, when the flow encoder is an LSTM) and the fusion.
final class SequenceInference: NetworkInference {
    let network: SequenceNetwork
    let weights: ParameterStore<Float>
    /// Whether an LSTM flow encoder runs through `FastLSTM` (false: on the tape, as in training).
    var fastKernels = true
    private var contexts: [String: DesignContext] = [:]
    private var fastLSTM: FastLSTM?

    init(_ network: SequenceNetwork, _ weights: ParameterStore<Float>) {
        self.network = network
        self.weights = weights
    }

    func run(_ g: Tape<Float>, _ design: DesignInput, tokens: [[Int32]], batchSize: Int,
             emit: (Tensor<Float>, Tensor<Float>, TokenBatch) -> Void) {
        let net = network
        let ctx: DesignContext
        if let c = contexts[design.key] {
            ctx = c
        } else {
            let c = net.context(g, design.tensors, memory: design.memory)
            ctx = DesignContext(additive: g.value(c.additive), gate: g.value(c.gate), level: g.value(c.level))
            g.reset()
            contexts[design.key] = ctx
        }
        if fastKernels, net.flow.lstm != nil, fastLSTM == nil { fastLSTM = FastLSTM(net.flow, weights: weights) }
        let fast = fastKernels ? fastLSTM : nil
        for start in stride(from: 0, to: tokens.count, by: batchSize) {
            let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + batchSize)]))
            let f = net.flowVectors(g, encoded: fast.map { g.constant($0.encode(batch)) } ?? net.flow(g, batch), batch)
            let y = g.value(net.fuse(g, flows: f, additive: g.constant(ctx.additive), gate: g.constant(ctx.gate)))
            emit(y, ctx.level, batch)
            g.reset()
        }
    }

    func clearCache() {
        contexts.removeAll()
        fastLSTM = nil
    }
}
