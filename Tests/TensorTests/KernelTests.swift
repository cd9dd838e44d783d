import Kernels
import Testing
@testable import Tensor

/// The fast kernels (AVX-512 where the CPU has it) equal their plain C references on random inputs
/// of odd sizes. Tolerances: LSTM hidden states (in [-1, 1]) within 2e-6 absolute, cell states
/// within 1e-5 relative (of max(1, |c|)); dense outputs within 1e-5 of the sum of |terms| (their
/// natural scale: a relative bound on a cancelling sum would measure the cancellation).
@Suite struct KernelTests {
    func random(_ count: Int, _ rng: inout SeededGenerator, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in Float(rng.unit() * 2 - 1) * scale }
    }

    @Test func theIsaIsOneOfTheKnownNames() {
        #expect(["avx512", "avx2", "baseline"].contains(String(cString: qor_kernels_isa())))
    }

    @Test(arguments: [(5, 1), (16, 7), (20, 13), (37, 11), (64, 29), (100, 6)])
    func lstmStepEqualsTheReference(hidden: Int, rows: Int) {
        var rng = SeededGenerator(seed: UInt64(hidden * 31 + rows))
        let h = hidden, w4 = 4 * h, tableRows = 9, states = 5
        // Without table rows, row r reads table row r: the table has a row per row too.
        let table = random(max(tableRows, rows) * w4, &rng, scale: 3), shared = random(w4, &rng)
        let hPrev = random(states * h, &rng), cPrev = random(states * h, &rng, scale: 4)
        let w = random(h * w4, &rng, scale: 2 / Float(h).squareRoot())
        let ids = (0..<rows).map { _ in Int32(rng.next() % UInt64(tableRows)) }
        let parents = (0..<rows).map { _ in Int32(rng.next() % UInt64(states)) }
        var packed = [Float](repeating: .nan, count: qor_lstm_packed_count(Int32(h)))
        qor_lstm_pack(Int32(h), w, &packed)
        for withTable in [true, false] {
            var h1 = [Float](repeating: 0, count: rows * h), c1 = h1, h2 = h1, c2 = h1
            let rowsArg: [Int32]? = withTable ? ids : nil
            withOptional(rowsArg) { r in withOptional(withTable ? shared : nil) { s in
                qor_lstm_step_reference(Int32(rows), Int32(h), r, table, s, parents, hPrev, cPrev, w, &h1, &c1)
                qor_lstm_step(Int32(rows), Int32(h), r, table, s, parents, hPrev, cPrev, packed, &h2, &c2)
            } }
            let hErr = zip(h1, h2).map { abs($0 - $1) }.max() ?? 0
            let cErr = zip(c1, c2).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            #expect(hErr <= 2e-6, "hidden \(h), rows \(rows), table \(withTable): h differs by \(hErr)")
            #expect(cErr <= 1e-5, "hidden \(h), rows \(rows), table \(withTable): c differs by \(cErr)")
            #expect(h1.contains { $0 != 0 })
        }
    }

    @Test(arguments: [(1, 3, 2), (7, 107, 128), (13, 64, 2), (6, 20, 65), (11, 33, 256)])
    func denseEqualsTheReference(rows: Int, input: Int, output: Int) {
        var rng = SeededGenerator(seed: UInt64(rows * 1000 + input * 10 + output))
        let x = random(rows * input, &rng), w = random(input * output, &rng), bias = random(output, &rng)
        var packed = [Float](repeating: .nan, count: qor_dense_packed_count(Int32(input), Int32(output)))
        qor_dense_pack(Int32(input), Int32(output), w, &packed)
        for relu: Int32 in [0, 1] {
            var y1 = [Float](repeating: 0, count: rows * output), y2 = y1
            qor_dense_reference(Int32(rows), Int32(input), Int32(output), x, Int32(input), w, bias, relu, &y1, Int32(output))
            qor_dense(Int32(rows), Int32(input), Int32(output), x, Int32(input), packed, bias, relu, &y2, Int32(output))
            for r in 0..<rows {
                for j in 0..<output {
                    let scale = abs(bias[j]) + (0..<input).map { abs(x[r * input + $0] * w[$0 * output + j]) }.reduce(0, +)
                    #expect(abs(y1[r * output + j] - y2[r * output + j]) <= 1e-5 * scale, "row \(r), column \(j)")
                }
            }
            if relu == 1 { #expect(y2.allSatisfy { $0 >= 0 }) }
        }
    }
}

func withOptional<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
