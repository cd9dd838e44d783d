import CBLAS
import Foundation
import Kernels

/// A 2:4-sparse weight `[K, N]` (Linear layout; groups of 4 along K) in compressed form: the kept
/// values and a 2-bit index each (`Kernels/nm.c`), multiplied by a kernel that skips the zeros.
public struct NM24Matrix: Sendable {
    public let k: Int, n: Int
    let values: [Float]
    let meta: [UInt32]

    /// Compresses a weight that already has the 2:4 pattern (e.g. times `NMWeights.mask`).
    public init(_ w: Tensor<Float>) throws(NMShapeError) {
        guard w.shape.rank == 2 else { throw NMShapeError(description: "2:4 compression needs a 2-D weight, found \(w.shape)") }
        let k = w.shape[0], n = w.shape[1]
        guard k % 4 == 0, k > 0, n > 0 else { throw NMShapeError(description: "2:4 compression needs K a multiple of 4, found \(w.shape)") }
        var values = [Float](repeating: 0, count: qor_nm24_values_count(Int32(k), Int32(n)))
        var meta = [UInt32](repeating: 0, count: qor_nm24_meta_count(Int32(k), Int32(n)))
        let status = w.data.withUnsafeBufferPointer { wp in
            values.withUnsafeMutableBufferPointer { vp in meta.withUnsafeMutableBufferPointer { mp in
                qor_nm24_compress(wp.baseAddress, Int32(k), Int32(n), vp.baseAddress, mp.baseAddress)
            } }
        }
        guard status == 0 else { throw NMShapeError(description: "weight \(w.shape) has a group of 4 with more than 2 nonzeros") }
        self.k = k
        self.n = n
        self.values = values
        self.meta = meta
    }

    /// Which kernel `multiply` runs on this CPU ("avx512" or "reference").
    public static var variant: String { String(cString: qor_nm24_variant()) }

    /// `x W` for `x` `[M, K]`: `[M, N]`, by the fastest kernel (`reference`: the plain C loop).
    public func multiply(_ x: Tensor<Float>, reference: Bool = false) -> Tensor<Float> {
        precondition(x.shape.rank == 2 && x.shape[1] == k, "NM24Matrix.multiply: x \(x.shape) for K \(k)")
        let m = x.shape[0]
        var y = [Float](repeating: 0, count: m * n)
        multiply(x.data, rows: m, into: &y, reference: reference)
        return Tensor([m, n], y)
    }

    func multiply(_ x: [Float], rows m: Int, into y: inout [Float], reference: Bool) {
        x.withUnsafeBufferPointer { xp in values.withUnsafeBufferPointer { vp in meta.withUnsafeBufferPointer { mp in
            y.withUnsafeMutableBufferPointer { yp in
                if reference {
                    qor_nm24_matmul_reference(xp.baseAddress, Int32(m), Int32(k), Int32(n), vp.baseAddress, mp.baseAddress, yp.baseAddress)
                } else {
                    qor_nm24_matmul(xp.baseAddress, Int32(m), Int32(k), Int32(n), vp.baseAddress, mp.baseAddress, yp.baseAddress)
                }
            }
        } } }
    }
}

/// `qor bench nm`: the 2:4 kernel against dense GEMM at one size, one thread each, rounds
/// interleaved; median wall and CPU milliseconds per product.
public enum NMBenchmark {
    public struct Row: Codable, Sendable {
        public let layer: String
        public let m: Int, k: Int, n: Int
        public let sparseVariant: String
        /// Median ms per product (wall; CPU beside it).
        public let sgemmMs: Double, denseLoopMs: Double, sparseReferenceMs: Double, sparseMs: Double
        public let sgemmCpuMs: Double, sparseCpuMs: Double
        /// sgemm time over the sparse kernel's time (> 1: the sparse kernel is faster).
        public let speedupOverSgemm: Double
        public let speedupOverDenseLoop: Double
        /// Largest |sparse − sgemm| over the output (same masked matrix).
        public let maxDifference: Double
    }

    public static func run(layer: String, m: Int, k: Int, n: Int, rounds: Int = 15) throws(NMShapeError) -> Row {
        openblas_set_num_threads(1)  // one thread each side
        var rng = SeededGenerator(seed: 7)
        let x = Tensor<Float>.uniform([m, k], bound: 1, rng: &rng)
        let dense = Tensor<Float>.uniform([k, n], bound: 1, rng: &rng)
        let mask = try NMWeights.mask(dense, .twoFour)
        let w = Tensor([k, n], zip(dense.data, mask.data).map { $0 * $1 })
        let sparse = try NM24Matrix(w)
        var ySgemm = [Float](repeating: 0, count: m * n), yLoop = ySgemm, yRef = ySgemm, ySparse = ySgemm
        let sgemm = {
            x.data.withUnsafeBufferPointer { ap in w.data.withUnsafeBufferPointer { bp in ySgemm.withUnsafeMutableBufferPointer { cp in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                            ap.baseAddress, Int32(k), bp.baseAddress, Int32(n), 0, cp.baseAddress, Int32(n))
            } } }
        }
        let loop = {
            x.data.withUnsafeBufferPointer { xp in w.data.withUnsafeBufferPointer { wp in yLoop.withUnsafeMutableBufferPointer { yp in
                qor_dense_matmul_reference(xp.baseAddress, Int32(m), Int32(k), Int32(n), wp.baseAddress, yp.baseAddress)
            } } }
        }
        let ref = { sparse.multiply(x.data, rows: m, into: &yRef, reference: true) }
        let fast = { sparse.multiply(x.data, rows: m, into: &ySparse, reference: false) }
        let bodies: [() -> Void] = [sgemm, loop, ref, fast]
        var wall = [[Double]](repeating: [], count: 4), cpu = wall
        for b in bodies { b() }  // warm-up
        for _ in 0..<rounds {
            for (i, b) in bodies.enumerated() {
                let c0 = clock(), t0 = DispatchTime.now().uptimeNanoseconds
                b()
                wall[i].append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                cpu[i].append(Double(clock() - c0) * 1000 / Double(CLOCKS_PER_SEC))
            }
        }
        func median(_ a: [Double]) -> Double { let s = a.sorted(); return s[s.count / 2] }
        let diff = zip(ySgemm, ySparse).map { Double(abs($0 - $1)) }.max() ?? 0
        let ms = wall.map(median), cms = cpu.map(median)
        return Row(layer: layer, m: m, k: k, n: n, sparseVariant: NM24Matrix.variant, sgemmMs: ms[0], denseLoopMs: ms[1],
                   sparseReferenceMs: ms[2], sparseMs: ms[3], sgemmCpuMs: cms[0], sparseCpuMs: cms[3],
                   speedupOverSgemm: ms[0] / ms[3], speedupOverDenseLoop: ms[1] / ms[3], maxDifference: diff)
    }
}
