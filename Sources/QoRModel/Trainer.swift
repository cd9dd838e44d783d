import Common
import Foundation
import Tensor

/// Settings of one training run.
public struct TrainingOptions: Sendable {
    public var architecture: Architecture
    public var epochs = 60
    public var seed: UInt64 = 1
    /// AdamW peak learning rate (linear warm-up, cosine decay over all epochs) and decoupled weight decay.
    public var learningRate = 3e-3
    public var weightDecay = 1e-4
    /// Stop after this many epochs without a better validation score; the best weights are kept.
    public var patience = 12
    /// Designs per optimiser step, and flows of each design in a step.
    public var designsPerStep = 2
    public var flowsPerDesign = 64
    /// When set, each epoch samples at most this many flows of each design (the supernode model
    /// runs the whole graph per flow).
    public var flowsPerDesignPerEpoch: Int?
    /// Chance that a design of a step is presented as unseen (memory row 0), so that the graph
    /// encoder, not the design memory, carries what transfers to new designs.
    public var memoryDropout = 0.25
    /// Weights to start from, by parameter name (fine-tuning a parent model: `qor train --from`);
    /// parameters of another shape or absent keep their initial values.
    public var initialWeights: [String: Tensor<Float>]?
    /// Task-specific expert pruning during this run (a model with experts only).
    public var expertPruning: ExpertPruningSchedule?
    /// Degree-Quant quantisation-aware training of the GNN (nil: plain float training).
    public var degreeQuant: DegreeQuantSettings?
    /// When set, every training step runs on a subgraph this sampler draws from the design
    /// (validation, test and prediction stay full-graph); the model records it as a compression step.
    public var sampler: (any GraphSampler)?
    /// CHEX channel exploration to sparsity κ; the result is saved physically narrower.
    public var chex: ChexOptions?
    /// Static N:M magnitude masks on the linear layers, set halfway through training (dense first).
    public var nmWeights: NMPattern?
    /// The SGC/SIGN step `setSimplification` records (the architecture holds the settings).
    public var simplificationStep: CompressionStep?

    /// The family's default architecture and batch sizes.
    public init(kind: ModelKind, flowEncoder: FlowEncoderKind = .lstm) {
        self.init(architecture: .defaults(kind, flowEncoder: flowEncoder))
    }

    /// Turns on DFSS N:M attention; only the sequence model's Transformer flow encoder has attention.
    public mutating func setSparseAttention(_ pattern: NMPattern) throws(ModelError) {
        guard var s = architecture.network as? SequenceConfig, s.flowEncoder == .transformer else {
            throw ModelError(.usage, "sparse attention needs the sequence model with the transformer flow encoder")
        }
        s.sparseAttention = pattern
        architecture = Architecture(s)
    }

    /// Default settings for `architecture`, with its family's batch sizes.
    public init(architecture: Architecture) {
        self.architecture = architecture
        architecture.network.adjust(&self)
    }
}

/// What one epoch did.
public struct EpochReport: Sendable {
    public var epoch: Int
    /// Mean training loss over the epoch's steps.
    public var loss: Double
    public var validationDelayMAPE: Double
    public var validationAreaMAPE: Double
    public var seconds: Double
    /// Of `seconds`, the training steps alone (without the validation pass).
    public var trainingSeconds: Double = 0
    /// Process CPU seconds of the epoch and of its training steps (all threads): steadier than wall
    /// time on a shared machine.
    public var cpuSeconds: Double = 0
    public var trainingCPUSeconds: Double = 0
    /// Whether this epoch's weights are the best so far (and kept).
    public var improved: Bool
}

/// A finished training run: the model with its best weights, how it got there, and its scores.
public struct TrainingResult {
    public let predictor: QoRPredictor
    public let history: [EpochReport]
    public let bestEpoch: Int
    public let validation: Evaluation
    /// Scores on the test part (nil when the split has none).
    public let test: Evaluation?
}

/// The training loop: fits the bases (`BaseFit`), then trains the network's effect and level
/// outputs against them with early stopping on the validation MAPE. The loss is the squared error
/// of the effects plus that of the levels plus the network's auxiliary term, if any, plus the
/// distillation term of a teacher, if any (`DistillationObjective`).
public enum Trainer {
    public static func train(
        _ set: TrainingSet, split: DataSplit, options: TrainingOptions, library: String, units: QoRUnits,
        distillation: DistillationObjective? = nil,
        onStep: (StepReport) -> Void = { _ in },
        onEpoch: (EpochReport) -> Void = { _ in }
    ) throws(ModelError) -> TrainingResult {
        guard !split.train.isEmpty else { throw ModelError(.badInput, "no training labels") }
        guard !split.validation.isEmpty else { throw ModelError(.badInput, "no validation labels") }
        guard options.epochs >= 1 else { throw ModelError(.usage, "epochs must be at least 1") }
        guard options.learningRate.isFinite, options.learningRate > 0, options.weightDecay.isFinite, options.weightDecay >= 0,
            options.memoryDropout.isFinite, (0...1).contains(options.memoryDropout),
            options.designsPerStep >= 1, options.flowsPerDesign >= 1, (options.flowsPerDesignPerEpoch ?? 1) >= 1
        else {
            throw ModelError(
                .usage,
                "training options must be finite and positive: learning rate \(options.learningRate), weight decay \(options.weightDecay), "
                    + "memory dropout \(options.memoryDropout), designs per step \(options.designsPerStep), flows per design \(options.flowsPerDesign)")
        }
        if let c = options.chex {
            guard c.kappa.isFinite, c.kappa > 0, c.kappa < 1, c.interval >= 1 else {
                throw ModelError(.usage, "CHEX needs a channel sparsity in (0, 1) and an interval of at least 1 epoch; found \(c.kappa), \(c.interval)")
            }
            guard options.nmWeights == nil else { throw ModelError(.usage, "CHEX and N:M weight sparsity do not combine") }
        }
        HeapRetention.keepFreedMemory()
        let prep = try TrainingPreparation(set, split: split, options: options, library: library, units: units)
        let (tokens, scaling, targets, fit, sigma, config) = (prep.tokens, prep.scaling, prep.targets, prep.fit, prep.sigma, prep.config)
        let predictor = QoRPredictor(config: config, seed: options.seed)
        let weights = predictor.weights, network = predictor.network, batching = network.batching
        if let initial = options.initialWeights {
            for id in weights.ids {
                if let t = initial[weights.name(id)], t.shape == weights[id].shape { weights[id] = t }
            }
        }
        var chex: ChexPruner?
        if let c = options.chex {
            guard let prunable = network as? any ChannelPrunable, !prunable.channelGroups.isEmpty else {
                throw ModelError(.usage, "the \(options.architecture.kind) model has no channels CHEX can prune")
            }
            chex = ChexPruner(c, groups: prunable.channelGroups, weights: weights, epochs: options.epochs, seed: options.seed)
        }
        // Epoch (from 0) whose start sets the final masks; only epochs from there can be kept as best.
        let nmFrom = options.epochs / 2
        let fixedFrom = chex?.fixedFrom ?? (options.nmWeights == nil ? 0 : nmFrom)
        var maskedNames: [String] = []
        let networkParameters = weights.ids.count
        try distillation?.prepare(weights: weights, set: set, train: split.train, scaling: scaling, labels: targets, spread: sigma,
                                  library: library, featureWidth: (options.architecture.network as? SequenceConfig)?.fusionWidth)
        var tensorCache: [Int: GraphTensors<Float>] = [:]
        func tensorsOf(_ d: Int) -> GraphTensors<Float> {
            if let t = tensorCache[d] { return t }
            let t = predictor.graphTensors(set.designs[d])
            tensorCache[d] = t
            return t
        }

        var samplers: [Int: any DesignSampler] = [:]
        var samplingRNG = SplitMix64(seed: options.seed ^ 0x5A3D_1E55)
        /// The tensors of a step on design `d`: a fresh sample when sampling, else the whole graph.
        func stepTensors(_ d: Int) -> GraphTensors<Float> {
            guard let sampler = options.sampler else { return tensorsOf(d) }
            let design = set.designs[d]
            let prepared = samplers[d] ?? sampler.prepare(design.graph, seed: options.seed ^ UInt64(d))
            samplers[d] = prepared
            return GraphTensors(design.graph, stats: design.stats, sample: prepared.sample(using: &samplingRNG))
        }

        var rng = SeededGenerator(seed: options.seed &+ 17)
        func epochSteps() -> [[[Int]]] { prep.epochSteps(set, options: options, batching: batching, rng: &rng) }
        let estimatedSteps = epochSteps().count
        rng = SeededGenerator(seed: options.seed &+ 17)
        let total = options.epochs * estimatedSteps
        var optimizer = Adam<Float>.adamW(
            learningRate: options.learningRate, weightDecay: options.weightDecay,
            schedule: .cosine(total: total, warmup: min(200, max(1, total / 20)), minimum: options.learningRate / 50), clipNorm: 5)
        let g = Tape(weights, mode: .training, seed: options.seed)
        network.startTraining(options, steps: total)
        let dq = options.degreeQuant.map { DegreeQuantState($0, seed: options.seed) }
        predictor.degreeQuant = dq
        var bestRanges = dq?.snapshot()

        var history: [EpochReport] = []
        var best = Double.infinity, bestEpoch = 0, bestValues = weights.values, stale = 0
        var done = 0
        for epoch in 1...options.epochs {
            let start = Date(), startCPU = processCPUSeconds()
            chex?.beforeEpoch(epoch - 1)
            if let p = options.nmWeights, epoch - 1 == nmFrom { maskedNames = NMWeightMasks.apply(p, to: weights) }
            if epoch - 1 == fixedFrom { best = .infinity; stale = 0 }
            let steps = epochSteps()
            var lossSum = 0.0, epochRows = 0
            for (stepIndex, chunks) in steps.enumerated() {
                let (rows, bases) = prep.memoryAndBases(set, chunks: chunks, predictor: predictor, memoryDropout: options.memoryDropout, rng: &rng)
                let groups = zip(chunks, rows).map { DesignGroup(tensors: stepTensors(set.examples[$0[0]].design), memory: $1, flows: $0.count) }
                dq?.training = true
                dq?.quantizeWeights(weights)
                let loss = DegreeQuantContext.$current.withValue(dq) {
                    step(g, network, groups: groups, chunks: chunks, set: set, tokens: tokens, targets: targets,
                         bases: bases, levels: fit.levelCorrections, sigma: sigma, distillation: distillation)
                }
                dq?.training = false
                // A non-finite loss poisons every weight: fail before anything can be saved.
                guard loss.isFinite else {
                    throw ModelError(
                        .badInput,
                        "training diverged: the loss is \(loss) at epoch \(epoch), step \(done + 1); nothing was saved (try a smaller learning rate)")
                }
                lossSum += loss
                optimizer.step(g)
                // The pool reuses buffers of equal size only, and a step's sizes change with its designs: kept
                // across steps it held every size seen (2.7-3.8 GB on the seed data after one epoch). Freed
                // to malloc instead, which HeapRetention keeps in the heap for any size.
                g.releaseMemory()
                done += 1
                network.didStep(done)
                let stepRows = chunks.reduce(0) { $0 + $1.count }
                epochRows += stepRows
                onStep(StepReport(epoch: epoch, step: stepIndex + 1, steps: steps.count, done: done, total: total, rows: stepRows,
                                  epochRows: epochRows, loss: loss, runningLoss: lossSum / Double(stepIndex + 1)))
            }
            dq?.quantizeWeights(weights)
            let trainingSeconds = Date().timeIntervalSince(start), trainingCPU = processCPUSeconds() - startCPU
            predictor.clearCache()
            let v = Evaluation(predictor, set, rows: split.validation, tokens: tokens, modelOnly: true)
            let score = (v.model.delayMAPE + v.model.areaMAPE) / 2
            // Weights of an unfinished schedule (experts still being pruned) are neither kept nor a reason to stop.
            let settled = network.settled
            let improved = settled && score < best && epoch - 1 >= fixedFrom
            if improved {
                best = score
                bestEpoch = epoch
                bestValues = weights.values
                bestRanges = dq?.snapshot()
                stale = 0
            } else if settled && epoch - 1 >= fixedFrom {
                stale += 1
            }
            let report = EpochReport(epoch: epoch, loss: lossSum / Double(max(1, steps.count)), validationDelayMAPE: v.model.delayMAPE,
                                     validationAreaMAPE: v.model.areaMAPE, seconds: Date().timeIntervalSince(start), trainingSeconds: trainingSeconds,
                                     cpuSeconds: processCPUSeconds() - startCPU, trainingCPUSeconds: trainingCPU, improved: improved)
            history.append(report)
            onEpoch(report)
            if stale >= options.patience { break }
        }
        guard bestEpoch > 0 else {
            throw ModelError(.badInput, "training produced no finite validation score in \(history.count) epochs; nothing was saved")
        }
        for id in weights.ids { weights[id] = bestValues[id.index] }
        guard weights.values.allSatisfy({ $0.data.allSatisfy(\.isFinite) }) else {
            throw ModelError(.badInput, "training produced non-finite weights; nothing was saved")
        }
        var final = predictor
        if let dq, let bestRanges {
            dq.restore(bestRanges)
            dq.quantizeWeights(weights)
            var c = predictor.config
            c.compression.append(dq.step)
            final = try predictor.with(config: c)
        }
        final.clearCache()
        if let p = options.nmWeights {
            final = try final.with(config: final.config.appending(CompressionStep(
                option: "nm-weights", settings: ["pattern": p.description, "layers": maskedNames.joined(separator: ","), "from_epoch": "\(nmFrom + 1)"])))
        }
        if let chex, let prunable = network as? any ChannelPrunable, options.architecture.network is SequenceConfig {
            let narrow = ChexCompaction.compact(final, prunable: prunable, kept: chex.keptIndices)
            // The efficiency table's counter, on its reference workload (COMPRESSION.md §4).
            let before = final.cost(), after = narrow.cost()
            func count(_ c: NetworkCost?, _ macs: KeyPath<NetworkCost, Int>) -> String { c.map { "\($0[keyPath: macs])" } ?? "n/a" }
            let c = chex.options
            var settings = ["kappa": "\(c.kappa)", "interval_epochs": "\(c.interval)", "initial_regrow": "\(c.initialRegrow)",
                            "t_max_epoch": "\(chex.schedule.tMax)",
                            "macs_per_flow_before": count(before, \.perFlowMACs), "macs_per_flow_after": count(after, \.perFlowMACs),
                            "macs_per_design_before": count(before, \.graphPassMACs), "macs_per_design_after": count(after, \.graphPassMACs),
                            "parameters_before": "\(final.parameterCount)", "parameters_after": "\(narrow.parameterCount)"]
            for (g, k) in zip(chex.groups, chex.keptIndices) { settings["channels." + g.name] = "\(g.channels)->\(k.count)" }
            final = try narrow.with(config: narrow.config.appending(CompressionStep(option: "chex", settings: settings)))
        }
        // Training-only parameters (a distillation objective's heads) are not part of the model.
        let trained = final.weights.ids.count == networkParameters ? final : final.droppingParameters(after: networkParameters)
        let validation = Evaluation(trained, set, rows: split.validation, tokens: tokens, train: split.train)
        let test = split.test.isEmpty ? nil : Evaluation(trained, set, rows: split.test, tokens: tokens, train: split.train)
        return TrainingResult(predictor: trained, history: history, bestEpoch: bestEpoch, validation: validation, test: test)
    }

    /// One forward and backward pass; returns the loss: the squared error of the effects against
    /// each label's distance from its base (over the spread), plus that of the level output against
    /// each design's level correction (`levels`), plus the network's auxiliary term.
    static func step(
        _ g: Tape<Float>, _ network: any QoRNetwork, groups: [DesignGroup<Float>], chunks: [[Int]], set: TrainingSet, tokens: [[Int32]],
        targets: [(Float, Float)], bases: [[(Float, Float)]], levels: [Int: (Float, Float)], sigma: (Float, Float),
        distillation: DistillationObjective? = nil
    ) -> Double {
        let rows = chunks.flatMap { $0 }
        let batch = TokenBatch(rows.map { tokens[set.examples[$0].flow] })
        let out = network.forward(g, groups, tokens: batch)
        let (effectTargets, levelTargets) = lossTargets(chunks: chunks, set: set, targets: targets, bases: bases, levels: levels, sigma: sigma,
                                                        levelPerFlow: out.levelRows == .perFlow)
        var loss = g.add(g.mse(out.effect, g.constant(Tensor([rows.count, 2], effectTargets))),
                         g.mse(out.level, g.constant(Tensor([levelTargets.count / 2, 2], levelTargets))))
        if let auxiliary = out.auxiliary { loss = g.add(loss, auxiliary) }
        if let distillation { loss = g.add(loss, distillation.loss(g, out, rows: rows, bases: bases.flatMap { $0 }, spread: sigma)) }
        let value = Double(g.scalar(loss))
        g.backward(loss)
        return value
    }

    /// What a step's outputs are compared with: each row's effect target `[rows * 2]` (its label's
    /// distance from its base over the spread) and each design's (or, `levelPerFlow`, each row's)
    /// level correction.
    static func lossTargets(chunks: [[Int]], set: TrainingSet, targets: [(Float, Float)], bases: [[(Float, Float)]], levels: [Int: (Float, Float)],
                            sigma: (Float, Float), levelPerFlow: Bool) -> (effect: [Float], level: [Float]) {
        var effectTargets: [Float] = [], levelTargets: [Float] = []
        for c in chunks {
            let level = levels[set.examples[c[0]].design] ?? (0, 0)
            for _ in 0..<(levelPerFlow ? c.count : 1) { levelTargets += [level.0, level.1] }
        }
        for (r, base) in zip(chunks.flatMap { $0 }, bases.flatMap { $0 }) {
            let e = BaseModel.effectTarget(targets[r], base: base, spread: sigma)
            effectTargets += [e.0, e.1]
        }
        return (effectTargets, levelTargets)
    }

    /// Scores the model and the per-design median baseline on the given rows.
    public static func evaluate(_ predictor: QoRPredictor, _ set: TrainingSet, rows: [Int], train: [Int]) throws(ModelError) -> Evaluation {
        var tokens: [[Int32]] = []
        for (i, f) in set.flows.enumerated() { tokens.append(try predictor.config.vocabulary.tokens(f, number: i + 1)) }
        return Evaluation(predictor, set, rows: rows, tokens: tokens, train: train)
    }
}

/// CPU seconds this process has used, all threads.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
