import ArgumentParser
import Flows
import Foundation
import Netlist
import QoRModel
import Store
import Tensor

extension ModelKind: ExpressibleByArgument {}
extension SplitKind: ExpressibleByArgument {}
extension FlowEncoderKind: ExpressibleByArgument {}
extension ExpertPlacement: ExpressibleByArgument {}
extension ExpertRouter: ExpressibleByArgument {}
extension DistillationMode: ExpressibleByArgument {}
extension GraphSimplification.Mode: ExpressibleByArgument {}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model that predicts delay and area from the labels in the database.",
        discussion: """
            Reads every `ok` label of one cell library (by default the one with the most labels), \
            splits it by flows (every design seen, some flows held out), by designs (some designs \
            never seen) or not at all (--split none: every label trains, a tenth of the flows \
            validates; for a model tested on other data), trains with early stopping on the validation MAPE, and writes \
            <out>/<name>.safetensors with <name>.json beside it (architecture, target \
            normalisation, vocabulary, data fingerprint, metrics). The model, its fingerprint and \
            its test metrics are recorded in the database.

            Examples:
              qor train --model sequence --split flows --epochs 60 --seed 1
              qor train --model supernode --split designs --holdout c6288 sin --name sn-designs
              qor train --name default --out db           # the shipped default model
              qor train --moe head --experts 4 --clusters 2 --name moec   # MoEC head (cosine routing)
              qor train --from models/moec.safetensors --prune-experts --name moec-1   # pruned to a dense model
              qor train --model supernode --sampler neighbor --fanout 4,4,4 --sample-size 256
              qor train --model supernode --sampler cluster --parts 8 --parts-per-batch 2
              qor train --model supernode --sampler saint --sample-size 512 --coverage 50
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Model family: sequence (graph encoded once per design) or supernode (flow as a virtual node).")
    var model: ModelKind = .sequence

    @Option(help: "What the test part holds out: flows, designs, or none (train on everything; test elsewhere).")
    var split: SplitKind = .flows

    @Option(parsing: .upToNextOption, help: "Designs to hold out (names), with --split designs; default: a seeded fifth.")
    var holdout: [String] = []

    @Option(help: "Maximum epochs (training stops earlier when validation stops improving).")
    var epochs = 60

    @Option(help: "Seed of the split, the initial weights and the batch order.")
    var seed: UInt64 = 1

    @Option(help: "Epochs without improvement before stopping.")
    var patience = 12

    @Option(help: "Peak learning rate (AdamW, cosine schedule).")
    var learningRate = 3e-3

    @Option(help: "Flow encoder of the sequence model: lstm or transformer.")
    var flowEncoder: FlowEncoderKind = .lstm

    @Option(help: "CHEX channel pruning to this channel sparsity in (0, 1): hidden channels of the fusion, level and graph readout MLPs are pruned and regrown during training; the saved model is physically narrower.")
    var chex: Double?

    @Option(help: "Epochs between CHEX prune/regrow steps.")
    var chexInterval = 2

    @Option(help: "DFSS N:M attention in the transformer flow encoder (e.g. 2:4): per row of scores, the N largest of every M.")
    var sparseAttention: String?

    @Option(help: "N:M magnitude sparsity of the linear layers' weights (e.g. 2:4), masked halfway through training.")
    var nmWeights: String?

    @Option(help: "Designs per optimiser step (tuning).")
    var designsPerStep: Int?

    @Option(help: "Flows of each design per step (tuning).")
    var flowsPerDesign: Int?

    @Flag(help: "Degree-Quant quantisation-aware training of the GNN (int8: percentile ranges, high in-degree nodes protected, clipped straight-through gradients).")
    var degreeQuant = false

    @Option(name: .customLong("dq-pmin"), help: "With --degree-quant: protection probability of the lowest in-degree.")
    var dqPmin = 0.0

    @Option(name: .customLong("dq-pmax"), help: "With --degree-quant: protection probability of the highest in-degree.")
    var dqPmax = 0.1
    @Option(help: "Graph sampler for training steps: none, neighbor (GraphSAGE fan-outs), cluster (Cluster-GCN parts) or saint (GraphSAINT nodes). Validation, test and prediction always run on the full graph; the supernode is never cut.")
    var sampler = "none"

    @Option(help: "With --sampler neighbor: neighbours drawn per node at each hop, comma-separated (-1: all), e.g. 10,10,10.")
    var fanout: String?

    @Option(help: "With --sampler cluster: partitions per design (each batch merges --parts-per-batch of them).")
    var parts: Int?

    @Option(help: "With --sampler cluster: partitions merged per batch.")
    var partsPerBatch: Int?

    @Option(help: "With --sampler neighbor: seed nodes per subgraph; with saint: nodes per subgraph.")
    var sampleSize: Int?

    @Option(help: "With --sampler saint: pre-sampled draws per node for the normalisation (0: no normalisation).")
    var coverage: Int?
    @Option(help: "At most this many flows of each design per epoch (default: all; the supernode model: 64).")
    var flowsPerDesignPerEpoch: Int?

    @Option(help: "Graph simplification in place of the GIN: sgc (Â^K X) or sign ([X, ÂX, …, Â^K X]), precomputed once per design, then the readout MLP.")
    var simplify: GraphSimplification.Mode?

    @Option(help: "With --simplify: propagation steps K.")
    var hops = 2

    @Option(help: "Teacher checkpoint (.safetensors, any family) to distil from: its predictions of the training labels join the loss.")
    var distillFrom: String?

    @Option(help: "Distillation objective with --distill-from: plain (MSE to the teacher) or mv2d (multi-view variational, Gaussian heads).")
    var distill: DistillationMode = .plain

    @Option(help: "Weight of the distillation term beside the task loss (0: the undistilled training).")
    var distillWeight = 1.0

    @Option(help: "Cell library of the labels: name, hash or id (default: the library with the most labels).")
    var library: String?

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

    @Option(help: "Fine-tune this model (.safetensors) instead of starting from random weights.")
    var from: String?

    @Flag(help: "With --from a model with experts: prune experts while fine-tuning and save a dense model.")
    var pruneExperts = false

    @Option(help: "Fraction of the fine-tuning steps by which one expert per layer is left.")
    var pruneHorizon = 0.5

    @Option(help: "Model name (file stem and database key); default <model>-<split>.")
    var name: String?

    @Option(help: "Directory for the checkpoint.")
    var out = "models"

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        try OptionCheck.count(epochs, "epochs", in: 1...100_000)
        try OptionCheck.count(patience, "patience", in: 1...100_000)
        try OptionCheck.number(learningRate, "learning-rate", above: 0, upTo: 1)
        try OptionCheck.count(designsPerStep, "designs-per-step", in: 1...1_000_000)
        try OptionCheck.count(flowsPerDesign, "flows-per-design", in: 1...1_000_000)
        guard (0...1).contains(dqPmin), (0...1).contains(dqPmax), dqPmin <= dqPmax else {
            throw ValidationError("--dq-pmin and --dq-pmax must satisfy 0 <= pmin <= pmax <= 1, found \(dqPmin) and \(dqPmax)")
        }
        _ = try samplerChoice()
        try OptionCheck.count(hops, "hops", in: 1...GraphSimplification.maxHops)
        guard simplify != nil || hops == 2 else { throw ValidationError("--hops needs --simplify") }
        if let chex { try OptionCheck.number(chex, "chex", above: 0, upTo: 0.999) }
        try OptionCheck.count(chexInterval, "chex-interval", in: 1...100_000)
        for (name, text) in [("sparse-attention", sparseAttention), ("nm-weights", nmWeights)] {
            if let text, NMPattern(text) == nil { throw ValidationError("--\(name) must be N:M with 1 <= N < M <= 16, found '\(text)'") }
        }
        if sparseAttention != nil, flowEncoder != .transformer { throw ValidationError("--sparse-attention needs --flow-encoder transformer") }
        if chex != nil, nmWeights != nil { throw ValidationError("--chex and --nm-weights do not combine") }
        if chex != nil, moe != nil { throw ValidationError("--chex and --moe do not combine") }
        try OptionCheck.count(flowsPerDesignPerEpoch, "flows-per-design-per-epoch", in: 1...1_000_000)
        guard distillWeight.isFinite, (0...1_000).contains(distillWeight) else {
            throw ValidationError("--distill-weight must be a finite number in 0...1000, found \(distillWeight)")
        }
        guard distillFrom != nil || (distill == .plain && distillWeight == 1) else { throw ValidationError("--distill and --distill-weight need --distill-from") }
        guard holdout.isEmpty || split == .designs else { throw ValidationError("--holdout needs --split designs") }
        try OptionCheck.count(experts, "experts", in: 1...256)
        try OptionCheck.count(clusters, "clusters", in: 1...256)
        try OptionCheck.count(dropoutInterval, "dropout-interval", in: 1...1_000_000)
        try OptionCheck.number(capacityFactor, "capacity-factor", above: 0, upTo: 1000)
        guard balanceWeight.isFinite, balanceWeight >= 0 else { throw ValidationError("--balance-weight must be ≥ 0") }
        if let expertDropout, !(expertDropout.isFinite && (0..<1).contains(expertDropout)) { throw ValidationError("--expert-dropout must be in [0, 1)") }
        guard experts % (clusters ?? 1) == 0 else { throw ValidationError("--clusters \(clusters ?? 1) does not divide --experts \(experts)") }
        guard !pruneExperts || from != nil else { throw ValidationError("--prune-experts needs --from <model with experts>") }
        guard from == nil || moe == nil else { throw ValidationError("--from keeps the parent's architecture: leave out --moe") }
        guard pruneHorizon.isFinite, pruneHorizon > 0, pruneHorizon <= 1 else { throw ValidationError("--prune-horizon must be in (0, 1]") }
        // The name is a file stem inside --out: no path of its own, so nothing lands outside it.
        if let name {
            guard !name.isEmpty, name.count <= 200, !name.contains("/"), !name.contains("\0"), name != ".", name != "..",
                !name.hasPrefix(".")
            else {
                throw ValidationError("--name must be a file name without '/' (and not starting with '.'), found '\(name)'")
            }
        }
    }

    /// The sampler the options name (nil for none).
    func samplerChoice() throws -> (any GraphSampler)? {
        guard sampler != "none" else {
            guard fanout == nil, parts == nil, partsPerBatch == nil, sampleSize == nil, coverage == nil else {
                throw ValidationError("--fanout, --parts, --parts-per-batch, --sample-size and --coverage need --sampler")
            }
            return nil
        }
        var s = SamplingSettings(sampler: sampler)
        if let fanout {
            let hops = fanout.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !hops.isEmpty, hops.allSatisfy({ $0 != nil }) else { throw ValidationError("--fanout takes integers separated by commas, found '\(fanout)'") }
            s.fanouts = hops.compactMap { $0 }
        }
        if let parts { s.parts = parts }
        if let partsPerBatch { s.partsPerBatch = partsPerBatch }
        if let sampleSize { s.sampleSize = sampleSize }
        if let coverage { s.coverage = coverage }
        do { return try GraphSamplers.make(s) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        try reportingErrors {
            let store = try database.open()
            let data = try LearningData.load(store, library: library, quiet: quiet)
            let dataSplit = try DataSplit.make(data.set, kind: split, holdout: holdout, seed: seed)
            var options = TrainingOptions(kind: model, flowEncoder: flowEncoder)
            var compression: [CompressionStep] = []
            var parent: QoRPredictor?
            if let from {
                let p = try QoRPredictor(checkpoint: from)
                if pruneExperts, (p.config.architecture.network as? SequenceConfig)?.moe == nil {
                    throw ValidationError("--prune-experts: \(from) has no experts (train it with --moe)")
                }
                options = TrainingOptions(finetuning: p)
                if pruneExperts { options.expertPruning = ExpertPruningSchedule(horizon: pruneHorizon) }
                compression = p.config.compression
                parent = p
            } else if let moe {
                guard var sequence = options.architecture.network as? SequenceConfig else {
                    throw ValidationError("--moe needs --model sequence")
                }
                let settings = MoESettings(placement: moe, experts: experts, router: router ?? ((clusters ?? 1) > 1 ? .cosine : .softmax),
                                           clusters: clusters ?? 1, capacityFactor: capacityFactor, balanceWeight: balanceWeight,
                                           expertDropout: expertDropout, dropoutInterval: dropoutInterval)
                sequence.moe = settings
                if let problem = sequence.inconsistency { throw ValidationError("--moe: \(problem.field): \(problem.message)") }
                options = TrainingOptions(architecture: Architecture(sequence))
                compression = [CompressionStep(option: settings.option, settings: settings.recorded)]
            }
            options.epochs = epochs
            options.seed = seed
            options.patience = patience
            options.learningRate = learningRate
            if let designsPerStep { options.designsPerStep = designsPerStep }
            if let flowsPerDesign { options.flowsPerDesign = flowsPerDesign }
            let kind = options.architecture.kind
            let modelName = name ?? "\(kind.rawValue)-\(split.rawValue)"
            if degreeQuant { options.degreeQuant = DegreeQuantSettings(low: dqPmin, high: dqPmax) }
            options.sampler = try samplerChoice()
            if let chex { options.chex = ChexOptions(kappa: chex, interval: chexInterval) }
            if let p = sparseAttention.flatMap(NMPattern.init) { try options.setSparseAttention(p) }
            options.nmWeights = nmWeights.flatMap(NMPattern.init)
            if let flowsPerDesignPerEpoch { options.flowsPerDesignPerEpoch = flowsPerDesignPerEpoch }
            if let simplify {
                try options.setSimplification(GraphSimplification(mode: simplify, hops: hops), parent: from.map { Checkpoint.configPath(for: $0) },
                                              parentFingerprint: from.flatMap { try? Checkpoint.weightsFingerprint(of: $0) })
            }
            let distillation = try distillFrom.map {
                try DistillationObjective(teacherCheckpoint: $0, settings: DistillationSettings(mode: distill, weight: distillWeight))
            }
            if !quiet {
                notice("training \(modelName) on \(dataSplit.train.count) labels (\(data.set.designs.count) designs, \(data.set.flows.count) flows, library \(data.libraryName)); validation \(dataSplit.validation.count), test \(dataSplit.test.count)")
            }
            let progress = Progress("train", total: 1, quiet: quiet)
            var bar: Progress?
            let result = try Trainer.train(
                data.set, split: dataSplit, options: options, library: data.libraryName, units: data.units, distillation: distillation,
                onStep: { done, total, loss in
                    if bar == nil { bar = Progress("train", total: total, quiet: quiet) }
                    bar?.advance(note: String(format: "loss %.4f", loss))
                },
                onEpoch: { r in
                    guard !quiet else { return }
                    let line = String(format: "epoch %d: loss %.4f, validation MAPE delay %.3f%% area %.3f%% (%.1f s, training %.1f s; CPU %.1f s, training %.1f s)%@",
                                      r.epoch, r.loss, r.validationDelayMAPE, r.validationAreaMAPE, r.seconds, r.trainingSeconds,
                                      r.cpuSeconds, r.trainingCPUSeconds, r.improved ? " *" : "")
                    if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    notice(line)
                })
            _ = progress
            bar?.finish("\(result.history.count) epochs, best \(result.bestEpoch)")

            var config = result.predictor.config
            let perEpoch = result.history.map(\.seconds).reduce(0, +) / Double(max(1, result.history.count))
            let trainingPerEpoch = result.history.map(\.trainingSeconds).reduce(0, +) / Double(max(1, result.history.count))
            let cpuPerEpoch = result.history.map(\.cpuSeconds).reduce(0, +) / Double(max(1, result.history.count))
            let trainingCPUPerEpoch = result.history.map(\.trainingCPUSeconds).reduce(0, +) / Double(max(1, result.history.count))
            config.training = TrainingInfo(
                split: split, holdout: holdout, seed: seed, epochs: result.history.count, bestEpoch: result.bestEpoch,
                labels: dataSplit.train.count, designs: data.set.designs.count, flows: data.set.flows.count, secondsPerEpoch: perEpoch)
            config.metrics = result.test ?? result.validation
            // The parent's (or --moe's) steps, then what this run's options added.
            config.compression = compression + config.compression
            if let distillation {
                config.compression.append(distillation.compressionStep)
                if !quiet { notice(String(format: "the teacher predicted the training labels in %.1f s", distillation.teacherSeconds)) }
            }
            let trained = try pruneExperts
                ? ExpertPruning.dense(result.predictor, config: config, parent: from, parentFingerprint: from.flatMap { try? Checkpoint.weightsFingerprint(of: $0) })
                : result.predictor.with(config: config)
            config = trained.config
            if !quiet, let parent, let moe = (parent.config.architecture.network as? SequenceConfig)?.moe {
                notice("fine-tuned from \(from ?? "") (\(moe.option), \(moe.experts) experts per layer); experts alive per layer at the end: \(result.predictor.expertHistory.last ?? [])")
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = (out as NSString).appendingPathComponent("\(modelName).safetensors")
            try trained.save(to: path)
            let metricsJSON = try encodeJSON(config.metrics)
            _ = try store.saveModel(name: modelName, kind: kind.rawValue, path: path, config: try encodeJSON(config),
                                    fingerprint: config.fingerprint, metrics: metricsJSON)
            if json {
                print("{\"name\":\(jsonQuoted(modelName)),\"path\":\(jsonQuoted(path)),\"kind\":\(jsonQuoted(kind.rawValue)),"
                    + "\"fingerprint\":\(jsonQuoted(config.fingerprint)),\"epochs\":\(result.history.count),\"best_epoch\":\(result.bestEpoch),"
                    + "\"seconds_per_epoch\":\(perEpoch),\"training_seconds_per_epoch\":\(trainingPerEpoch),"
                    + "\"cpu_seconds_per_epoch\":\(cpuPerEpoch),\"training_cpu_seconds_per_epoch\":\(trainingCPUPerEpoch),\"metrics\":\(metricsJSON)}")
            } else {
                print("model \(modelName) (\(kind.rawValue), \(trained.parameterCount) parameters) saved to \(path)")
                print(String(format: "%.2f s per epoch (training steps %.2f s), best epoch %d of %d", perEpoch, trainingPerEpoch, result.bestEpoch, result.history.count))
                if let t = result.test { printEvaluation("test (\(split.rawValue) held out)", t) }
                printEvaluation("validation", result.validation)
            }
        }
    }
}

/// Prints model and baseline scores as a small table.
func printEvaluation(_ title: String, _ e: Evaluation) {
    print("\(title): \(e.labels) labels on \(e.designs) designs")
    print("  predictor          MAPE delay  MAPE area  Spearman delay  Spearman area  top10% delay  top10% area")
    func row(_ name: String, _ s: Evaluation.Scores) {
        print(String(format: "  %@ %9.3f%% %9.3f%% %15.3f %14.3f %13.3f %12.3f", name.padding(toLength: 17, withPad: " ", startingAt: 0),
                     s.delayMAPE, s.areaMAPE, s.delaySpearman, s.areaSpearman, s.delayTopRecall, s.areaTopRecall))
    }
    row("model", e.model)
    if let m = e.medianBaseline { row("per-design median", m) }
}

func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// The labels of one library in the database as a `TrainingSet`: the composition of Store and QoRModel.
struct LearningData {
    var set: TrainingSet
    var libraryName: String
    var units: QoRUnits
    /// Database id of each design of the set, in order.
    var designIDs: [Int64]

    static func load(_ store: Store, library: String?, quiet: Bool) throws -> LearningData {
        let libraries = try store.libraries()
        let chosen: (id: Int64, hash: String, name: String, kind: String, labels: Int)
        if let library {
            guard let l = libraries.first(where: { $0.name == library || $0.hash == library || String($0.id) == library }) else {
                throw StoreError(.usage, "--library \(library): no such library in \(store.path); it has: "
                    + libraries.map { "\($0.name) (\($0.labels) labels)" }.joined(separator: ", "))
            }
            chosen = l
        } else {
            guard let l = libraries.max(by: { ($0.labels, -$0.id) < ($1.labels, -$1.id) }), l.labels > 0 else {
                throw StoreError(.badInput, "\(store.path): no ok labels to train on (label designs first with `qor label`)")
            }
            chosen = l
        }
        let rows = try store.labels(libraryID: chosen.id)
        guard !rows.isEmpty else { throw StoreError(.badInput, "\(store.path): library \(chosen.name) has no ok labels") }
        let ids = Array(Set(rows.map(\.designID))).sorted()
        let designRows = try store.designs(ids: ids)
        let cache = GraphCache()
        var designIndex: [Int64: Int] = [:], samples: [DesignSample] = []
        for d in designRows {
            let aig = try DesignReader.read(bytes: try store.designAiger(id: d.id), file: "\(store.path): design \(d.name) (id \(d.id))")
            designIndex[d.id] = samples.count
            samples.append(DesignSample(name: d.name, hash: d.hash, graph: cache.graph(hash: d.hash) { AigGraph(aig) }))
        }
        var flowIndex: [String: Int] = [:], flows: [Flow] = []
        var examples: [LabelledExample] = []
        for r in rows {
            guard let d = designIndex[r.designID] else { continue }
            let f: Int
            if let known = flowIndex[r.flowText] {
                f = known
            } else {
                let flow: Flow
                do { flow = try Flow.parse(r.flowText) } catch {
                    throw StoreError(.badInput, "\(store.path): flow \(r.flowID) '\(r.flowText)': \(error)")
                }
                f = flows.count
                flowIndex[r.flowText] = f
                flows.append(flow)
            }
            examples.append(LabelledExample(design: d, flow: f, delay: r.delay, area: r.area))
        }
        let set = try TrainingSet(designs: samples, flows: flows, examples: examples)
        return LearningData(set: set, libraryName: "\(chosen.name) (\(chosen.kind) \(chosen.hash))",
                            units: units(name: chosen.name, kind: chosen.kind), designIDs: designRows.map(\.id))
    }

    /// Units of ABC's numbers for a library: ps and um^2 for Liberty and Nangate, levels and LUTs
    /// for LUT mapping, the library's own units otherwise.
    static func units(name: String, kind: String) -> QoRUnits {
        if kind == "lut" { return QoRUnits(delay: "levels", area: "LUTs") }
        if kind == "liberty" || name.lowercased().contains("nangate") { return QoRUnits(delay: "ps", area: "um^2") }
        return QoRUnits(delay: "delay units", area: "area units")
    }
}
