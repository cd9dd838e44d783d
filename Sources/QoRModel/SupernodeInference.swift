import Tensor

/// Supernode-model prediction with the graph off the tape: each pass's node states `[nodes, B * hidden]`
/// go through `FastGraphEncoder`'s layers, which free a layer's input once the next has it; only the
/// virtual node's small MLPs and the head run on the tape. The same numbers as `forward`.
final class SupernodeInference: NetworkInference {
    let network: SupernodeNetwork
    let weights: ParameterStore<Float>
    /// Whether the graph runs through `FastGraphEncoder` (false: `forward` on the tape, as in training).
    var fastKernels = true
    var threads = 0
    private var encoder: FastGraphEncoder?

    init(_ network: SupernodeNetwork, _ weights: ParameterStore<Float>) {
        self.network = network
        self.weights = weights
    }

    func run(_ g: Tape<Float>, _ design: DesignInput, tokens: [[Int32]], batchSize: Int,
             emit: (Tensor<Float>, Tensor<Float>, TokenBatch) -> Void) {
        let net = network
        guard fastKernels, DegreeQuantContext.current == nil else {
            TapedInference(network: net).run(g, design, tokens: tokens, batchSize: batchSize, emit: emit)
            return
        }
        if encoder == nil { encoder = FastGraphEncoder(input: net.input, layers: net.layers, hidden: net.hidden, weights: weights) }
        guard let encoder else { return }
        let per = net.batching.flowsPerPass(design.graph.nodeCount) ?? batchSize
        for start in stride(from: 0, to: tokens.count, by: per) {
            let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + per)]))
            let y = net.forward(g, encoder, design, tokens: batch)
            emit(g.value(y.effect), g.value(y.level), batch)
            g.reset()
        }
    }

    func clearCache() { encoder = nil }
}

extension SupernodeNetwork {
    func inference(weights: ParameterStore<Float>) -> any NetworkInference { SupernodeInference(self, weights) }

    /// `forward` with the node states computed by `encoder` off the tape.
    func forward(_ g: Tape<Float>, _ encoder: FastGraphEncoder, _ design: DesignInput, tokens: TokenBatch) -> (effect: Value, level: Value) {
        let b = tokens.count, h = hidden, graph = design.graph, n = graph.nodeCount, width = b * h
        var v = flowStart(g, maskedMean(g, embedding(g, tokens), tokens))
        var x = encoder.initialStates(graph)
        if b > 1 {
            let single = x
            x = [Float](repeating: 0, count: n * width)
            for node in 0..<n { for c in 0..<b { for j in 0..<h { x[node * width + c * h + j] = single[node * h + j] } } }
        }
        for k in layers.indices {
            let add = g.value(toNodes[k](g, v)).data  // [b, h]: row c joins copy c of every node
            for node in 0..<n { for i in 0..<width { x[node * width + i] += add[i] } }
            x = encoder.convolve(k, graph, x, copies: b)
            v = g.add(v, update[k](g, g.concat([v, g.constant(Self.mean(x, nodes: n, copies: b, width: h))], axis: 1)))
        }
        var max = [Float](repeating: n == 0 ? 0 : -.infinity, count: width)
        for node in 0..<n { for i in 0..<width where x[node * width + i] > max[i] { max[i] = x[node * width + i] } }
        let stats = Tensor([b, DesignStats.featureCount], (0..<b).flatMap { _ in design.stats.features })
        let remembered = memory(g, [Int32](repeating: design.memory, count: b))
        let out = head(g, g.concat([g.constant(Self.mean(x, nodes: n, copies: b, width: h)), g.constant(Tensor([b, h], max)), v, remembered,
                                    g.constant(stats)], axis: 1))
        return (g.slice(out, axis: 1, 0..<2), g.slice(out, axis: 1, 2..<4))
    }

    /// Mean over the nodes of states `[nodes, copies * width]`: `[copies, width]`.
    static func mean(_ x: [Float], nodes n: Int, copies: Int, width: Int) -> Tensor<Float> {
        let w = copies * width
        var sum = [Double](repeating: 0, count: w)
        for node in 0..<n { for i in 0..<w { sum[i] += Double(x[node * w + i]) } }
        return Tensor([copies, width], sum.map { Float($0 / Double(Swift.max(n, 1))) })
    }
}
