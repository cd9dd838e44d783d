import Tensor

/// The registry of model families: a new family is new files (its config payload, its network,
/// its `ModelKind`) plus one line in ``all``.
enum ModelFamilies {
    /// One family: its config type and how to build its network from that config.
    struct Family: Sendable {
        let config: any NetworkConfig.Type
        let build: @Sendable (any NetworkConfig, ParameterStore<Float>, FlowVocabulary, Int) -> (any QoRNetwork)?
        var kind: ModelKind { config.kind }

        /// The family of config type `C`, whose network `make` builds.
        static func of<C: NetworkConfig>(
            _ type: C.Type, _ make: @escaping @Sendable (C, ParameterStore<Float>, FlowVocabulary, Int) -> any QoRNetwork
        ) -> Family {
            Family(config: type) { config, weights, vocabulary, known in (config as? C).map { make($0, weights, vocabulary, known) } }
        }
    }

    static let all: [Family] = [
        .of(SequenceConfig.self) { SequenceNetwork($1, $0, vocabulary: $2, knownDesigns: $3) },
        .of(SupernodeConfig.self) { SupernodeNetwork($1, $0, vocabulary: $2, knownDesigns: $3) },
    ]

    static func family(_ kind: ModelKind) -> Family? { all.first { $0.kind == kind } }

    static func build(_ config: any NetworkConfig, _ weights: ParameterStore<Float>, _ vocabulary: FlowVocabulary, _ known: Int) -> any QoRNetwork {
        guard let family = family(type(of: config).kind), let network = family.build(config, weights, vocabulary, known) else {
            preconditionFailure("model kind \(type(of: config).kind) has no registered family")
        }
        return network
    }
}
