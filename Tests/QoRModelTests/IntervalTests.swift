import Foundation
import Testing
@testable import QoRModel

/// Split-conformal bands and the out-of-distribution range against hand-computed fixtures.
@Suite struct IntervalTests {
    /// Log-errors |log(t / p)| of delay 0.1, 0.3, 0.2, 0.4 (area twice those): at coverage 0.6 the
    /// rank is ⌈5 · 0.6⌉ = 3, the third smallest (0.3); at 0.8 it is 4 (0.4); at 0.9 it would be
    /// ⌈4.5⌉ = 5 > 4 predictions: no band.
    @Test func conformalHalfWidthIsTheRankedError() throws {
        let errors = [0.1, 0.3, 0.2, 0.4]
        let predicted = errors.map { _ in QoRPrediction(delay: 100, area: 50) }
        let truth = errors.enumerated().map { i, e in
            QoRPrediction(delay: 100 * exp(i % 2 == 0 ? e : -e), area: 50 * exp(2 * e))
        }
        let b6 = try #require(LogBand.conformal(truth: truth, predicted: predicted, coverage: 0.6))
        #expect(abs(b6.delay - 0.3) < 1e-12 && abs(b6.area - 0.6) < 1e-12)
        let b8 = try #require(LogBand.conformal(truth: truth, predicted: predicted, coverage: 0.8))
        #expect(abs(b8.delay - 0.4) < 1e-12 && abs(b8.area - 0.8) < 1e-12)
        #expect(LogBand.conformal(truth: truth, predicted: predicted, coverage: 0.9) == nil)
        let i = b6.interval(QoRPrediction(delay: 10, area: 20))
        #expect(abs(i.delay.lowerBound - 10 * exp(-0.3)) < 1e-12 && abs(i.area.upperBound - 20 * exp(0.6)) < 1e-12)
    }

    /// Normalised scores: delay log-errors 0.1, 0.3, 0.2, 0.4 over scales 1, 3, 1, 4 are 0.1, 0.1,
    /// 0.2, 0.1, whose third smallest (coverage 0.6) is 0.1; an anchored design's band is that
    /// multiplier times its spread plus the offset, an unanchored one's the plain band.
    @Test func normalisedBandsScaleWithTheAnchorSpread() throws {
        let errors = [0.1, 0.3, 0.2, 0.4], scales = [1.0, 3, 1, 4]
        let predicted = errors.map { _ in QoRPrediction(delay: 100, area: 50) }
        let truth = errors.map { QoRPrediction(delay: 100 * exp($0), area: 50 * exp(-$0)) }
        let b = try #require(LogBand.conformal(truth: truth, predicted: predicted, scales: scales.map { LogBand(delay: $0, area: $0) }, coverage: 0.6))
        #expect(abs(b.delay - 0.1) < 1e-12 && abs(b.area - 0.1) < 1e-12)
        let s = LogBand.spread([QoRPrediction(delay: 1, area: exp(1)), QoRPrediction(delay: exp(2), area: exp(1))])
        #expect(abs(s.delay - 1) < 1e-12 && s.area == 0)
        #expect(LogBand.spread([QoRPrediction(delay: 3, area: 4)]) == LogBand(delay: 0, area: 0))
        var i = PredictionIntervals(coverage: 0.9, anchored: LogBand(delay: 2, area: 3), unanchored: LogBand(delay: 0.5, area: 0.7),
                                    designs: 10, predictions: 100, source: "test")
        #expect(i.band(anchorSpread: LogBand(delay: 0.5, area: 0.2)) == LogBand(delay: 2, area: 3), "no offset: the plain band")
        i.spreadOffset = LogBand(delay: 0.1, area: 0.4)
        let n = try #require(i.band(anchorSpread: LogBand(delay: 0.5, area: 0.2)))
        #expect(abs(n.delay - 1.2) < 1e-12 && abs(n.area - 1.8) < 1e-12)
        #expect(i.band(anchorSpread: nil) == LogBand(delay: 0.5, area: 0.7))
    }

    /// Training designs with 100 and 1,000 ANDs: 1,400 is inside (≤ 1.5 × 1,000), 1,600 and 60
    /// (< 100 / 1.5) are not; the inverted share may pass the extremes by 0.05.
    @Test func designsBeyondTheTrainingRangeAreNamed() {
        let range = DesignRange(low: [10, 5, 100, 10, 0.3, 1.0], high: [40, 20, 1000, 50, 0.4, 1.5])
        func stats(ands: Int, inverted: Double = 0.35) -> [Double] { [20, 10, Double(ands), 20, inverted, 1.2] }
        #expect(range.outliers(values: stats(ands: 1400)).isEmpty)
        #expect(range.outliers(values: stats(ands: 1600)) == ["ANDs 1600 (training designs: 100–1000)"])
        #expect(range.outliers(values: stats(ands: 60)).count == 1)
        #expect(range.outliers(values: stats(ands: 500, inverted: 0.44)).isEmpty)
        #expect(range.outliers(values: stats(ands: 500, inverted: 0.46)) == ["inverted-edge share 0.460 (training designs: 0.300–0.400)"])
    }

    /// 21 training designs on a line (inputs = outputs = 2^k − 1, k = 1...21; the rest equal): each
    /// one's 5th nearest neighbour lies 3 steps away, 4 for the second from an end and 5 for the
    /// ends, so the 95% quantile (the 21st of 21) is 5 steps. A design amid them (5th neighbour
    /// 2 steps away) passes, one 2 steps past the end (7 steps) is flagged, and so is one with the
    /// most inputs and the fewest outputs, inside the range in each statistic but near no design.
    @Test func designsFarFromEveryTrainingDesignAreFlagged() throws {
        var base = DesignStats(AigGraph(try ownDesign("adder_8")))
        func stats(inputs k: Int, outputs l: Int) -> DesignStats {
            base.inputs = (1 << k) - 1
            base.outputs = (1 << l) - 1
            return base
        }
        let training = (1...21).map { stats(inputs: $0, outputs: $0) }
        let range = DesignRange(names: (1...21).map { "d\($0)" }, training)
        let g = try #require(range.neighbours)
        let step = (g.points[1][0] - g.points[0][0]) * 2.0.squareRoot()   // along the diagonal
        #expect(g.k == 5 && abs(g.threshold - 5 * step) < 1e-3, "threshold \(g.threshold), step \(step)")
        #expect(range.outliers(stats(inputs: 11, outputs: 11)).isEmpty)
        #expect(g.novelty(stats(inputs: 23, outputs: 23)) != nil)
        let corner = stats(inputs: 21, outputs: 1)
        #expect(range.outliers(values: DesignRange.statistics(corner)).isEmpty, "inside the range statistic by statistic")
        let reason = try #require(g.novelty(corner))
        #expect(reason.contains("far from the training designs") && reason.contains("nearest: d11"), "\(reason)")
        // Too few designs for a 95% quantile: no neighbour test.
        #expect(DesignRange(names: ["a", "b", "c"], Array(training.prefix(3))).neighbours == nil)
    }
}
