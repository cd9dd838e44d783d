// Blocked adds for training: the gradient of a concat, slice or reshape is added block by block
// (`dst[o * dst_row + j] += src[o * src_row + j]`, j < width). An AVX-512 variant where the CPU
// has it, the plain loop as the reference; element-wise adds, so every variant gives the same bits.
#ifndef QOR_BLOCKS_H
#define QOR_BLOCKS_H

#include <stddef.h>

/// Variants, for tests that compare each one with the reference.
enum { QOR_BLOCKS_AUTO = 0, QOR_BLOCKS_REFERENCE = 1, QOR_BLOCKS_AVX512 = 2 };

/// Whether `variant` runs on this CPU (AUTO and REFERENCE always do).
int qor_add_blocks_available(int variant);
void qor_add_blocks(int variant, size_t outer, size_t width, const float *src, size_t src_row, float *dst, size_t dst_row);

#endif
