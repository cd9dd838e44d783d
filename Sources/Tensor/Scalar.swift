import CBLAS
import Foundation
import Kernels

/// Element type of a tensor: `Float` for training and inference, `Double` for gradient checks.
public protocol TensorScalar: BinaryFloatingPoint, Sendable, Codable where RawSignificand: FixedWidthInteger {
    /// The safetensors dtype name ("F32", "F64").
    static var dtype: DType { get }
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    /// Appends the little-endian bytes of `values`.
    static func appendLittleEndian(_ values: [Self], to bytes: inout [UInt8])
    /// Reads `count` values from little-endian bytes.
    static func fromLittleEndian(_ bytes: ArraySlice<UInt8>, count: Int) -> [Self]
    /// Row-major `C = alpha * op(A) * op(B) + beta * C` (BLAS gemm).
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

/// Tensor element types as safetensors names them.
public enum DType: String, Sendable, Codable {
    case f32 = "F32", f64 = "F64", i8 = "I8", i32 = "I32", i64 = "I64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f32, .i32: 4
        case .f64, .i64: 8
        case .i8: 1
        }
    }
}

@inline(__always)
private func trans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: TensorScalar {
    public static var dtype: DType { .f32 }
    @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inline(__always) public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    @inline(__always) public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
    public static func appendLittleEndian(_ values: [Float], to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }
    public static func fromLittleEndian(_ bytes: ArraySlice<UInt8>, count: Int) -> [Float] {
        let base = bytes.startIndex
        return (0..<count).map { i in
            var bits: UInt32 = 0
            for b in 0..<4 { bits |= UInt32(bytes[base + 4 * i + b]) << (8 * b) }
            return Float(bitPattern: bits)
        }
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if GEMMBackend.current == .onednn, m > 0, n > 0, k > 0,
           qor_sgemm_onednn(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) == 0 {
            return
        }
        referenceGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// OpenBLAS's sgemm: the reference the oneDNN path is tested against, and the fallback.
    static func referenceGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Double: TensorScalar {
    public static var dtype: DType { .f64 }
    @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    public static func appendLittleEndian(_ values: [Double], to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }
    public static func fromLittleEndian(_ bytes: ArraySlice<UInt8>, count: Int) -> [Double] {
        let base = bytes.startIndex
        return (0..<count).map { i in
            var bits: UInt64 = 0
            for b in 0..<8 { bits |= UInt64(bytes[base + 8 * i + b]) << (8 * b) }
            return Double(bitPattern: bits)
        }
    }
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// OpenBLAS thread count. The engine keeps OpenBLAS single-threaded by default and splits large
/// products over both cores itself (`parallelGemm`): on a loaded machine OpenBLAS's own workers
/// spin in sched_yield between calls and slowed the GIN benchmark by 1.3-2x (`qor bench tensor
/// --blas-threads 1` against 2). `OPENBLAS_NUM_THREADS` or `setThreads` overrides; with more than
/// one OpenBLAS thread the engine makes one OpenBLAS call per product.
public enum BLAS {
    private static let defaultApplied: Bool = {
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil { openblas_set_num_threads(1) }
        return true
    }()

    public static var threads: Int {
        _ = defaultApplied
        return Int(openblas_get_num_threads())
    }
    public static func setThreads(_ n: Int) {
        _ = defaultApplied
        openblas_set_num_threads(Int32(n))
    }
}
