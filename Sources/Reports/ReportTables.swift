import Foundation

/// A table as both the Markdown and the HTML report show it.
struct ReportTable {
    var title: String
    var header: [String]
    var rows: [[String]]
    /// Columns of text (left-aligned); the others hold numbers (right-aligned).
    var textColumns: Set<Int>
}

/// The text content shared by `report.md` and `report.html`: header facts, tables and notes.
struct ReportContent {
    var title: String
    var facts: [(String, String)]
    var caution: String
    var overall: ReportTable
    var overallNotes: [String]
    var perDesign: [ReportTable]

    init(_ e: Evaluation) {
        let percent = Int((e.topFraction * 100).rounded())
        let metricHeader = ["MAPE %", "Spearman", "Kendall τ-b", "top-\(percent)% recall"]
        title = "QoR report: model \(e.modelName)"
        let splitMeaning = switch e.split {
        case "flows": " (held-out flows of designs seen in training)"
        case "designs": " (held-out designs, unseen in training)"
        default: ""
        }
        facts = [
            ("split", e.split + splitMeaning),
            ("test set", "\(e.recordCount) predictions on \(e.designs.count) designs"),
            ("date", ReportDate.iso(e.date)),
        ]
        if let fingerprint = e.fingerprint { facts.append(("training data fingerprint", fingerprint)) }
        if let calibration = e.calibration { facts.append(("calibration", calibration)) }
        let median = e.overall[.designMedian]?.delay.designs ?? 0
        let linear = e.overall[.linearAIG]?.delay.designs ?? 0
        var baselines = "per-design median of the training labels on \(median) of \(e.designs.count) designs"
        if let fit = e.linearBaseline {
            baselines += "; linear regression of log QoR on log initial-AIG statistics (fitted on \(fit.designs) training designs) on \(linear) of \(e.designs.count) designs"
        } else {
            baselines += "; linear regression on initial-AIG statistics not fitted (no training designs with statistics)"
        }
        facts.append(("baselines", baselines))
        caution = """
            The spread of QoR across the flows of one design is small (the spread column below), so a low \
            MAPE alone says little: compare the model with the baseline beside it, and look at how well it \
            orders the flows within a design (Spearman, Kendall, top-\(percent)% recall).
            """

        var rows: [[String]] = []
        for target in Target.allCases {
            for p in Predictor.allCases {
                guard let s = e.overall[p]?[target] else { continue }
                rows.append([target.rawValue, p.title, "\(s.designs)", "\(s.records)"] + Self.cells(s))
                if let m = e.overallModelOnBaselineDesigns[p]?[target] {
                    rows.append([target.rawValue, "model, same designs", "\(m.designs)", "\(m.records)"] + Self.cells(m))
                }
            }
        }
        overall = ReportTable(
            title: "Overall", header: ["target", "predictor", "designs", "records"] + metricHeader, rows: rows, textColumns: [0, 1])
        overallNotes = [
            "MAPE is over all records a predictor applies to; the rank metrics are means over the designs where they are defined (not for one flow or a constant truth).",
            "Where a baseline covers only some designs, the row after it scores the model on those same designs.",
            "The baselines predict one value per design, so they cannot order flows: their rank metrics are n/a.",
            "A random order of the flows scores a top-\(percent)% recall of \(Self.fixed(e.overallRandomTopRecall.delay, 2)) (delay) and \(Self.fixed(e.overallRandomTopRecall.area, 2)) (area) on average (flows tied with the \(percent)% best count as best).",
        ]
        if e.overall.count == 1 {
            overallNotes.append("No baseline applies: no training labels or design statistics were given, so the MAPE has nothing to be compared with.")
        }
        perDesign = Target.allCases.map { target in
            var rows: [[String]] = []
            for d in e.designs {
                for (i, p) in Predictor.allCases.filter({ d.scores[$0] != nil }).enumerated() {
                    let lead = i == 0 ? [d.design, "\(d.records.count)", Self.fixed(d.spread[target], 2)] : ["", "", ""]
                    rows.append(lead + [p.title] + Self.cells(d.scores[p]?[target]))
                }
            }
            return ReportTable(
                title: "Per design: \(target.rawValue)", header: ["design", "flows", "spread %", "predictor"] + metricHeader,
                rows: rows, textColumns: [0, 3])
        }
    }

    static func cells(_ s: Scores?) -> [String] {
        guard let s else { return ["—", "—", "—", "—"] }
        return [fixed(s.mape, 2), fixed(s.spearman, 3), fixed(s.kendall, 3), fixed(s.topRecall, 2)]
    }

    /// `v` with `digits` decimals; "n/a" when undefined.
    static func fixed(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "n/a"
    }
}
