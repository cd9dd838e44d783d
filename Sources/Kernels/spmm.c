#include "spmm.h"
#include "kernels.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include "vmath.h"
#endif

static void scale_reference(size_t n, float a, const float *x, float *y) { for (size_t j = 0; j < n; j++) y[j] = a * x[j]; }
static void axpy_reference(size_t n, float a, const float *x, float *y) {
    for (size_t j = 0; j < n; j++) {
        float p = a * x[j];
        y[j] = y[j] + p;
    }
}

#if defined(__x86_64__)
// Full vectors with plain loads and stores, the tail masked: one masked loop for everything took
// 55% more time here (perf samples of the training bench).
QOR_AVX512 static void scale_avx512(size_t n, float a, const float *x, float *y) {
    __m512 va = _mm512_set1_ps(a);
    size_t j = 0;
    for (; j + 16 <= n; j += 16) _mm512_storeu_ps(y + j, _mm512_mul_ps(va, _mm512_loadu_ps(x + j)));
    if (j < n) {
        __mmask16 k = lanes_512(n - j);
        _mm512_mask_storeu_ps(y + j, k, _mm512_mul_ps(va, _mm512_maskz_loadu_ps(k, x + j)));
    }
}
QOR_AVX512 static void axpy_avx512(size_t n, float a, const float *x, float *y) {
    __m512 va = _mm512_set1_ps(a);
    size_t j = 0;
    for (; j + 16 <= n; j += 16) _mm512_storeu_ps(y + j, _mm512_add_ps(_mm512_loadu_ps(y + j), _mm512_mul_ps(va, _mm512_loadu_ps(x + j))));
    if (j < n) {
        __mmask16 k = lanes_512(n - j);
        _mm512_mask_storeu_ps(y + j, k, _mm512_add_ps(_mm512_maskz_loadu_ps(k, y + j), _mm512_mul_ps(va, _mm512_maskz_loadu_ps(k, x + j))));
    }
}
#endif

int qor_spmm_available(int variant) { return qor_avx512_variant_available(variant); }

#define SPMM_BODY(SCALE, AXPY)                                                                       \
    for (size_t i = lo; i < hi; i++) {                                                               \
        float *out = y + i * width;                                                                  \
        int32_t e = row_pointers[i], end = row_pointers[i + 1];                                      \
        if (has_diagonal) {                                                                          \
            if (accumulate) AXPY(width, diagonal, x + i * width, out);                               \
            else SCALE(width, diagonal, x + i * width, out);                                         \
        } else if (!accumulate) {                                                                    \
            if (e < end) { SCALE(width, values[e], x + (size_t)columns[e] * width, out); e++; }      \
            else memset(out, 0, width * sizeof(float));                                              \
        }                                                                                            \
        for (; e < end; e++) AXPY(width, values[e], x + (size_t)columns[e] * width, out);            \
    }

#if defined(__x86_64__)
QOR_AVX512 static void spmm_avx512(const int32_t *row_pointers, const int32_t *columns, const float *values, size_t lo, size_t hi,
                               const float *x, size_t width, float *y, int accumulate, int has_diagonal, float diagonal) {
    SPMM_BODY(scale_avx512, axpy_avx512)
}
#endif

static void spmm_reference(const int32_t *row_pointers, const int32_t *columns, const float *values, size_t lo, size_t hi,
                           const float *x, size_t width, float *y, int accumulate, int has_diagonal, float diagonal) {
    SPMM_BODY(scale_reference, axpy_reference)
}

void qor_spmm_rows(int variant, const int32_t *row_pointers, const int32_t *columns, const float *values, size_t lo, size_t hi,
                   const float *x, size_t width, float *y, int accumulate, int has_diagonal, float diagonal) {
    variant = qor_avx512_variant_resolve(variant);
#if defined(__x86_64__)
    if (variant == QOR_SPMM_AVX512) { spmm_avx512(row_pointers, columns, values, lo, hi, x, width, y, accumulate, has_diagonal, diagonal); return; }
#endif
    spmm_reference(row_pointers, columns, values, lo, hi, x, width, y, accumulate, has_diagonal, diagonal);
}
