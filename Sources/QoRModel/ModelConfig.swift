/// The two model families.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// The flow is the state of a virtual node joined to every graph node, updated at every layer:
    /// the whole GNN runs once per (design, flow).
    case supernode
    /// A graph encoder run once per design, a flow encoder run once per flow, and a fusion MLP:
    /// the cost per flow does not grow with the design.
    case sequence
}

/// The flow encoder of the sequence model.
public enum FlowEncoderKind: String, Sendable, Codable, CaseIterable { case lstm, transformer }

/// Sizes of a network; with the vocabulary they fix every parameter's name and shape.
public struct Architecture: Sendable, Codable, Equatable {
    public var kind: ModelKind
    /// Width of node states.
    public var hidden: Int
    /// Message-passing layers.
    public var graphLayers: Int
    /// Width of the design vector (sequence model).
    public var designWidth: Int
    /// Width of token and position embeddings (LSTM input).
    public var embedding: Int
    public var flowEncoder: FlowEncoderKind
    /// Width of the flow vector: LSTM hidden size, or Transformer model width.
    public var flowWidth: Int
    public var flowLayers: Int
    public var heads: Int
    /// Width of the fusion (sequence) or readout (supernode) MLP.
    public var fusionWidth: Int

    public static func defaults(_ kind: ModelKind, flowEncoder: FlowEncoderKind = .lstm) -> Architecture {
        switch kind {
        case .sequence:
            Architecture(kind: kind, hidden: 32, graphLayers: 4, designWidth: 64, embedding: 32, flowEncoder: flowEncoder,
                         flowWidth: 64, flowLayers: 1, heads: 4, fusionWidth: 128)
        case .supernode:
            Architecture(kind: kind, hidden: 32, graphLayers: 3, designWidth: 32, embedding: 32, flowEncoder: flowEncoder,
                         flowWidth: 32, flowLayers: 1, heads: 4, fusionWidth: 96)
        }
    }
}

/// Units of the predicted quantities, from the library the labels were made with.
public struct QoRUnits: Sendable, Codable, Equatable {
    public var delay: String
    public var area: String
    public init(delay: String, area: String) {
        self.delay = delay
        self.area = area
    }
}

/// What a trained model was trained on and how.
public struct TrainingInfo: Sendable, Codable, Equatable {
    public var split: SplitKind
    public var holdout: [String]
    public var seed: UInt64
    public var epochs: Int
    public var bestEpoch: Int
    public var labels: Int
    public var designs: Int
    public var flows: Int
    public var secondsPerEpoch: Double

    public init(split: SplitKind, holdout: [String], seed: UInt64, epochs: Int, bestEpoch: Int, labels: Int, designs: Int,
                flows: Int, secondsPerEpoch: Double) {
        self.split = split
        self.holdout = holdout
        self.seed = seed
        self.epochs = epochs
        self.bestEpoch = bestEpoch
        self.labels = labels
        self.designs = designs
        self.flows = flows
        self.secondsPerEpoch = secondsPerEpoch
    }
}

/// The JSON config saved beside a checkpoint's weights.
public struct ModelConfig: Sendable, Codable, Equatable {
    public static let currentFormat = "qor-model/3"
    public var format: String
    public var architecture: Architecture
    public var vocabulary: FlowVocabulary
    public var scaling: TargetScaling
    /// The designs seen in training: each has a learned memory vector that adds to what the graph
    /// encoder computes (any other design gets the shared "unseen" vector) and a stored level.
    public var knownDesigns: [KnownDesign]
    /// Ridge regressions (delay, area; intercept first) of a training design's mean standardised
    /// targets on its initial-AIG statistics (`DesignStats.features`): the level of a design not
    /// seen in training, to which the graph encoder's level head adds its correction.
    public var levelRidge: [[Double]]
    /// Ridge regressions (delay, area; intercept first) of the training labels' distances from their
    /// design's mean on the flow summary: the flow effect a design not seen in training starts from.
    public var flowRidge: [[Double]]
    /// Training flows (canonical text) whose QoR is closest to each training design's typical QoR,
    /// most typical first: what `qor predict --calibrate` runs on a design the model has not seen.
    public var calibrationFlows: [String]
    /// Fingerprint of the training data (`TrainingSet.fingerprint`).
    public var fingerprint: String
    /// The cell library of the labels (name and content hash).
    public var library: String
    public var units: QoRUnits
    public var training: TrainingInfo?
    public var metrics: Evaluation?

    public init(architecture: Architecture, vocabulary: FlowVocabulary, scaling: TargetScaling, knownDesigns: [KnownDesign] = [],
                levelRidge: [[Double]] = [[0], [0]], flowRidge: [[Double]] = [[0], [0]],
                calibrationFlows: [String] = [], fingerprint: String, library: String, units: QoRUnits, training: TrainingInfo? = nil, metrics: Evaluation? = nil) {
        self.knownDesigns = knownDesigns
        self.levelRidge = levelRidge
        self.flowRidge = flowRidge
        self.calibrationFlows = calibrationFlows
        format = Self.currentFormat
        self.architecture = architecture
        self.vocabulary = vocabulary
        self.scaling = scaling
        self.fingerprint = fingerprint
        self.library = library
        self.units = units
        self.training = training
        self.metrics = metrics
    }
}

/// A design seen in training, by content hash, with its own linear model of the standardised
/// targets on the flow summary (`TokenBatch.summary`): intercept first, then one weight per
/// summary feature. It is where the design's predictions start from (the network adds the rest).
public struct KnownDesign: Sendable, Codable, Equatable {
    public var hash: String
    public var delay: [Double]
    public var area: [Double]

    public init(hash: String, delay: [Double], area: [Double]) {
        self.hash = hash
        self.delay = delay
        self.area = area
    }
}
