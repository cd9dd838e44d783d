#include "heap.h"

// Any libc header defines __GLIBC__ (through features.h); test it only after one is included.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void qor_keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
