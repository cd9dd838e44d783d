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
    /// Mixture of experts in place of one dense layer kind; nil (and absent in older configs): dense.
    public var moe: MoESettings?
    /// DFSS N:M attention in the Transformer flow encoder (nil: dense).
    public var sparseAttention: NMPattern?
    /// Hidden widths after channel pruning (CHEX); nil: the unpruned `fusionWidth / 2` (fusion
    /// head and design level) and `designWidth` (graph readout).
    public var headWidth: Int?
    public var levelWidth: Int?
    public var readoutWidth: Int?
    /// SGC/SIGN propagation in place of the GIN (nil, and absent in older configs: the GIN).
    public var simplification: GraphSimplification?

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
            + [("headWidth", headWidth), ("levelWidth", levelWidth), ("readoutWidth", readoutWidth)].compactMap { n, v in v.map { (n, $0, w) } }
            + (simplification.map { [("hops", $0.hops, GraphSimplification.maxHops)] } ?? [])
    }

    /// The hidden widths every network reads (pruned or default).
    var head: Int { headWidth ?? max(1, fusionWidth / 2) }
    var levelHidden: Int { levelWidth ?? max(1, fusionWidth / 2) }
    var readout: Int { readoutWidth ?? designWidth }

    public var inconsistency: (field: String, message: String)? {
        if let moe, let problem = moe.inconsistency(self) { return problem }
        if sparseAttention != nil, flowEncoder != .transformer { return ("sparseAttention", "needs the transformer flow encoder") }
        if simplification != nil, moe?.placement == .gin { return ("simplification", "replaces the GIN: no GIN experts to place") }
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
    /// The dense head, or (`--moe head`) `headExperts`.
    let head: MLP?
    let headExperts: MixtureOfExperts?
    /// The state of the MoE layers (nil: a dense model).
    let experts: ExpertControl?
    let level: MLP
    let steps: Int

    init<S>(_ weights: ParameterStore<S>, _ a: SequenceConfig, vocabulary: FlowVocabulary, knownDesigns: Int) {
        graph = GraphEncoder(weights, "graph", hidden: a.hidden, layers: a.graphLayers, readout: a.readout, output: a.designWidth, moe: a.moe,
                             simplification: a.simplification)
        memory = Embedding(weights, "design.memory", count: knownDesigns + 1, dimension: a.designWidth, std: 0.01)
        flow = FlowEncoder(weights, "flow", a, vocabulary: vocabulary)
        let d = a.designWidth + DesignStats.featureCount
        steps = vocabulary.steps.count
        let f = a.flowWidth + 6 * steps + 1
        designPart = Linear(weights, "fusion.design", input: d, output: a.fusionWidth)
        designGate = Linear(weights, "fusion.gate", input: d, output: f)
        flowPart = Linear(weights, "fusion.flow", input: f, output: a.fusionWidth, bias: false)
        productPart = Linear(weights, "fusion.product", input: f, output: a.fusionWidth, bias: false)
        if let moe = a.moe, moe.placement == .head {
            let moeHead = MixtureOfExperts(weights, "fusion.experts", denseNames: ["fusion.head.0", "fusion.head.1"],
                                           sizes: [a.fusionWidth, a.head, 2], experts: moe.experts, router: moe.router,
                                           clusters: moe.clusters, capacityFactor: moe.capacityFactor, varianceWeight: moe.varianceWeight)
            for expert in moeHead.experts { expert.zeroLastLayer(weights) }
            head = nil
            headExperts = moeHead
        } else {
            let dense = MLP(weights, "fusion.head", sizes: [a.fusionWidth, a.head, 2])
            dense.zeroLastLayer(weights)
            head = dense
            headExperts = nil
        }
        level = MLP(weights, "design.level", sizes: [d, a.levelHidden, 2])
        level.zeroLastLayer(weights)
        experts = a.moe.map { ExpertControl($0, layers: $0.layerCount(a), seed: weights.rng.next()) }
    }

    /// The MoE layers' routes for one pass; `collect` gathers the auxiliary terms (training).
    func routes(_ collect: ExpertCollector?) -> ExpertRoutes? {
        experts.map { ExpertRoutes(control: $0, collect: collect) }
    }

    /// Every MoE layer of the network, in control-index order.
    var expertLayers: [MixtureOfExperts] {
        if let headExperts { return [headExperts] }
        let gin = graph.layers.compactMap(\.experts)
        return gin.isEmpty ? flow.expertTransformer.map(\.experts) : gin
    }

    /// Several designs per step, all flows of a step through the flow encoder at once.
    var batching: NetworkBatching { NetworkBatching() }

    /// The design's fusion terms and level as graph nodes; `memory` is the design's row of the
    /// memory (0: unseen), which the level does not see.
    func context<S>(_ g: Tape<S>, _ t: GraphTensors<S>, memory index: Int32, experts routes: ExpertRoutes? = nil) -> (additive: Value, gate: Value, level: Value) {
        context(g, encoded: graph(g, t, experts: routes ?? self.routes(nil)), stats: g.constant(t.stats), memory: index)
    }

    /// The same from the design vector `encoded` `[1, designWidth]` and the statistics `[1, 7]`.
    func context<S>(_ g: Tape<S>, encoded: Value, stats: Value, memory index: Int32) -> (additive: Value, gate: Value, level: Value) {
        let d = g.concat([g.add(encoded, memory(g, [index])), stats], axis: 1)
        return (designPart(g, d), g.affine(g.tanh(designGate(g, d)), scale: 1, shift: 1), level(g, g.concat([encoded, stats], axis: 1)))
    }

    /// The flow vectors `[B, flowWidth + 6 * steps + 1]`: encoder output and flow summary.
    func flowVectors<S>(_ g: Tape<S>, encoded: Value, _ batch: TokenBatch) -> Value {
        g.concat([encoded, g.constant(batch.summary(steps: steps).converted(to: S.self))], axis: 1)
    }

    /// Effects `[B, 2]` of flows (`flowVectors`) on one design.
    func fuse<S>(_ g: Tape<S>, flows f: Value, additive: Value, gate: Value, experts routes: ExpertRoutes? = nil) -> Value {
        applyHead(g, fused(g, flows: f, additive: additive, gate: gate), experts: routes)
    }

    /// The head (dense, or its experts) on the fusion layer.
    func applyHead<S>(_ g: Tape<S>, _ pre: Value, experts routes: ExpertRoutes? = nil) -> Value {
        if let head { return head(g, pre) }
        guard let headExperts, let route = (routes ?? self.routes(nil))?.layer(0) else { preconditionFailure("a head with experts needs their control") }
        return route(g, headExperts, pre)
    }

    /// The fusion layer `[B, fusionWidth]` the head reads: the joint view of design and flow.
    func fused<S>(_ g: Tape<S>, flows f: Value, additive: Value, gate: Value) -> Value {
        g.relu(g.add(g.add(flowPart(g, f), additive), productPart(g, g.mul(f, gate))))
    }

    /// One flow-encoder pass for all flows of the step, then each design's consecutive rows are
    /// fused with its context: effects `[flows, 2]`, one level `[1, 2]` per design.
    func forward<S>(_ g: Tape<S>, _ groups: [DesignGroup<S>], tokens: TokenBatch) -> NetworkOutput {
        let collect = experts != nil && g.isRecording ? ExpertCollector() : nil
        let routes = routes(collect)
        let f = flowVectors(g, encoded: flow(g, tokens, experts: routes), tokens)
        var start = 0, effects: [Value] = [], levels: [Value] = [], hidden: [Value] = []
        for group in groups {
            let c = context(g, group.tensors, memory: group.memory, experts: routes)
            let rows = groups.count == 1 ? f : g.slice(f, axis: 0, start..<(start + group.flows))
            let h = fused(g, flows: rows, additive: c.additive, gate: c.gate)
            hidden.append(h)
            effects.append(applyHead(g, h, experts: routes))
            levels.append(c.level)
            start += group.flows
        }
        func joined(_ v: [Value]) -> Value { v.count == 1 ? v[0] : g.concat(v, axis: 0) }
        let auxiliary = collect?.total(g, weight: experts?.settings.balanceWeight ?? 0)
        return NetworkOutput(effect: joined(effects), level: joined(levels), levelRows: .perDesign, auxiliary: auxiliary,
                             features: joined(hidden))
    }

    func startTraining(_ options: TrainingOptions, steps: Int) {
        if let schedule = options.expertPruning { experts?.startPruning(schedule, steps: steps) }
    }

    func didStep(_ done: Int) { experts?.didStep(done) }

    var settled: Bool { experts?.settled ?? true }

    func inference(weights: ParameterStore<Float>) -> any NetworkInference { SequenceInference(self, weights) }
}
