#include "blocks.h"
#include "kernels.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void add_blocks_reference(size_t outer, size_t width, const float *src, size_t src_row, float *dst, size_t dst_row) {
    for (size_t o = 0; o < outer; o++) {
        const float *s = src + o * src_row;
        float *d = dst + o * dst_row;
        for (size_t j = 0; j < width; j++) d[j] += s[j];
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f")))
static void add_blocks_avx512(size_t outer, size_t width, const float *src, size_t src_row, float *dst, size_t dst_row) {
    for (size_t o = 0; o < outer; o++) {
        const float *s = src + o * src_row;
        float *d = dst + o * dst_row;
        size_t j = 0;
        for (; j + 16 <= width; j += 16) _mm512_storeu_ps(d + j, _mm512_add_ps(_mm512_loadu_ps(d + j), _mm512_loadu_ps(s + j)));
        if (j < width) {
            const __mmask16 m = (__mmask16)((1u << (width - j)) - 1u);
            _mm512_mask_storeu_ps(d + j, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, d + j), _mm512_maskz_loadu_ps(m, s + j)));
        }
    }
}
#endif

int qor_add_blocks_available(int variant) { return qor_avx512_variant_available(variant); }

void qor_add_blocks(int variant, size_t outer, size_t width, const float *src, size_t src_row, float *dst, size_t dst_row) {
    variant = qor_avx512_variant_resolve(variant);
#if defined(__x86_64__)
    if (variant == QOR_BLOCKS_AVX512) {
        add_blocks_avx512(outer, width, src, src_row, dst, dst_row);
        return;
    }
#endif
    add_blocks_reference(outer, width, src, src_row, dst, dst_row);
}
