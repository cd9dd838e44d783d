import Flows
import Foundation
import Netlist
import QoRModel
import Store

/// Fits a model's split-conformal intervals on labelled designs it never saw: for each such design
/// in a database (labels of the model's library), the model's predictions with and without the
/// anchor against ABC's truth; the bands are the conformal quantiles of the log-errors, the
/// anchored ones normalised by each design's anchor spread plus the median spread (on held-out
/// families its coverage came nearer the stated level than one band for all, 94% against 99.7%
/// for delay, with a mean log width of 0.10 against 0.26: `reports/unseen/families-anchor14`).
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
        var anchoredTruth: [QoRPrediction] = [], anchored: [QoRPrediction] = [], spreads: [LogBand] = []
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
            spreads += Array(repeating: LogBand.spread(anchorTruth), count: scored.count)
            predictor.dropAnchor(d.sample)
        }
        guard used > 0 else { throw AnchorError("\(store.path): no labelled design the model did not see") }
        // The offset: the median spread, so that a design whose anchors all agree still gets a band.
        let offset = LogBand(delay: Metrics.median(spreads.map(\.delay)), area: Metrics.median(spreads.map(\.area)))
        var intervals = PredictionIntervals(
            coverage: coverage, anchored: LogBand.conformal(truth: anchoredTruth, predicted: anchored, coverage: coverage),
            unanchored: LogBand.conformal(truth: truth, predicted: pure, coverage: coverage),
            designs: used, predictions: anchored.count, source: "\((store.path as NSString).lastPathComponent), \(predictor.config.library)")
        intervals.anchors = anchor
        if anchor > 1, offset.delay > 0, offset.area > 0 {
            let scales = spreads.map { LogBand(delay: $0.delay + offset.delay, area: $0.area + offset.area) }
            intervals.anchored = LogBand.conformal(truth: anchoredTruth, predicted: anchored, scales: scales, coverage: coverage)
            intervals.spreadOffset = offset
        }
        return intervals
    }
}
