import Testing
@testable import QoRModel

// Every expected value below is worked out by hand in the comment beside it.

@Test func mapeOnAFixture() {
    // |110-100|/100 = 0.10, |180-200|/200 = 0.10, |50-50|/50 = 0 -> mean 0.0667 -> 6.667 %
    let m = Metrics.mape(predicted: [110, 180, 50], truth: [100, 200, 50])
    #expect(abs(m - 20.0 / 3.0) < 1e-12)
}

@Test func ranksAverageTies() {
    // sorted: 1 (rank 1), 2, 2 (ranks 2,3 -> 2.5), 5 (rank 4)
    #expect(Metrics.ranks([2, 1, 5, 2]) == [2.5, 1, 4, 2.5])
}

@Test func spearmanOnAFixture() {
    // a ranks 1..5, b ranks [2,1,4,3,5]; d = [-1,1,-1,1,0], sum d^2 = 4
    // rho = 1 - 6*4 / (5*(25-1)) = 1 - 24/120 = 0.8
    let rho = Metrics.spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])
    #expect(abs(rho - 0.8) < 1e-12)
    #expect(abs(Metrics.spearman([1, 2, 3], [3, 2, 1]) + 1) < 1e-12)
}

@Test func kendallOnAFixture() {
    // Pairs of [1,2,3,4] vs [1,3,2,4]: only (2,3) is discordant: (5-1)/6 = 2/3
    #expect(abs(Metrics.kendall([1, 2, 3, 4], [1, 3, 2, 4]) - 2.0 / 3.0) < 1e-12)
    // tau-b with a tie in b: a=[1,2,3], b=[1,1,2]. Pairs: (1,2) tie in b, (1,3) C, (2,3) C.
    // C=2, D=0, tiesB=1 -> 2 / sqrt((2+0+0)*(2+0+1)) = 2/sqrt(6)
    #expect(abs(Metrics.kendall([1, 2, 3], [1, 1, 2]) - 2 / 6.0.squareRoot()) < 1e-12)
}

@Test func topRecallOnAFixture() {
    // 10 items, k = 1 at 10 %: truly best is index 0; prediction's best is index 0 -> 1.
    let truth: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    #expect(Metrics.topRecall(predicted: truth, truth: truth) == 1)
    // k = 2 at 20 %: best {0,1}; predicted best {1,9} -> 1/2.
    var p = truth
    p[9] = 0
    p[0] = 5.5
    #expect(Metrics.topRecall(predicted: p, truth: truth, fraction: 0.2) == 0.5)
}

@Test func medianOddAndEven() {
    #expect(Metrics.median([3, 1, 2]) == 2)
    #expect(Metrics.median([4, 1, 2, 3]) == 2.5)
}

@Test func topRecallCountsTiesWithTheKthBest() {
    // Truth [1, 1, 2, ..., 9], k = 1: both 1s are "truly best". The prediction picks index 1 (the
    // second 1), which counts, whatever order the tied records come in.
    let tied: [Double] = [1, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    let guess: [Double] = [5, 0, 2, 3, 4, 5, 6, 7, 8, 9]
    #expect(Metrics.topRecall(predicted: guess, truth: tied, fraction: 0.1) == 1)
    // A random order finds one of the 2 best among 10 with probability 2/10.
    #expect(Metrics.randomTopRecall(truth: tied, fraction: 0.1) == 0.2)
}
