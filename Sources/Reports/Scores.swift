import QoRModel

/// The two quantities predicted.
public enum Target: String, CaseIterable, Sendable {
    case delay, area
}

/// Who predicts: the model or one of the baselines.
public enum Predictor: String, CaseIterable, Sendable {
    case model
    /// The median of the design's training labels (designs seen in training).
    case designMedian = "design_median"
    /// Ridge regression on initial-AIG statistics (designs not seen in training).
    case linearAIG = "linear_aig"

    public var title: String {
        switch self {
        case .model: "model"
        case .designMedian: "per-design median"
        case .linearAIG: "linear on AIG stats"
        }
    }
}

/// A value for delay and one for area.
public struct PerTarget<Value: Sendable>: Sendable {
    public var delay: Value
    public var area: Value

    public init(delay: Value, area: Value) {
        self.delay = delay
        self.area = area
    }

    public subscript(_ target: Target) -> Value {
        switch target {
        case .delay: delay
        case .area: area
        }
    }
}

/// How far one predictor is off on one target. NaN where a metric is undefined: rank metrics of a
/// predictor that is constant within a design, or of a design whose truth is constant or has one flow.
public struct Scores: Sendable {
    /// Mean absolute percentage error, in percent.
    public var mape: Double
    /// Spearman's rank correlation across flows within a design (overall: mean over designs where defined).
    public var spearman: Double
    /// Kendall's tau-b across flows within a design (overall: mean over designs where defined).
    public var kendall: Double
    /// Share of the truly best flows that the predictor puts among its own best (see `topRecall`).
    public var topRecall: Double
    /// Records and designs the scores are computed on.
    public var records: Int
    public var designs: Int

    /// The scores of one design's flows.
    static func design(predicted: [Double], truth: [Double], fraction: Double) -> Scores {
        let ranks = isConstant(predicted) || isConstant(truth)
        return Scores(
            mape: Metrics.mape(predicted: predicted, truth: truth),
            spearman: ranks ? .nan : Metrics.spearman(predicted, truth),
            kendall: ranks ? .nan : Metrics.kendall(predicted, truth),
            topRecall: ranks ? .nan : Metrics.topRecall(predicted: predicted, truth: truth, fraction: fraction),
            records: truth.count, designs: 1)
    }

    static func isConstant(_ x: [Double]) -> Bool { x.allSatisfy { $0 == x.first } }
}
