import Flows
import Testing
@testable import QoRModel

@Suite struct DesignRidgeTests {
    @Test func summaryOfAShortFlowIsTheHandComputedOne() throws {
        // Tokens: 1 = b, 2 = rw (vocabulary order of the flows given).
        let vocabulary = FlowVocabulary(flows: [try Flow.parse("b; rw")])
        let tokens = try vocabulary.tokens(try Flow.parse("b; rw; b"), number: nil)
        let steps = vocabulary.steps.count
        let x = TokenBatch([tokens]).summary(steps: steps)
        #expect(x.shape == [1, 6 * steps + 1])
        let b = try #require(vocabulary.steps.firstIndex(of: "balance")), rw = try #require(vocabulary.steps.firstIndex(of: "rewrite"))
        func at(_ block: Int, _ step: Int) -> Float { x.data[block * steps + step] }
        #expect(abs(at(0, b) - 2.0 / 3) < 1e-6 && abs(at(0, rw) - 1.0 / 3) < 1e-6)
        // Recency: the last b 0.2, rw 0.2 * 0.8, the first b 0.2 * 0.8^2.
        #expect(abs(at(1, b) - 0.328) < 1e-6 && abs(at(1, rw) - 0.16) < 1e-6)
        // Quarters of a 3-step flow: steps 0, 1, 2 fall in quarters 0, 1, 2; each counts 4/3.
        #expect(abs(at(2, b) - 4.0 / 3) < 1e-6 && at(2, rw) == 0)
        #expect(abs(at(3, rw) - 4.0 / 3) < 1e-6 && at(3, b) == 0)
        #expect(abs(at(4, b) - 4.0 / 3) < 1e-6 && at(5, b) == 0)
        #expect(abs(x.data[6 * steps] - 3.0 / 20) < 1e-6)
    }

    @Test func ridgeRecoversAnExactLinearLaw() {
        // y = 1 + 2 x0 - x1 on six points, with a negligible penalty.
        let x: [[Float]] = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 1], [1, 3]]
        let y = x.map { 1 + 2 * Double($0[0]) - Double($0[1]) }
        let c = DesignRidge.fit(x, y, scale: [1, 1], lambda: 1e-9)
        #expect(abs(c[0] - 1) < 1e-6 && abs(c[1] - 2) < 1e-6 && abs(c[2] + 1) < 1e-6)
        #expect(abs(DesignRidge.apply(c, [Float(3), 2]) - 5) < 1e-6)
    }

    @Test func theInterceptMakesTheMedianResidualZero() {
        // A constant feature carries no information: the fit is the median of y, not its mean.
        let x: [[Float]] = [[1], [1], [1], [1], [1]]
        let y: [Double] = [0, 0, 1, 1, 10]
        let c = DesignRidge.fit(x, y, scale: [1], lambda: 10)
        #expect(abs(DesignRidge.apply(c, [Float(1)]) - 1) < 1e-9)
    }
}
