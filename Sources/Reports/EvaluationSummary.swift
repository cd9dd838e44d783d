import Foundation

extension Evaluation {
    /// One line for the terminal: overall MAPE of the model beside each baseline.
    public func summary(out: String) -> String {
        let e = self
        let parts = Target.allCases.map { t in
            let model = e.overall[.model].map { String(format: "%.2f%%", $0[t].mape) } ?? "n/a"
            let baselines = Predictor.allCases.dropFirst().compactMap { p in
                e.overall[p].map { b in
                    var text = "\(p.title) " + String(format: "%.2f%%", b[t].mape)
                    if let m = e.overallModelOnBaselineDesigns[p] {
                        text += String(format: " against the model's %.2f%% on its %d designs", m[t].mape, m[t].designs)
                    }
                    return text
                }
            }
            return "\(t.rawValue) MAPE \(model)" + (baselines.isEmpty ? "" : " (\(baselines.joined(separator: ", ")))")
        }
        return "\(out): \(e.recordCount) predictions on \(e.designs.count) designs; " + parts.joined(separator: "; ")
    }
}
