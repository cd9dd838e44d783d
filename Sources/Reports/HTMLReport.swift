/// `report.html`: the tables of `report.md` and inline SVG plots, with no external script or style.
enum HTMLReport {
    /// Points per scatter panel; larger designs are shown by a regular sample of their flows.
    static let maxScatterPoints = 2000

    static func render(_ c: ReportContent, _ e: Evaluation) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(c.title))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; max-width: 1100px; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1em 0; }
            </style>
            </head>
            <body>
            <h1>\(escape(c.title))</h1>

            """
        out += "<ul>\n" + c.facts.map { "<li>\(escape($0.0)): \(escape($0.1))</li>\n" }.joined() + "</ul>\n"
        out += "<p>\(escape(c.caution))</p>\n"
        out += table(c.overall)
        out += "<ul>\n" + c.overallNotes.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
        out += "<h2>Errors of the model</h2>\n<figure>\n"
        out += SVGPlot.histograms(title: "percentage errors of the model", panels: Target.allCases.map { t in
            (t.rawValue, e.designs.flatMap { d in
                d.records.map { t == .delay ? percentError($0.predictedDelay, $0.trueDelay) : percentError($0.predictedArea, $0.trueArea) }
            })
        })
        out += "<figcaption>Signed percentage errors 100·(predicted − true)/true over all \(e.recordCount) predictions.</figcaption>\n</figure>\n"
        for t in c.perDesign { out += table(t) }
        out += "<h2>Predicted versus true, per design</h2>\n"
        out += "<p>Dashed: y = x. Dotted red: the baseline's one prediction for the design.</p>\n"
        for d in e.designs {
            let baseline = Predictor.allCases.first { d.baselinePredictions[$0] != nil }
            let stride = (d.records.count + maxScatterPoints - 1) / maxScatterPoints
            let shown = Swift.stride(from: 0, to: d.records.count, by: stride).map { d.records[$0] }
            out += "<figure>\n" + SVGPlot.scatter(title: d.design, panels: Target.allCases.map { t in
                (t.rawValue,
                 shown.map { t == .delay ? $0.trueDelay : $0.trueArea },
                 shown.map { t == .delay ? $0.predictedDelay : $0.predictedArea },
                 baseline.flatMap { p in d.baselinePredictions[p].map { (p.title, $0[t]) } })
            })
            let sample = stride > 1 ? " (one in \(stride) shown: \(shown.count))" : ""
            out += "<figcaption>\(escape(d.design)): \(d.records.count) flows\(sample).</figcaption>\n</figure>\n"
        }
        return out + "</body>\n</html>\n"
    }

    static func table(_ t: ReportTable) -> String {
        func cell(_ tag: String, _ i: Int, _ text: String) -> String {
            let cls = t.textColumns.contains(i) ? "" : " class=\"num\""
            return "<\(tag)\(cls)>\(escape(text))</\(tag)>"
        }
        var out = "<h2>\(escape(t.title))</h2>\n<table>\n<thead><tr>"
        out += t.header.enumerated().map { cell("th", $0, $1) }.joined() + "</tr></thead>\n<tbody>\n"
        for row in t.rows { out += "<tr>" + row.enumerated().map { cell("td", $0, $1) }.joined() + "</tr>\n" }
        return out + "</tbody>\n</table>\n"
    }

    static func escape(_ s: String) -> String { SVGPlot.escape(s) }
}
