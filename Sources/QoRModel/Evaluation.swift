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

    /// Scores predictions against the truth; `design[i]` groups rows for the ranking metrics.
    public static func scores(design: [Int], delay: [Double], area: [Double], truthDelay: [Double], truthArea: [Double]) -> Scores {
        var groups: [Int: [Int]] = [:]
        for (i, d) in design.enumerated() { groups[d, default: []].append(i) }
        func within(_ p: [Double], _ t: [Double], _ f: ([Double], [Double]) -> Double) -> Double {
            var s = 0.0, n = 0
            for rows in groups.values where rows.count >= 3 {
                let v = f(rows.map { p[$0] }, rows.map { t[$0] })
                if v.isFinite { s += v; n += 1 }
            }
            return n == 0 ? .nan : s / Double(n)
        }
        func recall(_ p: [Double], _ t: [Double]) -> Double {
            var s = 0.0, n = 0
            for rows in groups.values where rows.count >= 3 {
                let tt = rows.map { t[$0] }
                guard Set(tt).count > 1 else { continue }
                s += Metrics.topRecall(predicted: rows.map { p[$0] }, truth: tt)
                n += 1
            }
            return n == 0 ? .nan : s / Double(n)
        }
        return Scores(
            delayMAPE: Metrics.mape(predicted: delay, truth: truthDelay),
            areaMAPE: Metrics.mape(predicted: area, truth: truthArea),
            delaySpearman: within(delay, truthDelay, Metrics.spearman),
            areaSpearman: within(area, truthArea, Metrics.spearman),
            delayKendall: within(delay, truthDelay, Metrics.kendall),
            areaKendall: within(area, truthArea, Metrics.kendall),
            delayTopRecall: recall(delay, truthDelay),
            areaTopRecall: recall(area, truthArea))
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
