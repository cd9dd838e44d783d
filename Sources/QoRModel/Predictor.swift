import Flows
import Foundation
import Tensor

/// Predicted QoR of one flow on one design, in the units of the training labels.
public struct QoRPrediction: Sendable, Equatable {
    public var delay: Double
    public var area: Double

    public init(delay: Double, area: Double) {
        self.delay = delay
        self.area = area
    }
}

/// A trained model: its config and weights, ready to predict. Inference records no tape; the
/// network's ``NetworkInference`` decides what it caches across calls (the sequence model computes
/// each design's graph embedding once) and sends flows through in batches of `batchSize`; the
/// config's ``BaseModel`` turns the network's outputs into predictions.
public final class QoRPredictor {
    public let config: ModelConfig
    let weights: ParameterStore<Float>
    let network: any QoRNetwork
    let inference: any NetworkInference
    private var tensors: [String: GraphTensors<Float>] = [:]
    let graph: Tape<Float>
    private let memoryRows: [String: Int32]
    /// Per design (content hash): what ``calibrate(_:flows:truth:)`` adds to the standardised outputs.
    var offsets: [String: (Float, Float)] = [:]
    /// Per design (content hash): the training designs whose response it borrows (``ResponseNeighbours``).
    var neighbours: [String: ResponseNeighbours] = [:]
    /// Per design (content hash): the spread of its anchor labels (``LogBand/spread(_:)``), which
    /// scales its interval when the model's intervals are normalised.
    var anchorSpreads: [String: (spread: LogBand, count: Int)] = [:]
    /// Degree-Quant ranges the GNN runs with (a model trained with `--degree-quant`; the trainer's live state while training).
    var degreeQuant: DegreeQuantState?
    /// Flows per batch through the flow encoder.
    public var batchSize = 4096
    /// Worker threads of the tape-free inference paths (0: one per core).
    public var threads: Int {
        get { inference.threads }
        set { inference.threads = newValue }
    }

    /// A model with freshly initialised weights (seeded).
    public init(config: ModelConfig, seed: UInt64) {
        self.config = config
        weights = ParameterStore<Float>(seed: seed)
        network = config.architecture.network.network(weights, vocabulary: config.vocabulary, knownDesigns: config.knownDesigns.count)
        inference = network.inference(weights: weights)
        (inference as? SequenceInference)?.int8Ranges = FusionRanges(config.compression)
        degreeQuant = DegreeQuantState(config.compression)
        graph = Tape(weights, mode: .inference)
        var rows: [String: Int32] = [:]
        for (i, k) in config.knownDesigns.enumerated() { rows[k.hash] = Int32(i + 1) }
        memoryRows = rows
    }

    /// The design's row of the design memory: 1... for designs seen in training, 0 otherwise.
    func memoryRow(_ design: DesignSample) -> Int32 { memoryRows[design.hash] ?? 0 }

    /// Whether the model saw this design (by content hash) in training.
    public func knows(_ design: DesignSample) -> Bool { memoryRows[design.hash] != nil }

    /// The stored linear model of a design seen in training.
    func knownDesign(_ design: DesignSample) -> KnownDesign? {
        memoryRows[design.hash].map { config.knownDesigns[Int($0) - 1] }
    }

    /// Loads `path` (`.safetensors`) and the JSON config beside it (any of `ModelConfig.readableFormats`),
    /// with the masks and int8 scales saved beside the weights.
    public convenience init(checkpoint path: String) throws(ModelError) {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelError(.missingFile, "\(path): no such checkpoint") }
        let bytes: [UInt8], format: String
        do {
            bytes = try Checkpoint.configBytes(weights: path)
            format = try Checkpoint.decodeConfig(FormatProbe.self, bytes, weights: path).format
        } catch { throw ModelError(checkpoint: error) }
        guard ModelConfig.readableFormats.contains(format) else {
            throw ModelError(.badCheckpoint, "\(Checkpoint.configPath(for: path)): format '\(format)', expected one of "
                + ModelConfig.readableFormats.map { "'\($0)'" }.joined(separator: ", "))
        }
        let config: ModelConfig
        do { config = try Checkpoint.decodeConfig(ModelConfig.self, bytes, weights: path) } catch { throw ModelError(checkpoint: error) }
        try config.validate(file: Checkpoint.configPath(for: path))
        self.init(config: config, seed: 0)
        do { try Checkpoint.load(into: weights, from: path, config: bytes) } catch { throw ModelError(checkpoint: error) }
    }

    private struct FormatProbe: Decodable { let format: String }

    /// Writes the weights (with their masks and int8 scales) to `path` and the config beside it
    /// (both atomically), in the current format.
    public func save(to path: String) throws(ModelError) {
        do { try Checkpoint.save(weights, config: config, to: path, metadata: ["format": ModelConfig.currentFormat]) } catch {
            throw ModelError(checkpoint: error)
        }
    }

    /// Writes these weights with `config` (same network; fields such as intervals changed) to `path`.
    public func save(to path: String, config: ModelConfig) throws(ModelError) {
        guard config.architecture == self.config.architecture, config.vocabulary == self.config.vocabulary else {
            throw ModelError(.usage, "\(path): a config for other weights")
        }
        do { try Checkpoint.save(weights, config: config, to: path, metadata: ["format": ModelConfig.currentFormat]) } catch {
            throw ModelError(checkpoint: error)
        }
    }

    /// Number of trained scalars.
    public var parameterCount: Int { weights.scalarCount }

    /// Predicts every flow on one design. Errors name the first flow the model cannot read.
    public func predict(_ design: DesignSample, flows: [Flow]) throws(ModelError) -> [QoRPrediction] {
        var tokens: [[Int32]] = []
        tokens.reserveCapacity(flows.count)
        for (i, f) in flows.enumerated() { tokens.append(try config.vocabulary.tokens(f, number: flows.count > 1 ? i + 1 : nil)) }
        let outputs = standardised(design, tokens: tokens)
        let out = outputs.map { config.scaling.qor(Double($0.0), Double($0.1), stats: design.stats) }
            .map { QoRPrediction(delay: $0.delay, area: $0.area) }
        // inf or NaN is no prediction (and no JSON number): the weights or the config are broken.
        if let bad = out.firstIndex(where: { !($0.delay.isFinite && $0.area.isFinite) }) {
            throw ModelError(
                .badCheckpoint,
                "the model predicts delay \(out[bad].delay), area \(out[bad].area) for \(flows[bad].canonical): its weights or config are not usable")
        }
        return out
    }

    /// Forgets what prediction cached (after the weights change).
    func clearCache() { inference.clearCache() }

    /// Standardised (delay, area) outputs for token sequences on one design.
    func standardised(_ design: DesignSample, tokens: [[Int32]]) -> [(Float, Float)] {
        let raw = neighbours[design.hash].map { neighbourOutputs(design, tokens: tokens, $0) } ?? uncalibrated(design, tokens: tokens)
        guard let o = offsets[design.hash] else { return raw }
        return raw.map { ($0.0 + o.0, $0.1 + o.1) }
    }

    /// The network's outputs for `design`, or, with `row`, for `design` presented as the training
    /// design of that memory row (its memory and its own base).
    func uncalibrated(_ design: DesignSample, tokens: [[Int32]], as row: Int32? = nil) -> [(Float, Float)] {
        let memory = row ?? memoryRow(design)
        let input = DesignInput(graph: design.graph, stats: design.stats, memory: memory, key: row.map { "\(design.hash)#\($0)" } ?? design.hash,
                                graphKey: design.hash) { [unowned self] in
            graphTensors(design)
        }
        let known = memory > 0 ? config.knownDesigns[Int(memory) - 1] : nil, steps = config.vocabulary.steps.count
        let spread = (Float(config.scaling.delaySpread), Float(config.scaling.areaSpread))
        var out: [(Float, Float)] = []
        out.reserveCapacity(tokens.count)
        DegreeQuantContext.$current.withValue(degreeQuant) {
            inference.run(graph, input, tokens: tokens, batchSize: batchSize) { effect, level, batch in
                out += config.base.outputs(effect: effect, level: level, known: known, stats: design.stats, summary: batch.summary(steps: steps),
                                           spread: spread)
            }
        }
        return out
    }

    func graphTensors(_ design: DesignSample) -> GraphTensors<Float> {
        if let t = tensors[design.hash] { return t }
        let t = GraphTensors<Float>(design)
        tensors[design.hash] = t
        return t
    }
}

extension ModelError {
    init(checkpoint e: CheckpointError) {
        switch e.kind {
        case .missingFile: self.init(.missingFile, "\(e.path): no such checkpoint")
        case .io: self.init(.io, e.description)
        case .badData, .mismatch: self.init(.badCheckpoint, e.description)
        }
    }
}

extension QoRPredictor {
    /// The same weights (with their masks and int8 forms) under another config of the same
    /// architecture and vocabulary (to attach training information and metrics).
    public func with(config newConfig: ModelConfig) throws(ModelError) -> QoRPredictor {
        guard newConfig.architecture == config.architecture, newConfig.vocabulary == config.vocabulary,
              newConfig.knownDesigns.map(\.hash) == config.knownDesigns.map(\.hash) else {
            throw ModelError(.usage, "a new config must keep the architecture and vocabulary")
        }
        let p = QoRPredictor(config: newConfig, seed: 0)
        p.weights.copyForms(from: weights)
        return p
    }
}
