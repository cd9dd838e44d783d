import Common
/// The CSV files a report reads and writes.
public enum ReportCSV {
    static let predictionColumns = ["design", "flow", "true_delay", "true_area", "pred_delay", "pred_area"]

    /// Predictions made elsewhere: a header naming design, flow, true_delay, true_area, pred_delay,
    /// pred_area (any order; other columns, such as those `predictions.csv` adds, are ignored).
    public static func readPredictions(path: String) throws(ReportError) -> [PredictionRecord] {
        let table = try CSVTable(path: path, required: predictionColumns)
        var out: [PredictionRecord] = []
        var seen: [[String]: Int] = [:]
        for row in table.rows {
            let r = PredictionRecord(
                design: try table.string(row, "design"), flow: try table.string(row, "flow"),
                trueDelay: try table.double(row, "true_delay", positive: true),
                trueArea: try table.double(row, "true_area", positive: true),
                predictedDelay: try table.double(row, "pred_delay"), predictedArea: try table.double(row, "pred_area"))
            if let first = seen.updateValue(row.line, forKey: [r.design, r.flow]) {
                throw ReportError(file: path, line: row.line, "design \(r.design), flow \(r.flow) already has a prediction on line \(first)")
            }
            out.append(r)
        }
        guard !out.isEmpty else { throw ReportError(file: path, "expected at least one prediction row after the header") }
        return out
    }

    /// Training labels: a header naming design, delay, area. When there is a `status` column (as in
    /// `qor db export`), only rows with status `ok` are read.
    public static func readTrainingLabels(path: String) throws(ReportError) -> [TrainingLabel] {
        let table = try CSVTable(path: path, required: ["design", "delay", "area"])
        var out: [TrainingLabel] = []
        for row in table.rows {
            if table.has("status"), try table.string(row, "status") != "ok" { continue }
            out.append(TrainingLabel(
                design: try table.string(row, "design"), delay: try table.double(row, "delay", positive: true),
                area: try table.double(row, "area", positive: true)))
        }
        return out
    }

    /// Initial-AIG statistics: a header naming design, inputs, outputs, ands, levels.
    public static func readDesignStatistics(path: String) throws(ReportError) -> [DesignStatistics] {
        let table = try CSVTable(path: path, required: ["design", "inputs", "outputs", "ands", "levels"])
        var out: [DesignStatistics] = []
        for row in table.rows {
            out.append(DesignStatistics(
                design: try table.string(row, "design"), inputs: try table.count(row, "inputs"),
                outputs: try table.count(row, "outputs"), ands: try table.count(row, "ands"),
                levels: try table.count(row, "levels")))
        }
        return out
    }

    /// `predictions.csv`: one row per record, with the signed percentage errors 100·(pred − true)/true.
    static func renderPredictions(_ e: Evaluation) -> String {
        var out = (predictionColumns + ["delay_error_pct", "area_error_pct"]).joined(separator: ",") + "\n"
        for d in e.designs {
            for r in d.records {
                let fields = [
                    CSVText.quote(r.design), CSVText.quote(r.flow), "\(r.trueDelay)", "\(r.trueArea)",
                    "\(r.predictedDelay)", "\(r.predictedArea)",
                    "\(percentError(r.predictedDelay, r.trueDelay))", "\(percentError(r.predictedArea, r.trueArea))",
                ]
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return out
    }
}

/// 100·(predicted − truth)/truth.
func percentError(_ predicted: Double, _ truth: Double) -> Double { 100 * (predicted - truth) / truth }
