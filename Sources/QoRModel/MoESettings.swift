import Tensor

/// Where a mixture of experts replaces a dense layer of the sequence model (COMPRESSION.md §2.0).
public enum ExpertPlacement: String, Sendable, Codable, CaseIterable {
    /// The fusion head's MLP: tokens are flows (on one design), experts per design family / QoR regime.
    case head
    /// The feed-forward of each Transformer flow-encoder layer: tokens are recipe steps.
    case ffn
    /// The update of each graph message-passing layer: tokens are AIG nodes.
    case gin
}

/// The mixture-of-experts settings of a sequence model (absent: a dense model).
public struct MoESettings: Sendable, Codable, Equatable {
    public var placement: ExpertPlacement
    /// Experts per MoE layer; 1 is the dense form a pruned model is saved in (see `ExpertPruning`).
    public var experts: Int
    public var router: ExpertRouter
    /// Contiguous clusters of experts (MoEC); must divide `experts`.
    public var clusters: Int
    /// Capacity per expert: ⌈tokens / experts · factor⌉.
    public var capacityFactor: Double
    /// Weight of the auxiliary (balance + variance) loss in the total loss.
    public var balanceWeight: Double
    /// λ_var of MoEC's intra-cluster variance term.
    public var varianceWeight: Double
    /// Cluster-level expert dropout rate r while training (MoEC: 0.5), resampled every `dropoutInterval` steps.
    public var expertDropout: Double
    public var dropoutInterval: Int

    public init(placement: ExpertPlacement, experts: Int, router: ExpertRouter = .softmax, clusters: Int = 1, capacityFactor: Double = 2,
                balanceWeight: Double = 0.01, varianceWeight: Double = 1, expertDropout: Double? = nil, dropoutInterval: Int = 250) {
        self.placement = placement
        self.experts = experts
        self.router = router
        self.clusters = clusters
        self.capacityFactor = capacityFactor
        self.balanceWeight = balanceWeight
        self.varianceWeight = router == .cosine ? varianceWeight : 0
        self.expertDropout = expertDropout ?? (router == .cosine && clusters > 1 ? 0.5 : 0)
        self.dropoutInterval = dropoutInterval
    }

    /// The compression option's name: `moe` (Switch routing) or `moec` (cosine routing, clusters).
    public var option: String { router == .cosine ? "moec" : "moe" }

    /// The settings as a compression step records them.
    public var recorded: [String: String] {
        ["placement": placement.rawValue, "experts": "\(experts)", "router": router.rawValue, "clusters": "\(clusters)",
         "capacityFactor": "\(capacityFactor)", "balanceWeight": "\(balanceWeight)", "varianceWeight": "\(varianceWeight)",
         "expertDropout": "\(expertDropout)", "dropoutInterval": "\(dropoutInterval)"]
    }

    /// What is wrong with these settings for `config`, as `(field, message)`; nil when nothing is.
    func inconsistency(_ config: SequenceConfig) -> (field: String, message: String)? {
        if experts < 1 || experts > 256 { return ("moe.experts", "\(experts) is not in 1...256") }
        if clusters < 1 || experts % clusters != 0 { return ("moe.clusters", "\(clusters) does not divide \(experts) experts") }
        if !(capacityFactor.isFinite && capacityFactor > 0) { return ("moe.capacityFactor", "\(capacityFactor) is not positive") }
        if !(balanceWeight.isFinite && balanceWeight >= 0) { return ("moe.balanceWeight", "\(balanceWeight) is negative") }
        if !(varianceWeight.isFinite && varianceWeight >= 0) { return ("moe.varianceWeight", "\(varianceWeight) is negative") }
        if !(expertDropout.isFinite && (0..<1).contains(expertDropout)) { return ("moe.expertDropout", "\(expertDropout) is not in [0, 1)") }
        if dropoutInterval < 1 { return ("moe.dropoutInterval", "\(dropoutInterval) is not positive") }
        if placement == .ffn && config.flowEncoder != .transformer {
            return ("moe.placement", "ffn experts replace the Transformer feed-forward; the flow encoder is \(config.flowEncoder.rawValue)")
        }
        return nil
    }

    /// MoE layers of this placement in `config`.
    func layerCount(_ config: SequenceConfig) -> Int {
        switch placement {
        case .head: 1
        case .ffn: config.flowLayers
        case .gin: config.graphLayers
        }
    }
}
