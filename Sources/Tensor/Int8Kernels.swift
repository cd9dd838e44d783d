import Kernels

/// Which int8 kernel runs: the best the CPU has (`auto`), or one variant (tests compare each with
/// the reference; a variant the CPU lacks runs the reference).
public enum Int8KernelVariant: Int32, Sendable, CaseIterable {
    case auto = 0, reference = 1, avx2 = 2, vnni = 3

    /// The variant `auto` resolves to on this CPU, by name ("avx512vnni", "avx2", "reference").
    public static var bestName: String { String(cString: qor_int8_variant_name(0)) }
}

/// An activation range calibrated on data, as the u8 quantisation of the int8 kernels uses it:
/// asymmetric, with 0 exactly representable (`lo <= 0 <= hi`), `x ≈ (q - zero) * scale`.
public struct ActivationRange: Sendable, Codable, Equatable {
    public let lo: Float, hi: Float

    public init(lo: Float, hi: Float) {
        self.lo = Swift.min(0, lo.isFinite ? lo : 0)
        self.hi = Swift.max(0, hi.isFinite ? hi : 0)
    }

    public var scale: Float { hi > lo ? (hi - lo) / 255 : 1 }
    public var zero: Int32 { Int32(Swift.max(0, Swift.min(255, (-lo / scale).rounded(.toNearestOrEven)))) }

    /// The float `x` stands for after quantisation to u8 (what the kernels compute with).
    public func fakeQuantized(_ x: Float) -> Float {
        let q = Swift.max(0, Swift.min(255, (Swift.max(-512, Swift.min(512, x * (1 / scale)))).rounded(.toNearestOrEven) + Float(zero)))
        return (q - Float(zero)) * scale
    }
}

/// A linear layer `x W + b` with W as int8 (per output column scales), packed once for the int8
/// kernels; activations are quantised to u8 with a calibrated range at every call.
public struct PackedInt8Linear: Sendable {
    public let input: Int, output: Int
    let packed: [Int8]
    /// The weights row-major `[input, output]`, for oneDNN's int8 products (`qor_int8_linear`).
    let plain: [Int8]
    /// Sum over the input of each column's int8 weights: the zero point's correction.
    let columnSums: [Int32]
    let scales: [Float]
    public let bias: [Float]?

    public init(_ w: Int8Matrix, bias: [Float]?) {
        precondition(bias == nil || bias?.count == w.cols, "PackedInt8Linear: bias of \(bias?.count ?? 0) for \(w.cols) columns")
        input = w.rows
        output = w.cols
        var packed = [Int8](repeating: 0, count: qor_int8_packed_size(Int32(w.rows), Int32(w.cols)))
        w.values.withUnsafeBufferPointer { v in packed.withUnsafeMutableBufferPointer { p in
            qor_int8_pack(v.baseAddress, Int32(w.rows), Int32(w.cols), p.baseAddress)
        } }
        self.packed = packed
        plain = w.values
        var sums = [Int32](repeating: 0, count: w.cols)
        for i in 0..<w.rows { for j in 0..<w.cols { sums[j] += Int32(w.values[i * w.cols + j]) } }
        columnSums = sums
        scales = w.scales
        self.bias = bias
    }

    /// `y[m, output] (+)= quantised(x) · W + (extraBias ?? bias)`, relu after when asked. `x` is
    /// `[m, input]` row-major, `y` `[m, output]`; `workspace` is reused across calls.
    public func apply(_ x: UnsafeBufferPointer<Float>, rows m: Int, range: ActivationRange, extraBias: UnsafeBufferPointer<Float>? = nil,
                      accumulate: Bool = false, relu: Bool = false, into y: UnsafeMutableBufferPointer<Float>,
                      workspace: Int8Workspace, variant: Int8KernelVariant = .auto) {
        precondition(x.count >= m * input && y.count >= m * output, "PackedInt8Linear.apply: buffers too small")
        guard m > 0 else { return }
        let kp = (input + 3) & ~3
        workspace.reserve(bytes: m * kp, sums: m * output)
        let flags: Int32 = (accumulate ? 1 : 0) | (relu ? 2 : 0)  // QOR_INT8_ACCUMULATE, QOR_INT8_RELU
        packed.withUnsafeBufferPointer { p in plain.withUnsafeBufferPointer { w in columnSums.withUnsafeBufferPointer { cs in
        scales.withUnsafeBufferPointer { sc in
            func run(_ b: UnsafePointer<Float>?) {
                qor_int8_linear(variant.rawValue, Int32(m), Int32(output), Int32(input), x.baseAddress, Int32(input), range.scale,
                                range.zero, p.baseAddress, w.baseAddress, cs.baseAddress, sc.baseAddress, b, flags, y.baseAddress,
                                Int32(output), workspace.bytes, workspace.sums)
            }
            if let extraBias { run(extraBias.baseAddress) } else if let bias { bias.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
        } } } }
    }
}

/// Scratch buffers of the int8 kernels (quantised activations, int32 sums), grown as needed and
/// reused: one per thread of inference.
public final class Int8Workspace {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var sums: UnsafeMutablePointer<Int32>
    private var byteCount = 0, sumCount = 0

    public init() {
        bytes = .allocate(capacity: 1)
        sums = .allocate(capacity: 1)
    }

    deinit {
        bytes.deallocate()
        sums.deallocate()
    }

    func reserve(bytes b: Int, sums s: Int) {
        if b > byteCount {
            bytes.deallocate()
            bytes = .allocate(capacity: b)
            byteCount = b
        }
        if s > sumCount {
            sums.deallocate()
            sums = .allocate(capacity: s)
            sumCount = s
        }
    }
}

/// Exact int8 products for tests and checks: `x[m, k]` (u8) times `w[k, n]` (s8) in int32, by the
/// packed kernel of `variant`, or by the plain triple loop (`plain`).
public enum Int8Gemm {
    public static func packedProduct(_ x: [UInt8], _ w: [Int8], m: Int, k: Int, n: Int, variant: Int8KernelVariant) -> [Int32] {
        let kp = (k + 3) & ~3
        var padded = [UInt8](repeating: 0xA5, count: m * kp)  // padding bytes: any value (the packed weights are zero there)
        for i in 0..<m { for p in 0..<k { padded[i * kp + p] = x[i * k + p] } }
        var packed = [Int8](repeating: 0, count: qor_int8_packed_size(Int32(k), Int32(n)))
        w.withUnsafeBufferPointer { wp in packed.withUnsafeMutableBufferPointer { qor_int8_pack(wp.baseAddress, Int32(k), Int32(n), $0.baseAddress) } }
        var out = [Int32](repeating: -1, count: m * n)
        padded.withUnsafeBufferPointer { xp in packed.withUnsafeBufferPointer { pp in out.withUnsafeMutableBufferPointer { op in
            qor_int8_gemm(variant.rawValue, Int32(m), Int32(n), Int32(k), xp.baseAddress, Int32(kp), pp.baseAddress, op.baseAddress, Int32(n))
        } } }
        return out
    }

    public static func plainProduct(_ x: [UInt8], _ w: [Int8], m: Int, k: Int, n: Int) -> [Int32] {
        var out = [Int32](repeating: -1, count: m * n)
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in out.withUnsafeMutableBufferPointer { op in
            qor_int8_gemm_plain(Int32(m), Int32(n), Int32(k), xp.baseAddress, Int32(k), wp.baseAddress, op.baseAddress, Int32(n))
        } } }
        return out
    }
}

/// W_h `[H, 4H]` of an int8 model for `qor_lstm_int8_step`: its int8 values plain and packed,
/// `128 Σ_k W[k, j]` (the u8 zero point of h) and the column scales over h's 127.
public struct Int8Recurrent: Sendable {
    public let plain: [Int8]
    public let packed: [Int8]
    public let compensation: [Int32]
    public let scale: [Float]

    public init(_ w: Int8Matrix) {
        let h = w.rows
        precondition(w.cols == 4 * h, "Int8Recurrent: W_h is [\(w.rows), \(w.cols)], not [H, 4H]")
        plain = w.values
        var packed = [Int8](repeating: 0, count: qor_lstm_int8_packed_size(Int32(h)))
        w.values.withUnsafeBufferPointer { wp in packed.withUnsafeMutableBufferPointer { qor_lstm_int8_pack(Int32(h), wp.baseAddress, $0.baseAddress) } }
        self.packed = packed
        compensation = (0..<w.cols).map { j in 128 * (0..<h).reduce(Int32(0)) { $0 + Int32(w.values[$1 * w.cols + j]) } }
        scale = w.scales.map { $0 / 127 }
    }
}
