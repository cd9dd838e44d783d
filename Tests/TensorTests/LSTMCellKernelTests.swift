import Kernels
import Testing
@testable import Tensor

/// `qor_lstm_cell` (the fused training LSTM's cell): every variant this CPU runs equals the libm
/// reference on odd batch and hidden sizes and pre-activations up to ±12 (saturated gates) —
/// activations, tanh of the cell and hidden states within 2e-6 absolute (they lie in [-1, 1]),
/// cell states within 1e-5 of max(1, |c|) — and the reference equals the tape's Swift cell (`lstmCell`).
@Suite struct LSTMCellKernelTests {
    @Test func variantsEqualTheReference() {
        var rng = SeededGenerator(seed: 41)
        for (b, h) in [(1, 1), (3, 7), (5, 16), (2, 17), (4, 64), (3, 33)] {
            let pre = (0..<(b * 4 * h)).map { _ in Float(rng.unit() * 24 - 12) }
            let cPrev = (0..<(b * h)).map { _ in Float(rng.unit() * 6 - 3) }
            func run(_ variant: Int32) -> (g: [Float], c: [Float], t: [Float], h: [Float]) {
                var g = pre, c = [Float](repeating: 0, count: b * h), t = c, hn = c
                qor_lstm_cell(variant, Int32(b), Int32(h), &g, cPrev, &c, &t, &hn)
                return (g, c, t, hn)
            }
            let reference = run(Int32(QOR_CELL_REFERENCE))
            // The Swift cell of the tape (the Float64 and fallback path) computes the same as the reference.
            var g = pre, c = [Float](repeating: 0, count: b * h), t = c, hn = c
            g.withUnsafeMutableBufferPointer { gp in cPrev.withUnsafeBufferPointer { cp in c.withUnsafeMutableBufferPointer { cn in
                t.withUnsafeMutableBufferPointer { tp in hn.withUnsafeMutableBufferPointer { hp in
                    lstmCell(b: b, h: h, gp.baseAddress!, cp.baseAddress!, cn.baseAddress!, tp.baseAddress!, hp.baseAddress!)
                } }
            } } }
            #expect(g == reference.g && c == reference.c && t == reference.t && hn == reference.h, "b \(b), h \(h)")
            for variant in [QOR_CELL_AUTO, QOR_CELL_AVX512] where qor_lstm_cell_available(Int32(variant)) != 0 {
                let v = run(Int32(variant))
                func worst(_ a: [Float], _ r: [Float], relative: Bool) -> Float {
                    zip(a, r).map { abs($0 - $1) / (relative ? max(1, abs($1)) : 1) }.max() ?? 0
                }
                #expect(worst(v.g, reference.g, relative: false) <= 2e-6, "gates, variant \(variant), b \(b), h \(h)")
                #expect(worst(v.t, reference.t, relative: false) <= 2e-6 && worst(v.h, reference.h, relative: false) <= 2e-6)
                #expect(worst(v.c, reference.c, relative: true) <= 1e-5, "cells, variant \(variant)")
            }
        }
    }

    /// The backward's element-wise part: every variant equals the reference to 1e-6 of max(1, |x|)
    /// (the same products in the same order), with rows kept and rows past their length.
    @Test func backwardVariantsEqualTheReference() {
        var rng = SeededGenerator(seed: 42)
        func random(_ n: Int, _ lo: Double, _ hi: Double) -> [Float] { (0..<n).map { _ in Float(lo + rng.unit() * (hi - lo)) } }
        for (b, h) in [(1, 1), (3, 7), (5, 16), (2, 17), (4, 64)] {
            let gates = random(b * 4 * h, 0.01, 0.99), cPrev = random(b * h, -3, 3), tanhC = random(b * h, -0.99, 0.99)
            let stride = 3 * h, dOut = random(b * stride, -1, 1), keep = (0..<b).map { Float($0 % 3 == 1 ? 0 : 1) }
            let dh0 = random(b * h, -1, 1), dc0 = random(b * h, -1, 1)
            func run(_ variant: Int32) -> [Float] {
                var dh = dh0, dc = dc0, dg = [Float](repeating: 0, count: b * 4 * h)
                qor_lstm_cell_backward(variant, Int32(b), Int32(h), gates, cPrev, tanhC, dOut, stride, keep, &dh, &dc, &dg)
                return dh + dc + dg
            }
            let reference = run(Int32(QOR_CELL_REFERENCE))
            for variant in [QOR_CELL_AUTO, QOR_CELL_AVX512] where qor_lstm_cell_available(Int32(variant)) != 0 {
                let v = run(Int32(variant))
                #expect(zip(v, reference).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "variant \(variant), b \(b), h \(h)")
            }
        }
    }
}
