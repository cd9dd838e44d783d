import ArgumentParser
import Foundation
import QoRModel
import Workflows

extension ModelKind: ExpressibleByArgument {}
extension SplitKind: ExpressibleByArgument {}
extension FlowEncoderKind: ExpressibleByArgument {}

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

    @Option(help: "Designs per optimiser step (tuning).")
    var designsPerStep: Int?

    @Option(help: "Flows of each design per step (tuning).")
    var flowsPerDesign: Int?

    @Option(help: "At most this many flows of each design per epoch (default: all; the supernode model: 64).")
    var flowsPerDesignPerEpoch: Int?

    @Option(help: "Cell library of the labels: name, hash or id (default: the library with the most labels).")
    var library: String?

    @Option(help: "Model name (file stem and database key); default <model>-<split>.")
    var name: String?

    @Option(help: "Directory for the checkpoint.")
    var out = "models"

    @Flag(help: "No progress output.")
    var quiet = false

    @Option(help: "Seconds between progress lines within an epoch (0: after every step).")
    var progressInterval = 10.0

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @OptionGroup(title: "Mixture of experts") var experts: MoEOptions
    @OptionGroup(title: "Fine-tuning") var fineTune: FineTuneOptions
    @OptionGroup(title: "Graph sampling") var sampling: SamplerOptions
    @OptionGroup(title: "Sparsity") var sparsity: SparsityOptions
    @OptionGroup(title: "Quantisation") var quant: QuantOptions
    @OptionGroup(title: "Graph simplification") var simplify: SimplifyOptions
    @OptionGroup(title: "Distillation") var distill: DistillOptions

    func validate() throws {
        try OptionCheck.count(epochs, "epochs", in: 1...100_000)
        guard progressInterval.isFinite, progressInterval >= 0 else {
            throw ValidationError("--progress-interval must be a number of seconds, 0 or more; found \(progressInterval)")
        }
        try OptionCheck.count(patience, "patience", in: 1...100_000)
        try OptionCheck.number(learningRate, "learning-rate", above: 0, upTo: 1)
        try OptionCheck.count(designsPerStep, "designs-per-step", in: 1...1_000_000)
        try OptionCheck.count(flowsPerDesign, "flows-per-design", in: 1...1_000_000)
        if sparsity.sparseAttention != nil, flowEncoder != .transformer { throw ValidationError("--sparse-attention needs --flow-encoder transformer") }
        if sparsity.chex != nil, experts.moe != nil { throw ValidationError("--chex and --moe do not combine") }
        try OptionCheck.count(flowsPerDesignPerEpoch, "flows-per-design-per-epoch", in: 1...1_000_000)
        guard holdout.isEmpty || split == .designs else { throw ValidationError("--holdout needs --split designs") }
        guard fineTune.from == nil || experts.moe == nil else { throw ValidationError("--from keeps the parent's architecture: leave out --moe") }
        // The name is a file stem inside --out: no path of its own, so nothing lands outside it.
        if let name {
            guard !name.isEmpty, name.count <= 200, !name.contains("/"), !name.contains("\0"), name != ".", name != "..",
                !name.hasPrefix(".")
            else {
                throw ValidationError("--name must be a file name without '/' (and not starting with '.'), found '\(name)'")
            }
        }
    }

    /// The run these options describe.
    var settings: TrainingRun {
        get throws {
            var run = TrainingRun(split: split)
            (run.library, run.holdout, run.seed, run.kind, run.flowEncoder) = (library, holdout, seed, model, flowEncoder)
            (run.epochs, run.patience, run.learningRate) = (epochs, patience, learningRate)
            (run.designsPerStep, run.flowsPerDesign, run.flowsPerDesignPerEpoch) = (designsPerStep, flowsPerDesign, flowsPerDesignPerEpoch)
            (run.degreeQuant, run.sampler, run.chex) = (quant.settings, try sampling.choice(), sparsity.chexSettings)
            (run.sparseAttention, run.nmWeights) = sparsity.patterns
            run.simplification = simplify.settings
            (run.distillation, run.moe, run.from) = (distill.settings, experts.settings, fineTune.from)
            run.pruneHorizon = fineTune.pruneExperts ? fineTune.pruneHorizon : nil
            (run.name, run.out) = (name, out)
            return run
        }
    }

    func run() throws {
        try reportingErrors {
            let progress = TrainProgress(interval: progressInterval, quiet: quiet)
            let events = TrainingRun.Events(
                notice: {
                    progress.epochEnded()  // the first epoch's clock starts after loading
                    if !quiet { notice($0) }
                },
                step: { progress.step($0) },
                epoch: { r in
                    progress.epochEnded()
                    if !quiet { notice(TrainingOutcome.line(r)) }
                },
                trained: { epochs, best in if !quiet { notice("train: \(epochs) epochs, best \(best)") } })
            let outcome = try settings.run(store: try database.open(), events: events)
            print(json ? try outcome.json : outcome.text)
        }
    }
}
