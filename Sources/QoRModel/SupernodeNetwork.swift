import Tensor

extension ModelKind {
    /// The flow is the state of a virtual node joined to every graph node, updated at every layer:
    /// the whole GNN runs once per (design, flow).
    public static let supernode = ModelKind(known: "supernode")
}

/// The sizes of a supernode model.
public struct SupernodeConfig: NetworkConfig {
    public static var kind: ModelKind { .supernode }
    /// Width of node states, of the virtual node and of the token embeddings.
    public var hidden = 32
    /// Message-passing layers.
    public var graphLayers = 3
    /// Width of the readout MLP.
    public var fusionWidth = 96

    public init() {}

    public init(hidden: Int, graphLayers: Int, fusionWidth: Int) {
        self.hidden = hidden
        self.graphLayers = graphLayers
        self.fusionWidth = fusionWidth
    }

    public var sizes: [(name: String, value: Int, limit: Int)] {
        [("hidden", hidden, ModelConfig.maxWidth), ("graphLayers", graphLayers, ModelConfig.maxLayers),
         ("fusionWidth", fusionWidth, ModelConfig.maxWidth)]
    }

    /// One design per step, 16 flows of it, at most 64 flows of each design per epoch: the whole
    /// graph runs per flow.
    public func adjust(_ options: inout TrainingOptions) {
        options.flowsPerDesignPerEpoch = 64
        options.designsPerStep = 1
        options.flowsPerDesign = 16
    }
}

/// The flow as a virtual node: token and position embeddings of its steps, averaged and passed
/// through an MLP, give the virtual node's start state; at every layer the virtual node is added
/// to every graph node, the nodes pass messages, and the virtual node reads their mean back.
/// Node states of B flows on one design are laid side by side, `[nodes, B * hidden]`, so one
/// sparse product serves all flows.
struct SupernodeNetwork: QoRNetwork {
    let embedding: FlowEmbedding
    let flowStart: MLP
    let input: Linear
    let layers: [AigConvolution]
    let toNodes: [Linear]
    let update: [MLP]
    let head: MLP
    let memory: Embedding
    let hidden: Int

    init<S>(_ weights: ParameterStore<S>, _ a: SupernodeConfig, vocabulary: FlowVocabulary, knownDesigns: Int) {
        let h = a.hidden
        hidden = h
        embedding = FlowEmbedding(weights, "flow.embedding", vocabulary: vocabulary, width: h)
        flowStart = MLP(weights, "flow.start", sizes: [h, h, h], activation: .relu)
        input = Linear(weights, "graph.input", input: AigGraph.featureCount, output: h)
        layers = (0..<a.graphLayers).map { AigConvolution(weights, "graph.layer\($0)", width: h) }
        toNodes = (0..<a.graphLayers).map { Linear(weights, "virtual.to_nodes\($0)", input: h, output: h) }
        update = (0..<a.graphLayers).map { MLP(weights, "virtual.update\($0)", sizes: [2 * h, h, h], activation: .relu) }
        memory = Embedding(weights, "design.memory", count: knownDesigns + 1, dimension: h, std: 0.01)
        head = MLP(weights, "head", sizes: [4 * h + DesignStats.featureCount, a.fusionWidth, a.fusionWidth / 2, 4])
        head.zeroLastLayer(weights)
    }

    /// One design per pass, about 64k node states at a time.
    var batching: NetworkBatching {
        NetworkBatching(designsPerStep: 1, flowsPerPass: { Self.flowsPerPass(nodes: $0) }, releasesMemory: true)
    }

    /// Flows per pass: about 64k node states at a time, at most `limit`.
    static func flowsPerPass(nodes: Int, limit: Int = 64) -> Int { max(1, min(limit, 65_536 / max(1, nodes))) }

    /// Effects `[B, 2]` and levels `[B, 2]` for B flows on one design (one group).
    func forward<S>(_ g: Tape<S>, _ groups: [DesignGroup<S>], tokens: TokenBatch) -> NetworkOutput {
        precondition(groups.count == 1, "the supernode model runs one design per pass")
        let y = forward(g, groups[0].tensors, memory: groups[0].memory, tokens: tokens)
        return NetworkOutput(effect: y.effect, level: y.level, levelRows: .perFlow, auxiliary: nil)
    }

    /// Effects `[B, 2]` and levels `[B, 2]` for B flows on one design (see `BaseModel`);
    /// `memory` is the design's memory row (0: unseen).
    func forward<S>(_ g: Tape<S>, _ t: GraphTensors<S>, memory index: Int32, tokens: TokenBatch) -> (effect: Value, level: Value) {
        let b = tokens.count, h = hidden
        DegreeQuantContext.current?.begin(t)
        var v = flowStart(g, maskedMean(g, embedding(g, tokens), tokens))
        let x0 = g.relu(input(g, g.constant(t.features)))
        var x = b == 1 ? x0 : g.concat([Value](repeating: x0, count: b), axis: 1)
        for (k, layer) in layers.enumerated() {
            x = g.add(x, g.reshape(toNodes[k](g, v), [1, b * h]))
            x = layer(g, x, t, copies: b)
            let pooled = g.reshape(t.mean(g, x), [b, h])
            v = g.add(v, update[k](g, g.concat([v, pooled], axis: 1)))
        }
        let mean = g.reshape(t.mean(g, x), [b, h])
        let max = g.reshape(g.segmentMax(x, t.single), [b, h])
        let stats = g.gather(g.constant(t.stats), [Int32](repeating: 0, count: b))
        let remembered = memory(g, [Int32](repeating: index, count: b))
        let out = head(g, g.concat([mean, max, v, remembered, stats], axis: 1))
        return (g.slice(out, axis: 1, 0..<2), g.slice(out, axis: 1, 2..<4))
    }
}
