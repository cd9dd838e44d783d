import Common
import Foundation

/// `metrics.json`: every number of the report under stable keys; undefined metrics are null.
enum MetricsJSON {
    static func render(_ e: Evaluation) -> String {
        var top: [(String, JSONText)] = [
            ("model", .string(e.modelName)),
            ("split", .string(e.split)),
            ("date", .string(ReportDate.iso(e.date))),
            ("fingerprint", e.fingerprint.map(JSONText.string) ?? .null),
            ("calibration", e.calibration.map(JSONText.string) ?? .null),
            ("top_fraction", .number(e.topFraction)),
            ("records", .integer(e.recordCount)),
            ("designs", .integer(e.designs.count)),
        ]
        top.append(("linear_baseline", linear(e.linearBaseline)))
        var overall = predictors(e.overall)
        overall.append(("model_on_baseline_designs", .object(Predictor.allCases.dropFirst().map { p in
            (p.rawValue, e.overallModelOnBaselineDesigns[p].map(targets) ?? .null)
        })))
        overall.append(("random_top_recall", pair(e.overallRandomTopRecall)))
        top.append(("overall", .object(overall)))
        top.append(("per_design", .array(e.designs.map(design))))
        return JSONText.object(top).rendered() + "\n"
    }

    static func design(_ d: DesignEvaluation) -> JSONText {
        var fields: [(String, JSONText)] = [
            ("design", .string(d.design)),
            ("flows", .integer(d.records.count)),
            ("spread_pct", pair(d.spread)),
            ("random_top_recall", pair(d.randomTopRecall)),
        ]
        fields += predictors(d.scores)
        fields.append(("baseline_predictions", .object(Predictor.allCases.dropFirst().map { p in
            (p.rawValue, d.baselinePredictions[p].map(pair) ?? .null)
        })))
        return .object(fields)
    }

    static func predictors(_ scores: [Predictor: PerTarget<Scores>]) -> [(String, JSONText)] {
        Predictor.allCases.map { p in
            (p.rawValue, scores[p].map(targets) ?? .null)
        }
    }

    static func targets(_ s: PerTarget<Scores>) -> JSONText {
        .object(Target.allCases.map { ($0.rawValue, scores(s[$0])) })
    }

    static func scores(_ s: Scores) -> JSONText {
        .object([
            ("mape_pct", .number(s.mape)),
            ("spearman", .number(s.spearman)),
            ("kendall_tau_b", .number(s.kendall)),
            ("top_recall", .number(s.topRecall)),
            ("records", .integer(s.records)),
            ("designs", .integer(s.designs)),
        ])
    }

    static func pair(_ v: PerTarget<Double>) -> JSONText {
        .object([("delay", .number(v.delay)), ("area", .number(v.area))])
    }

    static func linear(_ b: LinearBaseline?) -> JSONText {
        guard let b else { return .null }
        return .object([
            ("designs", .integer(b.designs)),
            ("features", .array(["intercept", "log1p_inputs", "log1p_outputs", "log1p_ands", "log1p_levels"].map(JSONText.string))),
            ("log_delay_coefficients", .array(b.delayCoefficients.map(JSONText.number))),
            ("log_area_coefficients", .array(b.areaCoefficients.map(JSONText.number))),
        ])
    }
}

/// Dates as the report shows them.
enum ReportDate {
    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
