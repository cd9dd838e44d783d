import Foundation

/// Split-conformal prediction intervals: a band in log space, `prediction · exp(±halfWidth)`,
/// whose half-width is the ⌈(n + 1) · coverage⌉-th smallest absolute log-error of n predictions on
/// designs the model never saw. If the new design is exchangeable with those, the interval holds
/// the truth with probability at least `coverage` (Vovk et al.; Lei et al., JASA 2018).
public struct PredictionIntervals: Sendable, Codable, Equatable {
    /// The stated coverage, e.g. 0.9.
    public var coverage: Double
    /// Half-widths for designs the model did not see, anchored (the default of predict and rank).
    public var anchored: LogBand?
    /// Half-widths for designs the model did not see, predicted without an anchor.
    public var unanchored: LogBand?
    /// What the bands were computed from: designs and predictions (anchored case).
    public var designs: Int
    public var predictions: Int
    /// Where the held-out labels came from (a database path and library).
    public var source: String

    public init(coverage: Double, anchored: LogBand?, unanchored: LogBand?, designs: Int, predictions: Int, source: String) {
        self.coverage = coverage
        self.anchored = anchored
        self.unanchored = unanchored
        self.designs = designs
        self.predictions = predictions
        self.source = source
    }

    /// The band that applies to a design the model did not see, anchored or not.
    public func band(anchored isAnchored: Bool) -> LogBand? { isAnchored ? anchored : unanchored }
}

/// A half-width in log space for delay and area.
public struct LogBand: Sendable, Codable, Equatable {
    public var delay: Double
    public var area: Double

    public init(delay: Double, area: Double) {
        self.delay = delay
        self.area = area
    }

    /// `[low, high]` around a prediction.
    public func interval(_ p: QoRPrediction) -> (delay: ClosedRange<Double>, area: ClosedRange<Double>) {
        (p.delay * Foundation.exp(-delay)...p.delay * Foundation.exp(delay), p.area * Foundation.exp(-area)...p.area * Foundation.exp(area))
    }

    /// The conformal half-widths of (truth, prediction) pairs at `coverage`; nil when there are too
    /// few pairs for that coverage (fewer than 1 / (1 − coverage) − 1).
    public static func conformal(truth: [QoRPrediction], predicted: [QoRPrediction], coverage: Double) -> LogBand? {
        let n = min(truth.count, predicted.count)
        guard n > 0, coverage > 0, coverage < 1 else { return nil }
        let rank = Int((Double(n + 1) * coverage).rounded(.up))
        guard rank <= n else { return nil }
        func quantile(_ errors: [Double]) -> Double { errors.sorted()[rank - 1] }
        let delay = (0..<n).map { abs(Foundation.log(truth[$0].delay / predicted[$0].delay)) }
        let area = (0..<n).map { abs(Foundation.log(truth[$0].area / predicted[$0].area)) }
        return LogBand(delay: quantile(delay), area: quantile(area))
    }
}
