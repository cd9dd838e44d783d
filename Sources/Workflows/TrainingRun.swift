import Common
import Foundation
import QoRModel
import Store
import Tensor

/// `qor train` as one value: which labels, which split, which model (fresh, with experts, or
/// fine-tuned from a parent) and which training options; ``run(store:events:)`` trains, saves the
/// checkpoint under `out` and records it in the database.
public struct TrainingRun {
    /// Library of the labels: name, hash or id (nil: the one with the most labels).
    public var library: String?
    public var split: SplitKind
    public var holdout: [String] = []
    public var seed: UInt64 = 1
    public var kind: ModelKind = .sequence
    public var flowEncoder: FlowEncoderKind = .lstm
    public var epochs = 60
    public var patience = 12
    public var learningRate = 3e-3
    public var designsPerStep: Int?
    public var flowsPerDesign: Int?
    public var flowsPerDesignPerEpoch: Int?
    public var degreeQuant: DegreeQuantSettings?
    public var sampler: (any GraphSampler)?
    public var chex: ChexOptions?
    public var sparseAttention: NMPattern?
    public var nmWeights: NMPattern?
    /// SGC/SIGN propagation in place of the sequence model's GIN.
    public var simplification: GraphSimplification?
    /// Teacher checkpoint to distil from, with the objective's settings.
    public var distillation: (teacher: String, settings: DistillationSettings)?
    /// A mixture of experts in place of a dense layer of a fresh sequence model.
    public var moe: MoESettings?
    /// Parent checkpoint to fine-tune (its architecture and compression steps are kept).
    public var from: String?
    /// With `from` a model with experts: prune them to one per layer by this fraction of the steps.
    public var pruneHorizon: Double?
    /// File stem and database key (nil: `<kind>-<split>`).
    public var name: String?
    public var out = "models"

    public init(split: SplitKind) { self.split = split }

    /// What the caller hears while training runs.
    public struct Events {
        public var notice: (String) -> Void
        public var step: (StepReport) -> Void
        public var epoch: (EpochReport) -> Void
        /// Training has ended after `epochs` epochs, the best being `best` (before saving).
        public var trained: (_ epochs: Int, _ best: Int) -> Void

        public init(notice: @escaping (String) -> Void, step: @escaping (StepReport) -> Void, epoch: @escaping (EpochReport) -> Void,
                    trained: @escaping (Int, Int) -> Void) {
            self.notice = notice
            self.step = step
            self.epoch = epoch
            self.trained = trained
        }
    }

    public func run(store: Store, events: Events) throws -> TrainingOutcome {
        let data = try LearningData.load(store, library: library)
        let dataSplit = try DataSplit.make(data.set, kind: split, holdout: holdout, seed: seed)
        var (options, compression, parent) = try setup()
        options.epochs = epochs
        options.seed = seed
        options.patience = patience
        options.learningRate = learningRate
        if let designsPerStep { options.designsPerStep = designsPerStep }
        if let flowsPerDesign { options.flowsPerDesign = flowsPerDesign }
        let kind = options.architecture.kind
        let modelName = name ?? "\(kind.rawValue)-\(split.rawValue)"
        if let degreeQuant { options.degreeQuant = degreeQuant }
        options.sampler = sampler
        if let chex { options.chex = chex }
        if let sparseAttention { try options.setSparseAttention(sparseAttention) }
        options.nmWeights = nmWeights
        if let flowsPerDesignPerEpoch { options.flowsPerDesignPerEpoch = flowsPerDesignPerEpoch }
        if let simplification {
            try options.setSimplification(simplification, parent: from.map { Checkpoint.configPath(for: $0) },
                                          parentFingerprint: from.flatMap { try? Checkpoint.weightsFingerprint(of: $0) })
        }
        let distillation = try distillation.map { try DistillationObjective(teacherCheckpoint: $0.teacher, settings: $0.settings) }
        events.notice("training \(modelName) on \(dataSplit.train.count) labels (\(data.set.designs.count) designs, \(data.set.flows.count) flows, library \(data.libraryName)); validation \(dataSplit.validation.count), test \(dataSplit.test.count)")
        let result = try Trainer.train(data.set, split: dataSplit, options: options, library: data.libraryName, units: data.units,
                                       distillation: distillation, onStep: events.step, onEpoch: events.epoch)
        events.trained(result.history.count, result.bestEpoch)

        var config = result.predictor.config
        let history = result.history
        config.training = TrainingInfo(
            split: split, holdout: holdout, seed: seed, epochs: history.count, bestEpoch: result.bestEpoch,
            labels: dataSplit.train.count, designs: data.set.designs.count, flows: data.set.flows.count,
            secondsPerEpoch: TrainingOutcome.mean(history.map(\.seconds)))
        config.metrics = result.test ?? result.validation
        // The parent's (or --moe's) steps, then what this run's options added.
        config.compression = compression + config.compression
        if let distillation {
            config.compression.append(distillation.compressionStep)
            events.notice(String(format: "the teacher predicted the training labels in %.1f s", distillation.teacherSeconds))
        }
        let trained = try pruneHorizon != nil
            ? ExpertPruning.dense(result.predictor, config: config, parent: from, parentFingerprint: from.flatMap { try? Checkpoint.weightsFingerprint(of: $0) })
            : result.predictor.with(config: config)
        if let parent, let moe = (parent.config.architecture.network as? SequenceConfig)?.moe {
            events.notice("fine-tuned from \(from ?? "") (\(moe.option), \(moe.experts) experts per layer); experts alive per layer at the end: \(result.predictor.expertHistory.last ?? [])")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = (out as NSString).appendingPathComponent("\(modelName).safetensors")
        try trained.save(to: path)
        _ = try store.saveModel(trained, name: modelName, path: path)
        return TrainingOutcome(name: modelName, path: path, split: split, model: trained, history: history, bestEpoch: result.bestEpoch,
                               validation: result.validation, test: result.test)
    }

    /// The options of a fresh, MoE or fine-tuned model, the compression steps it starts with, and the parent.
    private func setup() throws -> (TrainingOptions, [CompressionStep], QoRPredictor?) {
        if let from {
            let p = try QoRPredictor(checkpoint: from)
            if pruneHorizon != nil, (p.config.architecture.network as? SequenceConfig)?.moe == nil {
                throw ModelError(.usage, "--prune-experts: \(from) has no experts (train it with --moe)")
            }
            var options = TrainingOptions(finetuning: p)
            if let pruneHorizon { options.expertPruning = ExpertPruningSchedule(horizon: pruneHorizon) }
            return (options, p.config.compression, p)
        }
        let options = TrainingOptions(kind: kind, flowEncoder: flowEncoder)
        guard let moe else { return (options, [], nil) }
        guard var sequence = options.architecture.network as? SequenceConfig else { throw ModelError(.usage, "--moe needs --model sequence") }
        sequence.moe = moe
        if let problem = sequence.inconsistency { throw ModelError(.usage, "--moe: \(problem.field): \(problem.message)") }
        return (TrainingOptions(architecture: Architecture(sequence)), [CompressionStep(option: moe.option, settings: moe.recorded)], nil)
    }
}

/// A finished training run: the saved model and how training went.
public struct TrainingOutcome {
    public var name: String
    public var path: String
    public var split: SplitKind
    public var model: QoRPredictor
    public var history: [EpochReport]
    public var bestEpoch: Int
    public var validation: Evaluation
    public var test: Evaluation?

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

    public var json: String {
        get throws {
            let config = model.config
            return "{\"name\":\(JSONText.quoted(name)),\"path\":\(JSONText.quoted(path)),\"kind\":\(JSONText.quoted(config.architecture.kind.rawValue)),"
                + "\"fingerprint\":\(JSONText.quoted(config.fingerprint)),\"epochs\":\(history.count),\"best_epoch\":\(bestEpoch),"
                + "\"seconds_per_epoch\":\(Self.mean(history.map(\.seconds))),\"training_seconds_per_epoch\":\(Self.mean(history.map(\.trainingSeconds))),"
                + "\"cpu_seconds_per_epoch\":\(Self.mean(history.map(\.cpuSeconds))),\"training_cpu_seconds_per_epoch\":\(Self.mean(history.map(\.trainingCPUSeconds))),"
                + "\"metrics\":\(try JSONText.encoded(config.metrics))}"
        }
    }

    public var text: String {
        var lines = ["model \(name) (\(model.config.architecture.kind.rawValue), \(model.parameterCount) parameters) saved to \(path)",
                     String(format: "%.2f s per epoch (training steps %.2f s), best epoch %d of %d", Self.mean(history.map(\.seconds)),
                            Self.mean(history.map(\.trainingSeconds)), bestEpoch, history.count)]
        if let test { lines.append(test.table("test (\(split.rawValue) held out)")) }
        lines.append(validation.table("validation"))
        return lines.joined(separator: "\n")
    }

    /// One line per epoch for the terminal.
    public static func line(_ r: EpochReport) -> String {
        String(format: "epoch %d: loss %.4f, validation MAPE delay %.3f%% area %.3f%% (%.1f s, training %.1f s; CPU %.1f s, training %.1f s)%@",
               r.epoch, r.loss, r.validationDelayMAPE, r.validationAreaMAPE, r.seconds, r.trainingSeconds,
               r.cpuSeconds, r.trainingCPUSeconds, r.improved ? " *" : "")
    }
}
