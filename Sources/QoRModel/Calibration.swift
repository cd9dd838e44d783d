import Flows
import Foundation

/// How much a calibration moved a design's predictions: the factors applied to delay and area.
public struct Calibration: Sendable, Equatable {
    public var delayFactor: Double
    public var areaFactor: Double
    /// Labels it was computed from.
    public var labels: Int
    /// Training designs whose flow ordering the design borrows (``ResponseNeighbours``); 0: none.
    public var neighbours: Int = 0
}

extension QoRPredictor {
    /// Anchors this design's predictions to a few true labels: from now on every prediction for the
    /// design is multiplied, per target, by the factor that makes the median log-error on these
    /// flows zero. For a design the model has not seen, the level (how large its delay and area are
    /// at all) is what the model knows least; one label fixes most of it, and the model keeps
    /// ranking the flows. With at least ``ResponseNeighbours/minimumAnchors`` labels the design also
    /// borrows the flow ordering of the `count` training designs that respond most like it
    /// (``ResponseNeighbours``). Calling it again replaces the earlier calibration.
    @discardableResult
    public func calibrate(_ design: DesignSample, flows: [Flow], truth: [QoRPrediction]) throws(ModelError) -> Calibration {
        try calibrate(design, flows: flows, truth: truth, neighbours: ResponseNeighbours.count)
    }

    @discardableResult
    func calibrate(_ design: DesignSample, flows: [Flow], truth: [QoRPrediction], neighbours count: Int) throws(ModelError) -> Calibration {
        guard !flows.isEmpty, flows.count == truth.count else {
            throw ModelError(.usage, "calibration needs one true label per flow, at least one")
        }
        for (f, t) in zip(flows, truth) where !(t.delay > 0 && t.area > 0 && t.delay.isFinite && t.area.isFinite) {
            throw ModelError(.badInput, "calibration label of flow '\(f.shortText)': delay \(t.delay), area \(t.area); expected positive numbers")
        }
        offsets[design.hash] = nil
        neighbours[design.hash] = nil
        var tokens: [[Int32]] = []
        for (i, f) in flows.enumerated() { tokens.append(try config.vocabulary.tokens(f, number: flows.count > 1 ? i + 1 : nil)) }
        let s = config.scaling
        let targets = truth.map { s.targets(delay: $0.delay, area: $0.area, stats: design.stats) }
        if !knows(design), let found = ResponseNeighbours.match(self, design, tokens: tokens, targets: targets, count: count) {
            neighbours[design.hash] = found
        }
        let predicted = standardised(design, tokens: tokens)
        var dd: [Double] = [], da: [Double] = []
        for (p, y) in zip(predicted, targets) {
            dd.append(y.0 - Double(p.0))
            da.append(y.1 - Double(p.1))
        }
        let shift = (Metrics.median(dd), Metrics.median(da))
        offsets[design.hash] = (Float(shift.0), Float(shift.1))
        anchorSpreads[design.hash] = (LogBand.spread(truth), truth.count)
        return Calibration(
            delayFactor: Foundation.exp(Double(Float(shift.0)) * s.delayStd), areaFactor: Foundation.exp(Double(Float(shift.1)) * s.areaStd),
            labels: flows.count, neighbours: neighbours[design.hash].map { Set($0.delayRows + $0.areaRows).count } ?? 0)
    }

    /// The first `count` of the model's calibration flows (`ModelConfig.calibrationFlows`).
    public func calibrationFlows(_ count: Int) throws(ModelError) -> [Flow] {
        let names = config.calibrationFlows
        guard count <= names.count else {
            throw ModelError(.usage, "calibration with \(count) flows: the model names \(names.count) (at most --anchor \(names.count))")
        }
        var flows: [Flow] = []
        for text in names.prefix(count) {
            do { flows.append(try Flow.parse(text)) } catch { throw ModelError(.badCheckpoint, "calibration flow '\(text)' of the model: \(error)") }
        }
        return flows
    }
}

extension QoRPredictor {
    /// Whether `design`'s predictions are anchored (``calibrate(_:flows:truth:)``).
    public func isAnchored(_ design: DesignSample) -> Bool { offsets[design.hash] != nil }

    /// Drops `design`'s anchor: its predictions are the model's alone again.
    public func dropAnchor(_ design: DesignSample) {
        offsets[design.hash] = nil
        neighbours[design.hash] = nil
        anchorSpreads[design.hash] = nil
    }

    /// The conformal band of `design`'s predictions, when the model has intervals for it: it does
    /// not know the design and, anchored, on as many labels as the intervals were fitted with.
    public func band(_ design: DesignSample) -> LogBand? {
        guard !knows(design), let intervals = config.intervals else { return nil }
        guard isAnchored(design) else { return intervals.band(anchorSpread: nil) }
        let a = anchorSpreads[design.hash] ?? (LogBand(delay: 0, area: 0), 0)
        return intervals.band(anchorSpread: a.spread, count: a.count)
    }

    /// Why an anchored design the model did not see gets no interval though the model has some:
    /// its anchor count is not the one they were fitted with (nil otherwise).
    public func bandMismatch(_ design: DesignSample) -> String? {
        guard !knows(design), isAnchored(design), let fitted = config.intervals?.anchors,
              let used = anchorSpreads[design.hash]?.count, used != fitted else { return nil }
        return "no intervals: the model's were fitted for designs anchored on \(fitted) flow(s), this one on \(used) (--anchor \(fitted) gives them)"
    }
}
