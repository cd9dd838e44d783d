import Foundation

/// How a mixture of experts scores experts for a token (COMPRESSION.md §2.0, §2.1).
public enum ExpertRouter: String, Sendable, Codable, CaseIterable {
    /// Switch/GShard: `p = softmax(x W)`, top-1, the output scaled by the top probability.
    case softmax
    /// MoEC / X-MoE: `cos(W_red x, w_e) / t` with a learned temperature `t`; top-1 by the cosine,
    /// the output scaled by `α = sigmoid(cos / t)`.
    case cosine
}

/// Where each token went in one forward pass of a ``MixtureOfExperts``.
public struct ExpertAssignment: Sendable {
    /// The expert each token was routed to, or -1 for a token dropped over capacity.
    public var expert: [Int32]
    /// Each token's argmax expert before the capacity cut (what the balance loss counts).
    public var argmax: [Int32]
    /// The router's score of the chosen expert (softmax probability, or α), per token.
    public var score: [Double]
    /// The capacity in tokens per expert (`Int.max` when one expert takes every token).
    public var capacity: Int
    /// Tokens routed to each expert (after the capacity cut).
    public var load: [Int]
}

/// The output of a mixture of experts: `[T, output]`, its auxiliary loss (balance, plus the
/// intra-cluster variance for the cosine router; nil with a single candidate expert) and the routing.
public struct ExpertOutput {
    public let output: Value
    public let auxiliary: Value?
    public let assignment: ExpertAssignment
}

/// A top-1 mixture of experts over the rows (tokens) of `[T, input]`, each expert an MLP with the
/// same sizes as the dense layer it replaces (so the active parameters per token equal the dense
/// layer's, plus the router).
///
/// Capacity `C = ⌈T / candidates · capacityFactor⌉` tokens per expert, filled in token order;
/// a dropped token's output is zero, so where the placement adds a residual (`x + moe(x)`) the
/// token passes through unchanged. With one expert (`experts.count == 1`, the dense form after
/// expert pruning) or one candidate, there is no routing and no capacity: the output is
/// `expert(x)`, times `α` for the cosine router (the α-gate is kept, as §2.2 says).
///
/// Parameter names: expert e's layer i is `<name>.expert<e>.<i>`; with one expert, the names the
/// dense layer has (`denseNames`), so a pruned model is the plain model's checkpoint. Router:
/// `<name>.router.weight` `[input, E]` (softmax); `<name>.router.reduce` `[input, R]`,
/// `<name>.router.centroids` `[E, R]`, `<name>.router.temperature` `[1]` (cosine).
public struct MixtureOfExperts: Sendable {
    public let name: String
    public let experts: [MLP]
    public let router: ExpertRouter
    public let gate: ParameterID?
    public let reduce: ParameterID?
    public let centroids: ParameterID?
    public let temperature: ParameterID?
    /// Contiguous clusters of experts (MoEC's variance term and cluster-level dropout).
    public let clusters: Int
    public let capacityFactor: Double
    /// λ_var of the intra-cluster variance term (cosine router).
    public let varianceWeight: Double
    /// The dense layer's names (`<prefix>` of each `.weight`/`.bias`), in order.
    public let denseNames: [String]

    /// The temperature the MoEC code uses for the auxiliary loss's probabilities.
    public static let auxiliaryTemperature = 0.07

    /// `sizes`: the expert MLP's `[input, hidden..., output]`; `denseNames`: the dense layer's
    /// `Linear` names (one per layer of `sizes`).
    public init<S>(_ weights: ParameterStore<S>, _ name: String, denseNames: [String], sizes: [Int], activation: Activation = .relu,
                   activateLast: Bool = false, experts count: Int, router: ExpertRouter, clusters: Int = 1,
                   capacityFactor: Double = 2, varianceWeight: Double = 1, routingDimension: Int = 32) {
        precondition(count >= 1 && denseNames.count == sizes.count - 1, "MoE \(name): \(count) experts, names \(denseNames) for sizes \(sizes)")
        self.name = name
        self.router = router
        self.clusters = max(1, clusters)
        self.capacityFactor = capacityFactor
        self.varianceWeight = varianceWeight
        self.denseNames = denseNames
        experts = (0..<count).map { e in
            let names = count == 1 ? denseNames : (0..<denseNames.count).map { "\(name).expert\(e).\($0)" }
            let layers = names.indices.map { Linear(weights, names[$0], input: sizes[$0], output: sizes[$0 + 1]) }
            return MLP(layers: layers, activation: activation, activateLast: activateLast)
        }
        switch router {
        case .softmax:
            gate = count > 1 ? weights.add("\(name).router.weight", .normal([sizes[0], count], std: 0.02, rng: &weights.rng)) : nil
            reduce = nil; centroids = nil; temperature = nil
        case .cosine:
            gate = nil
            reduce = weights.add("\(name).router.reduce", .uniform([sizes[0], routingDimension], bound: 1 / Double(sizes[0]).squareRoot(), rng: &weights.rng))
            centroids = weights.add("\(name).router.centroids", .normal([count, routingDimension], std: 0.32, rng: &weights.rng))
            temperature = weights.add("\(name).router.temperature", Tensor(scalar: S(Self.auxiliaryTemperature)))
        }
    }

    public var count: Int { experts.count }

    /// A router parameter this router kind always has.
    func required(_ id: ParameterID?) -> ParameterID {
        guard let id else { preconditionFailure("MoE \(name): the \(router) router lacks a parameter") }
        return id
    }

    /// The experts of cluster `c`.
    public func cluster(_ c: Int) -> Range<Int> {
        let size = count / clusters
        return (c * size)..<((c + 1) * size)
    }

    /// Routes the rows of `x` among the experts with `candidates[e]` true (all when nil): the
    /// surviving experts of expert pruning, and of cluster-level dropout while training.
    public func callAsFunction<S>(_ g: Tape<S>, _ x: Value, candidates: [Bool]? = nil) -> ExpertOutput {
        let t = g.shape(x).rows
        let allowed = candidates ?? [Bool](repeating: true, count: count)
        precondition(allowed.count == count && allowed.contains(true), "MoE \(name): candidates \(allowed)")
        let live = allowed.indices.filter { allowed[$0] }
        if live.count == 1 { return single(g, x, expert: live[0], tokens: t) }

        // Router scores `[T, E]`, the experts outside `live` pushed to -1e9.
        var maskData = [S](repeating: 0, count: count)
        for e in 0..<count where !allowed[e] { maskData[e] = -1e9 }
        let mask = g.constant(Tensor([1, count], maskData))
        let raw: Value, gates: Value, probabilities: Value
        switch router {
        case .softmax:
            raw = g.add(g.matmul(x, g.parameter(required(gate))), mask)
            gates = g.softmax(raw)
            probabilities = gates
        case .cosine:
            let cos = cosine(g, x)
            raw = g.add(g.div(cos, g.parameter(required(temperature))), mask)
            gates = g.sigmoid(raw)
            probabilities = g.softmax(g.add(g.affine(cos, scale: 1 / Self.auxiliaryTemperature), mask))
        }
        let scores = g.value(raw), gateValues = g.value(gates)
        var argmax = [Int32](repeating: 0, count: t)
        for i in 0..<t {
            var best = live[0]
            for e in live where scores.data[i * count + e] > scores.data[i * count + best] { best = e }
            argmax[i] = Int32(best)
        }
        let capacity = Int((Double(t) / Double(live.count) * capacityFactor).rounded(.up))
        var load = [Int](repeating: 0, count: count), expert = [Int32](repeating: -1, count: t), score = [Double](repeating: 0, count: t)
        var rows = [[Int32]](repeating: [], count: count)
        for i in 0..<t {
            let e = Int(argmax[i])
            score[i] = Double(gateValues.data[i * count + e])
            guard load[e] < capacity else { continue }
            load[e] += 1
            expert[i] = Int32(e)
            rows[e].append(Int32(i))
        }
        // Each expert on its tokens, scaled by the chosen gate, scattered back to `[T, output]`.
        let flatGates = g.reshape(gates, [t * count, 1])
        var parts: [Value] = [], index: [Int32] = []
        for e in live where !rows[e].isEmpty {
            let y = experts[e](g, g.gather(x, rows[e]))
            parts.append(g.mul(y, g.gather(flatGates, rows[e].map { $0 * Int32(count) + Int32(e) })))
            index += rows[e]
        }
        let width = experts[0].layers.last?.output ?? 0
        let output = parts.isEmpty ? g.constant(Tensor(zeros: [t, width]))
            : g.scatterAdd(parts.count == 1 ? parts[0] : g.concat(parts, axis: 0), index, rows: t)

        var counts = [Int](repeating: 0, count: count)
        for e in argmax { counts[Int(e)] += 1 }
        var aux = Self.balanceLoss(g, probabilities: probabilities, counts: counts, experts: live.count)
        if router == .cosine, varianceWeight > 0 {
            // The routing mass per expert in units of an even share (1 = T / live tokens).
            let mass = g.affine(g.mean(probabilities, axis: 0), scale: Double(live.count))
            let groups = (0..<clusters).map { c in cluster(c).filter { allowed[$0] } }
            let variance = Self.intraClusterVariance(g, mass: mass, clusters: groups)
            aux = g.add(aux, g.affine(variance, scale: varianceWeight * Double(live.count)))
        }
        return ExpertOutput(output: output, auxiliary: aux,
                            assignment: ExpertAssignment(expert: expert, argmax: argmax, score: score, capacity: capacity, load: load))
    }

    /// The cosine of each row's reduced vector with each expert's centroid: `[T, E]`.
    func cosine<S>(_ g: Tape<S>, _ x: Value) -> Value {
        let r = g.rowNormalize(g.matmul(x, g.parameter(required(reduce))))
        return g.matmul(r, g.rowNormalize(g.parameter(required(centroids))), transposeB: true)
    }

    /// One expert for every token (no routing, no capacity), times α for the cosine router.
    func single<S>(_ g: Tape<S>, _ x: Value, expert e: Int, tokens t: Int) -> ExpertOutput {
        var y = experts[e](g, x)
        var score = [Double](repeating: 1, count: t)
        if router == .cosine {
            let cos = g.slice(cosine(g, x), axis: 1, e..<(e + 1))
            let alpha = g.sigmoid(g.div(cos, g.parameter(required(temperature))))
            y = g.mul(y, alpha)
            score = g.value(alpha).data.map { Double($0) }
        }
        var load = [Int](repeating: 0, count: count)
        load[e] = t
        return ExpertOutput(output: y, auxiliary: nil,
                            assignment: ExpertAssignment(expert: [Int32](repeating: Int32(e), count: t), argmax: [Int32](repeating: Int32(e), count: t),
                                                         score: score, capacity: Int.max, load: load))
    }

    /// The Switch/GShard balance loss `l_aux = E · Σ_e me_e · ce_e`, with `me` the mean router
    /// probability per expert over the tokens (`probabilities` `[T, E]`) and `ce` the fraction of
    /// tokens whose argmax is `e` (`counts`); `experts`: E (the candidates). 1 for a uniform router
    /// with balanced assignment, E at full collapse.
    public static func balanceLoss<S>(_ g: Tape<S>, probabilities: Value, counts: [Int], experts: Int) -> Value {
        let total = max(1, counts.reduce(0, +))
        let ce = g.constant(Tensor([counts.count], counts.map { S(Double($0) / Double(total)) }))
        return g.affine(g.sum(g.mul(g.mean(probabilities, axis: 0), ce)), scale: Double(experts))
    }

    /// MoEC's intra-cluster term (`coef_type = 1`): the mean over clusters of the unbiased variance
    /// of `mass` (`[E]`) within each cluster (lists of expert indices; clusters of fewer than two
    /// experts count as 0). One cluster of all experts gives `coef_type = 0`.
    public static func intraClusterVariance<S>(_ g: Tape<S>, mass: Value, clusters: [[Int]]) -> Value {
        let column = g.reshape(mass, [g.shape(mass).count, 1])
        var terms: [Value] = []
        for members in clusters where members.count > 1 {
            let m = g.gather(column, members.map { Int32($0) })
            let centred = g.sub(m, g.reshape(g.mean(m), [1, 1]))
            terms.append(g.affine(g.sum(g.apply(.square, centred)), scale: 1 / Double(members.count - 1)))
        }
        guard !terms.isEmpty else { return g.constant(Tensor(zeros: [1])) }
        let sum = terms.dropFirst().reduce(terms[0]) { g.add($0, $1) }
        return g.affine(sum, scale: 1 / Double(clusters.count))
    }
}

extension MLP {
    /// An MLP of given layers (names chosen by the caller: a mixture's experts).
    public init(layers: [Linear], activation: Activation, activateLast: Bool, dropout: Double = 0) {
        self.layers = layers
        self.activation = activation
        self.activateLast = activateLast
        self.dropout = dropout
    }
}
