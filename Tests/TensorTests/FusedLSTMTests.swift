import Testing
@testable import Tensor

/// The fused LSTM layer (`Tape.lstmLayer`, one tape op per layer) against the op-by-op LSTM
/// (`LSTM.opByOp`, separate ops per step and gate): the same outputs, final states and gradients
/// of the input and every parameter, in Float (the training path, with its Float-specialised
/// body) and Float64, with sequences of full, partial and zero length in one batch. Finite
/// differences of the fused layer: `LayerGradientTests.lstmTwoLayersWithPadding`.
@Suite struct FusedLSTMTests {
    func compare<S: TensorScalar>(_: S.Type, lengths: [Int], steps: Int, tolerance: Double) {
        let weights = ParameterStore<S>(seed: 21)
        let lstm = LSTM(weights, "lstm", input: 5, hidden: 7, layers: 2)
        let x: Tensor<S> = GradientCheck.random([lengths.count, steps, 5], seed: 22).converted(to: S.self)
        let upstream: Tensor<S> = GradientCheck.random([lengths.count, steps * 7 + 7], seed: 23).converted(to: S.self)
        func run(fused: Bool) -> (out: [S], grads: [[S]]) {
            let g = Tape(weights, mode: .training)
            let input = g.variable(x)
            let (outputs, last) = fused ? lstm(g, input, lengths: lengths) : lstm.opByOp(g, input, lengths: lengths)
            let joined = g.concat([g.reshape(outputs, [lengths.count, steps * 7]), last], axis: 1)
            let loss = g.sum(g.mul(joined, g.constant(upstream)))
            g.backward(loss)
            let grads = [g.grad(input)?.data ?? []] + weights.ids.map { g.grad(g.parameter($0))?.data ?? [] }
            return (g.value(joined).data, grads)
        }
        let fused = run(fused: true), reference = run(fused: false)
        func close(_ a: [S], _ b: [S], _ what: String) {
            #expect(a.count == b.count, "\(what)")
            let worst = zip(a, b).map { abs(Double($0) - Double($1)) / max(1, abs(Double($1))) }.max() ?? 0
            #expect(worst <= tolerance, "\(what): \(worst)")
        }
        close(fused.out, reference.out, "outputs")
        for (i, (a, b)) in zip(fused.grads, reference.grads).enumerated() { close(a, b, "gradient \(i)") }
    }

    @Test func floatEqualsOpByOp() { compare(Float.self, lengths: [6, 3, 0, 6, 1], steps: 6, tolerance: 2e-6) }
    @Test func doubleEqualsOpByOp() { compare(Double.self, lengths: [6, 3, 0, 6, 1], steps: 6, tolerance: 1e-12) }
    @Test func uniformLengthsEqualOpByOp() { compare(Float.self, lengths: [4, 4, 4], steps: 4, tolerance: 2e-6) }
}
