import Foundation

extension Evaluation {
    /// Model and baseline scores as a small table under `title`, for the terminal.
    public func table(_ title: String) -> String {
        func row(_ name: String, _ s: Scores) -> String {
            String(format: "  %@ %9.3f%% %9.3f%% %15.3f %14.3f %13.3f %12.3f", name.padding(toLength: 17, withPad: " ", startingAt: 0),
                   s.delayMAPE, s.areaMAPE, s.delaySpearman, s.areaSpearman, s.delayTopRecall, s.areaTopRecall)
        }
        var lines = ["\(title): \(labels) labels on \(designs) designs",
                     "  predictor          MAPE delay  MAPE area  Spearman delay  Spearman area  top10% delay  top10% area",
                     row("model", model)]
        if let m = medianBaseline { lines.append(row("per-design median", m)) }
        return lines.joined(separator: "\n")
    }
}
