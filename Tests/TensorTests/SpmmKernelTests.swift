import Kernels
import Testing
@testable import Tensor

/// `qor_spmm_rows` (the message passing's sparse products): the reference equals a plain loop over
/// the entries in order, bit for bit, and every variant this CPU runs equals the reference, with
/// empty rows, a diagonal, accumulation, and widths with and without a 16-lane tail.
@Suite struct SpmmKernelTests {
    @Test(arguments: [1, 5, 16, 32, 33, 64])
    func variantsEqualAPlainLoop(_ width: Int) {
        var rng = SeededGenerator(seed: UInt64(width) + 77)
        let rows = 9
        var pointers: [Int32] = [0], columns: [Int32] = [], values: [Float] = []
        for i in 0..<rows {
            let count = i % 4 == 1 ? 0 : 1 + Int(rng.unit() * 4)
            for _ in 0..<count { columns.append(Int32(rng.unit() * Double(rows)) % Int32(rows)); values.append(Float(rng.unit() * 2 - 1)) }
            pointers.append(Int32(columns.count))
        }
        let x = (0..<(rows * width)).map { _ in Float(rng.unit() * 2 - 1) }
        let y0 = (0..<(rows * width)).map { _ in Float(rng.unit() * 2 - 1) }
        for accumulate in [false, true] {
            for diagonal: Float? in [nil, 0.5] {
                var plain = y0
                for i in 0..<rows {
                    for j in 0..<width {
                        var v: Float = accumulate ? plain[i * width + j] : 0
                        var first = !accumulate
                        if let d = diagonal { v = first ? d * x[i * width + j] : v + d * x[i * width + j]; first = false }
                        for e in Int(pointers[i])..<Int(pointers[i + 1]) {
                            let p = values[e] * x[Int(columns[e]) * width + j]
                            v = first ? p : v + p
                            first = false
                        }
                        plain[i * width + j] = v
                    }
                }
                for variant in [QOR_SPMM_REFERENCE, QOR_SPMM_AUTO, QOR_SPMM_AVX512] where qor_spmm_available(Int32(variant)) != 0 {
                    var y = y0
                    qor_spmm_rows(Int32(variant), pointers, columns, values, 0, rows, x, width, &y, accumulate ? 1 : 0, diagonal == nil ? 0 : 1, diagonal ?? 0)
                    #expect(y == plain, "variant \(variant), width \(width), accumulate \(accumulate), diagonal \(String(describing: diagonal))")
                }
            }
        }
    }
}
