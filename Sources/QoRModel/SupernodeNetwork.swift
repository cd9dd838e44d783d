import Tensor

/// The flow as a virtual node: token and position embeddings of its steps, averaged and passed
/// through an MLP, give the virtual node's start state; at every layer the virtual node is added
/// to every graph node, the nodes pass messages, and the virtual node reads their mean back.
/// Node states of B flows on one design are laid side by side, `[nodes, B * hidden]`, so one
/// sparse product serves all flows.
struct SupernodeNetwork {
    let embedding: FlowEmbedding
    let flowStart: MLP
    let input: Linear
    let layers: [AigConvolution]
    let toNodes: [Linear]
    let update: [MLP]
    let head: MLP
    let memory: Embedding
    let hidden: Int

    init(_ store: ParameterStore<Float>, _ a: Architecture, vocabulary: FlowVocabulary, knownDesigns: Int) {
        let h = a.hidden
        hidden = h
        embedding = FlowEmbedding(store, "flow.embedding", vocabulary: vocabulary, width: h)
        flowStart = MLP(store, "flow.start", sizes: [h, h, h], activation: .relu)
        input = Linear(store, "graph.input", input: AigGraph.featureCount, output: h)
        layers = (0..<a.graphLayers).map { AigConvolution(store, "graph.layer\($0)", width: h) }
        toNodes = (0..<a.graphLayers).map { Linear(store, "virtual.to_nodes\($0)", input: h, output: h) }
        update = (0..<a.graphLayers).map { MLP(store, "virtual.update\($0)", sizes: [2 * h, h, h], activation: .relu) }
        memory = Embedding(store, "design.memory", count: knownDesigns + 1, dimension: h, std: 0.01)
        head = MLP(store, "head", sizes: [4 * h + DesignStats.featureCount, a.fusionWidth, a.fusionWidth / 2, 4])
        head.zeroLastLayer(store)
    }

    /// Effects `[B, 2]` and levels `[B, 2]` for B flows on one design (see `TargetScaling`);
    /// `memory` is the design's memory row (0: unseen).
    func forward(_ g: Graph<Float>, _ t: GraphTensors, memory index: Int32, tokens: TokenBatch) -> (effect: Node, level: Node) {
        let b = tokens.count, h = hidden
        var v = flowStart(g, maskedMean(g, embedding(g, tokens), tokens))
        let x0 = g.relu(input(g, g.constant(t.features)))
        var x = b == 1 ? x0 : g.concat([Node](repeating: x0, count: b), axis: 1)
        for (k, layer) in layers.enumerated() {
            x = g.add(x, g.reshape(toNodes[k](g, v), [1, b * h]))
            x = layer(g, x, t, copies: b)
            let pooled = g.reshape(g.mean(x, axis: 0), [b, h])
            v = g.add(v, update[k](g, g.concat([v, pooled], axis: 1)))
        }
        let mean = g.reshape(g.mean(x, axis: 0), [b, h])
        let max = g.reshape(g.segmentMax(x, t.single), [b, h])
        let stats = g.gather(g.constant(t.stats), [Int32](repeating: 0, count: b))
        let remembered = memory(g, [Int32](repeating: index, count: b))
        let out = head(g, g.concat([mean, max, v, remembered, stats], axis: 1))
        return (g.slice(out, axis: 1, 0..<2), g.slice(out, axis: 1, 2..<4))
    }
}
