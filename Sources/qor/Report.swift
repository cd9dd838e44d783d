import ArgumentParser
import QoRModel
import Reports
import Workflows

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report how far a model's QoR predictions are off: report.md, report.html, metrics.json, predictions.csv.",
        discussion: """
            Per design and overall, for delay and area: MAPE; Spearman and Kendall (tau-b) rank \
            correlation across the flows of a design; top-10% recall (the share of the truly best 10% \
            of flows that the model puts among its own best 10%). Beside the model, in the same tables: \
            the per-design median of the training labels (designs seen in training) and a ridge \
            regression of log QoR on log initial-AIG statistics (unseen designs). The QoR of one design \
            varies little across flows, so a MAPE means little without them.

            The files are written to temporary names and renamed, so a failed report leaves none; \
            --out is created when missing.

            With --predictions, the report is made from a CSV of predictions made elsewhere (header: \
            design,flow,true_delay,true_area,pred_delay,pred_area); --training (design,delay,area; \
            `qor db export` output works, only status ok rows are read) and --design-stats \
            (design,inputs,outputs,ands,levels) give the baselines.

            Examples:
              qor report --model gnn1 --split designs --out reports/gnn1
              qor report --model gnn1 --split designs --no-anchor --out reports/gnn1-pure
              qor report --model db/default.safetensors --test-db db/corpus.sqlite --out reports/default-corpus
              qor report --model ext --split flows --out out \\
                  --predictions preds.csv --training labels.csv
            """
    )

    @Option(help: "Name of the model (as trained and stored), or its .safetensors path.")
    var model: String

    @Option(help: "How the test set was held out: flows (seen designs) or designs (unseen designs); not with --test-db.")
    var split: SplitKind?

    @Option(name: .customLong("test-db"), help: ArgumentHelp(
        "Score the model on every labelled design of this database that it never saw (a test set kept apart from training, e.g. for a model trained with --split none) instead of its own split; --model may then be a checkpoint path.",
        valueName: "path"))
    var testDB: String?

    @Option(help: "Directory for the four files (created when missing).")
    var out: String

    @OptionGroup var database: DatabaseOptions

    @Option(help: "CSV of predictions made elsewhere, instead of evaluating the model.")
    var predictions: String?

    @Option(help: "With --predictions: CSV of training labels, for the per-design median baseline.")
    var training: String?

    @Option(name: .customLong("design-stats"), help: "With --predictions: CSV of initial-AIG statistics, for the linear baseline.")
    var designStats: String?

    @Option(help: ArgumentHelp(
        "Anchor each test design the model did not see on its labels of the model's first N calibration flows (as `qor predict` does) and score the rest; the report shows the model without the anchor beside it, and the per-design median baseline is then the median of those N labels (the anchor alone).",
        valueName: "N"))
    var anchor = 1

    @Flag(help: "Score the model alone on designs it did not see (no anchor).")
    var noAnchor = false

    func validate() throws {
        guard anchor >= 1 else { throw ValidationError("--anchor \(anchor): expected at least 1 (at most the model's calibration flows)") }
        if (split == nil) == (testDB == nil) { throw ValidationError("give either --split (the model's own test part) or --test-db (another database's designs)") }
        if testDB != nil && predictions != nil { throw ValidationError("--test-db scores the model; --predictions reads predictions made elsewhere: give one") }
        if predictions == nil && (training != nil || designStats != nil) {
            throw ValidationError("--training and --design-stats go with --predictions; without it the model's own training data is used")
        }
    }

    func run() throws {
        try reportingErrors {
            let input: ReportInput
            if let testDB {
                let loaded = try LoadedModel.load(model, openDatabase: database.openReadOnly)
                input = try ExternalTest(anchor: noAnchor ? 0 : anchor).input(
                    modelName: model, predictor: loaded.predictor, testDatabase: testDB)
            } else if let predictions, let split {
                input = ReportInput(
                    modelName: model, split: split.rawValue, records: try ReportCSV.readPredictions(path: predictions),
                    trainingLabels: try training.map { path throws(ReportError) in try ReportCSV.readTrainingLabels(path: path) } ?? [],
                    designStatistics: try designStats.map { path throws(ReportError) in try ReportCSV.readDesignStatistics(path: path) } ?? [])
            } else if let split {
                input = try makeReportInput(modelName: model, split: split, store: try database.location.openReadOnly(), anchor: noAnchor ? 0 : anchor)
            } else {
                throw ValidationError("--split or --test-db is required")
            }
            let evaluation = try Reports.Evaluation(input)
            try ReportFiles.write(evaluation, to: out)
            print(evaluation.summary(out: out))
        }
    }
}
