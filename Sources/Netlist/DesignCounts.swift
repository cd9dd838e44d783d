import Common

/// A design's counts as ABC's `print_stats` gives them (`qor stats`): one JSON line, or a table row.
public struct DesignCounts: Sendable {
    public var file: String
    /// Inputs, outputs, latches, ANDs, levels.
    public var counts: [Int]
    static let keys = ["inputs", "outputs", "latches", "ands", "levels"]

    public init(file: String, _ aig: Aig) {
        self.file = file
        counts = [aig.inputCount, aig.outputs.count, aig.latchCount, aig.andCount, aig.depth]
    }

    public var json: String {
        "{\"file\":\(JSONText.quoted(file)),\(zip(Self.keys, counts).map { "\"\($0)\":\($1)" }.joined(separator: ","))}"
    }

    /// A table with a header: the file left-aligned, the counts right-aligned.
    public static func table(_ rows: [DesignCounts]) -> String {
        let all = [["file"] + keys] + rows.map { [$0.file] + $0.counts.map(String.init) }
        let widths = all[0].indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return c == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
