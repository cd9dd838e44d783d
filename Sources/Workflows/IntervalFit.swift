import Flows
import Foundation
import Netlist
import QoRModel
import Store

/// Fits a model's split-conformal intervals on labelled designs it never saw: for each such design
/// in a database (labels of the model's library), the model's predictions with and without the
/// anchor against ABC's truth; the bands are the conformal quantiles of the log-errors.
public struct IntervalFit: Sendable {
    public var coverage: Double
    /// Anchor flows per design, as `qor predict --anchor N` uses.
    public var anchor: Int

    public init(coverage: Double, anchor: Int) {
        self.coverage = coverage
        self.anchor = anchor
    }

    /// The intervals from `store`'s labels; `progress` gets (designs done, designs to do).
    public func fit(_ predictor: QoRPredictor, store: Store, progress: (Int, Int) -> Void = { _, _ in }) throws -> PredictionIntervals {
        let anchors = try predictor.calibrationFlows(anchor)
        let anchorTexts = Set(anchors.map(\.canonical))
        var truth: [QoRPrediction] = [], pure: [QoRPrediction] = []
        var anchoredTruth: [QoRPrediction] = [], anchored: [QoRPrediction] = []
        var used = 0
        for d in try UnseenDesigns.read(store, for: predictor, progress: progress) {
            let scored = d.labels.filter { !anchorTexts.contains($0.flow.canonical) }
            guard !scored.isEmpty else { continue }
            used += 1
            predictor.dropAnchor(d.sample)
            truth += scored.map(\.truth)
            pure += try predictor.predict(d.sample, flows: scored.map(\.flow))
            let byText = Dictionary(d.labels.map { ($0.flow.canonical, $0.truth) }, uniquingKeysWith: { a, _ in a })
            let anchorTruth = anchors.compactMap { byText[$0.canonical] }
            guard anchorTruth.count == anchors.count else { continue }
            try predictor.calibrate(d.sample, flows: anchors, truth: anchorTruth)
            anchoredTruth += scored.map(\.truth)
            anchored += try predictor.predict(d.sample, flows: scored.map(\.flow))
            predictor.dropAnchor(d.sample)
        }
        guard used > 0 else { throw AnchorError("\(store.path): no labelled design the model did not see") }
        return PredictionIntervals(
            coverage: coverage, anchored: LogBand.conformal(truth: anchoredTruth, predicted: anchored, coverage: coverage),
            unanchored: LogBand.conformal(truth: truth, predicted: pure, coverage: coverage),
            designs: used, predictions: anchored.count, source: "\((store.path as NSString).lastPathComponent), \(predictor.config.library)")
    }
}
