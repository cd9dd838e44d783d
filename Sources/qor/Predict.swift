import ArgumentParser
import Foundation
import Workflows

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the delay and area ABC reaches on a design after one or many flows.",
        discussion: """
            The design is read once and its graph embedding computed once; the flows go through the \
            model in batches. Without --model, the shipped default model (db/default.safetensors, \
            found in the current directory or beside the executable's repository) is used. \
            Predictions are saved in the database unless --no-save.

            A design the model never saw is anchored: the true QoR of one flow typical of the \
            model's training data (taken from the database, or run by ABC once and stored) fixes its \
            overall delay and area level, which the model alone knows only roughly, while the model \
            still ranks the flows. --anchor N uses N such flows; --no-anchor gives the model's answer \
            alone (no ABC run).

            Examples:
              qor predict designs/gen/mult_8.aig --flow "b; rw; rf; b; rwz; rfz"
              qor predict design.bench --flows flows.txt --json --no-save
              qor predict design.aig --flow "balance; resub -K 8" --model models/sequence-flows.safetensors
              qor predict new_design.v --flows flows.txt --anchor 3
            """
    )

    @Argument(help: "Design file (.aig .aag .bench .blif .v).")
    var design: String

    @Option(help: "One flow, steps separated by ';' (short or long spelling).")
    var flow: String?

    @Option(help: "File with one flow per line.")
    var flows: String?

    @OptionGroup var modelChoice: ModelOptions

    @Flag(help: "One JSON object per flow with the keys design, flow, delay, area, model and ood (true: the design is outside the range of the training designs); for a design the model did not see, with a model that has intervals (`qor intervals`), also delay_lo, delay_hi, area_lo, area_hi.")
    var json = false

    @Flag(help: "Do not record the predictions in the database (anchor labels, being ABC's true results, are still stored).")
    var noSave = false

    @OptionGroup var anchoring: AnchorOptions
    @OptionGroup var library: LibraryOptions

    @Option(help: "Parallel ABC processes for anchoring.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var designOptions: DesignOptions

    func validate() throws {
        guard (flow == nil) != (flows == nil) else { throw ValidationError("give exactly one of --flow and --flows") }
        try OptionCheck.count(jobs, "jobs", in: OptionCheck.jobs)
    }

    func run() throws {
        try reportingErrors {
            let flows = try FlowInput(flow: flow, file: self.flows)
            let model = try modelChoice.load(database: database)
            try flows.check(against: model.predictor.config)
            let input = try DesignInput(path: design, options: designOptions.readOptions)
            if let done = try model.anchor(on: input, with: { try anchoring.choice(library, jobs: jobs) }, database: database.location) { notice(done) }
            if let ood = model.outOfDistributionNotice(input, model.outliers(input)) { notice(ood) }
            let listing = try PredictionListing(model: model, design: input, flows: flows.flows)
            if !json, let intervals = listing.intervalNotice { notice(intervals) }
            listing.lines(json: json).forEach { print($0) }
            if !noSave {
                try database.open().savePredictions(of: model, on: input, flows: flows.flows, listing.predictions)
            }
        }
    }
}

/// `--model`: a checkpoint path or a model name recorded in the database; the shipped default otherwise.
struct ModelOptions: ParsableArguments {
    @Option(help: "Checkpoint (.safetensors) or name of a model in the database (default: db/default.safetensors).")
    var model: String?

    func load(database: DatabaseOptions) throws -> LoadedModel {
        try LoadedModel.load(model) { try database.location.openReadOnly() }
    }
}
