import ArgumentParser
import Foundation
import QoRModel
import Workflows

struct Intervals: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give a model split-conformal prediction intervals, fitted on labelled designs it never saw.",
        discussion: """
            For every design in the database that the model did not see in training, with labels of \
            the model's cell library: the model predicts the labelled flows with and without its \
            anchor (the first N of its calibration flows, as `qor predict --anchor N`), and the \
            interval half-widths are the conformal quantiles of the log-errors at the stated \
            coverage. If a new design is like those designs, its interval holds ABC's result with at \
            least that probability. The intervals are written into the model's config (weights \
            unchanged, the file replaced atomically); predict then prints them, and report shows \
            their empirical coverage. Designs unlike any of the calibration designs are what the \
            out-of-distribution flag is for.

            Example:
              qor intervals --model db/default.safetensors --db db/corpus.sqlite --coverage 0.9
            """
    )

    @Option(help: "Checkpoint (.safetensors) whose config receives the intervals.")
    var model: String

    @Option(help: "Stated coverage, between 0.5 and 0.99.")
    var coverage = 0.9

    @Option(help: "Anchor flows per design (1 to 3), as predict's --anchor.")
    var anchor = 1

    @Flag(help: "No progress line.")
    var quiet = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard coverage.isFinite, (0.5...0.99).contains(coverage) else { throw ValidationError("--coverage \(coverage): expected 0.5 to 0.99") }
        guard (1...3).contains(anchor) else { throw ValidationError("--anchor \(anchor): expected 1 to 3") }
    }

    func run() throws {
        try reportingErrors {
            let predictor = try QoRPredictor(checkpoint: model)
            let store = try database.openReadOnly()
            var progress: Progress?
            let intervals = try IntervalFit(coverage: coverage, anchor: anchor).fit(predictor, store: store) { done, total in
                if progress == nil { progress = Progress("designs", total: total, quiet: quiet) }
                progress?.update(done: done)
            }
            progress?.finish()
            var config = predictor.config
            config.intervals = intervals
            try predictor.save(to: model, config: config)
            func band(_ b: LogBand?) -> String {
                guard let b else { return "too few predictions" }
                return String(format: "delay x/÷ %.3f, area x/÷ %.3f", exp(b.delay), exp(b.area))
            }
            print(String(format: "%@: %.0f%% intervals from %d designs it never saw (%d anchored predictions): anchored %@; without anchor %@",
                         model, 100 * coverage, intervals.designs, intervals.predictions, band(intervals.anchored), band(intervals.unanchored)))
        }
    }
}
