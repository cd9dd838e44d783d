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
            topRecall: ranks ? .nan : topRecallWithTies(predicted: predicted, truth: truth, fraction: fraction),
            records: truth.count, designs: 1)
    }

    static func isConstant(_ x: [Double]) -> Bool { x.allSatisfy { $0 == x.first } }
}

/// Top-`fraction` recall that does not depend on the order of the records when the truth has ties:
/// with k = max(1, round(n·fraction)), the truly best set is every flow whose truth is at most the
/// k-th smallest truth, the predictor's choice is its k smallest predictions (ties broken by order),
/// and the recall is |choice ∩ best| / k. Without ties it equals `Metrics.topRecall`.
func topRecallWithTies(predicted: [Double], truth: [Double], fraction: Double) -> Double {
    guard !truth.isEmpty, predicted.count == truth.count else { return .nan }
    let k = topCount(truth.count, fraction)
    let threshold = truth.sorted()[k - 1]
    let chosen = predicted.indices.sorted { (predicted[$0], $0) < (predicted[$1], $1) }.prefix(k)
    return Double(chosen.filter { truth[$0] <= threshold }.count) / Double(k)
}

/// The recall a random order of the flows scores on average: |best| / n, best as in `topRecallWithTies`.
func randomTopRecall(truth: [Double], fraction: Double) -> Double {
    guard !truth.isEmpty else { return .nan }
    let threshold = truth.sorted()[topCount(truth.count, fraction) - 1]
    return Double(truth.filter { $0 <= threshold }.count) / Double(truth.count)
}

func topCount(_ n: Int, _ fraction: Double) -> Int { max(1, Int((Double(n) * fraction).rounded())) }
