import Foundation
@testable import Reports

/// A fixture small enough to score by hand (the arithmetic is in `EvaluationTests`).
///
/// Design `a` is seen in training (median baseline); design `b` is not (linear baseline). Only `a`
/// has training labels and statistics, so the linear fit has one design: every feature is constant,
/// all coefficients are 0 and it predicts a's median training label, (26, 250), for any design.
enum Fixture {
    static let records = [
        PredictionRecord(design: "a", flow: "f1", trueDelay: 10, trueArea: 100, predictedDelay: 11, predictedArea: 300),
        PredictionRecord(design: "a", flow: "f2", trueDelay: 20, trueArea: 200, predictedDelay: 18, predictedArea: 100),
        PredictionRecord(design: "a", flow: "f3", trueDelay: 30, trueArea: 300, predictedDelay: 33, predictedArea: 200),
        PredictionRecord(design: "a", flow: "f4", trueDelay: 40, trueArea: 400, predictedDelay: 36, predictedArea: 500),
        PredictionRecord(design: "b", flow: "f1", trueDelay: 50, trueArea: 500, predictedDelay: 52, predictedArea: 450),
        PredictionRecord(design: "b", flow: "f2", trueDelay: 50, trueArea: 600, predictedDelay: 49, predictedArea: 660),
        PredictionRecord(design: "b", flow: "f3", trueDelay: 60, trueArea: 700, predictedDelay: 66, predictedArea: 700),
    ]

    /// a's training labels: delays 22, 24, 28, 30 -> median 26; areas 200, 220, 280, 300 -> median 250.
    static let training = [
        TrainingLabel(design: "a", delay: 22, area: 300),
        TrainingLabel(design: "a", delay: 30, area: 200),
        TrainingLabel(design: "a", delay: 24, area: 280),
        TrainingLabel(design: "a", delay: 28, area: 220),
    ]

    static let statistics = [
        DesignStatistics(design: "a", inputs: 3, outputs: 1, ands: 10, levels: 4),
        DesignStatistics(design: "b", inputs: 5, outputs: 2, ands: 20, levels: 6),
    ]

    static let date = Date(timeIntervalSince1970: 1_700_000_000)

    static var input: ReportInput {
        ReportInput(
            modelName: "fixture", split: "flows", records: records, trainingLabels: training,
            designStatistics: statistics, fingerprint: "fp123", date: date)
    }
}

func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }

/// A fresh temporary directory path (not created).
func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("qor-reports-\(UUID().uuidString)").path
}
