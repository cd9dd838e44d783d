import Foundation
import QoRModel
import Testing
@testable import Reports

// Every expected value is worked out by hand from `Fixture` in the comment beside it.

@Test func modelScoresPerDesign() throws {
    let e = try Evaluation(Fixture.input)
    #expect(e.designs.map(\.design) == ["a", "b"])
    let a = try #require(e.designs[0].scores[.model])
    // a delay: errors 1/10, 2/20, 3/30, 4/40 are all 0.1 -> MAPE 10 %.
    // Predicted order 11 < 18 < 33 < 36 is the true order -> Spearman 1, Kendall 1.
    // k = max(1, round(4 * 0.1)) = 1: truly best f1 (10), predicted best f1 (11) -> recall 1.
    #expect(close(a.delay.mape, 10))
    #expect(close(a.delay.spearman, 1))
    #expect(close(a.delay.kendall, 1))
    #expect(a.delay.topRecall == 1)
    // a area: errors 200/100 = 2, 100/200 = 0.5, 100/300 = 1/3, 100/400 = 0.25; sum 37/12 -> 77.0833 %.
    // Predicted ranks [3,1,2,4] against [1,2,3,4]: d = [2,-1,-1,0], sum d^2 = 6,
    // rho = 1 - 6*6/(4*15) = 0.4. Pairs: (1,2) D, (1,3) D, (1,4) C, (2,3) C, (2,4) C, (3,4) C -> (4-2)/6 = 1/3.
    // Truly best f1 (100), predicted best f2 (100 predicted) -> recall 0.
    #expect(close(a.area.mape, 100 * 37.0 / 12 / 4))
    #expect(close(a.area.spearman, 0.4))
    #expect(close(a.area.kendall, 1.0 / 3))
    #expect(a.area.topRecall == 0)

    let b = try #require(e.designs[1].scores[.model])
    // b delay: errors 2/50, 1/50, 6/60 -> sum 0.16 over 3 -> 5.3333 %.
    // Truth ranks [1.5,1.5,3], predicted ranks [2,1,3]; deviations [-.5,-.5,1] and [0,-1,1]:
    // Pearson = 1.5 / sqrt(1.5 * 2) = sqrt(3)/2.
    // tau-b: (1,2) tie in truth only, (1,3) C, (2,3) C -> 2 / sqrt(2 * 3) = 2/sqrt(6).
    // k = 1; truth ties for best (f1, f2 = 50); predicted best f2 (49) is one of them -> recall 1.
    #expect(close(b.delay.mape, 16.0 / 3))
    #expect(close(b.delay.spearman, 3.0.squareRoot() / 2))
    #expect(close(b.delay.kendall, 2 / 6.0.squareRoot()))
    #expect(b.delay.topRecall == 1)
    // b area: errors 50/500, 60/600, 0 -> 0.2 / 3 -> 6.6667 %; order preserved -> 1, 1; best f1 both -> 1.
    #expect(close(b.area.mape, 20.0 / 3))
    #expect(close(b.area.spearman, 1))
    #expect(close(b.area.kendall, 1))
    #expect(b.area.topRecall == 1)

    // Spread: a delay (40-10)/25 = 120 %, area (400-100)/250 = 120 %; b delay (60-50)/50 = 20 %,
    // area (700-500)/600 = 33.33 %. A random order: |best|/n = 1/4 for a; b delay 2/3 (tie), area 1/3.
    #expect(close(e.designs[0].spread.delay, 120) && close(e.designs[0].spread.area, 120))
    #expect(close(e.designs[1].spread.delay, 20) && close(e.designs[1].spread.area, 100.0 / 3))
    #expect(close(e.designs[0].randomTopRecall.delay, 0.25))
    #expect(close(e.designs[1].randomTopRecall.delay, 2.0 / 3) && close(e.designs[1].randomTopRecall.area, 1.0 / 3))
}

@Test func baselinesApplyToSeenAndUnseenDesigns() throws {
    let e = try Evaluation(Fixture.input)
    // a is seen: the median baseline (26, 250) applies, the linear one does not.
    #expect(e.designs[0].scores[.linearAIG] == nil)
    let median = try #require(e.designs[0].scores[.designMedian])
    #expect(e.designs[0].baselinePredictions[.designMedian]?.delay == 26)
    // delay: |26-10|/10 = 1.6, 6/20 = 0.3, 4/30 = 0.1333, 14/40 = 0.35; sum 2.38333 / 4 -> 59.5833 %.
    // area: 150/100 = 1.5, 50/200 = 0.25, 50/300 = 0.1667, 150/400 = 0.375; sum 2.291667 / 4 -> 57.2917 %.
    #expect(close(median.delay.mape, 100 * (1.6 + 0.3 + 4.0 / 30 + 0.35) / 4))
    #expect(close(median.area.mape, 100 * (1.5 + 0.25 + 50.0 / 300 + 0.375) / 4))
    // One value for every flow: no ranking skill, so every rank metric is undefined.
    #expect(median.delay.spearman.isNaN && median.delay.kendall.isNaN && median.delay.topRecall.isNaN)

    // b is unseen: the linear fit on the single training design predicts its median, (26, 250).
    #expect(e.designs[1].scores[.designMedian] == nil)
    let linear = try #require(e.designs[1].scores[.linearAIG])
    let fit = try #require(e.linearBaseline)
    #expect(fit.designs == 1)
    #expect(Array(fit.delayCoefficients.dropFirst()) == [0, 0, 0, 0])
    // delay: 24/50, 24/50, 34/60 -> sum 1.526667 / 3 -> 50.8889 %.
    // area: 250/500, 350/600, 450/700 -> sum 1.726190 / 3 -> 57.5397 %.
    #expect(close(linear.delay.mape, 100 * (0.48 + 0.48 + 34.0 / 60) / 3))
    #expect(close(linear.area.mape, 100 * (0.5 + 350.0 / 600 + 450.0 / 700) / 3))
    #expect(linear.area.spearman.isNaN && linear.area.topRecall.isNaN)
}

@Test func overallScores() throws {
    let e = try Evaluation(Fixture.input)
    let model = try #require(e.overall[.model])
    // MAPE over all 7 records: delay (0.4 + 0.16) / 7 = 8 %; area (37/12 + 0.2) / 7 = 46.9048 %.
    #expect(close(model.delay.mape, 8))
    #expect(close(model.area.mape, 100 * (37.0 / 12 + 0.2) / 7))
    #expect(model.delay.records == 7 && model.delay.designs == 2)
    // Rank metrics: means over the two designs.
    #expect(close(model.delay.spearman, (1 + 3.0.squareRoot() / 2) / 2))
    #expect(close(model.delay.kendall, (1 + 2 / 6.0.squareRoot()) / 2))
    #expect(close(model.delay.topRecall, 1))
    #expect(close(model.area.spearman, 0.7))
    #expect(close(model.area.kendall, 2.0 / 3))
    #expect(close(model.area.topRecall, 0.5))
    // Each baseline covers one design; the model is also scored on just that design beside it.
    #expect(e.overall[.designMedian]?.delay.records == 4)
    #expect(close(e.overall[.linearAIG]?.area.mape ?? .nan, 100 * (0.5 + 350.0 / 600 + 450.0 / 700) / 3))
    #expect(close(e.overallModelOnBaselineDesigns[.designMedian]?.delay.mape ?? .nan, 10))
    #expect(close(e.overallModelOnBaselineDesigns[.linearAIG]?.area.mape ?? .nan, 20.0 / 3))
    #expect(e.overall[.designMedian]?.delay.spearman.isNaN == true)
    // A random order: delay (1/4 + 2/3) / 2, area (1/4 + 1/3) / 2.
    #expect(close(e.overallRandomTopRecall.delay, (0.25 + 2.0 / 3) / 2))
    #expect(close(e.overallRandomTopRecall.area, (0.25 + 1.0 / 3) / 2))
}

@Test func noBaselinesWithoutTrainingData() throws {
    let e = try Evaluation(ReportInput(modelName: "m", split: "designs", records: Fixture.records))
    #expect(e.overall.keys.sorted { $0.rawValue < $1.rawValue } == [.model])
    #expect(e.linearBaseline == nil)
    #expect(e.overallModelOnBaselineDesigns.isEmpty)
}

@Test func badRecordsAreRejected() {
    var duplicate = Fixture.records
    duplicate.append(Fixture.records[0])
    #expect(throws: ReportError.self) { try Evaluation(ReportInput(modelName: "m", split: "flows", records: duplicate)) }
    var zero = Fixture.records
    zero[2].trueArea = 0
    #expect(throws: ReportError.self) { try Evaluation(ReportInput(modelName: "m", split: "flows", records: zero)) }
    var nan = Fixture.records
    nan[3].predictedDelay = .nan
    #expect(throws: ReportError.self) { try Evaluation(ReportInput(modelName: "m", split: "flows", records: nan)) }
    #expect(throws: ReportError.self) { try Evaluation(ReportInput(modelName: "m", split: "flows", records: [])) }
}

/// The report and the metrics a checkpoint stores come from one scoring rule: the same numbers on
/// the fixture of QoRModel's `ScoringTests` (two flows ranked, one flow, a constant prediction,
/// the reverse order): rank metrics over designs 0 and 3 only, (1 + -1) / 2 = 0, recall (1 + 0) / 2.
@Test func reportAndCheckpointScoreAlike() throws {
    let design = [0, 0, 1, 2, 2, 2, 3, 3, 3]
    let truth: [Double] = [10, 20, 5, 7, 8, 10, 1, 2, 3]
    let predicted: [Double] = [12, 18, 6, 7, 7, 7, 3, 2, 1]
    let records = (0..<9).map {
        PredictionRecord(design: "d\(design[$0])", flow: "f\($0)", trueDelay: truth[$0], trueArea: 2 * truth[$0],
                         predictedDelay: predicted[$0], predictedArea: 2 * predicted[$0])
    }
    let report = try Reports.Evaluation(ReportInput(modelName: "m", split: "flows", records: records))
    let model = try #require(report.overall[.model])
    let stored = QoRModel.Evaluation.scores(design: design, delay: predicted, area: predicted.map { 2 * $0 }, truthDelay: truth,
                                            truthArea: truth.map { 2 * $0 })
    #expect(model.delay.mape == stored.delayMAPE && model.area.mape == stored.areaMAPE)
    #expect(model.delay.spearman == stored.delaySpearman && model.delay.kendall == stored.delayKendall)
    #expect(model.delay.topRecall == stored.delayTopRecall && model.area.topRecall == stored.areaTopRecall)
    #expect(model.delay.spearman == 0 && model.delay.topRecall == 0.5)
    #expect(report.designs[1].scores[.model]?.delay.spearman.isNaN == true)
}
