import Kernels

/// Keeps freed tape buffers in the process's heap. A training step frees and reallocates
/// megabytes of buffers whose sizes change with each step's designs (the buffer pool only reuses
/// equal sizes); with glibc's defaults, large blocks are mmap'd and unmapped, and the heap's top
/// is trimmed, so every step faults its buffers in again and the kernel zeroes each page:
/// `clear_page_erms` was 23% of a `qor bench train` profile. Called once when training starts;
/// the cost is a heap that stays at its high-water mark.
/// (Called every time rather than through a lazy global: an unused global's initialiser may be
/// elided, and the two `mallopt` calls cost nothing.)
public enum HeapRetention {
    public static func keepFreedMemory() { qor_keep_freed_memory() }
}
