import Foundation
import Testing
@testable import Tensor

/// The Degree-Quant fixtures of COMPRESSION.md §1.3 (tests 1–9).
@Suite struct DegreeQuantTests {
    /// Test 1: in-degrees [0, 2, 2, 3] with (p_low, p_high) = (0, 0.1) give [0.025, 0.075, 0.075, 0.1].
    @Test func protectionProbabilityIsTheRescaledDegreeCDF() {
        let p = DegreeMask.probabilities(inDegrees: [0, 2, 2, 3], low: 0, high: 0.1)
        let expected = [0.025, 0.075, 0.075, 0.1]
        #expect(zip(p, expected).allSatisfy { abs($0 - $1) < 1e-15 }, "\(p)")
        #expect(p[3] == 0.1 && p[1] == p[2])
    }

    /// Test 2: monotone non-decreasing in the degree, on a random degree list.
    @Test func protectionProbabilityGrowsWithTheDegree() {
        var rng = SeededGenerator(seed: 3)
        let degrees = (0..<300).map { _ in Int(rng.unit() * rng.unit() * 40) }
        let p = DegreeMask.probabilities(inDegrees: degrees, low: 0.1, high: 0.2)
        let byDegree = zip(degrees, p).sorted { $0.0 < $1.0 }
        for (a, b) in zip(byDegree, byDegree.dropFirst()) { #expect(a.1 <= b.1) }
        #expect(p.max() == 0.2 && (p.min() ?? 0) > 0.1)
    }

    /// Test 9 (mask part): the node of maximal in-degree (a supernode joined to all others) is
    /// protected at the rate p_high over many draws; a degree-1 leaf at its own rate.
    @Test func theSupernodeIsProtectedAtRatePHigh() {
        let n = 50
        let degrees = [n - 1] + [Int](repeating: 1, count: n - 1)
        let p = DegreeMask.probabilities(inDegrees: degrees, low: 0, high: 0.1)
        var rng = SeededGenerator(seed: 11)
        var hub = 0, leaf = 0
        let draws = 20_000
        for _ in 0..<draws {
            let m = DegreeMask.draw(p, rng: &rng)
            if m[0] { hub += 1 }
            if m[1] { leaf += 1 }
        }
        // Binomial standard deviation at 20k draws of p = 0.1: 0.0021; 4 sigma.
        #expect(abs(Double(hub) / Double(draws) - 0.1) < 0.0085, "\(hub)")
        #expect(abs(Double(leaf) / Double(draws) - p[1]) < 0.0085, "\(leaf)")
    }

    /// Quantiser parameters by hand: range [-1, 3], 8 bits signed, asymmetric: scale 4/255,
    /// zero = -128 - round(-1 / (4/255)) = -128 + 64 = -64; symmetric: scale 6/255, zero 0.
    @Test func quantiserParametersByHand() {
        let a = QuantParams(min: -1, max: 3)
        #expect(abs(a.scale - 4.0 / 255) < 1e-15 && a.zero == -64 && a.qmin == -128 && a.qmax == 127)
        let s = QuantParams(min: -1, max: 3, scheme: .symmetric)
        #expect(abs(s.scale - 6.0 / 255) < 1e-15 && s.zero == 0)
        let u = QuantParams(min: 0.5, max: 2, bits: 4, signed: false)  // min widened to 0
        #expect(u.qmin == 0 && u.qmax == 15 && abs(u.scale - 2.0 / 15) < 1e-15 && u.zero == 0)
        let flat = QuantParams(min: 0, max: 0)
        #expect(flat.scale == 1 && flat.zero == 0)
    }

    /// Tests 4, 5, 6: at most 2^b distinct values, 0 exact, error at most scale/2 inside the range.
    @Test(arguments: [4, 8])
    func fakeQuantisedValues(bits: Int) {
        var rng = SeededGenerator(seed: UInt64(bits))
        let xs = (0..<5000).map { _ in rng.unit() * 7 - 2.5 }
        let p = QuantParams(min: -2, max: 4, bits: bits)
        let q = xs.map(p.quantize)
        #expect(Set(q).count <= 1 << bits)
        #expect(p.quantize(0) == 0)
        for (x, y) in zip(xs, q) where x >= -2 && x <= 4 { #expect(abs(x - y) <= p.scale / 2 + 1e-12, "\(x) -> \(y)") }
    }

    /// Test 7 and the STE: on the tape, GC zeroes the gradient exactly on saturated elements; STE
    /// passes it everywhere; protected rows are full precision and pass it.
    @Test func straightThroughAndClippedGradients() {
        let p = QuantParams(min: -1, max: 1)
        let x = Tensor<Double>([2, 4], [-3, -0.5, 0.2, 0.99, 1.5, -1.0, 0.7, 5])
        for mode in [QuantGradient.clipped, .straightThrough] {
            let g = Tape<Double>(nil, mode: .training)
            let v = g.variable(x)
            let y = g.fakeQuantize(v, p, gradient: mode)
            g.backward(g.sum(g.mul(y, g.constant(Tensor([2, 4], [1, 2, 3, 4, 5, 6, 7, 8])))))
            let grad = g.grad(v)?.data ?? []
            let expected: [Double] = mode == .straightThrough ? [1, 2, 3, 4, 5, 6, 7, 8]
                : x.data.enumerated().map { p.saturates($0.element) ? 0 : Double($0.offset + 1) }
            #expect(grad == expected, "\(mode): \(grad)")
            if mode == .clipped { #expect(expected[0] == 0 && expected[4] == 0 && expected[7] == 0 && expected[1] != 0) }
        }
        let g = Tape<Double>(nil, mode: .training)
        let v = g.variable(x)
        let y = g.fakeQuantize(v, p, gradient: .clipped, protect: [true, false])
        #expect(Array(g.value(y).data.prefix(4)) == Array(x.data.prefix(4)))
        #expect(g.value(y).data[4] != x.data[4])
        g.backward(g.sum(y))
        #expect(g.grad(v)?.data == [1, 1, 1, 1, 0, 0, 1, 0])
    }

    /// The STE gradient is the finite-difference gradient of the identity between quantisation
    /// steps: away from rounding boundaries the forward is locally constant, so the only gradient
    /// check that holds is of the unquantised path, which protected rows are.
    @Test func protectedRowsPassTheFiniteDifferenceCheck() {
        let x = GradientCheck.random(Shape([3, 4]), seed: 8)
        let r = GradientCheck.run([x]) { g, v in g.fakeQuantize(g.mul(v[0], v[0]), QuantParams(min: -1, max: 1), protect: [true, true, true]) }
        #expect(r.mismatches.isEmpty, "\(r.mismatches)")
    }

    /// Test 8: after the first batch, one EMA update moves min by 0.01·(cur − min).
    @Test func emaRangeUpdate() {
        var t = RangeTracker(momentum: 0.01, percentile: nil)
        t.update([Float(-2), 0, 3])
        #expect(t.min == -2 && t.max == 3)
        t.update([Float(-1), 0, 5])
        #expect(abs(t.min - (-2 + 0.01 * (-1 - -2))) < 1e-15 && abs(t.max - (3 + 0.01 * (5 - 3))) < 1e-15)
        var running = RangeTracker(momentum: nil, percentile: nil)
        running.update([Float(-1), 1])
        running.update([Float(-0.5), 2])
        #expect(running.min == -1 && running.max == 2)
    }

    /// Percentile ranges: the ⌊p·n⌋-th and ⌊(1−p)·n⌋-th smallest of 1...2000 at p = 0.001 are 2 and 1998.
    @Test func percentileRange() {
        var rng = SeededGenerator(seed: 1)
        let values = (1...2000).map { Double($0) }.shuffled(using: &rng)
        let r = RangeTracker(momentum: 0.01, percentile: 0.001).batchRange(values)
        #expect(r.min == 2 && r.max == 1998)
        let int4 = RangeTracker(momentum: 0.01, percentile: 0.01).batchRange(values)
        #expect(int4.min == 20 && int4.max == 1980)
    }
}
