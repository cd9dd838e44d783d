// Heap settings for training (see Tensor's HeapRetention).
#ifndef QOR_HEAP_H
#define QOR_HEAP_H

/// Keeps freed blocks up to 32 MB in the heap (glibc: fixed mmap threshold, trimming only past
/// 1 GB free) so that buffers freed and reallocated every training step are not faulted in and
/// zeroed by the kernel again. A no-op without glibc.
void qor_keep_freed_memory(void);

#endif
