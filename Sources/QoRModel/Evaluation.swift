/// Accuracy of predictions on a set of labels: errors, ranking within each design, and the
/// same numbers for the baselines.
public struct Evaluation: Sendable, Codable, Equatable {
    /// Scores of one predictor.
    public struct Scores: Sendable, Codable, Equatable {
        /// Mean absolute percentage error, percent.
        public var delayMAPE: Double, areaMAPE: Double
        /// Mean over designs of the within-design Spearman and Kendall correlations (designs whose
        /// truth or prediction is constant are skipped; NaN when none is left).
        public var delaySpearman: Double, areaSpearman: Double
        public var delayKendall: Double, areaKendall: Double
        /// Mean over designs of the share of the best 10% flows that are also predicted among the best 10%.
        public var delayTopRecall: Double, areaTopRecall: Double

        enum CodingKeys: String, CodingKey {
            case delayMAPE, areaMAPE, delaySpearman, areaSpearman, delayKendall, areaKendall, delayTopRecall, areaTopRecall
        }
        static var keys: [(CodingKeys, WritableKeyPath<Scores, Double>)] { [
            (.delayMAPE, \.delayMAPE), (.areaMAPE, \.areaMAPE), (.delaySpearman, \.delaySpearman), (.areaSpearman, \.areaSpearman),
            (.delayKendall, \.delayKendall), (.areaKendall, \.areaKendall), (.delayTopRecall, \.delayTopRecall), (.areaTopRecall, \.areaTopRecall),
        ] }

        init(delayMAPE: Double, areaMAPE: Double, delaySpearman: Double, areaSpearman: Double, delayKendall: Double,
             areaKendall: Double, delayTopRecall: Double, areaTopRecall: Double) {
            self.delayMAPE = delayMAPE
            self.areaMAPE = areaMAPE
            self.delaySpearman = delaySpearman
            self.areaSpearman = areaSpearman
            self.delayKendall = delayKendall
            self.areaKendall = areaKendall
            self.delayTopRecall = delayTopRecall
            self.areaTopRecall = areaTopRecall
        }

        /// Undefined values (NaN: a constant predictor has no rank correlation) are JSON null.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(delayMAPE: .nan, areaMAPE: .nan, delaySpearman: .nan, areaSpearman: .nan, delayKendall: .nan,
                      areaKendall: .nan, delayTopRecall: .nan, areaTopRecall: .nan)
            for (key, path) in Self.keys { self[keyPath: path] = try c.decodeIfPresent(Double.self, forKey: key) ?? .nan }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            for (key, path) in Self.keys {
                let v = self[keyPath: path]
                if v.isFinite { try c.encode(v, forKey: key) } else { try c.encodeNil(forKey: key) }
            }
        }

        public static func == (a: Scores, b: Scores) -> Bool {
            keys.allSatisfy { (_, p) in a[keyPath: p] == b[keyPath: p] || (a[keyPath: p].isNaN && b[keyPath: p].isNaN) }
        }
    }

    public var labels: Int
    public var designs: Int
    public var model: Scores
    /// Each design's median training label (only where the design has training labels). The
    /// baseline for designs without any, a regression on initial-AIG statistics, is in `qor report`.
    public var medianBaseline: Scores?

    /// Scores predictions against the truth by the one rule of ``Scoring``; `design[i]` groups rows
    /// for the rank metrics.
    public static func scores(design: [Int], delay: [Double], area: [Double], truthDelay: [Double], truthArea: [Double]) -> Scores {
        let d = Scoring.grouped(design: design, predicted: delay, truth: truthDelay)
        let a = Scoring.grouped(design: design, predicted: area, truth: truthArea)
        return Scores(
            delayMAPE: d.mape, areaMAPE: a.mape, delaySpearman: d.spearman, areaSpearman: a.spearman,
            delayKendall: d.kendall, areaKendall: a.kendall, delayTopRecall: d.topRecall, areaTopRecall: a.topRecall)
    }
}

extension Evaluation {
    /// Scores the model (and, unless `modelOnly`, the per-design median baseline) on `rows` of `set`;
    /// `tokens` are the token ids of every flow of the set.
    init(_ predictor: QoRPredictor, _ set: TrainingSet, rows: [Int], tokens: [[Int32]], train: [Int] = [], modelOnly: Bool = false) {
        var byDesign: [Int: [Int]] = [:]
        for r in rows { byDesign[set.examples[r].design, default: []].append(r) }
        var order: [Int] = [], delay: [Double] = [], area: [Double] = []
        for d in byDesign.keys.sorted() {
            let rs = byDesign[d] ?? []
            let design = set.designs[d]
            let out = predictor.standardised(design, tokens: rs.map { tokens[set.examples[$0].flow] })
            for (r, y) in zip(rs, out) {
                let q = predictor.config.scaling.qor(Double(y.0), Double(y.1), stats: design.stats)
                order.append(r)
                delay.append(q.delay)
                area.append(q.area)
            }
        }
        let groups = order.map { set.examples[$0].design }
        let truthDelay = order.map { set.examples[$0].delay }, truthArea = order.map { set.examples[$0].area }
        func score(_ d: [Double], _ a: [Double]) -> Scores {
            Self.scores(design: groups, delay: d, area: a, truthDelay: truthDelay, truthArea: truthArea)
        }
        self.init(labels: rows.count, designs: byDesign.count, model: score(delay, area), medianBaseline: nil)
        if !modelOnly, !train.isEmpty, let m = Baselines.median(set, train: train, rows: order) {
            medianBaseline = score(m.delay, m.area)
        }
    }
}

/// The reference predictors a model must beat.
enum Baselines {
    /// Each design's median training delay and area, for the evaluated rows whose design has any.
    static func median(_ set: TrainingSet, train: [Int], rows: [Int]) -> (delay: [Double], area: [Double])? {
        var delays: [Int: [Double]] = [:], areas: [Int: [Double]] = [:]
        for i in train {
            let e = set.examples[i]
            delays[e.design, default: []].append(e.delay)
            areas[e.design, default: []].append(e.area)
        }
        var d: [Double] = [], a: [Double] = []
        for i in rows {
            let e = set.examples[i]
            guard let ds = delays[e.design], let as_ = areas[e.design] else { return nil }
            d.append(Metrics.median(ds))
            a.append(Metrics.median(as_))
        }
        return (d, a)
    }
}
