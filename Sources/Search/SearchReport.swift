import Common
import Flows
import Foundation

/// How `qor search` prints its outcome.
extension SearchOutcome {
    /// One JSON object; `out` is the flow file written, if any.
    public func json(out: String?) -> String {
        let o = self
        func entry(_ v: VerifiedFlow) -> String {
            "{\"flow\":\(JSONText.quoted(v.flow)),\"delay\":\(v.delay),\"area\":\(v.area),\"adp\":\(v.delay * v.area)}"
        }
        var fields = [
            "\"design\":\(JSONText.quoted(o.design))", "\"library\":\(JSONText.quoted(o.library))", "\"objective\":\(JSONText.quoted(o.objective.rawValue))",
            "\"strategy\":\(JSONText.quoted(o.strategy))", "\"budget\":\(o.budget)", "\"spent\":\(o.spent)", "\"new_runs\":\(o.newRuns)",
            "\"resumed\":\(o.resumed)", "\"failed_runs\":\(o.failedRuns)", "\"rounds\":\(o.rounds)",
            "\"best\":\(o.best.map(entry) ?? "null")",
        ]
        for r in o.references { fields.append("\(JSONText.quoted(r.name)):\(entry(r.result))") }
        fields.append("\"vs_resyn2_percent\":\(o.gainOverResyn2.map { "\($0)" } ?? "null")")
        fields += ["\"seconds\":\(o.seconds)", "\"abc_seconds\":\(o.abcSeconds)", "\"out\":\(out.map(JSONText.quoted) ?? "null")"]
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A table of the best flow beside the references.
    public func text(out: String?) -> String {
        let o = self
        var lines = ["\(o.design), \(o.library), minimising \(o.objective.rawValue) (\(o.strategy)): \(o.spent) of \(o.budget) ABC runs used, \(o.newRuns) now"
            + (o.failedRuns > 0 ? ", \(o.failedRuns) failed" : "")]
        lines.append("flow           delay         area            adp")
        func row(_ name: String, _ v: VerifiedFlow) -> String {
            name.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: " %8.2f %12.2f %14.1f", v.delay, v.area, v.delay * v.area)
        }
        if let best = o.best { lines.append(row("best", best)) } else { lines.append("best        (no verified flow)") }
        for r in o.references { lines.append(row(r.name, r.result)) }
        if let g = o.gainOverResyn2 { lines.append(String(format: "best vs resyn2: %+.2f%% %@ (ABC's numbers)", g, o.objective.rawValue)) }
        if let best = o.best { lines.append("best flow: \(Flow.shortText(best.flow))") }
        if let out { lines.append("written to \(out)") }
        return lines.joined(separator: "\n")
    }
}

extension SearchOutcome {
    /// Writes the best verified flow to `path` as a flow file whose comments say where it came from.
    public func writeBest(to path: String, command design: String) throws {
        guard let best else { return }
        try FlowFileWriter.write(try Flow.parse(best.flow), comments: [
            "qor search \(design) --objective \(objective.rawValue): best of \(spent) ABC runs with \(library)",
            String(format: "ABC: delay %.4f, area %.4f", best.delay, best.area),
        ], to: path)
    }
}

extension SearchProgress {
    /// One progress line for the terminal.
    public func line(_ objective: SearchObjective) -> String {
        let best = best.map {
            String(format: "best %@ %.4g (delay %.2f, area %.2f): %@", objective.rawValue, $0.value(objective), $0.delay, $0.area, Flow.shortText($0.flow))
        } ?? "no verified flow yet"
        return "search: \(spent)/\(budget) ABC runs (\(newRuns) now), \(budget - spent) left; \(best)"
    }
}

extension Flow {
    /// The short spelling of canonical flow text (the text itself when it does not parse).
    public static func shortText(_ canonical: String) -> String { (try? Flow.parse(canonical))?.shortText ?? canonical }
}
