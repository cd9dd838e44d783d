/// Activation functions for layers.
public enum Activation: String, Sendable, Codable {
    case relu, gelu, tanh, sigmoid, identity
}

extension Tape {
    public func activate(_ a: Activation, _ x: Value) -> Value {
        switch a {
        case .relu: relu(x)
        case .gelu: gelu(x)
        case .tanh: tanh(x)
        case .sigmoid: sigmoid(x)
        case .identity: x
        }
    }
}

/// y = x W + b, with W `[input, output]`; x may have any rank (last axis = input).
/// Initialised uniformly in ±1/sqrt(input), like PyTorch.
public struct Linear: Sendable {
    public let weight: ParameterID
    public let bias: ParameterID?
    public let input: Int, output: Int

    public init<S>(_ weights: ParameterStore<S>, _ name: String, input: Int, output: Int, bias: Bool = true) {
        let bound = 1 / Double(input).squareRoot()
        self.input = input
        self.output = output
        weight = weights.add("\(name).weight", .uniform([input, output], bound: bound, rng: &weights.rng))
        self.bias = bias ? weights.add("\(name).bias", .uniform([output], bound: bound, rng: &weights.rng)) : nil
    }

    /// `activation(x W + b)`, fused for relu and identity.
    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, activation: Activation = .identity) -> Value {
        g.linear(x, weight: g.parameter(weight), bias: bias.map { g.parameter($0) }, activation: activation)
    }
}

/// Linear layers with an activation between them (none after the last unless `activateLast`).
public struct MLP: Sendable {
    public let layers: [Linear]
    public let activation: Activation
    public let activateLast: Bool
    public let dropout: Double

    /// `sizes` = [input, hidden..., output].
    public init<S>(_ weights: ParameterStore<S>, _ name: String, sizes: [Int], activation: Activation = .relu,
                   activateLast: Bool = false, dropout: Double = 0) {
        precondition(sizes.count >= 2, "MLP needs at least input and output sizes")
        layers = (0..<(sizes.count - 1)).map { Linear(weights, "\(name).\($0)", input: sizes[$0], output: sizes[$0 + 1]) }
        self.activation = activation
        self.activateLast = activateLast
        self.dropout = dropout
    }

    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value) -> Value {
        var h = x
        for (i, layer) in layers.enumerated() {
            let activated = i < layers.count - 1 || activateLast
            h = layer(g, h, activation: activated ? activation : .identity)
            if activated && i < layers.count - 1 { h = g.dropout(h, p: dropout) }
        }
        return h
    }
}

/// A table of learned vectors looked up by integer id; initialised N(0, std^2).
public struct Embedding: Sendable {
    public let table: ParameterID
    public let count: Int, dimension: Int

    public init<S>(_ weights: ParameterStore<S>, _ name: String, count: Int, dimension: Int, std: Double = 1) {
        self.count = count
        self.dimension = dimension
        table = weights.add("\(name).weight", .normal([count, dimension], std: std, rng: &weights.rng))
    }

    /// `[ids.count, dimension]`.
    public func callAsFunction<S>(_ g: Tape<S>, _ ids: [Int32]) -> Value {
        g.gather(g.parameter(table), ids)
    }
}

/// Layer normalisation over the last axis (gain 1, bias 0 at start).
public struct LayerNorm: Sendable {
    public let weight: ParameterID, bias: ParameterID
    public let eps: Double

    public init<S>(_ weights: ParameterStore<S>, _ name: String, dimension: Int, eps: Double = 1e-5) {
        weight = weights.add("\(name).weight", Tensor(repeating: 1, shape: [dimension]))
        bias = weights.add("\(name).bias", Tensor(zeros: [dimension]))
        self.eps = eps
    }

    /// A mask on the gain marks pruned channels (CHEX): the statistics skip them, as the
    /// narrower model without them computes.
    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value) -> Value {
        g.layerNorm(x, weight: g.parameter(weight), bias: g.parameter(bias), eps: eps, active: g.weights?.mask(weight))
    }
}
