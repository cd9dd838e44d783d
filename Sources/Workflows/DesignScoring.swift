import Flows
import Foundation
import QoRModel
import Reports
import Store

/// One test design's labels scored by a model, as a report counts them. A design the model did not
/// see is anchored on its labels of the model's first N calibration flows (as `qor predict` does):
/// those labels leave the scored records and become the "anchor alone" baseline's training labels,
/// and the model without the anchor is scored beside it.
struct DesignScoring {
    var predictor: QoRPredictor
    /// Anchor flows per unseen design (0: none, the model alone).
    var anchor: Int

    /// What one design contributes to a report.
    struct Scored {
        var records: [PredictionRecord] = []
        var anchorLabels: [TrainingLabel] = []
        /// Per record: did the interval hold the truth (delay, area), and its width (high / low).
        var covered: [(delay: Bool, area: Bool)] = []
        var widths: [(delay: Double, area: Double)] = []
        /// The pure model's mean absolute percentage error on this design (delay, area), when unseen.
        var pureError: (delay: Double, area: Double)?
        /// Statistics of the design beyond the model's training range (empty: in range).
        var outliers: [String] = []
    }

    /// Scores `labels` (flow and ABC's truth) of `design`; `anchors` are the model's calibration flows.
    func score(_ design: DesignSample, labels: [(flow: Flow, truth: QoRPrediction)], anchors: [Flow]) throws -> Scored {
        var out = Scored()
        var examples = labels
        let unseen = !predictor.knows(design)
        if unseen { out.outliers = predictor.config.designRange?.outliers(design.stats) ?? [] }
        var unanchored: [QoRPrediction]?
        if anchor > 0 && unseen {
            let byText = Dictionary(labels.map { ($0.flow.canonical, $0) }, uniquingKeysWith: { a, _ in a })
            let wanted = anchors.prefix(anchor)
            let anchorLabels = wanted.compactMap { byText[$0.canonical] }
            guard anchorLabels.count == wanted.count, anchorLabels.count < labels.count else {
                throw StoreError(
                    .usage, "--anchor \(anchor): design \(design.name) lacks labels of the model's calibration flows (\(wanted.map(\.canonical).joined(separator: " | "))); label them with `qor label`, or --no-anchor")
            }
            let anchorTexts = Set(wanted.map(\.canonical))
            examples = labels.filter { !anchorTexts.contains($0.flow.canonical) }
            unanchored = try predictor.predict(design, flows: examples.map(\.flow))
            try predictor.calibrate(design, flows: anchorLabels.map(\.flow), truth: anchorLabels.map(\.truth))
            out.anchorLabels = anchorLabels.map { TrainingLabel(design: design.name, delay: $0.truth.delay, area: $0.truth.area) }
        }
        defer { if unanchored != nil { predictor.dropAnchor(design) } }
        let predictions = try predictor.predict(design, flows: examples.map(\.flow))
        if let band = predictor.band(design) {
            for (e, p) in zip(examples, predictions) {
                let i = band.interval(p)
                out.covered.append((i.delay.contains(e.truth.delay), i.area.contains(e.truth.area)))
                out.widths.append((i.delay.upperBound / i.delay.lowerBound, i.area.upperBound / i.area.lowerBound))
            }
        }
        for (i, (e, p)) in zip(examples, predictions).enumerated() {
            out.records.append(PredictionRecord(
                design: design.name, flow: e.flow.canonical, trueDelay: e.truth.delay, trueArea: e.truth.area,
                predictedDelay: p.delay, predictedArea: p.area, unanchored: unanchored.map { ($0[i].delay, $0[i].area) }))
        }
        if unseen {
            let pure = try unanchored ?? predictor.predict(design, flows: examples.map(\.flow))
            func mape(_ t: (QoRPrediction) -> Double) -> Double {
                zip(examples, pure).map { abs(t($1) - t($0.truth)) / t($0.truth) }.reduce(0, +) / Double(max(1, examples.count)) * 100
            }
            out.pureError = (mape(\.delay), mape(\.area))
        }
        return out
    }

    /// The report's note on how unseen test designs were anchored.
    static func anchorNote(_ anchor: Int) -> String {
        "each test design the model did not see was anchored on its labels of the model's first \(anchor) calibration flow(s) (as qor predict does), which are left out of the scores; the model without the anchor is scored beside it, and the per-design median baseline is the median of those labels (the anchor alone)"
    }

    /// The report's note on the intervals: how often they held ABC's result, and their mean width.
    static func coverageNote(_ all: [Scored], intervals: PredictionIntervals?) -> String? {
        let covered = all.flatMap(\.covered), widths = all.flatMap(\.widths)
        guard let i = intervals, !covered.isEmpty else { return nil }
        let n = Double(covered.count)
        return String(
            format: "%.0f%% intervals (split-conformal, %d designs of %@) held ABC's result for %.1f%% of delay and %.1f%% of area predictions on %d unseen-design predictions; mean width (high / low) x%.3f delay, x%.3f area",
            100 * i.coverage, i.designs, i.source, 100 * Double(covered.filter(\.delay).count) / n,
            100 * Double(covered.filter(\.area).count) / n, covered.count,
            widths.map(\.delay).reduce(0, +) / n, widths.map(\.area).reduce(0, +) / n)
    }

    /// The report's note on the out-of-distribution flag: how many unseen designs the model alone
    /// missed by more than half, and how many of those were not flagged.
    static func outOfDistributionNote(_ all: [Scored]) -> String? {
        let unseen = all.filter { $0.pureError != nil }
        guard !unseen.isEmpty else { return nil }
        let wild = unseen.filter { s in s.pureError.map { max($0.delay, $0.area) > 50 } ?? false }
        let flagged = unseen.filter { !$0.outliers.isEmpty }
        return "out-of-distribution flag: \(flagged.count) of \(unseen.count) unseen designs flagged; \(wild.count) with a pure-model MAPE over 50% (delay or area), \(wild.filter { $0.outliers.isEmpty }.count) of them without the flag"
    }
}
