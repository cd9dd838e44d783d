import Testing
@testable import Tensor

/// `Tape.linearOfParts` (the GIN update without its concatenation) equals `linear` on the
/// concatenated parts: outputs and the gradients of every part, the weight and the bias, in
/// Float64; and finite differences agree with its gradients.
@Suite struct LinearOfPartsTests {
    @Test func equalsLinearOnTheConcatenation() {
        let weights = ParameterStore<Double>(seed: 51)
        let layer = Linear(weights, "lin", input: 3 * 4, output: 5)
        let parts = (0..<3).map { GradientCheck.random([6, 4], seed: 52 + UInt64($0)) }
        let upstream = GradientCheck.random([6, 5], seed: 60)
        func run(split: Bool) -> [[Double]] {
            let g = Tape(weights, mode: .training)
            let xs = parts.map { g.variable($0) }
            let y = split
                ? g.linearOfParts(xs, width: 4, weight: g.parameter(layer.weight), bias: layer.bias.map { g.parameter($0) })
                : layer(g, g.concat(xs, axis: 1))
            g.backward(g.sum(g.mul(y, g.constant(upstream))))
            return [g.value(y).data] + xs.map { g.grad($0)?.data ?? [] } + weights.ids.map { g.grad(g.parameter($0))?.data ?? [] }
        }
        for (a, b) in zip(run(split: true), run(split: false)) {
            #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        }
    }

    @Test func gradientsMatchFiniteDifferences() {
        let weights = ParameterStore<Double>(seed: 53)
        let layer = Linear(weights, "lin", input: 2 * 3, output: 4)
        checkGradients([GradientCheck.random([5, 3], seed: 54), GradientCheck.random([5, 3], seed: 55)], weights: weights) { g, x in
            g.relu(g.linearOfParts(x, width: 3, weight: g.parameter(layer.weight), bias: layer.bias.map { g.parameter($0) }))
        }
    }
}
