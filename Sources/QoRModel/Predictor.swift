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

/// The network of either family, built from a config.
enum Network {
    case sequence(SequenceNetwork)
    case supernode(SupernodeNetwork)

    init(_ store: ParameterStore<Float>, _ config: ModelConfig) {
        switch config.architecture.kind {
        case .sequence:
            self = .sequence(SequenceNetwork(store, config.architecture, vocabulary: config.vocabulary, knownDesigns: config.knownDesigns.count))
        case .supernode:
            self = .supernode(SupernodeNetwork(store, config.architecture, vocabulary: config.vocabulary, knownDesigns: config.knownDesigns.count))
        }
    }
}

/// A trained model: its config and weights, ready to predict. Inference records no tape; the
/// sequence model computes each design's graph embedding once (cached by the design's content
/// hash) and sends flows through the flow encoder and fusion in batches of `batchSize`.
public final class QoRPredictor {
    public let config: ModelConfig
    let store: ParameterStore<Float>
    let network: Network
    private var contexts: [String: DesignContext] = [:]
    private var fastLSTM: FastLSTM?
    private var tensors: [String: GraphTensors] = [:]
    private let graph: Graph<Float>
    private let memoryRows: [String: Int32]
    /// Per design (content hash): what ``calibrate(_:flows:truth:)`` adds to the standardised outputs.
    var offsets: [String: (Float, Float)] = [:]
    /// Flows per batch through the flow encoder.
    public var batchSize = 4096

    /// A model with freshly initialised weights (seeded).
    public init(config: ModelConfig, seed: UInt64) {
        self.config = config
        store = ParameterStore<Float>(seed: seed)
        network = Network(store, config)
        graph = Graph(store, mode: .inference)
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

    /// Standardised targets of the flows of `batch`: a base (a known design's linear model on the
    /// flow summary, else the statistics ridge plus row `levelRow` of the predicted `level` plus the
    /// pooled ridge on the flow summary) plus the spread times the effect.
    func combine(effect: Tensor<Float>, level: Tensor<Float>, levelRow: (Int) -> Int, known: KnownDesign?, stats: DesignStats,
                 batch: TokenBatch) -> [(Float, Float)] {
        let s = config.scaling
        let x = stats.features
        let unseenLevel = known == nil
            ? (Float(DesignRidge.apply(config.levelRidge.first ?? [], x)), Float(DesignRidge.apply(config.levelRidge.last ?? [], x))) : (0, 0)
        let summary = batch.summary(steps: config.vocabulary.steps.count)
        var out: [(Float, Float)] = []
        out.reserveCapacity(batch.count)
        for i in 0..<batch.count {
            let f = summary.data[(i * summary.cols)..<((i + 1) * summary.cols)]
            let base: (Float, Float)
            if let k = known {
                base = (Float(DesignRidge.apply(k.delay, f)), Float(DesignRidge.apply(k.area, f)))
            } else {
                let r = levelRow(i), flow = (DesignRidge.apply(config.flowRidge.first ?? [], f), DesignRidge.apply(config.flowRidge.last ?? [], f))
                base = (level.data[2 * r] + unseenLevel.0 + Float(flow.0), level.data[2 * r + 1] + unseenLevel.1 + Float(flow.1))
            }
            out.append((base.0 + Float(s.delaySpread) * effect.data[2 * i], base.1 + Float(s.areaSpread) * effect.data[2 * i + 1]))
        }
        return out
    }

    /// Loads `path` (`.safetensors`) and the JSON config beside it.
    public convenience init(checkpoint path: String) throws(ModelError) {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelError(.missingFile, "\(path): no such checkpoint") }
        let config: ModelConfig
        do { config = try Checkpoint.readConfig(ModelConfig.self, weights: path) } catch { throw ModelError(checkpoint: error) }
        guard config.format == ModelConfig.currentFormat else {
            throw ModelError(.badCheckpoint, "\(Checkpoint.configPath(for: path)): format '\(config.format)', expected '\(ModelConfig.currentFormat)'")
        }
        try config.validate(file: Checkpoint.configPath(for: path))
        self.init(config: config, seed: 0)
        do { try Checkpoint.load(into: store, from: path) } catch { throw ModelError(checkpoint: error) }
    }

    /// Writes the weights to `path` and the config beside it (both atomically).
    public func save(to path: String) throws(ModelError) {
        do { try Checkpoint.save(store, config: config, to: path, metadata: ["format": ModelConfig.currentFormat]) } catch {
            throw ModelError(checkpoint: error)
        }
    }

    /// Number of trained scalars.
    public var parameterCount: Int { store.scalarCount }

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

    /// Forgets the cached graph embeddings (after the weights change).
    func clearCache() {
        contexts.removeAll()
        fastLSTM = nil
    }

    /// Standardised (delay, area) outputs for token sequences on one design.
    func standardised(_ design: DesignSample, tokens: [[Int32]]) -> [(Float, Float)] {
        let raw = uncalibrated(design, tokens: tokens)
        guard let o = offsets[design.hash] else { return raw }
        return raw.map { ($0.0 + o.0, $0.1 + o.1) }
    }

    private func uncalibrated(_ design: DesignSample, tokens: [[Int32]]) -> [(Float, Float)] {
        let t = graphTensors(design)
        let known = knownDesign(design)
        var out: [(Float, Float)] = []
        out.reserveCapacity(tokens.count)
        let g = graph
        switch network {
        case .sequence(let net):
            let ctx: DesignContext
            if let c = contexts[design.hash] {
                ctx = c
            } else {
                let c = net.context(g, t, memory: memoryRow(design))
                ctx = DesignContext(additive: g.value(c.additive), gate: g.value(c.gate), level: g.value(c.level))
                g.reset()
                contexts[design.hash] = ctx
            }
            if net.flow.lstm != nil, fastLSTM == nil { fastLSTM = FastLSTM(net.flow, store: store) }
            for start in stride(from: 0, to: tokens.count, by: batchSize) {
                let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + batchSize)]))
                let f = net.flowVectors(g, encoded: fastLSTM.map { g.constant($0.encode(batch)) } ?? net.flow(g, batch), batch)
                let y = g.value(net.fuse(g, flows: f, additive: g.constant(ctx.additive), gate: g.constant(ctx.gate)))
                out += combine(effect: y, level: ctx.level, levelRow: { _ in 0 }, known: known, stats: design.stats, batch: batch)
                g.reset()
            }
        case .supernode(let net):
            let per = Self.supernodeBatch(nodes: t.nodes)
            for start in stride(from: 0, to: tokens.count, by: per) {
                let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + per)]))
                let y = net.forward(g, t, memory: memoryRow(design), tokens: batch)
                let effect = g.value(y.effect), level = g.value(y.level)
                out += combine(effect: effect, level: level, levelRow: { $0 }, known: known, stats: design.stats, batch: batch)
                g.reset()
            }
            g.releaseMemory()
        }
        return out
    }

    /// Flows per supernode batch: about 64k node states at a time.
    static func supernodeBatch(nodes: Int, limit: Int = 64) -> Int { max(1, min(limit, 65_536 / max(1, nodes))) }

    func graphTensors(_ design: DesignSample) -> GraphTensors {
        if let t = tensors[design.hash] { return t }
        let t = GraphTensors(design)
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
    /// The same weights under another config of the same architecture and vocabulary (to attach
    /// training information and metrics).
    public func with(config newConfig: ModelConfig) throws(ModelError) -> QoRPredictor {
        guard newConfig.architecture == config.architecture, newConfig.vocabulary == config.vocabulary,
              newConfig.knownDesigns.map(\.hash) == config.knownDesigns.map(\.hash) else {
            throw ModelError(.usage, "a new config must keep the architecture and vocabulary")
        }
        let p = QoRPredictor(config: newConfig, seed: 0)
        for id in store.ids { p.store[id] = store[id] }
        return p
    }
}
