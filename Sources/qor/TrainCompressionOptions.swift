import ArgumentParser
import QoRModel
import Tensor

extension DistillationMode: ExpressibleByArgument {}
extension GraphSimplification.Mode: ExpressibleByArgument {}

/// `qor train --chex / --sparse-attention / --nm-weights`: channel pruning and N:M sparsity.
struct SparsityOptions: ParsableArguments {
    @Option(help: "CHEX channel pruning to this channel sparsity in (0, 1): hidden channels of the fusion, level and graph readout MLPs and the node states of the message passing (one mask for every layer) are pruned and regrown during training; the saved model is physically narrower.")
    var chex: Double?

    @Option(help: "Epochs between CHEX prune/regrow steps.")
    var chexInterval = 2

    @Option(help: "DFSS N:M attention in the transformer flow encoder (e.g. 2:4): per row of scores, the N largest of every M.")
    var sparseAttention: String?

    @Option(help: "N:M magnitude sparsity of the linear layers' weights (e.g. 2:4), masked halfway through training.")
    var nmWeights: String?

    func validate() throws {
        if let chex { try OptionCheck.number(chex, "chex", above: 0, upTo: 0.999) }
        try OptionCheck.count(chexInterval, "chex-interval", in: 1...100_000)
        for (name, text) in [("sparse-attention", sparseAttention), ("nm-weights", nmWeights)] {
            if let text, NMPattern(text) == nil { throw ValidationError("--\(name) must be N:M with 1 <= N < M <= 16, found '\(text)'") }
        }
        if chex != nil, nmWeights != nil { throw ValidationError("--chex and --nm-weights do not combine") }
    }

    var chexSettings: ChexOptions? { chex.map { ChexOptions(kappa: $0, interval: chexInterval) } }
    /// The attention and weight patterns (checked by `validate()`).
    var patterns: (attention: NMPattern?, weights: NMPattern?) { (sparseAttention.flatMap(NMPattern.init), nmWeights.flatMap(NMPattern.init)) }
}

/// `qor train --degree-quant`: quantisation-aware training of the GNN.
struct QuantOptions: ParsableArguments {
    @Flag(help: "Degree-Quant quantisation-aware training of the GNN (int8: percentile ranges, high in-degree nodes protected, clipped straight-through gradients).")
    var degreeQuant = false

    @Option(name: .customLong("dq-pmin"), help: "With --degree-quant: protection probability of the lowest in-degree.")
    var dqPmin = 0.0

    @Option(name: .customLong("dq-pmax"), help: "With --degree-quant: protection probability of the highest in-degree.")
    var dqPmax = 0.1

    func validate() throws {
        guard (0...1).contains(dqPmin), (0...1).contains(dqPmax), dqPmin <= dqPmax else {
            throw ValidationError("--dq-pmin and --dq-pmax must satisfy 0 <= pmin <= pmax <= 1, found \(dqPmin) and \(dqPmax)")
        }
    }

    var settings: DegreeQuantSettings? { degreeQuant ? DegreeQuantSettings(low: dqPmin, high: dqPmax) : nil }
}

/// `qor train --distill-from T`: a teacher's predictions join the loss.
struct DistillOptions: ParsableArguments {
    @Option(help: "Teacher checkpoint (.safetensors, any family) to distil from: its predictions of the training labels join the loss.")
    var distillFrom: String?

    @Option(help: "Distillation objective with --distill-from: plain (MSE to the teacher) or mv2d (multi-view variational, Gaussian heads).")
    var distill: DistillationMode = .plain

    @Option(help: "Weight of the distillation term beside the task loss (0: the undistilled training).")
    var distillWeight = 1.0

    func validate() throws {
        guard distillWeight.isFinite, (0...1_000).contains(distillWeight) else {
            throw ValidationError("--distill-weight must be a finite number in 0...1000, found \(distillWeight)")
        }
        guard distillFrom != nil || (distill == .plain && distillWeight == 1) else { throw ValidationError("--distill and --distill-weight need --distill-from") }
    }

    var settings: (teacher: String, settings: DistillationSettings)? {
        distillFrom.map { ($0, DistillationSettings(mode: distill, weight: distillWeight)) }
    }
}

/// `qor train --simplify sgc|sign`: a weightless propagation in place of the GIN (survey category 4).
struct SimplifyOptions: ParsableArguments {
    @Option(help: "Graph simplification in place of the GIN: sgc (Â^K X) or sign ([X, ÂX, …, Â^K X]), precomputed once per design, then the readout MLP.")
    var simplify: GraphSimplification.Mode?

    @Option(help: "With --simplify: propagation steps K.")
    var hops = 2

    func validate() throws {
        try OptionCheck.count(hops, "hops", in: 1...GraphSimplification.maxHops)
        guard simplify != nil || hops == 2 else { throw ValidationError("--hops needs --simplify") }
    }

    var settings: GraphSimplification? { simplify.map { GraphSimplification(mode: $0, hops: hops) } }
}
