import Foundation

/// The truth and the model's prediction for one (design, flow).
public struct PredictionRecord: Sendable, Equatable {
    public var design: String
    public var flow: String
    public var trueDelay: Double
    public var trueArea: Double
    public var predictedDelay: Double
    public var predictedArea: Double
    /// For a design the model did not see, anchored on some of its labels: the model's prediction
    /// without the anchor (the "pure model" the report shows beside the anchored one).
    public var unanchored: (delay: Double, area: Double)?

    public static func == (a: PredictionRecord, b: PredictionRecord) -> Bool {
        a.design == b.design && a.flow == b.flow && a.trueDelay == b.trueDelay && a.trueArea == b.trueArea
            && a.predictedDelay == b.predictedDelay && a.predictedArea == b.predictedArea
            && a.unanchored?.delay == b.unanchored?.delay && a.unanchored?.area == b.unanchored?.area
    }

    public init(design: String, flow: String, trueDelay: Double, trueArea: Double, predictedDelay: Double, predictedArea: Double,
                unanchored: (delay: Double, area: Double)? = nil) {
        self.unanchored = unanchored
        self.design = design
        self.flow = flow
        self.trueDelay = trueDelay
        self.trueArea = trueArea
        self.predictedDelay = predictedDelay
        self.predictedArea = predictedArea
    }
}

/// One label of the training set, as the per-design median baseline needs it.
public struct TrainingLabel: Sendable, Equatable {
    public var design: String
    public var delay: Double
    public var area: Double

    public init(design: String, delay: Double, area: Double) {
        self.design = design
        self.delay = delay
        self.area = area
    }
}

/// Statistics of a design's initial AIG, the features of the linear baseline.
public struct DesignStatistics: Sendable, Equatable {
    public var design: String
    public var inputs: Int
    public var outputs: Int
    public var ands: Int
    public var levels: Int

    public init(design: String, inputs: Int, outputs: Int, ands: Int, levels: Int) {
        self.design = design
        self.inputs = inputs
        self.outputs = outputs
        self.ands = ands
        self.levels = levels
    }
}

/// Everything a report is made from: the test predictions, the training labels (for the median
/// baseline) and the designs' initial-AIG statistics (for the linear baseline).
public struct ReportInput: Sendable {
    public var modelName: String
    /// How the test set was held out: `flows` (seen designs) or `designs` (unseen designs).
    public var split: String
    public var records: [PredictionRecord]
    public var trainingLabels: [TrainingLabel]
    public var designStatistics: [DesignStatistics]
    /// The model's training-data fingerprint, when known.
    public var fingerprint: String?
    /// How the test designs were calibrated on some of their own labels, when they were.
    public var calibration: String?
    public var date: Date

    public init(
        modelName: String, split: String, records: [PredictionRecord], trainingLabels: [TrainingLabel] = [],
        designStatistics: [DesignStatistics] = [], fingerprint: String? = nil, calibration: String? = nil,
        date: Date = Date()
    ) {
        self.calibration = calibration
        self.modelName = modelName
        self.split = split
        self.records = records
        self.trainingLabels = trainingLabels
        self.designStatistics = designStatistics
        self.fingerprint = fingerprint
        self.date = date
    }
}
