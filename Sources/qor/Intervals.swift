import ArgumentParser
import Workflows

struct Intervals: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give a model split-conformal prediction intervals, fitted on labelled designs it never saw.",
        discussion: """
            For every design in the database that the model did not see in training, with labels of \
            the model's cell library: the model predicts the labelled flows with and without its \
            anchor (the first N of its calibration flows, as `qor predict --anchor N`), and the \
            interval half-widths are the conformal quantiles of the log-errors at the stated \
            coverage; with --anchor 2 or more, the anchored ones are quantiles of the log-errors \
            over each design's anchor spread (the standard deviation of its anchor labels' logs, \
            plus the median spread), so a design's band scales with how much flows move its QoR. \
            If a new design is like those designs, its interval holds ABC's result with at least \
            that probability. The intervals are written into the model's config (weights \
            unchanged, the file replaced atomically); predict then prints them, and report shows \
            their empirical coverage. Designs unlike any of the calibration designs are what the \
            out-of-distribution flag is for.

            Example:
              qor intervals --model models/mine.safetensors --db db/corpus.sqlite --coverage 0.9 --anchor 14
              qor predict new_design.aig --flow "b; rw; rf" --model models/mine.safetensors --anchor 14
            """
    )

    @Option(help: "Checkpoint (.safetensors) whose config receives the intervals.")
    var model: String

    @Option(help: "Stated coverage, between 0.5 and 0.99.")
    var coverage = 0.9

    @Option(help: "Anchor flows per design, as predict's --anchor (the intervals hold for that count).")
    var anchor = 1

    @Flag(help: "No progress line.")
    var quiet = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard coverage.isFinite, (0.5...0.99).contains(coverage) else { throw ValidationError("--coverage \(coverage): expected 0.5 to 0.99") }
        guard anchor >= 1 else { throw ValidationError("--anchor \(anchor): expected at least 1") }
    }

    func run() throws {
        try reportingErrors {
            var progress: Progress?
            let fit = IntervalFit(coverage: coverage, anchor: anchor)
            let line = try fit.write(into: model, openStore: { try database.openReadOnly() }) { done, total in
                if progress == nil { progress = Progress("designs", total: total, quiet: quiet) }
                progress?.update(done: done)
            }
            progress?.finish()
            print(line)
        }
    }
}
