import Common
import Foundation
import Testing
@testable import Reports

/// Designs whose labels follow a known law: log delay = 0.5 + 0.3 x1 + 0.1 x2 + 0.4 x3 + 0.2 x4 and
/// log area = 2 + 0.05 x1 + 0.02 x2 + 0.9 x3 - 0.1 x4, with x = log(1 + (inputs, outputs, ands, levels)).
/// Each design has three labels around the law's value (×0.98, ×1, ×1.03), so its median is the law.
enum KnownLaw {
    static let delay = [0.5, 0.3, 0.1, 0.4, 0.2]
    static let area = [2.0, 0.05, 0.02, 0.9, -0.1]

    static func value(_ c: [Double], _ s: DesignStatistics) -> Double {
        let x = [s.inputs, s.outputs, s.ands, s.levels].map { log(1 + Double($0)) }
        return exp(zip(x, c.dropFirst()).reduce(c[0]) { $0 + $1.0 * $1.1 })
    }

    static let statistics: [DesignStatistics] = (0..<12).map { i in
        DesignStatistics(
            design: "d\(i)", inputs: 4 + (i * 37) % 200, outputs: 1 + (i * 13) % 60,
            ands: 100 + (i * 977) % 20000, levels: 8 + (i * 29) % 90)
    }

    static let labels: [TrainingLabel] = statistics.flatMap { s in
        [0.98, 1, 1.03].map { f in TrainingLabel(design: s.design, delay: f * value(delay, s), area: f * value(area, s)) }
    }
}

@Test func linearBaselineRecoversAKnownLaw() throws {
    let fit = try #require(LinearBaseline(labels: KnownLaw.labels, statistics: KnownLaw.statistics, ridge: 1e-12))
    #expect(fit.designs == 12)
    for (got, want) in zip(fit.delayCoefficients, KnownLaw.delay) { #expect(close(got, want, 1e-6)) }
    for (got, want) in zip(fit.areaCoefficients, KnownLaw.area) { #expect(close(got, want, 1e-6)) }
    // A design it was not fitted on follows the same law.
    let unseen = DesignStatistics(design: "new", inputs: 77, outputs: 9, ands: 5000, levels: 40)
    let p = fit.prediction(for: unseen)
    #expect(close(p.delay, KnownLaw.value(KnownLaw.delay, unseen), 1e-6 * p.delay))
    #expect(close(p.area, KnownLaw.value(KnownLaw.area, unseen), 1e-6 * p.area))
}

@Test func ridgeShrinksTowardsTheMean() throws {
    // The default ridge barely moves a well-determined fit; a huge one leaves only the intercept,
    // the mean log median label.
    let mild = try #require(LinearBaseline(labels: KnownLaw.labels, statistics: KnownLaw.statistics))
    for (got, want) in zip(mild.delayCoefficients, KnownLaw.delay) { #expect(close(got, want, 0.02)) }
    let flat = try #require(LinearBaseline(labels: KnownLaw.labels, statistics: KnownLaw.statistics, ridge: 1e12))
    let meanLog = KnownLaw.statistics.map { log(KnownLaw.value(KnownLaw.delay, $0)) }.reduce(0, +) / 12
    #expect(close(flat.delayCoefficients[0], meanLog, 1e-6))
    #expect(flat.delayCoefficients.dropFirst().allSatisfy { abs($0) < 1e-6 })
}

@Test func linearBaselineNeedsTrainingDesignsWithStatistics() {
    #expect(LinearBaseline(labels: KnownLaw.labels, statistics: []) == nil)
    #expect(LinearBaseline(labels: [], statistics: KnownLaw.statistics) == nil)
}

@Test func gaussianEliminationSolves() throws {
    // 2x + y - z = 8, -3x - y + 2z = -11, -2x + y + 2z = -3 -> (2, 3, -1); needs a row swap.
    let x = try #require(solveLinearSystem([2, 1, -1, -3, -1, 2, -2, 1, 2], [8, -11, -3]))
    #expect(close(x[0], 2) && close(x[1], 3) && close(x[2], -1))
    #expect(solveLinearSystem([1, 2, 2, 4], [1, 2]) == nil)
}
