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
        var rows: [LabelRow] = []
        for l in try store.libraries() where predictor.config.library.hasSuffix(" \(l.hash))") {
            rows += try store.labels(libraryID: l.id)
        }
        guard !rows.isEmpty else {
            throw AnchorError("\(store.path): no ok labels of the model's library \(predictor.config.library)")
        }
        let byDesign = Dictionary(grouping: rows, by: \.designID)
        let designs = try store.designs(ids: byDesign.keys.sorted())
        var truth: [QoRPrediction] = [], pure: [QoRPrediction] = []
        var anchoredTruth: [QoRPrediction] = [], anchored: [QoRPrediction] = []
        var used = 0
        let known = Set(predictor.config.knownDesigns.map(\.hash))
        for (i, d) in designs.enumerated() {
            defer { progress(i + 1, designs.count) }
            guard !known.contains(d.hash) else { continue }
            let aig = try DesignReader.read(bytes: try store.designAiger(id: d.id), file: "\(store.path): design \(d.name) (id \(d.id))")
            let sample = DesignSample(name: d.name, hash: d.hash, graph: AigGraph(aig))
            var labels: [String: QoRPrediction] = [:]
            for r in byDesign[d.id] ?? [] { labels[r.flowText] = QoRPrediction(delay: r.delay, area: r.area) }
            // Flows the model cannot read (a step outside its vocabulary) are left out.
            var scored: [(Flow, QoRPrediction)] = []
            for (text, t) in labels.sorted(by: { $0.key < $1.key }) where !anchorTexts.contains(text) {
                guard let flow = try? Flow.parse(text), (try? predictor.config.vocabulary.tokens(flow)) != nil else { continue }
                scored.append((flow, t))
            }
            guard !scored.isEmpty else { continue }
            used += 1
            predictor.dropAnchor(sample)
            truth += scored.map(\.1)
            pure += try predictor.predict(sample, flows: scored.map(\.0))
            let anchorTruth = anchors.compactMap { labels[$0.canonical] }
            guard anchorTruth.count == anchors.count else { continue }
            try predictor.calibrate(sample, flows: anchors, truth: anchorTruth)
            anchoredTruth += scored.map(\.1)
            anchored += try predictor.predict(sample, flows: scored.map(\.0))
            predictor.dropAnchor(sample)
        }
        guard used > 0 else { throw AnchorError("\(store.path): no labelled design the model did not see") }
        return PredictionIntervals(
            coverage: coverage, anchored: LogBand.conformal(truth: anchoredTruth, predicted: anchored, coverage: coverage),
            unanchored: LogBand.conformal(truth: truth, predicted: pure, coverage: coverage),
            designs: used, predictions: anchored.count, source: "\((store.path as NSString).lastPathComponent), \(predictor.config.library)")
    }
}
