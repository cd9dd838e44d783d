import Common

/// A synthesis flow: a sequence of ABC transformations applied to an AIG.
///
/// Its canonical text is the spelled-out steps joined by `"; "` with no trailing `;`, for example
/// `balance; rewrite -z; resub -K 8 -N 2`. That text is the flow's key in the database, in files
/// and in hashes; ``hash`` is the 64-bit FNV-1a of its UTF-8 bytes.
public struct Flow: Sendable, Hashable, CustomStringConvertible {
    public let steps: [Transformation]
    /// The canonical text.
    public let canonical: String

    public init(_ steps: [Transformation]) {
        self.steps = steps
        canonical = steps.map(\.text).joined(separator: "; ")
    }

    public var description: String { canonical }

    /// 16 hex digits of the 64-bit FNV-1a hash of ``canonical``; stable across runs and machines.
    public var hash: String { StableHash.hex(StableHash.fnv1a64(canonical)) }

    /// The flow as an ABC script: one spelled-out command per line, runnable without an abc.rc.
    public var abcScript: String { steps.map { $0.text + "\n" }.joined() }

    /// The flow with abc.rc short names where a step is exactly one (`b; rwz; resub -K 8`).
    public var shortText: String { steps.map { $0.shortName ?? $0.text }.joined(separator: "; ") }

    public static func == (a: Flow, b: Flow) -> Bool { a.canonical == b.canonical }
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }

    /// Parses one flow whose steps are separated by `;` or line breaks, in long or short spelling,
    /// with `#` comments; blank steps are ignored. A flow must have at least one step.
    public static func parse(_ text: String) throws(FlowError) -> Flow {
        var steps: [Transformation] = []
        for (index, line) in FlowParser.lines(text).enumerated() {
            for tokens in FlowParser.steps(ofLine: line) {
                try checkLength(steps.count + 1, line: index + 1)
                steps.append(try FlowParser.transformation(tokens, line: index + 1, step: steps.count + 1))
            }
        }
        guard !steps.isEmpty else {
            throw FlowError(line: 1, column: 1, step: 1, "expected at least one transformation, found none")
        }
        return Flow(steps)
    }

    /// Parses one flow per line (as in OpenABC-D's recipe list); blank and comment lines are skipped.
    public static func parseList(_ text: String) throws(FlowError) -> [Flow] {
        try parseNumberedList(text).map(\.flow)
    }

    /// ``parseList(_:)`` with the 1-based line of each flow, for messages that name it.
    public static func parseNumberedList(_ text: String) throws(FlowError) -> [(line: Int, flow: Flow)] {
        var flows: [(line: Int, flow: Flow)] = []
        for (index, line) in FlowParser.lines(text).enumerated() {
            let stepTokens = FlowParser.steps(ofLine: line)
            if stepTokens.isEmpty { continue }
            try checkLength(stepTokens.count, line: index + 1)
            var steps: [Transformation] = []
            for tokens in stepTokens {
                steps.append(try FlowParser.transformation(tokens, line: index + 1, step: steps.count + 1))
            }
            flows.append((index + 1, Flow(steps)))
        }
        return flows
    }

    /// The most steps a flow may have. ABC scripts in use have tens of steps; a longer flow is
    /// a mistake (or an attack on memory), refused with its line before any work.
    public static let maxSteps = 1000

    static func checkLength(_ count: Int, line: Int) throws(FlowError) {
        guard count <= maxSteps else {
            throw FlowError(line: line, "a flow of \(count) steps; expected at most \(maxSteps)")
        }
    }
}
