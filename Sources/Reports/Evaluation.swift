import Foundation
import QoRModel

/// The scores of one design: the model, and the baseline that applies to it.
public struct DesignEvaluation: Sendable {
    public var design: String
    /// The design's records, in input order.
    public var records: [PredictionRecord]
    /// (max − min) / median of the true values, in percent: how much there is to predict.
    public var spread: PerTarget<Double>
    /// The top recall of a random order of the flows (NaN when the truth is constant).
    public var randomTopRecall: PerTarget<Double>
    /// Scores of each predictor that applies to this design.
    public var scores: [Predictor: PerTarget<Scores>]
    /// Each baseline's prediction for this design (one value for every flow).
    public var baselinePredictions: [Predictor: PerTarget<Double>]
}

/// The model and the baselines scored per design and overall.
public struct Evaluation: Sendable {
    public let modelName: String
    public let split: String
    public let fingerprint: String?
    public let calibration: String?
    public let date: Date
    /// The share of flows counted as "best" by the top recall (0.1: top 10%).
    public let topFraction: Double
    /// Designs sorted by name.
    public let designs: [DesignEvaluation]
    /// MAPE over all records where the predictor applies; rank metrics are means over those designs
    /// where they are defined.
    public let overall: [Predictor: PerTarget<Scores>]
    /// The model scored on only the designs a baseline covers, for each baseline that covers some
    /// but not all designs (so that the model and that baseline are compared on the same records).
    public let overallModelOnBaselineDesigns: [Predictor: PerTarget<Scores>]
    public let overallRandomTopRecall: PerTarget<Double>
    /// The fitted linear baseline, when training designs with statistics were given.
    public let linearBaseline: LinearBaseline?

    public var recordCount: Int { designs.reduce(0) { $0 + $1.records.count } }

    /// Scores `input`. The median baseline applies to designs with training labels, the linear
    /// baseline to those without (when statistics for them and for training designs are given).
    /// Throws on no records, duplicate (design, flow) pairs, true values that are not positive and
    /// finite, or predictions that are not finite.
    public init(_ input: ReportInput, topFraction: Double = 0.1, ridge: Double = 1e-3) throws(ReportError) {
        try Self.validate(input.records)
        modelName = input.modelName
        split = input.split
        fingerprint = input.fingerprint
        calibration = input.calibration
        date = input.date
        self.topFraction = topFraction
        let median = MedianBaseline(labels: input.trainingLabels)
        let linear = LinearBaseline(labels: input.trainingLabels, statistics: input.designStatistics, ridge: ridge)
        linearBaseline = linear
        let statistics = Dictionary(input.designStatistics.map { ($0.design, $0) }, uniquingKeysWith: { a, _ in a })

        var groups: [String: [PredictionRecord]] = [:]
        for r in input.records { groups[r.design, default: []].append(r) }
        designs = groups.keys.sorted().map { name in
            let records = groups[name] ?? []
            var baselines: [Predictor: PerTarget<Double>] = [:]
            if let m = median.prediction(for: name) {
                baselines[.designMedian] = PerTarget(delay: m.delay, area: m.area)
            } else if let linear, let s = statistics[name] {
                let p = linear.prediction(for: s)
                baselines[.linearAIG] = PerTarget(delay: p.delay, area: p.area)
            }
            return Self.evaluate(name, records, baselines, topFraction)
        }
        let designs = self.designs
        var overall: [Predictor: PerTarget<Scores>] = [:]
        var modelOnBaselineDesigns: [Predictor: PerTarget<Scores>] = [:]
        for p in Predictor.allCases {
            let covered = designs.filter { $0.scores[p] != nil }
            overall[p] = Self.summarize(covered, p)
            if p != .model, !covered.isEmpty, covered.count < designs.count {
                modelOnBaselineDesigns[p] = Self.summarize(covered, .model)
            }
        }
        self.overall = overall
        overallModelOnBaselineDesigns = modelOnBaselineDesigns
        overallRandomTopRecall = PerTarget(
            delay: Self.meanDefined(designs.map(\.randomTopRecall.delay)),
            area: Self.meanDefined(designs.map(\.randomTopRecall.area)))
    }

    static func validate(_ records: [PredictionRecord]) throws(ReportError) {
        guard !records.isEmpty else { throw ReportError("no predictions to report") }
        var seen = Set<[String]>()
        for r in records {
            guard seen.insert([r.design, r.flow]).inserted else {
                throw ReportError("design \(r.design), flow \(r.flow): more than one prediction")
            }
            for (name, v) in [("true delay", r.trueDelay), ("true area", r.trueArea)] where !(v.isFinite && v > 0) {
                throw ReportError("design \(r.design), flow \(r.flow): \(name) is \(v), expected a positive number")
            }
            for (name, v) in [("predicted delay", r.predictedDelay), ("predicted area", r.predictedArea)] where !v.isFinite {
                throw ReportError("design \(r.design), flow \(r.flow): \(name) is \(v), expected a finite number")
            }
        }
    }

    static func evaluate(
        _ design: String, _ records: [PredictionRecord], _ baselines: [Predictor: PerTarget<Double>], _ fraction: Double
    ) -> DesignEvaluation {
        let truth = PerTarget(delay: records.map(\.trueDelay), area: records.map(\.trueArea))
        let model = PerTarget(delay: records.map(\.predictedDelay), area: records.map(\.predictedArea))
        func score(_ p: PerTarget<[Double]>) -> PerTarget<Scores> {
            PerTarget(
                delay: Scoring.design(predicted: p.delay, truth: truth.delay, fraction: fraction),
                area: Scoring.design(predicted: p.area, truth: truth.area, fraction: fraction))
        }
        var scores = [Predictor.model: score(model)]
        let unanchored = records.compactMap(\.unanchored)
        if !records.isEmpty && unanchored.count == records.count {
            scores[.unanchoredModel] = score(PerTarget(delay: unanchored.map(\.delay), area: unanchored.map(\.area)))
        }
        for (predictor, value) in baselines {
            let n = records.count
            scores[predictor] = score(PerTarget(delay: Array(repeating: value.delay, count: n), area: Array(repeating: value.area, count: n)))
        }
        func spread(_ x: [Double]) -> Double {
            100 * ((x.max() ?? 0) - (x.min() ?? 0)) / Metrics.median(x)
        }
        func random(_ x: [Double]) -> Double {
            Scoring.isConstant(x) ? .nan : Metrics.randomTopRecall(truth: x, fraction: fraction)
        }
        return DesignEvaluation(
            design: design, records: records, spread: PerTarget(delay: spread(truth.delay), area: spread(truth.area)),
            randomTopRecall: PerTarget(delay: random(truth.delay), area: random(truth.area)),
            scores: scores, baselinePredictions: baselines)
    }

    /// `predictor` over `designs` (all of which it must cover); nil for no designs.
    static func summarize(_ designs: [DesignEvaluation], _ predictor: Predictor) -> PerTarget<Scores>? {
        guard !designs.isEmpty else { return nil }
        func summary(_ target: Target) -> Scores {
            let truth = designs.map { d in d.records.map { target == .delay ? $0.trueDelay : $0.trueArea } }
            let predicted = designs.map { d in
                d.baselinePredictions[predictor].map { Array(repeating: $0[target], count: d.records.count) }
                    ?? d.records.map { r in
                        let p = predictor == .unanchoredModel ? (r.unanchored ?? (r.predictedDelay, r.predictedArea)) : (r.predictedDelay, r.predictedArea)
                        return target == .delay ? p.0 : p.1
                    }
            }
            return Scoring.summary(predicted: predicted, truth: truth, perDesign: designs.compactMap { $0.scores[predictor]?[target] })
        }
        return PerTarget(delay: summary(.delay), area: summary(.area))
    }

    /// The mean of the non-NaN values; NaN when there are none.
    static func meanDefined(_ x: [Double]) -> Double { Scoring.meanDefined(x) }
}
