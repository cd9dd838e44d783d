import Foundation

/// Storage for tape values and gradients, kept across training steps. Buffers are kept by size
/// class (sizes rounded up to eight steps per octave, at most an eighth spare): a step's shapes
/// change with its designs, and a pool keyed by exact size kept a new set of buffers for nearly
/// every step (4 GB after two epochs on 300 corpus designs). Safe by construction: a recycled
/// array still referenced elsewhere is copied on its next write (copy-on-write), never overwritten.
struct BufferPool<S: TensorScalar> {
    private var free: [Int: [[S]]] = [:]
    /// Buffers made because none of the size class was free (for tests of steady-state reuse).
    private(set) var allocations = 0
    /// Zeros to grow a recycled buffer to a request's count from.
    private var zeros: [S] = []

    /// The class of a request for `count` elements: the smallest class at least `count` (16 at least).
    static func sizeClass(_ count: Int) -> Int {
        guard count > 16 else { return 16 }
        let unit = classUnit(count)
        return (count + unit - 1) / unit * unit
    }

    /// The largest class at most `capacity` (0 below 16).
    static func classBelow(_ capacity: Int) -> Int {
        guard capacity >= 16 else { return 0 }
        let unit = classUnit(capacity)
        return capacity / unit * unit
    }

    /// The step between classes in `n`'s octave: an eighth of its power of two.
    private static func classUnit(_ n: Int) -> Int { 1 << (Int.bitWidth - n.leadingZeroBitCount - 4) }

    /// An array of `count` elements; contents are unspecified unless `zeroed`.
    mutating func take(_ count: Int, zeroed: Bool) -> [S] {
        // Pop in place (a copied list would be duplicated on write) and zero with memset: generic
        // element-wise loops here cost more than the ops that use the buffers. A buffer's capacity
        // is at least its list's class, and at least `count` when taken from the list below (where
        // arrays made outside the pool, with their exact capacity, go back), so resizing it to
        // `count` does not reallocate.
        if var buffer = popFitting(Self.sizeClass(count), count) ?? popFitting(Self.classBelow(count), count) {
            if buffer.count > count {
                buffer.removeLast(buffer.count - count)
            } else if buffer.count < count {
                // From a zero array, not element by element: a contiguous append is one copy.
                let grow = count - buffer.count
                if zeros.count < grow { zeros = [S](unsafeUninitializedCapacity: Self.sizeClass(grow)) { p, n in
                    if let b = p.baseAddress { memset(b, 0, p.count * MemoryLayout<S>.stride) }
                    n = p.count
                } }
                buffer.append(contentsOf: zeros[0..<grow])
            }
            if zeroed { buffer.withUnsafeMutableBytes { if let b = $0.baseAddress { memset(b, 0, $0.count) } } }
            return buffer
        }
        allocations += 1
        // Unzeroed buffers are not cleared: ops that ask for one write every element, as they
        // must for a recycled buffer.
        return [S](unsafeUninitializedCapacity: Self.sizeClass(count)) { p, n in
            if zeroed, let b = p.baseAddress { memset(b, 0, count * MemoryLayout<S>.stride) }
            n = count
        }
    }

    /// One of the last 8 buffers of list `key` with room for `count` elements, removed from the
    /// list (a bounded look: a miss must stay cheap).
    private mutating func popFitting(_ key: Int, _ count: Int) -> [S]? {
        // The index first, with no copy of the list alive when it is changed (that would copy it).
        let found = free[key].flatMap { list in list.indices.reversed().prefix(8).first { list[$0].capacity >= count } }
        guard let i = found else { return nil }
        return free[key]?.remove(at: i)
    }

    /// Keeps `buffer` in the list of its count's class when it has the room (a buffer the pool
    /// made goes back where it came from, whatever malloc rounded its capacity to), else in the
    /// list below its capacity.
    mutating func give(_ buffer: [S]) {
        guard buffer.count > 0 else { return }
        let own = Self.sizeClass(buffer.count)
        free[buffer.capacity >= own ? own : Self.classBelow(buffer.capacity), default: []].append(buffer)
    }

    mutating func removeAll() { free.removeAll() }
}
