import Flows
import Foundation
import Testing
@testable import QoRModel
@testable import Tensor

/// COMPRESSION.md §5 (MV2D) as tests: the Gaussian KL against its hand-computed values and numerical
/// integration, KL ≥ 0 and = 0 on equal heads, no gradient through the detached branch, finite
/// differences of every new term, the objective's worked example, and weight 0 = no distillation.
@Suite struct DistillationTests {
    func scalar(_ f: (Tape<Double>) -> Value) -> Double {
        let g = Tape<Double>(nil, mode: .training, seed: 1)
        return g.scalar(f(g))
    }

    func kl(_ mp: [Double], _ lp: [Double], _ mq: [Double], _ lq: [Double], temperature: Double = 1) -> Double {
        scalar { g in
            let n = mp.count
            return g.gaussianKL(meanP: g.constant(Tensor([1, n], mp)), logVarP: g.constant(Tensor([1, n], lp)),
                                meanQ: g.constant(Tensor([1, n], mq)), logVarQ: g.constant(Tensor([1, n], lq)), temperature: temperature)
        }
    }

    /// KL(N(0,1) ‖ N(1,4)) = ½(ln 4 + 1/4 + 1/4 − 1); with τ = 2 the mean term halves.
    @Test func gaussianKLWorkedExample() {
        let l4 = Foundation.log(4.0)
        #expect(abs(kl([0], [0], [1], [l4]) - 0.5 * (l4 + 0.25 + 0.25 - 1)) < 1e-12)
        #expect(abs(kl([0], [0], [1], [l4], temperature: 2) - 0.5 * (l4 + 0.25 + 0.125 - 1)) < 1e-12)
        // The mean over elements: a second, identical pair adds nothing, a KL of 2 (means 2 apart, unit variance) averages in.
        #expect(abs(kl([0, 2], [0, 0], [1, 0], [l4, 0]) - (0.5 * (l4 + 0.5 - 1) + 2) / 2) < 1e-12)
    }

    /// Test 1: KL ≥ 0 on random Gaussians, exactly 0 on identical ones.
    @Test func klIsNonNegativeAndZeroOnEqualHeads() {
        let x = GradientCheck.random([1, 40], seed: 5, low: -2, high: 2).data
        let y = GradientCheck.random([1, 40], seed: 6, low: -2, high: 2).data
        #expect(kl(x, y, x, y) == 0)
        for i in 0..<20 {
            #expect(kl([x[i]], [y[i]], [x[i + 20]], [y[i + 20]]) >= 0)
        }
    }

    /// Test 3: the closed form against ∫ p log(p/q) by the trapezoid rule on a 1-D fixture.
    @Test func klMatchesNumericalIntegration() {
        for (mp, sp, mq, sq) in [(0.3, 0.7, -0.5, 1.3), (1.0, 2.0, 1.5, 0.5), (-1.0, 1.0, -1.0, 1.0)] {
            func logDensity(_ x: Double, _ m: Double, _ s: Double) -> Double {
                -(x - m) * (x - m) / (2 * s * s) - Foundation.log(s * (2 * Double.pi).squareRoot())
            }
            var sum = 0.0
            let a = -30.0, h = 1e-3
            var x = a
            while x < 30 {
                func f(_ x: Double) -> Double {
                    let lp = logDensity(x, mp, sp)
                    return Foundation.exp(lp) * (lp - logDensity(x, mq, sq))
                }
                sum += (f(x) + f(x + h)) * h / 2
                x += h
            }
            let closed = kl([mp], [Foundation.log(sp * sp)], [mq], [Foundation.log(sq * sq)])
            #expect(abs(closed - sum) < 1e-6, "closed \(closed) numeric \(sum)")
        }
    }

    /// NLL of y = 1 under N(0, 1) without the constant is ½; under N(1, e²) it is ½·2 = 1.
    @Test func gaussianNLLWorkedExample() {
        let v = scalar { g in
            g.gaussianNLL(g.constant(Tensor([1, 2], [1, 1])), mean: g.constant(Tensor([1, 2], [0, 1])), logVar: g.constant(Tensor([1, 2], [0, 2])))
        }
        #expect(abs(v - (0.5 + 1) / 2) < 1e-12)
    }

    /// The objective's worked example (one flow): observation head μv = (0, 0), lv = (0, 0);
    /// bottleneck mean (1, 0), ρ = (0, 0); label (0.5, 0); teacher N((1, 2), 1).
    /// NLL = ½·mean(0.25, 0) = 0.0625; VSD = mean(KL(N(0,1)‖N(1,1)) = ½, 0) = 0.25;
    /// VCD = ½·mean(0, KL(N(2,1)‖N(0,1)) = 2) = 0.5; total 0.8125 (λ = 1, τ = 1).
    @Test func mv2dWorkedExample() {
        let settings = DistillationSettings(mode: .mv2d)
        let v = scalar { g in
            DistillationObjective.mv2d(
                g, observation: g.constant(Tensor([1, 4], [0, 0, 0, 0])), bottleneckMean: g.constant(Tensor([1, 2], [1, 0])),
                bottleneckLogVar: g.constant(Tensor([1, 2], [0, 0])), labels: g.constant(Tensor([1, 2], [0.5, 0])),
                teacherMean: g.constant(Tensor([1, 2], [1, 2])), teacherLogVar: g.constant(Tensor([1, 2], [0, 0])), settings: settings)
        }
        #expect(abs(v - 0.8125) < 1e-12, "\(v)")
        var half = settings
        half.vsd = 0.5
        half.vcd = 0
        let w = scalar { g in
            DistillationObjective.mv2d(
                g, observation: g.constant(Tensor([1, 4], [0, 0, 0, 0])), bottleneckMean: g.constant(Tensor([1, 2], [1, 0])),
                bottleneckLogVar: g.constant(Tensor([1, 2], [0, 0])), labels: g.constant(Tensor([1, 2], [0.5, 0])),
                teacherMean: g.constant(Tensor([1, 2], [1, 2])), teacherLogVar: g.constant(Tensor([1, 2], [0, 0])), settings: half)
        }
        #expect(abs(w - (0.0625 + 0.125)) < 1e-12, "\(w)")
    }

    func check(_ inputs: [Tensor<Double>], sourceLocation: SourceLocation = #_sourceLocation, _ f: (Tape<Double>, [Value]) -> Value) {
        let result = GradientCheck.run(inputs, tolerance: 1e-6, f)
        for m in result.mismatches.prefix(5) { Issue.record("\(m)", sourceLocation: sourceLocation) }
        #expect(result.worst < 1e-6, sourceLocation: sourceLocation)
    }

    /// Finite differences of the KL (every input, a shared row of q's log-variances, τ ≠ 1) and the NLL.
    @Test func gradientsOfTheGaussianTerms() {
        let r = { (s: UInt64) in GradientCheck.random([3, 2], seed: s) }
        check([r(1), r(2), r(3), r(4)]) { g, x in
            g.gaussianKL(meanP: x[0], logVarP: x[1], meanQ: x[2], logVarQ: x[3], temperature: 1.7)
        }
        check([r(1), r(2), r(3), GradientCheck.random([1, 2], seed: 9)]) { g, x in
            g.gaussianKL(meanP: x[0], logVarP: x[1], meanQ: x[2], logVarQ: x[3])
        }
        check([r(5), r(6), r(7)]) { g, x in g.gaussianNLL(x[0], mean: x[1], logVar: x[2]) }
    }

    /// Finite differences of the whole MV2D term in the student's bottleneck mean and log-variance
    /// and in the observation head's output when only its task loss reaches it (λ_VSD = 0).
    @Test func gradientsOfTheMV2DTerm() {
        let observation = GradientCheck.random([3, 4], seed: 11), labels = GradientCheck.random([3, 2], seed: 12)
        let teacher = GradientCheck.random([3, 2], seed: 13), teacherLog = GradientCheck.random([3, 2], seed: 14)
        var settings = DistillationSettings(mode: .mv2d, temperature: 1.5, vsd: 0.7, vcd: 1.3)
        check([GradientCheck.random([3, 2], seed: 15), GradientCheck.random([1, 2], seed: 16)]) { g, x in
            DistillationObjective.mv2d(g, observation: g.constant(observation), bottleneckMean: x[0], bottleneckLogVar: x[1],
                                       labels: g.constant(labels), teacherMean: g.constant(teacher), teacherLogVar: g.constant(teacherLog),
                                       settings: settings)
        }
        settings.vsd = 0
        check([observation]) { g, x in
            DistillationObjective.mv2d(g, observation: x[0], bottleneckMean: g.constant(labels), bottleneckLogVar: g.constant(Tensor([1, 2], [0.1, -0.2])),
                                       labels: g.constant(labels), teacherMean: g.constant(teacher), teacherLogVar: g.constant(teacherLog),
                                       settings: settings)
        }
    }

    /// Test 2: VSD sends no gradient into the detached observation branch; the task loss does.
    @Test func noGradientIntoTheDetachedObservation() {
        let labels = GradientCheck.random([3, 2], seed: 12)
        func gradient(vsd: Double, task: Bool) -> [Double] {
            let g = Tape<Double>(nil, mode: .training, seed: 1)
            let observation = g.variable(GradientCheck.random([3, 4], seed: 11))
            let mean = g.variable(GradientCheck.random([3, 2], seed: 15))
            let settings = DistillationSettings(mode: .mv2d, vsd: vsd, vcd: 1)
            var loss = DistillationObjective.mv2d(
                g, observation: observation, bottleneckMean: mean, bottleneckLogVar: g.constant(Tensor([1, 2], [0, 0])),
                labels: g.constant(labels), teacherMean: g.constant(labels), teacherLogVar: g.constant(Tensor([3, 2], [Double](repeating: 0, count: 6))),
                settings: settings)
            if !task {
                let mv = g.slice(observation, axis: 1, 0..<2), lv = g.slice(observation, axis: 1, 2..<4)
                loss = g.sub(loss, g.gaussianNLL(g.constant(labels), mean: mv, logVar: lv))
            }
            g.backward(loss)
            #expect(g.grad(mean).map { $0.data.contains { $0 != 0 } } == true)
            return g.grad(observation)?.data ?? [Double](repeating: 0, count: 12)
        }
        // The task loss subtracted again, VSD and VCD leave the observation head untouched ...
        #expect(gradient(vsd: 5, task: false).allSatisfy { abs($0) < 1e-15 })
        // ... and VSD's weight does not change the observation head's gradient.
        #expect(gradient(vsd: 5, task: true) == gradient(vsd: 0, task: true))
    }
}
