import Foundation
import QoRModel
import Reports
import Store

/// The model's predictions on the test part of its own split (recreated from the seed and holdout
/// it was trained with), with the training labels and design statistics the baselines need. With
/// `anchor` > 0, each test design the model does not know is anchored on its labels of that many of
/// the model's calibration flows, which leave the scored records and become its training labels.
public func makeReportInput(modelName: String, split: SplitKind, store: Store, anchor calibrate: Int = 0) throws -> ReportInput {
    // A checkpoint path serves as well as a stored name: its config records the split to recreate.
    let path: String
    if let row = try store.model(named: modelName) {
        path = row.path
    } else if modelName.hasSuffix(".safetensors"), FileManager.default.fileExists(atPath: modelName) {
        path = modelName
    } else {
        throw StoreError(.usage, "\(store.path): no model named \(modelName) (train one with `qor train --name \(modelName)`, or give its .safetensors path)")
    }
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
    let data = try LearningData.load(store, of: predictor.config)
    let parts = try DataSplit.make(data.set, kind: info.split, holdout: info.holdout, seed: info.seed)
    let anchors = try predictor.calibrationFlows(calibrate)
    let scoring = DesignScoring(predictor: predictor, anchor: calibrate)
    var scored: [DesignScoring.Scored] = []
    let test = data.set.subset(parts.test)
    for (design, all) in Dictionary(grouping: test, by: \.design).sorted(by: { $0.key < $1.key }) {
        let labels = all.map { (flow: data.set.flows[$0.flow], truth: QoRPrediction(delay: $0.delay, area: $0.area)) }
        scored.append(try scoring.score(data.set.designs[design], labels: labels, anchors: anchors))
    }
    let records = scored.flatMap(\.records), anchorLabels = scored.flatMap(\.anchorLabels)
    let training = data.set.subset(parts.train).map { e in
        TrainingLabel(design: data.set.designs[e.design].name, delay: e.delay, area: e.area)
    } + anchorLabels
    let statistics = data.set.designs.map { d in
        DesignStatistics(design: d.name, inputs: d.stats.inputs, outputs: d.stats.outputs, ands: d.stats.ands, levels: d.stats.depth)
    }
    let notes = [DesignScoring.coverageNote(scored, intervals: predictor.config.intervals),
                 anchorLabels.isEmpty ? nil : DesignScoring.anchorNote(calibrate),
                 DesignScoring.outOfDistributionNote(scored)].compactMap { $0 }
    return ReportInput(
        modelName: modelName, split: split.rawValue, records: records, trainingLabels: training,
        designStatistics: statistics, fingerprint: predictor.config.fingerprint,
        calibration: notes.isEmpty ? nil : notes.joined(separator: "; "))
}
