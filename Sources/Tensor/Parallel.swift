import Dispatch

/// Work splitting over both cores. Chunks depend only on the problem size, never on the thread
/// count or timing, so reductions combined in chunk order are bit-for-bit reproducible.
enum Parallel {
    /// Below this many scalar operations a loop runs on the calling thread.
    static let threshold = 1 << 15

    /// When set, every loop runs its chunks in order on the calling thread (same chunks, so the same
    /// results): a one-thread measurement against a one-thread peer (`qor bench train --threads 1`).
    nonisolated(unsafe) static var serial = false

    /// Calls `body` on consecutive ranges covering `0..<n`; `work` is the cost per index in scalar
    /// operations, used to decide whether splitting pays.
    @inline(__always)
    static func chunks(_ n: Int, work: Int = 1, _ body: (Range<Int>) -> Void) {
        let total = n * Swift.max(work, 1)
        if total < threshold || n < 2 {
            body(0..<n)
            return
        }
        let pieces = Swift.min(n, Swift.min(64, total / (threshold / 2)))
        let size = (n + pieces - 1) / pieces
        let count = (n + size - 1) / size
        if serial {
            for c in 0..<count { body((c * size)..<Swift.min(n, c * size + size)) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { c in
                let lo = c * size
                box.value(lo..<Swift.min(n, lo + size))
            }
        }
    }
}

/// Wraps a value that is shared across worker threads in ways the caller proves disjoint.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// How many threads the tape engine's own loops use: all cores (the default) or one.
public enum EngineThreads {
    /// Runs the engine's loops on the calling thread only (with OpenBLAS at one thread: one core in all).
    public static func setSingle(_ single: Bool) {
        Parallel.serial = single
        if single { BLAS.setThreads(1) }
    }
}
