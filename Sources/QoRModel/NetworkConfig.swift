import Tensor

/// A family's config payload: the sizes that, with the vocabulary and the number of known designs,
/// fix every parameter's name and shape. `init()` gives the family's defaults.
public protocol NetworkConfig: Codable, Sendable, Equatable {
    /// The family this payload belongs to.
    static var kind: ModelKind { get }
    init()
    /// Sets the training options this family needs (batch sizes); the default keeps them.
    func adjust(_ options: inout TrainingOptions)
    /// Every size field by name with its largest allowed value (each must be 1...limit), checked
    /// when a config is read from disk.
    var sizes: [(name: String, value: Int, limit: Int)] { get }
    /// A constraint between fields that is broken, as `(field, message)`; nil when none is.
    var inconsistency: (field: String, message: String)? { get }
}

extension NetworkConfig {
    public func adjust(_ options: inout TrainingOptions) {}
    public var inconsistency: (field: String, message: String)? { nil }

    /// Whether `other` is the same payload.
    func isEqual(to other: any NetworkConfig) -> Bool { (other as? Self) == self }

    /// The family's network over `weights`.
    func network(_ weights: ParameterStore<Float>, vocabulary: FlowVocabulary, knownDesigns: Int) -> any QoRNetwork {
        ModelFamilies.build(self, weights, vocabulary, knownDesigns)
    }
}

/// A network's family and sizes.
///
/// Encoded (`qor-model/4`) as `{"kind": ..., "network": {payload}}`; `qor-model/3` configs hold the
/// fields of every family flat beside `kind` (``init(v3:)``).
public struct Architecture: Sendable, Codable, Equatable {
    /// The family's payload (`SequenceConfig`, `SupernodeConfig`, ...).
    public var network: any NetworkConfig

    public init(_ network: any NetworkConfig) { self.network = network }

    public var kind: ModelKind { type(of: network).kind }

    /// The family's default sizes; `flowEncoder` applies to the sequence family only.
    public static func defaults(_ kind: ModelKind, flowEncoder: FlowEncoderKind = .lstm) -> Architecture {
        guard var network = ModelFamilies.family(kind)?.config.init() else {
            preconditionFailure("model kind \(kind) has no registered family")
        }
        if var s = network as? SequenceConfig {
            s.flowEncoder = flowEncoder
            network = s
        }
        return Architecture(network)
    }

    enum Key: String, CodingKey { case kind, network }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let kind = try c.decode(ModelKind.self, forKey: .kind)
        network = try Self.payload(kind, codingPath: c.codingPath) { type in try c.decode(type, forKey: .network) }
    }

    /// The `qor-model/3` form: the payload's fields flat beside `kind` (with the other family's fields too).
    init(v3 decoder: Decoder) throws {
        let kind = try decoder.container(keyedBy: Key.self).decode(ModelKind.self, forKey: .kind)
        network = try Self.payload(kind, codingPath: decoder.codingPath) { type in try type.init(from: decoder) }
    }

    /// Decodes the payload of `kind`'s family with `decode`.
    private static func payload(_ kind: ModelKind, codingPath: [CodingKey],
                                _ decode: (any NetworkConfig.Type) throws -> any NetworkConfig) throws -> any NetworkConfig {
        guard let family = ModelFamilies.family(kind) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "model kind \(kind) has no registered family"))
        }
        return try decode(family.config)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(network, forKey: .network)
    }

    public static func == (a: Architecture, b: Architecture) -> Bool { a.network.isEqual(to: b.network) }
}
