import Flows

extension FlowVocabulary {
    /// The flow summary features (`TokenBatch.summary`: step shares, recency, shares per quarter,
    /// length) that the per-design and pooled ridges of the model read, one row per flow. Public
    /// so that a search can fit its own design-specific ridge on the same features.
    public func summaries(_ flows: [Flow]) throws(ModelError) -> [[Float]] {
        var tokens: [[Int32]] = []
        tokens.reserveCapacity(flows.count)
        for (i, f) in flows.enumerated() { tokens.append(try self.tokens(f, number: flows.count > 1 ? i + 1 : nil)) }
        let x = TokenBatch(tokens).summary(steps: steps.count)
        return (0..<flows.count).map { Array(x.data[($0 * x.cols)..<(($0 + 1) * x.cols)]) }
    }

    /// Whether every step of `flow` is one of the vocabulary's and the flow is not too long.
    public func covers(_ flow: Flow) -> Bool {
        flow.steps.count <= maxSteps && flow.steps.allSatisfy { steps.contains($0.text) }
    }
}
