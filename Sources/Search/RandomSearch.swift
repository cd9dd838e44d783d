import Common
import Flows

/// Uniform random flows of the search's length from the vocabulary, nothing learned: the
/// baseline every other strategy must beat with the same number of ABC runs.
public struct RandomSearch: SearchStrategy {
    let proposals: Proposals

    public init(_ context: StrategyContext) { proposals = context.proposals }

    public mutating func next(count: Int, history: SearchHistory, using g: inout SplitMix64) throws -> [Flow] {
        proposals.candidates(parents: [], tried: history.tried, random: count, mutants: 0, crosses: 0, using: &g)
    }
}
