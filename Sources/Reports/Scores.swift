import QoRModel

/// The two quantities predicted.
public enum Target: String, CaseIterable, Sendable {
    case delay, area
}

/// Who predicts: the model or one of the baselines.
public enum Predictor: String, CaseIterable, Sendable {
    case model
    /// The model without the anchor, on designs it did not see that were anchored.
    case unanchoredModel = "model_without_anchor"
    /// The median of the design's training labels (designs seen in training).
    case designMedian = "design_median"
    /// Ridge regression on initial-AIG statistics (designs not seen in training).
    case linearAIG = "linear_aig"

    public var title: String {
        switch self {
        case .model: "model"
        case .unanchoredModel: "model without anchor"
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

/// How far one predictor is off on one target: the scores of the one scoring rule (`Scoring` in
/// QoRModel), which training and the checkpoint metrics use too.
public typealias Scores = TargetScores
