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

    /// The report input for `predictor` (stored as `modelName`) on the designs of the database at
    /// `testDatabase` that it never saw (the database is only read).
    public func input(modelName: String, predictor: QoRPredictor, testDatabase: String,
                      progress: (Int, Int) -> Void = { _, _ in }) throws -> ReportInput {
        let store = try DatabaseLocation(path: testDatabase).openReadOnly()
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
        notes += [DesignScoring.coverageNote(scored, intervals: predictor.config.intervals),
                  anchor > 0 ? DesignScoring.anchorNote(anchor) : nil,
                  DesignScoring.outOfDistributionNote(scored)].compactMap { $0 }
        let statistics = designs.map { d in
            DesignStatistics(design: d.sample.name, inputs: d.sample.stats.inputs, outputs: d.sample.stats.outputs,
                             ands: d.sample.stats.ands, levels: d.sample.stats.depth)
        }
        return ReportInput(
            modelName: modelName, split: "designs", records: scored.flatMap(\.records), trainingLabels: scored.flatMap(\.anchorLabels),
            designStatistics: statistics, fingerprint: predictor.config.fingerprint, calibration: notes.joined(separator: "; "))
    }
}
