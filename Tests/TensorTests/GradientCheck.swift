import Testing
@testable import Tensor

/// Random test data from a fixed seed.
func randomTensor(_ shape: Shape, seed: UInt64, low: Double = -1, high: Double = 1) -> Tensor<Double> {
    GradientCheck.random(shape, seed: seed, low: low, high: high)
}

/// `GradientCheck.run`, each mismatch recorded as an issue at the caller.
@discardableResult
func checkGradients(
    _ inputs: [Tensor<Double>], weights: ParameterStore<Double>? = nil, h: Double = 1e-5, tolerance: Double = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ f: (Tape<Double>, [Value]) -> Value
) -> Double {
    let result = GradientCheck.run(inputs, weights: weights, h: h, tolerance: tolerance, f)
    for m in result.mismatches { Issue.record("\(m)", sourceLocation: sourceLocation) }
    return result.worst
}
