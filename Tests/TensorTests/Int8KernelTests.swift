import Kernels
import Foundation
import Testing
@testable import Tensor

/// The int8 kernels against their oracles: the plain triple loop (exact int32 sums) and a float64
/// evaluation of the quantised linear layer.
@Suite struct Int8KernelTests {
    struct Conf: Codable { var k = "v" }

    func randomBytes(_ n: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        // Extremes included: 0 and 255 appear often.
        return (0..<n).map { _ in
            let u = rng.unit()
            return u < 0.1 ? 255 : u < 0.2 ? 0 : UInt8(min(255, Int(rng.unit() * 256)))
        }
    }

    func randomWeights(_ n: Int, seed: UInt64) -> [Int8] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in
            let u = rng.unit()
            return u < 0.1 ? -128 : u < 0.2 ? 127 : Int8(max(-128, min(127, Int(rng.unit() * 256) - 128)))
        }
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 2), (5, 107, 17), (7, 130, 33), (9, 64, 64), (4, 214, 128), (13, 3, 70), (8, 129, 2)])
    func everyVariantEqualsThePlainLoopExactly(m: Int, k: Int, n: Int) {
        let x = randomBytes(m * k, seed: UInt64(m * 1000 + k)), w = randomWeights(k * n, seed: UInt64(k * 1000 + n))
        let oracle = Int8Gemm.plainProduct(x, w, m: m, k: k, n: n)
        for variant in Int8KernelVariant.allCases {
            #expect(Int8Gemm.packedProduct(x, w, m: m, k: k, n: n, variant: variant) == oracle, "\(variant) m \(m) k \(k) n \(n)")
        }
        // oneDNN's u8·s8 product (which the quantised layer takes from 64 rows on) on the plain weights.
        // Without VNNI it is refused (its 16-bit pair sums saturate) and the packed kernels run.
        var onednn = [Int32](repeating: 0, count: m * n)
        let status = qor_int8_gemm_onednn(Int32(m), Int32(n), Int32(k), x, Int32(k), w, &onednn, Int32(n))
        if Int8KernelVariant.bestName == "avx512vnni" {
            #expect(status == 0)
            #expect(onednn == oracle, "oneDNN m \(m) k \(k) n \(n)")
        } else {
            #expect(status == -1)
        }
        // The sums are real: all-255 inputs times all -128 weights give -32640 k.
        let extreme = Int8Gemm.packedProduct([UInt8](repeating: 255, count: m * k), [Int8](repeating: -128, count: k * n), m: m, k: k, n: n,
                                             variant: .auto)
        #expect(extreme.allSatisfy { $0 == Int32(-32640 * k) })
    }

    /// 6 rows run on the packed kernels in every variant; from 64 rows `auto` takes oneDNN's product.
    @Test(arguments: [6, 100])
    func theQuantisedLinearLayerMatchesItsFloat64FormulaAndIsTheSameInEveryVariant(m: Int) {
        let k = 37, n = 19
        var rng = SeededGenerator(seed: 5)
        let w = Tensor<Float>([k, n], (0..<(k * n)).map { _ in Float(rng.unit() * 2 - 1) })
        let q = Int8Matrix(quantizing: w)
        let bias = (0..<n).map { Float($0) * 0.1 - 0.5 }
        let layer = PackedInt8Linear(q, bias: bias)
        let x = (0..<(m * k)).map { _ in Float(rng.unit() * 3 - 1) }
        let range = ActivationRange(lo: -1, hi: 1.5)  // some inputs saturate at 1.5
        var outputs: [[Float]] = []
        for variant in Int8KernelVariant.allCases {
            var y = [Float](repeating: 0.25, count: m * n)
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
                layer.apply(xp, rows: m, range: range, accumulate: true, relu: true, into: yp, workspace: Int8Workspace(), variant: variant)
            } }
            outputs.append(y)
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] }, "variants differ")
        let dq = q.dequantized()
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var s = Double(bias[j]) + 0.25
                for p in 0..<k { s += Double(range.fakeQuantized(x[i * k + p])) * Double(dq[p, j]) }
                s = max(0, s)
                worst = max(worst, abs(s - Double(outputs[0][i * n + j])))
            }
        }
        #expect(worst < 1e-5, "worst \(worst)")
    }

    @Test func activationRangesKeepZeroExact() {
        let r = ActivationRange(lo: -0.37, hi: 2.9)
        #expect(r.fakeQuantized(0) == 0)
        #expect(abs(r.fakeQuantized(1.234) - 1.234) <= r.scale / 2 + 1e-7)
        #expect(r.fakeQuantized(10) == Float(255 - r.zero) * r.scale)
        let positive = ActivationRange(lo: 0.5, hi: 4)  // widened to include 0
        #expect(positive.lo == 0 && positive.zero == 0)
    }

    @Test func anInt8OnlyParameterIsStoredAsInt8AndLoadsBack() throws {
        let store = ParameterStore<Float>(seed: 1)
        let a = store.add("a", .uniform([40, 24], bound: 1, rng: &store.rng))
        let b = store.add("b", .uniform([24], bound: 1, rng: &store.rng))
        let c = store.add("c", .uniform([8, 8], bound: 1, rng: &store.rng))
        store.quantize(a)
        store[a] = store.weight(a)
        store.quantize(c)  // quantised, but the float value differs: both are stored
        #expect(store.isInt8Only(a) && !store.isInt8Only(c))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("int8-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/m.safetensors"
        try Checkpoint.save(store, config: Conf(), to: path)
        let tensors = try Safetensors.decode(try Checkpoint.weightBytes(at: path), path: path).tensors
        #expect(tensors["a"] == nil && tensors["a.int8"]?.dtype == .i8 && tensors["c"] != nil)
        let fresh = ParameterStore<Float>(seed: 9)
        _ = fresh.add("a", Tensor(zeros: [40, 24]))
        _ = fresh.add("b", Tensor(zeros: [24]))
        _ = fresh.add("c", Tensor(zeros: [8, 8]))
        try Checkpoint.load(into: fresh, from: path)
        #expect(fresh[a] == store[a] && fresh[b] == store[b] && fresh[c] == store[c])
        #expect(fresh.quantized(a) == store.quantized(a) && fresh.isInt8Only(a))
    }
}
