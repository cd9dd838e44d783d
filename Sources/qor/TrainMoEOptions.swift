import ArgumentParser
import QoRModel
import Tensor

extension ExpertPlacement: ExpressibleByArgument {}
extension ExpertRouter: ExpressibleByArgument {}

/// `qor train --moe ...`: a mixture of experts in place of a dense layer.
struct MoEOptions: ParsableArguments {
    @Option(help: "Mixture of experts in place of a dense layer: head (fusion head), ffn (Transformer feed-forward) or gin (graph update).")
    var moe: ExpertPlacement?

    @Option(help: "Experts per MoE layer (with --moe).")
    var experts = 4

    @Option(help: "Expert clusters (MoEC; with --moe): must divide --experts; selects the cosine router unless --router says otherwise.")
    var clusters: Int?

    @Option(help: "MoE router: softmax (Switch) or cosine (MoEC, learned temperature).")
    var router: ExpertRouter?

    @Option(help: "MoE capacity per expert: tokens / experts × this.")
    var capacityFactor = 2.0

    @Option(help: "Weight of the MoE balance (and MoEC variance) loss.")
    var balanceWeight = 0.01

    @Option(help: "MoEC cluster-level expert dropout rate (default 0.5 with clusters, else 0).")
    var expertDropout: Double?

    @Option(help: "Steps between resamplings of the expert dropout.")
    var dropoutInterval = 250

    func validate() throws {
        try OptionCheck.count(experts, "experts", in: 1...256)
        try OptionCheck.count(clusters, "clusters", in: 1...256)
        try OptionCheck.count(dropoutInterval, "dropout-interval", in: 1...1_000_000)
        try OptionCheck.number(capacityFactor, "capacity-factor", above: 0, upTo: 1000)
        guard balanceWeight.isFinite, balanceWeight >= 0 else { throw ValidationError("--balance-weight must be ≥ 0") }
        if let expertDropout, !(expertDropout.isFinite && (0..<1).contains(expertDropout)) { throw ValidationError("--expert-dropout must be in [0, 1)") }
        guard experts % (clusters ?? 1) == 0 else { throw ValidationError("--clusters \(clusters ?? 1) does not divide --experts \(experts)") }
    }

    var settings: MoESettings? {
        moe.map {
            MoESettings(placement: $0, experts: experts, router: router ?? ((clusters ?? 1) > 1 ? .cosine : .softmax), clusters: clusters ?? 1,
                        capacityFactor: capacityFactor, balanceWeight: balanceWeight, expertDropout: expertDropout, dropoutInterval: dropoutInterval)
        }
    }
}

/// `qor train --from M [--prune-experts]`: fine-tuning a parent.
struct FineTuneOptions: ParsableArguments {
    @Option(help: "Fine-tune this model (.safetensors) instead of starting from random weights.")
    var from: String?

    @Flag(help: "With --from a model with experts: prune experts while fine-tuning and save a dense model.")
    var pruneExperts = false

    @Option(help: "Fraction of the fine-tuning steps by which one expert per layer is left.")
    var pruneHorizon = 0.5

    func validate() throws {
        guard !pruneExperts || from != nil else { throw ValidationError("--prune-experts needs --from <model with experts>") }
        guard pruneHorizon.isFinite, pruneHorizon > 0, pruneHorizon <= 1 else { throw ValidationError("--prune-horizon must be in (0, 1]") }
    }
}
