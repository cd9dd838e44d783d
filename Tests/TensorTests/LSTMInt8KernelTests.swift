import Kernels
import Testing
@testable import Tensor

/// `qor_lstm_int8_step` (an int8 model's recurrent product): the reference equals the float step's
/// reference run on what the int8 operands stand for (h rounded to the u8 grid of step 1/127, W_h
/// dequantised), and the VNNI variant equals the reference (same int32 sums; the gate functions
/// differ as in the float step: h within 2e-6, c within 1e-5 relative).
@Suite struct LSTMInt8KernelTests {
    struct Case {
        let h: Int, rows: Int, table: [Float], shared: [Float], ids: [Int32], parents: [Int32]
        let hPrev: [Float], cPrev: [Float], weights: Int8Matrix, recurrent: Int8Recurrent
    }

    func make(hidden h: Int, rows: Int) -> Case {
        var rng = SeededGenerator(seed: UInt64(h * 131 + rows))
        func random(_ n: Int, _ scale: Float) -> [Float] { (0..<n).map { _ in Float(rng.unit() * 2 - 1) * scale } }
        let w4 = 4 * h, tableRows = 9, states = 5
        let table = random(max(tableRows, rows) * w4, 3), shared = random(w4, 1)
        // h in (-1, 1) as an LSTM's, with the extremes of the u8 grid among them.
        var hPrev = random(states * h, 1)
        hPrev[0] = 0.9999
        hPrev[states * h - 1] = -0.9999
        let cPrev = random(states * h, 4)
        let w = Int8Matrix(quantizing: Tensor([h, w4], random(h * w4, 2 / Float(h).squareRoot())))
        let ids = (0..<rows).map { _ in Int32(rng.next() % UInt64(tableRows)) }
        let parents = (0..<rows).map { _ in Int32(rng.next() % UInt64(states)) }
        return Case(h: h, rows: rows, table: table, shared: shared, ids: ids, parents: parents, hPrev: hPrev, cPrev: cPrev,
                    weights: w, recurrent: Int8Recurrent(w))
    }

    func run(_ c: Case, variant: Int8KernelVariant, withTable: Bool) -> (h: [Float], c: [Float]) {
        var ho = [Float](repeating: .nan, count: c.rows * c.h), co = ho
        let r = c.recurrent
        withOptional(withTable ? c.ids : nil) { rows in withOptional(withTable ? c.shared : nil) { s in
            qor_lstm_int8_step(variant.rawValue, Int32(c.rows), Int32(c.h), rows, c.table, s, c.parents, c.hPrev, c.cPrev,
                               r.plain, r.packed, r.compensation, r.scale, &ho, &co)
        } }
        return (ho, co)
    }

    @Test(arguments: [(5, 1), (16, 7), (20, 13), (37, 11), (64, 29), (100, 6)])
    func theReferenceIsTheFloatStepOnTheQuantisedOperands(hidden: Int, rows: Int) {
        let c = make(hidden: hidden, rows: rows)
        let onGrid = c.hPrev.map { (($0 * 127).rounded(.toNearestOrEven)) / 127 }
        let w = c.weights.dequantized().data
        for withTable in [true, false] {
            let int8 = run(c, variant: .reference, withTable: withTable)
            var h1 = [Float](repeating: 0, count: rows * hidden), c1 = h1
            withOptional(withTable ? c.ids : nil) { r in withOptional(withTable ? c.shared : nil) { s in
                qor_lstm_step_reference(Int32(rows), Int32(hidden), r, c.table, s, c.parents, onGrid, c.cPrev, w, &h1, &c1)
            } }
            // Float sums of H products against exact int32 sums scaled once: a few ulps of the gates.
            let hErr = zip(h1, int8.h).map { abs($0 - $1) }.max() ?? 1
            let cErr = zip(c1, int8.c).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 1
            #expect(hErr <= 1e-5 && cErr <= 1e-5, "hidden \(hidden), rows \(rows): h \(hErr), c \(cErr)")
            // Not the float step on the raw states: the quantisation is really there.
            var h2 = h1, c2 = c1
            withOptional(withTable ? c.ids : nil) { r in withOptional(withTable ? c.shared : nil) { s in
                qor_lstm_step_reference(Int32(rows), Int32(hidden), r, c.table, s, c.parents, c.hPrev, c.cPrev, w, &h2, &c2)
            } }
            #expect(zip(h2, int8.h).contains { abs($0 - $1) > 1e-5 })
        }
    }

    /// Without VNNI on this CPU only the reference runs: nothing to compare.
    @Test(.enabled(if: Int8KernelVariant.bestName == "avx512vnni"), arguments: [(5, 1), (16, 7), (20, 13), (37, 11), (64, 29), (100, 6)])
    func vnniEqualsTheReference(hidden: Int, rows: Int) throws {
        let c = make(hidden: hidden, rows: rows)
        for withTable in [true, false] {
            let ref = run(c, variant: .reference, withTable: withTable), fast = run(c, variant: .vnni, withTable: withTable)
            let hErr = zip(ref.h, fast.h).map { abs($0 - $1) }.max() ?? 1
            let cErr = zip(ref.c, fast.c).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 1
            #expect(hErr <= 2e-6 && cErr <= 1e-5, "hidden \(hidden), rows \(rows), table \(withTable): h \(hErr), c \(cErr)")
            #expect(ref.h.contains { $0 != 0 } && !fast.h.contains { $0.isNaN })
        }
    }
}
