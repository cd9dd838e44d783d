import Foundation
import QoRModel
import Reports
import Store

/// The model's predictions on the test part of its own split (recreated from the seed and holdout
/// it was trained with), with the training labels and design statistics the baselines need. With
/// `anchor` > 0, each test design the model does not know is anchored on its labels of that many of
/// the model's calibration flows, which leave the scored records and become its training labels.
public func makeReportInput(modelName: String, split: SplitKind, store: Store, anchor calibrate: Int = 0) throws -> ReportInput {
    guard let row = try store.model(named: modelName) else {
        throw StoreError(.usage, "\(store.path): no model named \(modelName) (train one with `qor train --name \(modelName)`)")
    }
    let predictor = try QoRPredictor(checkpoint: row.path)
    guard let info = predictor.config.training else {
        throw StoreError(.badInput, "\(row.path): the checkpoint records no training split to report on")
    }
    guard info.split != .none else {
        throw StoreError(
            .usage, "model \(modelName) was trained with --split none, on every label: it has no test part here; score it on designs it never saw (`qor predict --json` against their labels) or report on a model trained with --split designs")
    }
    guard info.split == split else {
        throw StoreError(
            .usage, "model \(modelName) was trained with --split \(info.split.rawValue): its \(split.rawValue) test part would overlap its training data")
    }
    let data = try LearningData.load(store, of: predictor.config)
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
