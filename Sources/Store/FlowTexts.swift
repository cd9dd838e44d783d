import Flows

/// Parses many flow texts that share few distinct steps: each distinct step is parsed once and
/// looked up after that. Text the fast path cannot vouch for (comments, line breaks, a step that
/// does not parse) goes to ``Flow/parse(_:)``, which gives the same flow or the positioned error.
struct FlowTexts {
    private var steps: [Substring: Transformation] = [:]

    mutating func parse(_ text: String) throws(FlowError) -> Flow {
        if text.utf8.contains(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            return try Flow.parse(text)
        }
        var out: [Transformation] = []
        for piece in text.split(separator: ";", omittingEmptySubsequences: true) {
            let step = piece.trimmingASCIISpaces()
            if step.isEmpty { continue }
            if let t = steps[step] {
                out.append(t)
            } else if let t = try? Transformation(parsing: String(step)) {
                steps[step] = t
                out.append(t)
            } else {
                return try Flow.parse(text)
            }
        }
        return out.isEmpty ? try Flow.parse(text) : Flow(out)
    }
}

extension Substring {
    func trimmingASCIISpaces() -> Substring {
        var s = self
        while let c = s.utf8.first, c == 0x20 || c == 0x09 { s = s.dropFirst() }
        while let c = s.utf8.last, c == 0x20 || c == 0x09 { s = s.dropLast() }
        return s
    }
}
