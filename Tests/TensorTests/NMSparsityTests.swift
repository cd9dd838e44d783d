import Foundation
import Testing
@testable import Tensor

/// DFSS N:M attention (COMPRESSION.md §3.2) and static 2:4 weights with their kernel (§3.3).
struct NMSparsityTests {
    /// Probabilities of `softmax(nmSelect(scores))` on a fresh tape.
    func sparseSoftmax(_ scores: Tensor<Double>, _ p: NMPattern) -> [Double] {
        let g = Tape<Double>(mode: .inference)
        return g.value(g.softmax(g.nmSelect(g.constant(scores), p))).data
    }

    @Test func workedExampleKeepsTheTwoLargestOfEachGroup() {
        let row: [Double] = [0.1, 0.7, -0.3, 0.2, 1.0, -2.0, 0.5, 0.4]
        let p = sparseSoftmax(Tensor([1, 8], row), .twoFour)
        let z = exp(0.7) + exp(0.2) + exp(1.0) + exp(0.5)
        let expected = [0, exp(0.7) / z, 0, exp(0.2) / z, exp(1.0) / z, 0, exp(0.5) / z, 0]
        for (a, b) in zip(p, expected) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func everyGroupHasExactlyNKeptAndTheyAreTheLargest() throws {
        let scores = GradientCheck.random([6, 13], seed: 3)  // 13: a short last group of 1
        for pattern in [NMPattern.twoFour, try #require(NMPattern("1:2"))] {
            let p = sparseSoftmax(scores, pattern)
            for r in 0..<6 {
                #expect(abs(p[(r * 13)..<(r * 13 + 13)].reduce(0, +) - 1) < 1e-12)
                for start in stride(from: 0, to: 13, by: pattern.m) {
                    let idx = Array(start..<min(13, start + pattern.m))
                    let kept = idx.filter { p[r * 13 + $0] > 0 }
                    #expect(kept.count == min(pattern.n, idx.count))
                    let largest = idx.sorted { scores.data[r * 13 + $0] > scores.data[r * 13 + $1] }.prefix(pattern.n)
                    #expect(Set(kept) == Set(largest))
                }
            }
        }
    }

    @Test func scoresAlreadyTwoFourGiveDenseAttentionExactly() {
        var s = GradientCheck.random([3, 8], seed: 4).data
        for r in 0..<3 { for j in [0, 3, 5, 6] { s[r * 8 + j] = -1e9 } }
        let scores = Tensor([3, 8], s)
        let g = Tape<Double>(mode: .inference)
        #expect(sparseSoftmax(scores, .twoFour) == g.value(g.softmax(g.constant(scores))).data)
    }

    @Test func maskedKeysAreNeverChosenWhileEnoughRemainAndTiesGoLow() {
        // Group 1: keys 2, 3 masked (length 2 of the group), group 2: all equal.
        let p = sparseSoftmax(Tensor([1, 8], [0.3, -5, 9 - 1e9, 8 - 1e9, 1, 1, 1, 1]), .twoFour)
        #expect(p[0] > 0 && p[1] > 0 && p[2] == 0 && p[3] == 0)
        #expect(p[4] > 0 && p[5] > 0 && p[6] == 0 && p[7] == 0)
    }

    @Test func patternParsing() {
        #expect(NMPattern("2:4") == .twoFour)
        #expect(NMPattern("1:2")?.m == 2)
        #expect(NMPattern("4:4") == nil && NMPattern("2") == nil && NMPattern("0:4") == nil && NMPattern("a:b") == nil)
    }

    @Test func prunedScoresGetNoGradientAndKeptOnesMatchFiniteDifferences() {
        let x = GradientCheck.random([4, 8], seed: 5)
        let g = Tape<Double>(mode: .training)
        let v = g.variable(x)
        let y = g.nmSelect(v, .twoFour)
        g.backward(g.sum(g.mul(g.softmax(y), g.constant(GradientCheck.random([4, 8], seed: 6)))))
        let grad = g.grad(v)?.data ?? []
        let kept = g.value(y).data.map { $0 > -1e18 }
        #expect(grad.count == 32)
        for i in 0..<32 where !kept[i] { #expect(grad[i] == 0) }
        checkGradients([x]) { g, x in g.softmax(g.nmSelect(x[0], .twoFour)) }
    }

    @Test func sparseAttentionLayerGradients() {
        let weights = ParameterStore<Double>(seed: 12)
        let layer = TransformerEncoderLayer(weights, "enc", dimension: 8, heads: 2, feedForward: 8, attentionSparsity: .twoFour)
        checkGradients([randomTensor([2, 7, 8], seed: 13)], weights: weights) { g, x in layer(g, x[0], lengths: [7, 5]) }
    }

    @Test func weightMasksKeepTheTwoLargestMagnitudesAlongTheInput() throws {
        let w = GradientCheck.random([12, 5], seed: 8)
        let m = try NMWeights.mask(w, .twoFour)
        for col in 0..<5 {
            for g in stride(from: 0, to: 12, by: 4) {
                let idx = Array(g..<(g + 4))
                let kept = idx.filter { m.data[$0 * 5 + col] == 1 }
                #expect(kept.count == 2)
                #expect(Set(kept) == Set(idx.sorted { abs(w.data[$0 * 5 + col]) > abs(w.data[$1 * 5 + col]) }.prefix(2)))
            }
        }
        let masked = Tensor([12, 5], zip(w.data, m.data).map { $0 * $1 })
        #expect(try NMWeights.mask(masked, .twoFour) == m)  // stable across re-application
        #expect(throws: NMShapeError.self) { try NMWeights.mask(GradientCheck.random([6, 4], seed: 1), .twoFour) }
    }

    @Test func sparseKernelEqualsDenseProductOfTheMaskedMatrix() throws {
        for (m, k, n) in [(7, 12, 37), (9, 160, 32), (1, 4, 1)] {
            let w = GradientCheck.random([k, n], seed: 21).converted(to: Float.self)
            let mask = try NMWeights.mask(w, .twoFour)
            let masked = Tensor([k, n], zip(w.data, mask.data).map { $0 * $1 })
            let x = GradientCheck.random([m, k], seed: 22).converted(to: Float.self)
            let g = Tape<Float>(mode: .inference)
            let dense = g.value(g.matmul(g.constant(x), g.constant(masked))).data
            let sparse = try NM24Matrix(masked)
            for reference in [true, false] {
                let y = sparse.multiply(x, reference: reference).data
                #expect(y.count == dense.count)
                let worst = zip(y, dense).map { abs($0 - $1) }.max() ?? 0
                #expect(worst < 1e-5, "m \(m) k \(k) n \(n) reference \(reference): \(worst)")
            }
        }
        var three = Tensor<Float>(zeros: [4, 1])
        three.data = [1, 2, 3, 0]
        #expect(throws: NMShapeError.self) { try NM24Matrix(three) }
    }
}
