import Common
import Flows

/// Makes candidate flows: random flows of the search's length from the vocabulary, mutations of
/// the best verified flows, and recombinations of two of them. Candidates are distinct and
/// exclude every flow already tried on the design.
public struct Proposals: Sendable {
    public var vocabulary: [Transformation]
    public var length: Int
    /// The longest flow a child may have (the model's position limit).
    public var maxLength: Int

    public init(vocabulary: [Transformation], length: Int, maxLength: Int) {
        self.vocabulary = vocabulary
        self.length = length
        self.maxLength = max(1, maxLength)
    }

    /// One uniform random flow of ``length`` steps.
    public func random(using g: inout SplitMix64) -> Flow { Flow.random(length: length, vocabulary: vocabulary, using: &g) }

    /// A child of `parent`: one to three steps replaced, two steps swapped, or one step moved
    /// elsewhere with a new step in its place (the length stays).
    public func mutate(_ parent: Flow, using g: inout SplitMix64) -> Flow {
        var s = parent.steps
        guard !s.isEmpty, !vocabulary.isEmpty else { return random(using: &g) }
        switch g.next(below: 3) {
        case 0:
            for _ in 0...g.next(below: 3) { s[g.next(below: s.count)] = vocabulary[g.next(below: vocabulary.count)] }
        case 1:
            let i = g.next(below: s.count), j = g.next(below: s.count)
            s.swapAt(i, j)
            if i == j || s[i] == s[j] { s[i] = vocabulary[g.next(below: vocabulary.count)] }
        default:
            s.remove(at: g.next(below: s.count))
            s.insert(vocabulary[g.next(below: vocabulary.count)], at: g.next(below: s.count + 1))
        }
        return Flow(s)
    }

    /// A child of two parents: a head of `a` followed by a tail of `b` (cut at the same relative
    /// position), at most ``maxLength`` steps.
    public func recombine(_ a: Flow, _ b: Flow, using g: inout SplitMix64) -> Flow {
        guard !a.steps.isEmpty, !b.steps.isEmpty else { return random(using: &g) }
        let cut = 1 + g.next(below: max(1, a.steps.count - 1))
        let other = min(b.steps.count - 1, cut * b.steps.count / a.steps.count)
        let steps = Array(a.steps.prefix(cut)) + Array(b.steps.suffix(from: max(0, other)))
        return Flow(Array(steps.prefix(maxLength)))
    }

    /// `random` random flows, `mutants` mutations of the parents (best first: the first parents
    /// are picked more often) and `crosses` recombinations, without duplicates or flows in `tried`.
    public func candidates(parents: [Flow], tried: Set<String>, random: Int, mutants: Int, crosses: Int,
                           using g: inout SplitMix64) -> [Flow] {
        var seen = tried
        var out: [Flow] = []
        func add(_ f: Flow) { if !f.steps.isEmpty, seen.insert(f.canonical).inserted { out.append(f) } }
        // A parent index skewed to the best: the smaller of two uniform draws.
        func parent() -> Flow { parents[min(g.next(below: parents.count), g.next(below: parents.count))] }
        for _ in 0..<random { add(self.random(using: &g)) }
        if !parents.isEmpty {
            for _ in 0..<mutants { add(mutate(parent(), using: &g)) }
            if parents.count >= 2 { for _ in 0..<crosses { add(recombine(parent(), parent(), using: &g)) } }
        }
        return out
    }
}
