/// `report.md`.
enum MarkdownReport {
    static func render(_ c: ReportContent) -> String {
        var out = "# \(escape(c.title))\n\n"
        for (key, value) in c.facts { out += "- \(key): \(escape(value))\n" }
        out += "\n\(c.caution)\n\n"
        out += table(c.overall)
        out += "\n" + c.overallNotes.map { "- \($0)\n" }.joined()
        for t in c.perDesign { out += "\n" + table(t) }
        return out
    }

    static func table(_ t: ReportTable) -> String {
        var out = "## \(escape(t.title))\n\n"
        out += "| " + t.header.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + t.header.indices.map { t.textColumns.contains($0) ? "---|" : "---:|" }.joined() + "\n"
        for row in t.rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
