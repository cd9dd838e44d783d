import Testing
@testable import Tensor

@Suite struct BufferPoolTests {
    @Test func sizeClassesCoverEachSizeWithAtMostAnEighthSpare() {
        for count in 1...5000 {
            let c = BufferPool<Float>.sizeClass(count)
            #expect(c >= count && (count <= 16 ? c == 16 : 8 * c <= 9 * count), "\(count) -> \(c)")
            // A buffer with exactly a class's capacity serves that class, and no larger one.
            #expect(BufferPool<Float>.classBelow(c) == c, "\(count) -> \(c)")
            #expect(BufferPool<Float>.classBelow(count) <= count && (count < 16) == (BufferPool<Float>.classBelow(count) == 0))
        }
    }

    func address(_ x: [Float]) -> UnsafeRawPointer? { x.withUnsafeBytes { $0.baseAddress } }

    @Test func nearSizesShareOneBuffer() {
        var pool = BufferPool<Float>()
        let first: UnsafeRawPointer? = {
            var a = pool.take(1000, zeroed: true)
            #expect(a.count == 1000 && a.allSatisfy { $0 == 0 })
            a[7] = 3
            let p = address(a)
            pool.give(a)
            return p
        }()
        // 1010 and 990 fall in 1000's class (unit 64: 960 < n <= 1024): the same storage, resized.
        let second: UnsafeRawPointer? = {
            let b = pool.take(1010, zeroed: true)
            #expect(b.count == 1010 && b.allSatisfy { $0 == 0 })
            let p = address(b)
            pool.give(b)
            return p
        }()
        let c = pool.take(990, zeroed: false)
        #expect(c.count == 990 && first == second && address(c) == first && pool.allocations == 1)
        _ = pool.take(2000, zeroed: false)
        #expect(pool.allocations == 2)
    }

    @Test func aRecycledBufferStillHeldElsewhereIsCopiedNotOverwritten() {
        var pool = BufferPool<Float>()
        var a = pool.take(1000, zeroed: false)
        for i in a.indices { a[i] = Float(i) }
        let kept = a
        pool.give(a)
        var b = pool.take(1010, zeroed: true)
        b[0] = -1
        #expect(b.count == 1010 && b[1009] == 0 && kept.count == 1000 && kept[0] == 0 && kept[999] == 999)
    }
}
