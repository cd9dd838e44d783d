import Common

extension Flow {
    /// A flow of `length` steps drawn uniformly from `vocabulary` (empty if the vocabulary is).
    public static func random(
        length: Int, vocabulary: [Transformation] = Transformation.standard, using generator: inout SplitMix64
    ) -> Flow {
        guard !vocabulary.isEmpty else { return Flow([]) }
        return Flow((0..<max(0, length)).map { _ in vocabulary[generator.next(below: vocabulary.count)] })
    }

    /// `count` distinct random flows of `length` steps, the same for the same arguments on every
    /// machine. Fewer only when the vocabulary cannot make `count` distinct flows of that length.
    public static func distinctRandom(
        count: Int, length: Int, vocabulary: [Transformation] = Transformation.standard, seed: UInt64
    ) -> [Flow] {
        var unique: [Transformation] = []
        for t in vocabulary where !unique.contains(t) { unique.append(t) }
        guard !unique.isEmpty else { return [] }
        var possible = 1
        for _ in 0..<max(0, length) where possible < count {
            possible = possible.multipliedReportingOverflow(by: unique.count).overflow ? Int.max : possible * unique.count
        }
        let wanted = min(count, possible)
        var generator = SplitMix64(seed: seed)
        var seen: Set<Flow> = []
        var flows: [Flow] = []
        while flows.count < wanted {
            let flow = random(length: length, vocabulary: unique, using: &generator)
            if seen.insert(flow).inserted { flows.append(flow) }
        }
        return flows
    }
}
