/// Learning rate as a function of the step (0-based).
public enum LearningRateSchedule: Sendable, Equatable, Codable {
    case constant
    /// Linear warm-up over `warmup` steps, then cosine decay from the base rate to `minimum`
    /// at step `total` (and `minimum` after).
    case cosine(total: Int, warmup: Int = 0, minimum: Double = 0)
    /// Multiply by `gamma` every `every` steps.
    case step(every: Int, gamma: Double)

    public func rate(base: Double, step: Int) -> Double {
        switch self {
        case .constant:
            return base
        case let .cosine(total, warmup, minimum):
            if step < warmup { return base * Double(step + 1) / Double(warmup) }
            let span = Swift.max(total - warmup, 1)
            let progress = Swift.min(Double(step - warmup) / Double(span), 1)
            return minimum + (base - minimum) * 0.5 * (1 + _cos(Double.pi * progress))
        case let .step(every, gamma):
            return base * _pow(gamma, Double(step / Swift.max(every, 1)))
        }
    }
}

import Foundation
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) private func _pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }

/// Global L2 norm of gradients, summed in Float64 in parameter order (reproducible).
public func gradientNorm<S>(_ grads: [(ParameterID, Tensor<S>)]) -> Double {
    var s = 0.0
    for (_, g) in grads { for v in g.data { s += Double(v) * Double(v) } }
    return s.squareRoot()
}

/// Scales all gradients so their global norm is at most `maxNorm`; returns the norm before.
@discardableResult
public func clipGradients<S>(_ grads: inout [(ParameterID, Tensor<S>)], maxNorm: Double) -> Double {
    let norm = gradientNorm(grads)
    guard norm > maxNorm, norm > 0 else { return norm }
    let scale = S(maxNorm / norm)
    for k in grads.indices {
        grads[k].1.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= scale } }
    }
    return norm
}

/// Shared by the optimizers: applies one update to every parameter that has a gradient.
public protocol Optimizer {
    associatedtype Scalar: TensorScalar
    /// Base learning rate (before the schedule).
    var learningRate: Double { get set }
    var schedule: LearningRateSchedule { get }
    /// When set, gradients are clipped to this global norm before the update.
    var clipNorm: Double? { get }
    /// Updates taken so far.
    var steps: Int { get }
    /// One update with the given gradients (the learning rate of the current step).
    mutating func update(_ weights: ParameterStore<Scalar>, _ grads: [(ParameterID, Tensor<Scalar>)])
}

extension Optimizer {
    /// Learning rate the next update will use.
    public var currentLearningRate: Double { schedule.rate(base: learningRate, step: steps) }

    /// Takes the parameter gradients of `tape`, resets the tape (so updates happen in place),
    /// clips if asked, updates the tape's weights and recycles the gradient buffers. Returns the
    /// gradient norm before clipping.
    @discardableResult
    public mutating func step(_ tape: Tape<Scalar>) -> Double {
        guard let weights = tape.weights else { preconditionFailure("tape has no weights") }
        var grads = tape.parameterGradients()
        tape.reset()
        let norm = clipNorm.map { clipGradients(&grads, maxNorm: $0) } ?? gradientNorm(grads)
        update(weights, grads)
        for (_, g) in grads { tape.pool.give(g.data) }
        return norm
    }
}

/// Stochastic gradient descent with momentum and (coupled, L2) weight decay.
public struct SGD<Scalar: TensorScalar>: Optimizer {
    public var learningRate: Double
    public var momentum: Double
    public var weightDecay: Double
    public var schedule: LearningRateSchedule
    public var clipNorm: Double?
    public private(set) var steps = 0
    private var velocity: [Int: [Scalar]] = [:]

    public init(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0,
                schedule: LearningRateSchedule = .constant, clipNorm: Double? = nil) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.clipNorm = clipNorm
    }

    @_specialize(where Scalar == Float)
    public mutating func update(_ weights: ParameterStore<Scalar>, _ grads: [(ParameterID, Tensor<Scalar>)]) {
        let lr = Scalar(currentLearningRate), mu = Scalar(momentum), wd = Scalar(weightDecay)
        for (id, g) in grads {
            var v = velocity[id.index] ?? [Scalar](repeating: 0, count: g.count)
            velocity[id.index] = nil
            weights.update(id) { w in
                for i in 0..<w.count {
                    let d = g.data[i] + wd * w[i]
                    v[i] = mu * v[i] + d
                    w[i] -= lr * v[i]
                }
            }
            velocity[id.index] = v
            weights.applyMask(id)
        }
        steps += 1
    }
}

/// Adam, with L2 weight decay (added to the gradient) or decoupled weight decay (AdamW).
public struct Adam<Scalar: TensorScalar>: Optimizer {
    public enum WeightDecay: Sendable, Equatable { case none, l2(Double), decoupled(Double) }

    public var learningRate: Double
    public var beta1: Double, beta2: Double, epsilon: Double
    public var weightDecay: WeightDecay
    public var schedule: LearningRateSchedule
    public var clipNorm: Double?
    public private(set) var steps = 0
    private var moments: [Int: ([Scalar], [Scalar])] = [:]

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: WeightDecay = .none, schedule: LearningRateSchedule = .constant, clipNorm: Double? = nil) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.clipNorm = clipNorm
    }

    /// AdamW: Adam with decoupled weight decay (default 0.01).
    public static func adamW(learningRate: Double = 1e-3, weightDecay: Double = 0.01, schedule: LearningRateSchedule = .constant,
                             clipNorm: Double? = nil) -> Adam {
        Adam(learningRate: learningRate, weightDecay: .decoupled(weightDecay), schedule: schedule, clipNorm: clipNorm)
    }

    @_specialize(where Scalar == Float)
    public mutating func update(_ weights: ParameterStore<Scalar>, _ grads: [(ParameterID, Tensor<Scalar>)]) {
        let lr = currentLearningRate
        let t = Double(steps + 1)
        let c1 = 1 - _pow(beta1, t), c2 = 1 - _pow(beta2, t)
        let b1 = Scalar(beta1), b2 = Scalar(beta2), eps = Scalar(epsilon)
        let stepSize = Scalar(lr / c1), rc2 = Scalar(1 / c2.squareRoot())
        var l2: Scalar = 0, decay: Scalar = 1
        switch weightDecay {
        case .none: break
        case let .l2(w): l2 = Scalar(w)
        case let .decoupled(w): decay = Scalar(1 - lr * w)
        }
        for (id, g) in grads {
            var (m, v) = moments[id.index] ?? ([Scalar](repeating: 0, count: g.count), [Scalar](repeating: 0, count: g.count))
            moments[id.index] = nil
            weights.update(id) { w in
                for i in 0..<w.count {
                    let d = g.data[i] + l2 * w[i]
                    m[i] = b1 * m[i] + (1 - b1) * d
                    v[i] = b2 * v[i] + (1 - b2) * d * d
                    w[i] = w[i] * decay - stepSize * m[i] / (Scalar.sqrt(v[i]) * rc2 + eps)
                }
            }
            moments[id.index] = (m, v)
            weights.applyMask(id)
        }
        steps += 1
    }
}

extension ParameterStore {
    /// Zeroes masked-out weights again after an update.
    func applyMask(_ id: ParameterID) {
        guard let mask = masks[id.index] else { return }
        update(id) { w in for i in 0..<w.count { w[i] *= mask.data[i] } }
    }
}
