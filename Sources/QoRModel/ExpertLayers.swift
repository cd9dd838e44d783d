import Tensor

/// One MoE layer of a network in a forward pass: the shared control, the layer's index in it and
/// the pass's collector of auxiliary terms (nil: inference, no dropout, no statistics).
struct ExpertRoute {
    let control: ExpertControl
    let index: Int
    let collect: ExpertCollector?

    func callAsFunction<S>(_ g: Tape<S>, _ moe: MixtureOfExperts, _ x: Value) -> Value {
        control.route(g, moe, layer: index, x, collect: collect)
    }
}

/// The MoE layers of a network in a forward pass (see ``ExpertRoute``).
struct ExpertRoutes {
    let control: ExpertControl
    let collect: ExpertCollector?
    func layer(_ l: Int) -> ExpertRoute { ExpertRoute(control: control, index: l, collect: collect) }
}

/// A pre-norm Transformer encoder layer (as `TransformerEncoderLayer`, same parameter names) whose
/// feed-forward is a mixture of experts routed per recipe step: `a = x + MHA(LN(x))`,
/// `a + moe(LN(a))`. With one expert it is the dense layer.
struct ExpertTransformerLayer {
    let norm1: LayerNorm, norm2: LayerNorm
    let attention: MultiHeadAttention
    let experts: MixtureOfExperts

    init<S>(_ weights: ParameterStore<S>, _ name: String, dimension: Int, heads: Int, feedForward: Int, moe: MoESettings) {
        norm1 = LayerNorm(weights, "\(name).norm1", dimension: dimension)
        attention = MultiHeadAttention(weights, "\(name).attention", dimension: dimension, heads: heads)
        norm2 = LayerNorm(weights, "\(name).norm2", dimension: dimension)
        experts = MixtureOfExperts(weights, "\(name).experts", denseNames: ["\(name).feed_forward.0", "\(name).feed_forward.1"],
                                   sizes: [dimension, feedForward, dimension], activation: .gelu, experts: moe.experts, router: moe.router,
                                   clusters: moe.clusters, capacityFactor: moe.capacityFactor, varianceWeight: moe.varianceWeight)
    }

    func callAsFunction<S>(_ g: Tape<S>, _ x: Value, lengths: [Int], route: ExpertRoute) -> Value {
        let a = g.add(x, attention(g, norm1(g, x), lengths: lengths))
        let shape = g.shape(a)
        let tokens = g.reshape(norm2(g, a), [shape[0] * shape[1], shape[2]])
        return g.add(a, g.reshape(route(g, experts, tokens), shape))
    }
}
