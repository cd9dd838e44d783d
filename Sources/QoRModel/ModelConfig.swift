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

/// One compression option applied to a model (quantization, sampling, MoE, pruning, sparsity,
/// distillation ...): what made the model, so that reports can compare it with its parent.
public struct CompressionStep: Sendable, Codable, Equatable {
    /// The option's name, as on the command line (`int8`, `moe`, `chex`, ...).
    public var option: String
    /// Its settings, by name (`experts: 4`, `kappa: 0.5`, ...).
    public var settings: [String: String]
    /// The parent model's config path as given, and its weights' fingerprint; nil when trained from scratch.
    public var parent: String?
    public var parentFingerprint: String?

    public init(option: String, settings: [String: String] = [:], parent: String? = nil, parentFingerprint: String? = nil) {
        self.option = option
        self.settings = settings
        self.parent = parent
        self.parentFingerprint = parentFingerprint
    }
}

/// The JSON config saved beside a checkpoint's weights.
///
/// Decoded by its `format`: `qor-model/4` (written now) nests the family's payload under
/// `architecture.network` and the bases under `base`; `qor-model/3` has the fields of every family
/// flat in `architecture` and the bases at the top. A later format adds a case to ``init(from:)``
/// instead of orphaning the checkpoints before it; optional fields added within a format decode
/// as absent.
public struct ModelConfig: Sendable, Codable, Equatable {
    public static let currentFormat = "qor-model/4"
    /// The formats ``init(from:)`` reads.
    public static let readableFormats = ["qor-model/3", currentFormat]
    /// The format the config was read in (``currentFormat`` for a new one); it is always saved in the current one.
    public var format: String
    public var architecture: Architecture
    public var vocabulary: FlowVocabulary
    public var scaling: TargetScaling
    /// Where predictions start from (the network adds the flow's effect): see ``BaseModel``.
    public var base: BaseModel
    /// Training flows (canonical text) whose QoR is closest to each training design's typical QoR,
    /// most typical first: what `qor predict` (anchoring) runs on a design the model has not seen.
    public var calibrationFlows: [String]
    /// Fingerprint of the training data (`TrainingSet.fingerprint`).
    public var fingerprint: String
    /// The cell library of the labels (name and content hash).
    public var library: String
    public var units: QoRUnits
    public var training: TrainingInfo?
    public var metrics: Evaluation?
    /// The range of the training designs' statistics (nil in configs written before it existed):
    /// predictions for a design outside it are flagged.
    public var designRange: DesignRange?
    /// Split-conformal intervals for designs the model did not see (`qor intervals` adds them).
    public var intervals: PredictionIntervals?
    /// The compression options that made this model, in the order applied (empty: a plain model).
    public var compression: [CompressionStep] = []

    /// The designs seen in training: each has a learned memory vector that adds to what the graph
    /// encoder computes (any other design gets the shared "unseen" vector) and its own base.
    public var knownDesigns: [KnownDesign] {
        get { base.knownDesigns }
        set { base.knownDesigns = newValue }
    }
    /// See ``BaseModel/levelRidge``.
    public var levelRidge: [[Double]] {
        get { base.levelRidge }
        set { base.levelRidge = newValue }
    }
    /// See ``BaseModel/flowRidge``.
    public var flowRidge: [[Double]] {
        get { base.flowRidge }
        set { base.flowRidge = newValue }
    }

    public init(architecture: Architecture, vocabulary: FlowVocabulary, scaling: TargetScaling, base: BaseModel,
                calibrationFlows: [String] = [], fingerprint: String, library: String, units: QoRUnits, training: TrainingInfo? = nil,
                metrics: Evaluation? = nil) {
        format = Self.currentFormat
        self.architecture = architecture
        self.vocabulary = vocabulary
        self.scaling = scaling
        self.base = base
        self.calibrationFlows = calibrationFlows
        self.fingerprint = fingerprint
        self.library = library
        self.units = units
        self.training = training
        self.metrics = metrics
    }

    public init(architecture: Architecture, vocabulary: FlowVocabulary, scaling: TargetScaling, knownDesigns: [KnownDesign] = [],
                levelRidge: [[Double]] = [[0], [0]], flowRidge: [[Double]] = [[0], [0]],
                calibrationFlows: [String] = [], fingerprint: String, library: String, units: QoRUnits, training: TrainingInfo? = nil, metrics: Evaluation? = nil) {
        self.init(architecture: architecture, vocabulary: vocabulary, scaling: scaling,
                  base: BaseModel(knownDesigns: knownDesigns, levelRidge: levelRidge, flowRidge: flowRidge),
                  calibrationFlows: calibrationFlows, fingerprint: fingerprint, library: library, units: units, training: training,
                  metrics: metrics)
    }

    enum Key: String, CodingKey {
        case format, architecture, vocabulary, scaling, base, knownDesigns, levelRidge, flowRidge, calibrationFlows, fingerprint,
             library, units, training, metrics, compression, designRange, intervals
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        format = try c.decode(String.self, forKey: .format)
        switch format {
        case "qor-model/3":
            architecture = try Architecture(v3: c.superDecoder(forKey: .architecture))
            base = BaseModel(knownDesigns: try c.decode([KnownDesign].self, forKey: .knownDesigns),
                             levelRidge: try c.decode([[Double]].self, forKey: .levelRidge),
                             flowRidge: try c.decode([[Double]].self, forKey: .flowRidge))
        case Self.currentFormat:
            architecture = try c.decode(Architecture.self, forKey: .architecture)
            base = try c.decode(BaseModel.self, forKey: .base)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: c,
                debugDescription: "format '\(format)' is not one this version reads (\(Self.readableFormats.joined(separator: ", ")))")
        }
        vocabulary = try c.decode(FlowVocabulary.self, forKey: .vocabulary)
        scaling = try c.decode(TargetScaling.self, forKey: .scaling)
        calibrationFlows = try c.decode([String].self, forKey: .calibrationFlows)
        fingerprint = try c.decode(String.self, forKey: .fingerprint)
        library = try c.decode(String.self, forKey: .library)
        units = try c.decode(QoRUnits.self, forKey: .units)
        training = try c.decodeIfPresent(TrainingInfo.self, forKey: .training)
        metrics = try c.decodeIfPresent(Evaluation.self, forKey: .metrics)
        compression = try c.decodeIfPresent([CompressionStep].self, forKey: .compression) ?? []
        designRange = try c.decodeIfPresent(DesignRange.self, forKey: .designRange)
        intervals = try c.decodeIfPresent(PredictionIntervals.self, forKey: .intervals)
    }

    /// Always in ``currentFormat``.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(Self.currentFormat, forKey: .format)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(vocabulary, forKey: .vocabulary)
        try c.encode(scaling, forKey: .scaling)
        try c.encode(base, forKey: .base)
        try c.encode(calibrationFlows, forKey: .calibrationFlows)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(library, forKey: .library)
        try c.encode(units, forKey: .units)
        try c.encodeIfPresent(training, forKey: .training)
        try c.encodeIfPresent(metrics, forKey: .metrics)
        if !compression.isEmpty { try c.encode(compression, forKey: .compression) }
        try c.encodeIfPresent(designRange, forKey: .designRange)
        try c.encodeIfPresent(intervals, forKey: .intervals)
    }

    /// This config with one more compression step.
    public func appending(_ step: CompressionStep) -> ModelConfig {
        var c = self
        c.compression.append(step)
        return c
    }

    public static func == (a: ModelConfig, b: ModelConfig) -> Bool {
        a.architecture == b.architecture && a.vocabulary == b.vocabulary && a.scaling == b.scaling && a.base == b.base
            && a.calibrationFlows == b.calibrationFlows && a.fingerprint == b.fingerprint && a.library == b.library && a.units == b.units
            && a.training == b.training && a.metrics == b.metrics && a.compression == b.compression && a.designRange == b.designRange && a.intervals == b.intervals
    }
}
