import Foundation

/// Recycles scalar arrays by element count so a training loop that repeats the same shapes stops
/// allocating after its first step. Safe by construction: a recycled array still referenced
/// elsewhere is copied on its next write (copy-on-write), never overwritten.
struct BufferPool<S: TensorScalar> {
    private var free: [Int: [[S]]] = [:]
    /// Buffers made because none of the size was free (for tests of steady-state reuse).
    private(set) var allocations = 0

    /// An array of `count` elements; contents are unspecified unless `zeroed`.
    mutating func take(_ count: Int, zeroed: Bool) -> [S] {
        // Pop in place (a copied list would be duplicated on write) and zero with memset: generic
        // element-wise loops here cost more than the ops that use the buffers.
        if var buffer = free[count]?.popLast() {
            if zeroed { buffer.withUnsafeMutableBytes { if let b = $0.baseAddress { memset(b, 0, $0.count) } } }
            return buffer
        }
        allocations += 1
        // Unzeroed buffers are not cleared: ops that ask for one write every element, as they
        // must for a recycled buffer (training frees the pool every step, so most are fresh).
        return [S](unsafeUninitializedCapacity: count) { p, n in
            if zeroed, let b = p.baseAddress { memset(b, 0, count * MemoryLayout<S>.stride) }
            n = count
        }
    }

    mutating func give(_ buffer: [S]) {
        guard buffer.count > 0 else { return }
        free[buffer.count, default: []].append(buffer)
    }

    mutating func removeAll() { free.removeAll() }
}
