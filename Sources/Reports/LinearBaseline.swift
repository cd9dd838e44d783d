import Common
import Foundation

/// A ridge regression of log QoR on the log initial-AIG statistics (inputs, outputs, ands, levels),
/// one row per training design (its median label). It predicts one value per design, so it has no
/// ranking skill within a design; it is the yardstick for designs the model has not seen.
public struct LinearBaseline: Sendable, Equatable {
    /// Intercept first, then one coefficient per feature, for log delay and for log area.
    public let delayCoefficients: [Double]
    public let areaCoefficients: [Double]
    /// How many training designs the fit used.
    public let designs: Int

    /// The features: `log(1 + x)` of inputs, outputs, ands and levels.
    public static func features(_ s: DesignStatistics) -> [Double] {
        [s.inputs, s.outputs, s.ands, s.levels].map { log1p(Double(max($0, 0))) }
    }

    /// Fits on the training designs that have both labels and statistics; nil when there are none.
    /// `ridge` penalizes the standardized coefficients (not the intercept), scaled by the number of designs.
    public init?(labels: [TrainingLabel], statistics: [DesignStatistics], ridge: Double = 1e-3) {
        let stats = Dictionary(statistics.map { ($0.design, $0) }, uniquingKeysWith: { a, _ in a })
        let medians = MedianBaseline(labels: labels)
        var rows: [[Double]] = []
        var delays: [Double] = []
        var areas: [Double] = []
        for design in medians.designs {
            guard let s = stats[design], let m = medians.prediction(for: design), m.delay > 0, m.area > 0 else { continue }
            rows.append(Self.features(s))
            delays.append(log(m.delay))
            areas.append(log(m.area))
        }
        guard !rows.isEmpty,
            let d = Self.fit(rows, delays, ridge: ridge),
            let a = Self.fit(rows, areas, ridge: ridge)
        else { return nil }
        delayCoefficients = d
        areaCoefficients = a
        designs = rows.count
    }

    /// Predicted (delay, area) of a design.
    public func prediction(for s: DesignStatistics) -> (delay: Double, area: Double) {
        let x = Self.features(s)
        func apply(_ c: [Double]) -> Double { exp(zip(x, c.dropFirst()).reduce(c[0]) { $0 + $1.0 * $1.1 }) }
        return (apply(delayCoefficients), apply(areaCoefficients))
    }

    /// Least squares with an unpenalized intercept: centre, scale each feature to unit deviation
    /// (constant features get coefficient 0), solve the ridge normal equations, scale back.
    static func fit(_ rows: [[Double]], _ y: [Double], ridge: Double) -> [Double]? {
        let n = Double(rows.count)
        let p = rows[0].count
        let yMean = y.reduce(0, +) / n
        let means = (0..<p).map { j in rows.reduce(0) { $0 + $1[j] } / n }
        let deviations = (0..<p).map { j in (rows.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / n).squareRoot() }
        let active = (0..<p).filter { deviations[$0] > 1e-12 }
        let q = active.count
        var coefficients = [Double](repeating: 0, count: p)
        if q > 0 {
            let z = rows.map { r in active.map { (r[$0] - means[$0]) / deviations[$0] } }
            var gram = [Double](repeating: 0, count: q * q)
            var moment = [Double](repeating: 0, count: q)
            for (r, yi) in zip(z, y) {
                for i in 0..<q {
                    moment[i] += r[i] * (yi - yMean)
                    for k in 0..<q { gram[i * q + k] += r[i] * r[k] }
                }
            }
            for i in 0..<q { gram[i * q + i] += ridge * n }
            guard let w = solveLinearSystem(gram, moment) else { return nil }
            for (i, j) in active.enumerated() { coefficients[j] = w[i] / deviations[j] }
        }
        let intercept = yMean - zip(coefficients, means).reduce(0) { $0 + $1.0 * $1.1 }
        return [intercept] + coefficients
    }
}
