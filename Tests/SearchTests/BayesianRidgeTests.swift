import Common
import Flows
import Foundation
import Testing
@testable import Search

/// With one feature and a prior N(0, v), the posterior is Gaussian with precision Σx²/s + 1/v and
/// mean (Σxy/s)/precision; the evidence is N(y; 0, s I + v x xᵀ), here for two points by hand.
@Test func posteriorAndEvidenceMatchTheClosedForm() throws {
    let x: [[Double]] = [[1], [2]], y = [1.0, 3.0]
    let v = 2.0, s = 0.5
    let r = try #require(BayesianRidge(x: x, y: y, priorMean: [0], priorVariance: [v], noise: s))
    let precision = (1 + 4) / s + 1 / v
    #expect(abs(r.mean[0] - ((1 * 1 + 2 * 3) / s) / precision) < 1e-12)
    // C = s I + v x xᵀ = [[s + v, 2v], [2v, s + 4v]]
    let c = [[s + v, 2 * v], [2 * v, s + 4 * v]]
    let det = c[0][0] * c[1][1] - c[0][1] * c[1][0]
    let inv = [[c[1][1] / det, -c[0][1] / det], [-c[1][0] / det, c[0][0] / det]]
    let quad = y[0] * (inv[0][0] * y[0] + inv[0][1] * y[1]) + y[1] * (inv[1][0] * y[0] + inv[1][1] * y[1])
    let logEvidence = -0.5 * (quad + Foundation.log(det) + 2 * Foundation.log(2 * Double.pi))
    #expect(abs(r.logEvidence - logEvidence) < 1e-10)
}

/// A nearly flat prior and little noise give ordinary least squares; a non-zero prior mean is
/// where the weights stay without data.
@Test func flatPriorIsLeastSquaresAndNoDataIsThePrior() throws {
    let x: [[Double]] = [[1, 0], [1, 1], [1, 2], [1, 3]], y = [1.0, 2.9, 5.1, 7.0]
    let r = try #require(BayesianRidge(x: x, y: y, priorMean: [0, 0], priorVariance: [1e8, 1e8], noise: 1e-4))
    // OLS by hand: slope = Σ(x-x̄)(y-ȳ)/Σ(x-x̄)², x̄ = 1.5, ȳ = 4.
    let slope = ((-1.5) * (-3) + (-0.5) * (-1.1) + 0.5 * 1.1 + 1.5 * 3) / 5.0
    #expect(abs(r.mean[1] - slope) < 1e-6)
    #expect(abs(r.mean[0] - (4 - slope * 1.5)) < 1e-6)
    let empty = try #require(BayesianRidge(x: [], y: [], priorMean: [0.5, 1], priorVariance: [1, 1], noise: 1))
    #expect(empty.mean == [0.5, 1])
    // Posterior draws scatter around the mean with the prior's spread when there is no data.
    var g = SplitMix64(seed: 3)
    let draws = (0..<4000).map { _ in empty.sample(using: &g)[1] }
    let m = draws.reduce(0, +) / Double(draws.count)
    let sd = (draws.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(draws.count)).squareRoot()
    #expect(abs(m - 1) < 0.06 && abs(sd - 1) < 0.06)
}
