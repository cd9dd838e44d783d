/// How far one predictor is off on one target (delay or area), over one design or many. NaN where
/// a metric is undefined (see ``Scoring``).
public struct TargetScores: Sendable, Equatable {
    /// Mean absolute percentage error, in percent.
    public var mape: Double
    /// Spearman's rank correlation across flows within a design (many designs: the mean over the
    /// designs where it is defined).
    public var spearman: Double
    /// Kendall's tau-b across flows within a design (many designs: as `spearman`).
    public var kendall: Double
    /// Share of the truly best flows that the predictor puts among its own best (`Metrics.topRecall`).
    public var topRecall: Double
    /// Records and designs the scores are computed on.
    public var records: Int
    public var designs: Int

    public init(mape: Double, spearman: Double, kendall: Double, topRecall: Double, records: Int, designs: Int) {
        self.mape = mape
        self.spearman = spearman
        self.kendall = kendall
        self.topRecall = topRecall
        self.records = records
        self.designs = designs
    }

    public static func == (a: TargetScores, b: TargetScores) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return same(a.mape, b.mape) && same(a.spearman, b.spearman) && same(a.kendall, b.kendall)
            && same(a.topRecall, b.topRecall) && a.records == b.records && a.designs == b.designs
    }
}

/// The one scoring rule, used by training (validation), the metrics stored in a checkpoint and the
/// reports, so that they give the same numbers for the same predictions.
///
/// - Per design: MAPE over its flows. The rank metrics (Spearman, Kendall tau-b, top recall) are
///   defined when neither the truth nor the prediction is constant over the design's flows, which
///   needs at least two flows; otherwise they are NaN. (A constant prediction has no ranking:
///   its top recall would only reflect the record order. Two flows do have a ranking, right or
///   wrong, so there is no larger minimum.)
/// - Over designs: MAPE over all records pooled (in design order, then record order); each rank
///   metric is the mean over the designs where it is defined (NaN when none is), designs in order.
public enum Scoring {
    /// The scores of one design's flows; `fraction` is the share of flows counted as best.
    public static func design(predicted: [Double], truth: [Double], fraction: Double = 0.1) -> TargetScores {
        let undefined = isConstant(predicted) || isConstant(truth)
        return TargetScores(
            mape: Metrics.mape(predicted: predicted, truth: truth),
            spearman: undefined ? .nan : Metrics.spearman(predicted, truth),
            kendall: undefined ? .nan : Metrics.kendall(predicted, truth),
            topRecall: undefined ? .nan : Metrics.topRecall(predicted: predicted, truth: truth, fraction: fraction),
            records: truth.count, designs: 1)
    }

    /// Several designs together: `predicted[d]` and `truth[d]` are design d's flows and
    /// `perDesign[d]` its ``design(predicted:truth:fraction:)`` scores.
    public static func summary(predicted: [[Double]], truth: [[Double]], perDesign: [TargetScores]) -> TargetScores {
        let p = predicted.flatMap { $0 }, t = truth.flatMap { $0 }
        return TargetScores(
            mape: Metrics.mape(predicted: p, truth: t),
            spearman: meanDefined(perDesign.map(\.spearman)), kendall: meanDefined(perDesign.map(\.kendall)),
            topRecall: meanDefined(perDesign.map(\.topRecall)), records: t.count, designs: perDesign.count)
    }

    /// Scores rows grouped by `design` (groups in ascending design order, rows in input order).
    public static func grouped(design: [Int], predicted: [Double], truth: [Double], fraction: Double = 0.1) -> TargetScores {
        var groups: [Int: [Int]] = [:]
        for (i, d) in design.enumerated() { groups[d, default: []].append(i) }
        let order = groups.keys.sorted().map { groups[$0] ?? [] }
        let p = order.map { $0.map { predicted[$0] } }, t = order.map { $0.map { truth[$0] } }
        return summary(predicted: p, truth: t, perDesign: zip(p, t).map { Self.design(predicted: $0, truth: $1, fraction: fraction) })
    }

    /// Whether every value equals the first (true for no or one value).
    public static func isConstant(_ x: [Double]) -> Bool { x.allSatisfy { $0 == x.first } }

    /// The mean of the non-NaN values; NaN when there are none.
    public static func meanDefined(_ x: [Double]) -> Double {
        let defined = x.filter { !$0.isNaN }
        return defined.isEmpty ? .nan : defined.reduce(0, +) / Double(defined.count)
    }
}
