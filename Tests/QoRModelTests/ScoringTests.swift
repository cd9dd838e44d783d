import Testing
@testable import QoRModel

/// The one scoring rule on a hand fixture; every expected value is worked out in the comments.
@Suite struct ScoringTests {
    // design 0: two flows, the right order.     truth [10, 20], predicted [12, 18]
    // design 1: one flow.                       truth [5],      predicted [6]
    // design 2: a constant prediction.          truth [7, 8, 10], predicted [7, 7, 7]
    // design 3: three flows, the reverse order. truth [1, 2, 3],  predicted [3, 2, 1]
    static let design: [Int] = [0, 0, 1, 2, 2, 2, 3, 3, 3]
    static let truth: [Double] = [10, 20, 5, 7, 8, 10, 1, 2, 3]
    static let predicted: [Double] = [12, 18, 6, 7, 7, 7, 3, 2, 1]

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

    @Test func perDesign() {
        // Two flows have a ranking: Spearman and Kendall 1; k = max(1, round(0.2)) = 1, the truly
        // best flow (10) is the predicted best (12): recall 1. MAPE (2/10 + 2/20) / 2 = 15 %.
        let two = Scoring.design(predicted: [12, 18], truth: [10, 20])
        #expect(close(two.mape, 15) && two.spearman == 1 && two.kendall == 1 && two.topRecall == 1)
        // One flow: MAPE 20 %, no ranking.
        let one = Scoring.design(predicted: [6], truth: [5])
        #expect(close(one.mape, 20) && one.spearman.isNaN && one.kendall.isNaN && one.topRecall.isNaN)
        // A constant prediction ranks nothing: its top recall (record order) is not counted either.
        let constant = Scoring.design(predicted: [7, 7, 7], truth: [7, 8, 10])
        #expect(close(constant.mape, 100 * (0 + 1.0 / 8 + 3.0 / 10) / 3) && constant.spearman.isNaN && constant.topRecall.isNaN)
        // The reverse order: -1, -1; the truly best (1) is predicted worst: recall 0. MAPE (2 + 0 + 2/3) / 3.
        let reverse = Scoring.design(predicted: [3, 2, 1], truth: [1, 2, 3])
        #expect(close(reverse.mape, 100 * (2 + 2.0 / 3) / 3) && reverse.spearman == -1 && reverse.kendall == -1 && reverse.topRecall == 0)
    }

    @Test func overDesigns() {
        // MAPE over all 9 records: (0.2 + 0.1 + 0.2 + 0 + 0.125 + 0.3 + 2 + 0 + 2/3) / 9.
        // Rank metrics: means over designs 0 and 3, where they are defined: (1 + -1) / 2 = 0; recall (1 + 0) / 2.
        let s = Scoring.grouped(design: Self.design, predicted: Self.predicted, truth: Self.truth)
        #expect(close(s.mape, 100 * (0.2 + 0.1 + 0.2 + 0 + 0.125 + 0.3 + 2 + 0 + 2.0 / 3) / 9))
        #expect(s.spearman == 0 && s.kendall == 0 && s.topRecall == 0.5)
        #expect(s.records == 9 && s.designs == 4)
        // The checkpoint's metrics are the same numbers.
        let e = Evaluation.scores(design: Self.design, delay: Self.predicted, area: Self.predicted, truthDelay: Self.truth, truthArea: Self.truth)
        #expect(e.delayMAPE == s.mape && e.delaySpearman == s.spearman && e.delayKendall == s.kendall && e.delayTopRecall == s.topRecall)
        // Designs are taken in ascending order whatever the row order (the mean does not depend on hashing).
        let order = [8, 3, 0, 6, 4, 1, 7, 5, 2]
        let shuffled = Scoring.grouped(design: order.map { Self.design[$0] }, predicted: order.map { Self.predicted[$0] },
                                       truth: order.map { Self.truth[$0] })
        #expect(shuffled.spearman == s.spearman && shuffled.topRecall == s.topRecall && close(shuffled.mape, s.mape))
    }
}
