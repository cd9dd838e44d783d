import Common
import Flows
import QoRModel

/// What a strategy sees of the design so far: every verified flow the model's vocabulary covers,
/// with the log of its objective value, and every flow already tried (whatever the outcome).
public struct SearchHistory: Sendable {
    public var verified: [(flow: Flow, logValue: Double)]
    public var tried: Set<String>

    public init(verified: [(flow: Flow, logValue: Double)] = [], tried: Set<String> = []) {
        self.verified = verified
        self.tried = tried
    }

    /// The verified flows, best (smallest value) first.
    public var ranked: [Flow] { verified.sorted { ($0.logValue, $0.flow.canonical) < ($1.logValue, $1.flow.canonical) }.map(\.flow) }
}

/// What a strategy is built from.
public struct StrategyContext {
    public var proposals: Proposals
    public var vocabulary: FlowVocabulary
    /// The model's predictions for this design; nil runs the same loop with no prior (`--no-model`).
    public var prior: ModelPrior?
    /// Candidate flows to score per round.
    public var candidates: Int

    public init(proposals: Proposals, vocabulary: FlowVocabulary, prior: ModelPrior?, candidates: Int = 1000) {
        self.proposals = proposals
        self.vocabulary = vocabulary
        self.prior = prior
        self.candidates = max(10, candidates)
    }
}

/// A way to choose which flows ABC runs next. It is asked once per round and may keep state
/// between rounds; the engine runs the flows, stores the labels and passes the new history.
public protocol SearchStrategy {
    /// Up to `count` distinct flows not in `history.tried`, most promising first.
    mutating func next(count: Int, history: SearchHistory, using g: inout SplitMix64) throws -> [Flow]
}

/// The strategies by name. A new strategy is one file with its type and one line here.
public enum SearchStrategies {
    public static let registry: [String: @Sendable (StrategyContext) throws -> any SearchStrategy] = [
        "ridge": { try RidgeThompson($0) },
        "ridge-feature": { try RidgeThompson($0, modelWeightMean: 0) },
        "random": { RandomSearch($0) },
    ]

    public static var names: [String] { registry.keys.sorted() }
}
