import ArgumentParser
import Flows
import Foundation
import QoRModel
import Reports
import Store
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

    @Option(help: "Name of the model (as trained and stored).")
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
        guard (1...3).contains(anchor) else { throw ValidationError("--anchor \(anchor): expected 1 to 3 (at most --anchor 3)") }
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
                let predictor = try model.hasSuffix(".safetensors") && FileManager.default.fileExists(atPath: model)
                    ? QoRPredictor(checkpoint: model) : QoRPredictor(checkpoint: storedModelPath(model, database: database))
                let store = try Store(path: testDB, access: .readOnly)
                input = try ExternalTest(anchor: noAnchor ? 0 : anchor).input(modelName: model, predictor: predictor, store: store)
            } else if let predictions, let split {
                input = ReportInput(
                    modelName: model, split: split.rawValue, records: try ReportCSV.readPredictions(path: predictions),
                    trainingLabels: try training.map { path throws(ReportError) in try ReportCSV.readTrainingLabels(path: path) } ?? [],
                    designStatistics: try designStats.map { path throws(ReportError) in try ReportCSV.readDesignStatistics(path: path) } ?? [])
            } else if let split {
                input = try makeReportInput(modelName: model, split: split, database: database, anchor: noAnchor ? 0 : anchor)
            } else {
                throw ValidationError("--split or --test-db is required")
            }
            let evaluation = try Reports.Evaluation(input)
            try ReportFiles.write(evaluation, to: out)
            print(summary(evaluation))
        }
    }

    private func summary(_ e: Reports.Evaluation) -> String {
        let parts = Reports.Target.allCases.map { t in
            let model = e.overall[.model].map { String(format: "%.2f%%", $0[t].mape) } ?? "n/a"
            let baselines = Reports.Predictor.allCases.dropFirst().compactMap { p in
                e.overall[p].map { b in
                    var text = "\(p.title) " + String(format: "%.2f%%", b[t].mape)
                    if let m = e.overallModelOnBaselineDesigns[p] {
                        text += String(format: " against the model's %.2f%% on its %d designs", m[t].mape, m[t].designs)
                    }
                    return text
                }
            }
            return "\(t.rawValue) MAPE \(model)" + (baselines.isEmpty ? "" : " (\(baselines.joined(separator: ", ")))")
        }
        return "\(out): \(e.recordCount) predictions on \(e.designs.count) designs; " + parts.joined(separator: "; ")
    }
}

/// The model's predictions on the test part of its own split (recreated from the seed and holdout
/// it was trained with), with the training labels and design statistics the baselines need. With
/// `anchor` > 0, each test design the model does not know is anchored on its labels of that many of
/// the model's calibration flows, which leave the scored records and become its training labels.
func makeReportInput(modelName: String, split: SplitKind, database: DatabaseOptions, anchor calibrate: Int = 0) throws -> ReportInput {
    let store = try database.openReadOnly()
    let path = try storedModelPath(modelName, database: database)
    let predictor = try QoRPredictor(checkpoint: path)
    guard let info = predictor.config.training else {
        throw StoreError(.badInput, "\(path): the checkpoint records no training split to report on")
    }
    guard info.split != .none else {
        throw StoreError(
            .usage, "model \(modelName) was trained with --split none, on every label: it has no test part here; score it on designs it never saw (`qor predict --json` against their labels) or report on a model trained with --split designs")
    }
    guard info.split == split else {
        throw StoreError(
            .usage, "model \(modelName) was trained with --split \(info.split.rawValue): its \(split.rawValue) test part would overlap its training data")
    }
    // The config names the library as "name (kind hash)"; the hash is what identifies it.
    let libraryHash = predictor.config.library.split(separator: " ").last.map { String($0.dropLast()) }
    let data = try LearningData.load(store, library: libraryHash, quiet: true)
    let parts = try DataSplit.make(data.set, kind: info.split, holdout: info.holdout, seed: info.seed)
    var records: [PredictionRecord] = []
    var anchorLabels: [TrainingLabel] = []
    var covered: [(Bool, Bool)] = [], widths: [(Double, Double)] = []
    let wanted = try predictor.calibrationFlows(calibrate).map(\.canonical)
    let test = data.set.subset(parts.test)
    for (design, all) in Dictionary(grouping: test, by: \.design).sorted(by: { $0.key < $1.key }) {
        let sample = data.set.designs[design]
        var examples = all
        var unanchored: [QoRPrediction]?
        if calibrate > 0 && !predictor.knows(sample) {
            let byText = Dictionary(all.map { (data.set.flows[$0.flow].canonical, $0) }, uniquingKeysWith: { a, _ in a })
            let anchors = wanted.compactMap { byText[$0] }
            guard anchors.count == wanted.count, anchors.count < all.count else {
                throw StoreError(.usage, "--anchor \(calibrate): design \(sample.name) lacks labels of the model's calibration flows (\(wanted.joined(separator: " | "))); label them with `qor label`, or --no-anchor")
            }
            let anchorFlows = Set(anchors.map(\.flow))
            examples = all.filter { !anchorFlows.contains($0.flow) }
            unanchored = try predictor.predict(sample, flows: examples.map { data.set.flows[$0.flow] })
            try predictor.calibrate(
                sample, flows: anchors.map { data.set.flows[$0.flow] }, truth: anchors.map { QoRPrediction(delay: $0.delay, area: $0.area) })
            anchorLabels += anchors.map { TrainingLabel(design: sample.name, delay: $0.delay, area: $0.area) }
        }
        let predictions = try predictor.predict(sample, flows: examples.map { data.set.flows[$0.flow] })
        if let band = predictor.band(sample) {
            for (e, p) in zip(examples, predictions) {
                let i = band.interval(p)
                covered.append((i.delay.contains(e.delay), i.area.contains(e.area)))
                widths.append((i.delay.upperBound / i.delay.lowerBound, i.area.upperBound / i.area.lowerBound))
            }
        }
        for (i, (e, p)) in zip(examples, predictions).enumerated() {
            records.append(PredictionRecord(
                design: sample.name, flow: data.set.flows[e.flow].canonical, trueDelay: e.delay, trueArea: e.area,
                predictedDelay: p.delay, predictedArea: p.area, unanchored: unanchored.map { ($0[i].delay, $0[i].area) }))
        }
    }
    let training = data.set.subset(parts.train).map { e in
        TrainingLabel(design: data.set.designs[e.design].name, delay: e.delay, area: e.area)
    } + anchorLabels
    let statistics = data.set.designs.map { d in
        DesignStatistics(design: d.name, inputs: d.stats.inputs, outputs: d.stats.outputs, ands: d.stats.ands, levels: d.stats.depth)
    }
    var notes: [String] = []
    if let i = predictor.config.intervals, !covered.isEmpty {
        let n = Double(covered.count)
        notes.append(String(
            format: "%.0f%% intervals (split-conformal, %d designs of %@) held ABC's result for %.1f%% of delay and %.1f%% of area predictions on %d unseen-design predictions; mean width (high / low) x%.3f delay, x%.3f area",
            100 * i.coverage, i.designs, i.source, 100 * Double(covered.filter(\.0).count) / n, 100 * Double(covered.filter(\.1).count) / n,
            covered.count, widths.map(\.0).reduce(0, +) / n, widths.map(\.1).reduce(0, +) / n))
    }
    if !anchorLabels.isEmpty {
        notes.append(
            "each test design the model did not see was anchored on its labels of the model's first \(calibrate) calibration flow(s) (as qor predict does), which are left out of the scores; the model without the anchor is scored beside it, and the per-design median baseline is the median of those labels (the anchor alone)")
    }
    return ReportInput(
        modelName: modelName, split: split.rawValue, records: records, trainingLabels: training,
        designStatistics: statistics, fingerprint: predictor.config.fingerprint,
        calibration: notes.isEmpty ? nil : notes.joined(separator: "; "))
}

/// The checkpoint of a model stored under `name` in the database.
func storedModelPath(_ name: String, database: DatabaseOptions) throws -> String {
    let store = try database.openReadOnly()
    guard let row = try store.model(named: name) else {
        throw StoreError(.usage, "\(store.path): no model named \(name) (train one with `qor train --name \(name)`)")
    }
    return row.path
}
