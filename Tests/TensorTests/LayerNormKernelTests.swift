import Kernels
import Testing
@testable import Tensor

/// The layer-norm C kernels (Float training path): the reference variant gives the generic Swift
/// body's numbers (the Double path's code, run on Float) to rounding, and every variant this CPU
/// runs gives the reference's, on widths with and without a 16-lane tail.
@Suite struct LayerNormKernelTests {
    func random(_ count: Int, _ rng: inout SeededGenerator, scale: Float = 1) -> [Float] { (0..<count).map { _ in scale * Float(rng.unit() * 2 - 1) } }

    func close(_ a: [Float], _ b: [Float], _ what: String) {
        let scale = max(1, b.map(abs).max() ?? 0)
        for (x, y) in zip(a, b) { #expect(abs(x - y) <= 2e-5 * scale, "\(what): \(x) vs \(y)") }
    }

    @Test(arguments: [(1, 1), (3, 7), (5, 16), (4, 32), (6, 33), (2, 64), (3, 100)])
    func variantsAgree(_ shape: (Int, Int)) {
        let (rows, cols) = shape
        var rng = SeededGenerator(seed: UInt64(rows * 131 + cols))
        let x = random(rows * cols, &rng, scale: 3), w = random(cols, &rng), b = random(cols, &rng), gy = random(rows * cols, &rng)
        let gx0 = random(rows * cols, &rng), gw0 = random(cols, &rng), gb0 = random(cols, &rng)
        // The generic Swift body.
        var y = [Float](repeating: 0, count: rows * cols), mean = [Float](repeating: 0, count: rows), rstd = mean
        var gx = gx0, gw = gw0, gb = gb0
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in gy.withUnsafeBufferPointer { gp in
            y.withUnsafeMutableBufferPointer { yp in mean.withUnsafeMutableBufferPointer { mp in rstd.withUnsafeMutableBufferPointer { rp in
                layerNormForwardBody(xp, wp, bp, rows: rows, cols: cols, eps: 1e-5, yp, mp, rp)
            } } }
            mean.withUnsafeBufferPointer { mp in rstd.withUnsafeBufferPointer { rp in
                gx.withUnsafeMutableBufferPointer { layerNormBackwardInputBody(xp, wp, gp, rows: rows, cols: cols, mp, rp, $0) }
                gw.withUnsafeMutableBufferPointer { layerNormWeightGradient(xp, gp, mp, rp, rows: rows, cols: cols, $0) }
                gb.withUnsafeMutableBufferPointer { columnSums(gp, rows: rows, cols: cols, $0) }
            } }
        } } } }
        for variant in [QOR_LN_REFERENCE, QOR_LN_AUTO, QOR_LN_AVX512] where qor_layer_norm_available(Int32(variant)) != 0 {
            var cy = [Float](repeating: 0, count: rows * cols), cm = [Float](repeating: 0, count: rows), cr = cm
            var cgx = gx0, cgw = gw0, cgb = gb0
            qor_layer_norm_forward(Int32(variant), x, w, b, rows, cols, 1e-5, &cy, &cm, &cr)
            qor_layer_norm_backward_input(Int32(variant), x, w, gy, rows, cols, cm, cr, &cgx)
            qor_layer_norm_backward_params(Int32(variant), x, gy, rows, cols, cm, cr, &cgw, &cgb)
            let what = "variant \(variant), \(rows)x\(cols)"
            close(cy, y, what + " y")
            close(cm, mean, what + " mean")
            close(cr, rstd, what + " rstd")
            close(cgx, gx, what + " gx")
            close(cgw, gw, what + " gw")
            close(cgb, gb, what + " gb")
        }
    }
}
