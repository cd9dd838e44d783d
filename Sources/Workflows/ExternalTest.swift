import Foundation
import QoRModel
import Reports
import Store

/// A report on a test set kept apart from training: every labelled design of another database
/// that the model never saw (a model trained with `--split none`, or on other designs), anchored
/// as `qor predict` anchors a new design, with the model alone and the anchor alone beside it.
public struct ExternalTest: Sendable {
    public var anchor: Int

    public init(anchor: Int) { self.anchor = anchor }

    /// The report input for `predictor` (stored as `modelName`) on `store`'s designs it never saw.
    public func input(modelName: String, predictor: QoRPredictor, store: Store,
                      progress: (Int, Int) -> Void = { _, _ in }) throws -> ReportInput {
        let anchors = anchor > 0 ? try predictor.calibrationFlows(anchor) : []
        let anchorTexts = Set(anchors.map(\.canonical))
        // A design labelled only on the anchor flows (as `qor predict` leaves one) has nothing to score.
        let all = try UnseenDesigns.read(store, for: predictor, progress: progress)
        let designs = all.filter { d in d.labels.contains { !anchorTexts.contains($0.flow.canonical) } }
        let scoring = DesignScoring(predictor: predictor, anchor: anchor)
        var scored: [DesignScoring.Scored] = []
        for d in designs.sorted(by: { $0.sample.name < $1.sample.name }) {
            scored.append(try scoring.score(d.sample, labels: d.labels, anchors: anchors))
        }
        var notes = ["test set: the \(designs.count) labelled designs of \(store.path) the model never saw (no training labels in it: the baselines are the anchor alone, or none)"
            + (all.count > designs.count ? "; \(all.count - designs.count) more have labels of the anchor flows only" : "")]
        notes += DesignScoring.notes(scored, intervals: predictor.config.intervals)
        if anchor > 0 {
            notes.append(
                "each test design was anchored on its labels of the model's first \(anchor) calibration flow(s) (as qor predict does), which are left out of the scores; the model without the anchor is scored beside it, and the per-design median baseline is the median of those labels (the anchor alone)")
        }
        let statistics = designs.map { d in
            DesignStatistics(design: d.sample.name, inputs: d.sample.stats.inputs, outputs: d.sample.stats.outputs,
                             ands: d.sample.stats.ands, levels: d.sample.stats.depth)
        }
        return ReportInput(
            modelName: modelName, split: "designs", records: scored.flatMap(\.records), trainingLabels: scored.flatMap(\.anchorLabels),
            designStatistics: statistics, fingerprint: predictor.config.fingerprint, calibration: notes.joined(separator: "; "))
    }
}
