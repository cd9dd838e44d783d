import Flows
import Tensor

/// Transformation steps as token ids: 0 is padding, step `vocabulary[i]` (canonical text) is
/// token `i + 1`. Built from the training flows and saved in the checkpoint config.
public struct FlowVocabulary: Sendable, Codable, Equatable {
    public let steps: [String]
    /// The longest flow the position embedding covers.
    public let maxSteps: Int

    public init(steps: [String], maxSteps: Int) {
        self.steps = steps
        self.maxSteps = maxSteps
    }

    /// The distinct steps of `flows` in text order; positions up to the longest flow (at least `minimumSteps`).
    public init(flows: [Flow], minimumSteps: Int = 20) {
        let steps = Set(flows.flatMap { $0.steps.map(\.text) }).sorted()
        self.init(steps: steps, maxSteps: max(minimumSteps, flows.map(\.steps.count).max() ?? 0))
    }

    /// Token ids including padding.
    public var tokenCount: Int { steps.count + 1 }

    /// The token ids of a flow; an error names the first step the model has never seen.
    public func tokens(_ flow: Flow, number: Int? = nil) throws(ModelError) -> [Int32] {
        let which = number.map { "flow \($0)" } ?? "the flow"
        guard flow.steps.count <= maxSteps else {
            throw ModelError(.badInput, "\(which) has \(flow.steps.count) steps; the model covers at most \(maxSteps)")
        }
        var out: [Int32] = []
        out.reserveCapacity(flow.steps.count)
        for (k, step) in flow.steps.enumerated() {
            // A scan, not a dictionary: vocabularies are a few dozen short steps, and hashing a
            // String cost 9% of prediction time (`qor bench predict` profile) where comparing costs ~1%.
            guard let i = steps.firstIndex(of: step.text) else {
                throw ModelError(
                    .badInput,
                    "\(which), step \(k + 1): '\(step.text)' is not a transformation the model was trained on; expected one of: \(steps.joined(separator: ", "))")
            }
            out.append(Int32(i + 1))
        }
        return out
    }

    enum CodingKeys: String, CodingKey { case steps, maxSteps }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(steps: try c.decode([String].self, forKey: .steps), maxSteps: try c.decode(Int.self, forKey: .maxSteps))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(steps, forKey: .steps)
        try c.encode(maxSteps, forKey: .maxSteps)
    }
    public static func == (a: FlowVocabulary, b: FlowVocabulary) -> Bool { a.steps == b.steps && a.maxSteps == b.maxSteps }
}

/// Flows as a padded token matrix `[count, width]` with their lengths.
struct TokenBatch {
    var ids: [Int32]
    var lengths: [Int]
    var width: Int
    var count: Int { lengths.count }

    init(_ sequences: [[Int32]]) {
        width = max(1, sequences.map(\.count).max() ?? 1)
        lengths = sequences.map(\.count)
        ids = [Int32](repeating: 0, count: sequences.count * width)
        for (i, s) in sequences.enumerated() {
            for (t, id) in s.enumerated() { ids[i * width + t] = id }
        }
    }

    var uniformLength: Bool { lengths.allSatisfy { $0 == width } }

    /// Per flow `[B, 6 * steps + 1]`: the share of each step kind; its recency (each occurrence
    /// weighted 0.8^(steps after it), over 5: the last steps weigh most on the result); its share
    /// within each quarter of the flow; and the length over 20.
    func summary(steps: Int) -> Tensor<Float> {
        let n = 6 * steps + 1
        var out = [Float](repeating: 0, count: count * n)
        for i in 0..<count {
            let len = lengths[i], row = i * n
            var weight: Float = 0.2
            for t in stride(from: len - 1, through: 0, by: -1) {
                let id = Int(ids[i * width + t])
                if id >= 1 && id <= steps {
                    out[row + id - 1] += 1 / Float(len)
                    out[row + steps + id - 1] += weight
                    let quarter = min(3, t * 4 / len)
                    out[row + (2 + quarter) * steps + id - 1] += 4 / Float(len)
                }
                weight *= 0.8
            }
            out[row + 6 * steps] = Float(len) / 20
        }
        return Tensor([count, n], out)
    }

    /// ``summary(steps:)`` as one array per flow.
    func summaryRows(steps: Int) -> [[Float]] {
        let x = summary(steps: steps)
        return (0..<count).map { Array(x.data[($0 * x.cols)..<(($0 + 1) * x.cols)]) }
    }
}
