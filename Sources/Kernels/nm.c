#include "nm.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static int blocks16(int n) { return (n + 15) / 16; }

size_t qor_nm24_values_count(int k, int n) { return (size_t)blocks16(n) * (size_t)(k / 4) * 2 * 16; }
size_t qor_nm24_meta_count(int k, int n) { return (size_t)blocks16(n) * (size_t)(k / 4) * 2; }

int qor_nm24_compress(const float *w, int k, int n, float *values, uint32_t *meta) {
    if (k % 4 != 0 || k <= 0 || n <= 0) return -1;
    int groups = k / 4, nb = blocks16(n);
    memset(values, 0, qor_nm24_values_count(k, n) * sizeof(float));
    memset(meta, 0, qor_nm24_meta_count(k, n) * sizeof(uint32_t));
    for (int b = 0; b < nb; b++) {
        for (int g = 0; g < groups; g++) {
            size_t base = ((size_t)b * groups + g) * 2;
            for (int c = 0; c < 16; c++) {
                int col = b * 16 + c;
                int idx[2] = {0, 1}, found = 0;
                if (col < n) {
                    for (int i = 0; i < 4; i++) {
                        if (w[(size_t)(4 * g + i) * n + col] != 0.0f) {
                            if (found == 2) return -1;
                            idx[found++] = i;
                        }
                    }
                    // Fewer than 2 nonzeros: fill the free slots with unused rows (value 0).
                    for (int i = 0; found < 2 && i < 4; i++) {
                        if (found == 1 && idx[0] == i) continue;
                        idx[found++] = i;
                    }
                    if (idx[0] > idx[1]) { int t = idx[0]; idx[0] = idx[1]; idx[1] = t; }
                }
                for (int s = 0; s < 2; s++) {
                    float v = col < n ? w[(size_t)(4 * g + idx[s]) * n + col] : 0.0f;
                    values[(base + s) * 16 + c] = v;
                    meta[base + s] |= (uint32_t)idx[s] << (2 * c);
                }
            }
        }
    }
    return 0;
}

void qor_nm24_matmul_reference(const float *x, int m, int k, int n, const float *values, const uint32_t *meta, float *y) {
    int groups = k / 4, nb = blocks16(n);
    for (int r = 0; r < m; r++) {
        const float *xr = x + (size_t)r * k;
        for (int b = 0; b < nb; b++) {
            float acc[16] = {0};
            for (int g = 0; g < groups; g++) {
                size_t base = ((size_t)b * groups + g) * 2;
                for (int s = 0; s < 2; s++) {
                    uint32_t word = meta[base + s];
                    const float *v = values + (base + s) * 16;
                    for (int c = 0; c < 16; c++) acc[c] += xr[4 * g + ((word >> (2 * c)) & 3)] * v[c];
                }
            }
            for (int c = 0; c < 16 && b * 16 + c < n; c++) y[(size_t)r * n + b * 16 + c] = acc[c];
        }
    }
}

#if defined(__x86_64__)
/// Four rows at a time share each group's unpacked indices and values; a row's 4 inputs of the
/// group sit in every 128-bit lane, and a permute picks each column's kept one.
__attribute__((target("avx512f,avx512bw,avx512vl,fma")))
static void nm24_avx512(const float *x, int m, int k, int n, const float *values, const uint32_t *meta, float *y) {
    int groups = k / 4, nb = blocks16(n);
    const __m512i shifts = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i three = _mm512_set1_epi32(3);
    for (int b = 0; b < nb; b++) {
        int cols = n - b * 16 < 16 ? n - b * 16 : 16;
        __mmask16 store = (__mmask16)((1u << cols) - 1u);
        const uint32_t *mb = meta + (size_t)b * groups * 2;
        const float *vb = values + (size_t)b * groups * 2 * 16;
        int r = 0;
        for (; r + 4 <= m; r += 4) {
            __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
            const float *x0 = x + (size_t)r * k, *x1 = x0 + k, *x2 = x1 + k, *x3 = x2 + k;
            for (int g = 0; g < groups; g++) {
                __m512i i0 = _mm512_and_si512(_mm512_srlv_epi32(_mm512_set1_epi32((int)mb[2 * g]), shifts), three);
                __m512i i1 = _mm512_and_si512(_mm512_srlv_epi32(_mm512_set1_epi32((int)mb[2 * g + 1]), shifts), three);
                __m512 v0 = _mm512_loadu_ps(vb + (size_t)(2 * g) * 16), v1 = _mm512_loadu_ps(vb + (size_t)(2 * g + 1) * 16);
                __m512 q;
                q = _mm512_broadcast_f32x4(_mm_loadu_ps(x0 + 4 * g));
                a0 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i0, q), v0, a0); a0 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i1, q), v1, a0);
                q = _mm512_broadcast_f32x4(_mm_loadu_ps(x1 + 4 * g));
                a1 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i0, q), v0, a1); a1 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i1, q), v1, a1);
                q = _mm512_broadcast_f32x4(_mm_loadu_ps(x2 + 4 * g));
                a2 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i0, q), v0, a2); a2 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i1, q), v1, a2);
                q = _mm512_broadcast_f32x4(_mm_loadu_ps(x3 + 4 * g));
                a3 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i0, q), v0, a3); a3 = _mm512_fmadd_ps(_mm512_permutexvar_ps(i1, q), v1, a3);
            }
            float *y0 = y + (size_t)r * n + b * 16;
            _mm512_mask_storeu_ps(y0, store, a0);
            _mm512_mask_storeu_ps(y0 + n, store, a1);
            _mm512_mask_storeu_ps(y0 + 2 * (size_t)n, store, a2);
            _mm512_mask_storeu_ps(y0 + 3 * (size_t)n, store, a3);
        }
        for (; r < m; r++) {
            __m512 a = _mm512_setzero_ps();
            const float *xr = x + (size_t)r * k;
            for (int g = 0; g < groups; g++) {
                __m512i i0 = _mm512_and_si512(_mm512_srlv_epi32(_mm512_set1_epi32((int)mb[2 * g]), shifts), three);
                __m512i i1 = _mm512_and_si512(_mm512_srlv_epi32(_mm512_set1_epi32((int)mb[2 * g + 1]), shifts), three);
                __m512 q = _mm512_broadcast_f32x4(_mm_loadu_ps(xr + 4 * g));
                a = _mm512_fmadd_ps(_mm512_permutexvar_ps(i0, q), _mm512_loadu_ps(vb + (size_t)(2 * g) * 16), a);
                a = _mm512_fmadd_ps(_mm512_permutexvar_ps(i1, q), _mm512_loadu_ps(vb + (size_t)(2 * g + 1) * 16), a);
            }
            _mm512_mask_storeu_ps(y + (size_t)r * n + b * 16, store, a);
        }
    }
}

static int has_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
}
#endif

void qor_nm24_matmul(const float *x, int m, int k, int n, const float *values, const uint32_t *meta, float *y) {
#if defined(__x86_64__)
    if (has_avx512()) { nm24_avx512(x, m, k, n, values, meta, y); return; }
#endif
    qor_nm24_matmul_reference(x, m, k, n, values, meta, y);
}

const char *qor_nm24_variant(void) {
#if defined(__x86_64__)
    if (has_avx512()) return "avx512";
#endif
    return "reference";
}

void qor_dense_matmul_reference(const float *x, int m, int k, int n, const float *w, float *y) {
    for (int r = 0; r < m; r++) {
        float *yr = y + (size_t)r * n;
        for (int c = 0; c < n; c++) yr[c] = 0.0f;
        for (int i = 0; i < k; i++) {
            float xi = x[(size_t)r * k + i];
            const float *wi = w + (size_t)i * n;
            for (int c = 0; c < n; c++) yr[c] += xi * wi[c];
        }
    }
}
