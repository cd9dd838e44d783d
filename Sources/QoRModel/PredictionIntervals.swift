import Foundation

/// Split-conformal prediction intervals: a band in log space, `prediction · exp(±halfWidth)`,
/// whose half-width is the ⌈(n + 1) · coverage⌉-th smallest absolute log-error of n predictions on
/// designs the model never saw. If the new design is exchangeable with those, the interval holds
/// the truth with probability at least `coverage` (Vovk et al.; Lei et al., JASA 2018).
public struct PredictionIntervals: Sendable, Codable, Equatable {
    /// The stated coverage, e.g. 0.9.
    public var coverage: Double
    /// Half-widths for designs the model did not see, anchored (the default of predict and rank);
    /// with ``spreadOffset``, multipliers of each design's anchor spread instead.
    public var anchored: LogBand?
    /// When present, an anchored design's half-width is `anchored × (σ + spreadOffset)`, σ the
    /// standard deviation of the log labels of its anchor flows (normalised conformal scores
    /// |log error| / (σ + offset), the offset the calibration designs' median σ): narrow for a design
    /// whose flows barely move its QoR, wide for one they move a lot. Nil in configs made before it.
    public var spreadOffset: LogBand?
    /// Anchor flows per design the anchored band was fitted with: it holds for that count only (nil
    /// in configs made before it was recorded).
    public var anchors: Int?
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

    /// The band that applies to a design the model did not see: anchored on `count` labels whose
    /// spread is `spread` (nil when not anchored: the unanchored band), or nil when the anchored
    /// band was fitted with another anchor count.
    public func band(anchorSpread spread: LogBand?, count: Int = 0) -> LogBand? {
        guard let spread else { return unanchored }
        if let anchors, anchors != count { return nil }
        guard let a = anchored, let o = spreadOffset else { return anchored }
        return LogBand(delay: a.delay * (spread.delay + o.delay), area: a.area * (spread.area + o.area))
    }
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
    /// few pairs for that coverage (fewer than 1 / (1 − coverage) − 1). With `scales` (one per pair),
    /// the quantiles of |log error| / scale: multipliers of each prediction's scale.
    public static func conformal(truth: [QoRPrediction], predicted: [QoRPrediction], scales: [LogBand]? = nil, coverage: Double) -> LogBand? {
        let n = min(truth.count, predicted.count, scales?.count ?? .max)
        guard n > 0, coverage > 0, coverage < 1 else { return nil }
        let rank = Int((Double(n + 1) * coverage).rounded(.up))
        guard rank <= n else { return nil }
        func quantile(_ errors: [Double]) -> Double { errors.sorted()[rank - 1] }
        let delay = (0..<n).map { abs(Foundation.log(truth[$0].delay / predicted[$0].delay)) / (scales?[$0].delay ?? 1) }
        let area = (0..<n).map { abs(Foundation.log(truth[$0].area / predicted[$0].area)) / (scales?[$0].area ?? 1) }
        return LogBand(delay: quantile(delay), area: quantile(area))
    }

    /// The standard deviation of the log delays and log areas of `labels` (0 for one label).
    public static func spread(_ labels: [QoRPrediction]) -> LogBand {
        func sd(_ v: [Double]) -> Double {
            guard v.count > 1 else { return 0 }
            let m = v.reduce(0, +) / Double(v.count)
            return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
        }
        return LogBand(delay: sd(labels.map { Foundation.log($0.delay) }), area: sd(labels.map { Foundation.log($0.area) }))
    }
}
