/// The network code is generic over the scalar (Float to train, Double for gradient checks) and
/// reaches the tape through a protocol, so the kernels it calls run as unspecialised generic code
/// (Float arithmetic through witness tables, generic array access): `@_specialize` makes Float
/// copies that only statically typed callers reach. The hot kernels therefore test the type at run
/// time and call a body specialised for Float; the body is the same code, so results are equal.

@inline(__always)
func asFloat<S>(_ p: UnsafeBufferPointer<S>) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(start: UnsafeRawPointer(p.baseAddress)?.assumingMemoryBound(to: Float.self), count: p.count)
}

@inline(__always)
func asFloat<S>(_ p: UnsafeMutableBufferPointer<S>) -> UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: UnsafeMutableRawPointer(p.baseAddress)?.assumingMemoryBound(to: Float.self), count: p.count)
}

@inline(__always)
func asFloat<S: TensorScalar>(_ x: S) -> Float { unsafeBitCast(x, to: Float.self) }

/// True when `S` is Float (the training and prediction scalar).
@inline(__always)
func isFloat<S>(_: S.Type) -> Bool { S.self == Float.self }
