import Kernels
import Testing
@testable import Tensor

/// `qor_add_blocks` (the gradient adds of concat, slice and reshape): every variant this CPU runs
/// gives the reference's bits on odd widths and strides, leaves the gaps between blocks alone, and
/// the tape's `copyBlocks` (which calls it for Float) equals the plain Swift loop.
@Suite struct BlockKernelTests {
    func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] { (0..<count).map { _ in Float(rng.unit() * 2 - 1) } }

    @Test func variantsEqualTheReference() {
        var rng = SeededGenerator(seed: 31)
        for (outer, width, extra) in [(1, 1, 0), (3, 15, 2), (5, 16, 0), (7, 17, 3), (4, 33, 1), (2, 160, 7), (9, 5, 11)] {
            let srcRow = width + extra, dstRow = width + 2 * extra
            let src = random(outer * srcRow, &rng), dst = random(outer * dstRow, &rng)
            var reference = dst
            qor_add_blocks(Int32(QOR_BLOCKS_REFERENCE), outer, width, src, srcRow, &reference, dstRow)
            for o in 0..<outer {
                for j in 0..<dstRow { #expect(reference[o * dstRow + j] == (j < width ? dst[o * dstRow + j] + src[o * srcRow + j] : dst[o * dstRow + j])) }
            }
            for variant in [QOR_BLOCKS_AUTO, QOR_BLOCKS_AVX512] where qor_add_blocks_available(Int32(variant)) != 0 {
                var out = dst
                qor_add_blocks(Int32(variant), outer, width, src, srcRow, &out, dstRow)
                #expect(out == reference, "variant \(variant), outer \(outer), width \(width)")
            }
        }
    }

    @Test func copyBlocksAddsAsThePlainLoop() {
        var rng = SeededGenerator(seed: 32)
        let src = random(6 * 40, &rng), dst = random(6 * 50, &rng)
        var fast = dst, plain = dst
        src.withUnsafeBufferPointer { s in
            fast.withUnsafeMutableBufferPointer { copyBlocks(s, srcRow: 40, srcOffset: 3, $0, dstRow: 50, dstOffset: 7, outer: 6, width: 37, accumulate: true) }
        }
        for o in 0..<6 { for j in 0..<37 { plain[o * 50 + 7 + j] += src[o * 40 + 3 + j] } }
        #expect(fast == plain)
    }
}
