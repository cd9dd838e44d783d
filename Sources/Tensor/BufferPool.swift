/// Recycles scalar arrays by element count so a training loop that repeats the same shapes stops
/// allocating after its first step. Safe by construction: a recycled array still referenced
/// elsewhere is copied on its next write (copy-on-write), never overwritten.
struct BufferPool<S: TensorScalar> {
    private var free: [Int: [[S]]] = [:]
    /// Buffers made because none of the size was free (for tests of steady-state reuse).
    private(set) var allocations = 0

    /// An array of `count` elements; contents are unspecified unless `zeroed`.
    mutating func take(_ count: Int, zeroed: Bool) -> [S] {
        if var list = free[count], var buffer = list.popLast() {
            free[count] = list
            if zeroed {
                buffer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            }
            return buffer
        }
        allocations += 1
        return [S](repeating: 0, count: count)
    }

    mutating func give(_ buffer: [S]) {
        guard buffer.count > 0 else { return }
        free[buffer.count, default: []].append(buffer)
    }

    mutating func removeAll() { free.removeAll() }
}
