// Dense layers for inference: y = act(x · W + b) with W row-major [k, m], for the small widths of
// the fusion MLP and the LSTM's input projections (layers >= 1).
#include "kernels.h"
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

void qor_dense_reference(int n, int k, int m, const float *x, int ldx, const float *w, const float *bias, int relu,
                         float *y, int ldy) {
    for (int r = 0; r < n; r++) {
        float *out = y + (size_t)r * ldy;
        for (int j = 0; j < m; j++) out[j] = bias ? bias[j] : 0.0f;
        for (int p = 0; p < k; p++) {
            const float xp = x[(size_t)r * ldx + p];
            const float *wp = w + (size_t)p * m;
            for (int j = 0; j < m; j++) out[j] += xp * wp[j];
        }
        if (relu)
            for (int j = 0; j < m; j++) out[j] = out[j] > 0.0f ? out[j] : 0.0f;
    }
}

#if defined(__x86_64__)
#define QOR_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

static inline __mmask16 lanes_mask(int lanes) {
    return lanes >= 16 ? (__mmask16)0xFFFF : lanes <= 0 ? (__mmask16)0 : (__mmask16)((1u << lanes) - 1u);
}

// R rows (<= 6) by 64 columns from j0 (4 vectors, masked at the edge): 4R accumulators.
QOR_AVX512 static inline __attribute__((always_inline)) void dense_tile_512(
    const int R, const int k, const int m, const int j0, const float *x, const int ldx, const float *w,
    const float *bias, const int relu, float *y, const int ldy) {
    __mmask16 mk[4];
    for (int v = 0; v < 4; v++) mk[v] = lanes_mask(m - j0 - 16 * v);
    // Packed weights: this slab's [k][64] block, zero-padded, read front to back.
    __m512 acc[6][4];
    for (int v = 0; v < 4; v++) {
        const __m512 b = bias ? _mm512_maskz_loadu_ps(mk[v], bias + j0 + 16 * v) : _mm512_setzero_ps();
        for (int r = 0; r < R; r++) acc[r][v] = b;
    }
    const float *wp = w + (size_t)j0 * k;
    for (int p = 0; p < k; p++, wp += 64) {
        const __m512 w0 = _mm512_loadu_ps(wp), w1 = _mm512_loadu_ps(wp + 16);
        const __m512 w2 = _mm512_loadu_ps(wp + 32), w3 = _mm512_loadu_ps(wp + 48);
        for (int r = 0; r < R; r++) {
            const __m512 b = _mm512_set1_ps(x[(size_t)r * ldx + p]);
            acc[r][0] = _mm512_fmadd_ps(b, w0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(b, w1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(b, w2, acc[r][2]);
            acc[r][3] = _mm512_fmadd_ps(b, w3, acc[r][3]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < 4; v++) {
            const __m512 a = relu ? _mm512_max_ps(acc[r][v], _mm512_setzero_ps()) : acc[r][v];
            _mm512_mask_storeu_ps(y + (size_t)r * ldy + j0 + 16 * v, mk[v], a);
        }
}

#define QOR_DENSE_CASE(RR) case RR: dense_tile_512(RR, k, m, j0, xr, ldx, w, bias, relu, yr, ldy); break;

QOR_AVX512 static void dense_avx512(int n, int k, int m, const float *x, int ldx, const float *w, const float *bias,
                                    int relu, float *y, int ldy) {
    // Columns outer: one 64-column slab of packed W ([k, 64], 27 KB at k = 107) stays in L1 over all rows.
    for (int j0 = 0; j0 < m; j0 += 64)
        for (int r0 = 0; r0 < n; r0 += 6) {
            const int R = n - r0 < 6 ? n - r0 : 6;
            const float *xr = x + (size_t)r0 * ldx;
            float *yr = y + (size_t)r0 * ldy;
            switch (R) {
                QOR_DENSE_CASE(6) QOR_DENSE_CASE(5) QOR_DENSE_CASE(4) QOR_DENSE_CASE(3) QOR_DENSE_CASE(2) QOR_DENSE_CASE(1)
                default: break;
            }
        }
}
#endif

size_t qor_dense_packed_count(int k, int m) { return (size_t)((m + 63) / 64) * 64 * (size_t)k; }

void qor_dense_pack(int k, int m, const float *w, float *packed) {
    for (int j0 = 0; j0 < m; j0 += 64)
        for (int p = 0; p < k; p++)
            for (int l = 0; l < 64; l++)
                packed[(size_t)j0 * k + (size_t)p * 64 + l] = j0 + l < m ? w[(size_t)p * m + j0 + l] : 0.0f;
}

// The reference on packed weights (CPUs without AVX-512).
static void dense_packed_reference(int n, int k, int m, const float *x, int ldx, const float *w, const float *bias, int relu,
                                   float *y, int ldy) {
    for (int r = 0; r < n; r++) {
        float *out = y + (size_t)r * ldy;
        for (int j = 0; j < m; j++) out[j] = bias ? bias[j] : 0.0f;
        for (int j0 = 0; j0 < m; j0 += 64) {
            const int width = m - j0 < 64 ? m - j0 : 64;
            for (int p = 0; p < k; p++) {
                const float xp = x[(size_t)r * ldx + p];
                const float *wp = w + (size_t)j0 * k + (size_t)p * 64;
                for (int l = 0; l < width; l++) out[j0 + l] += xp * wp[l];
            }
        }
        if (relu)
            for (int j = 0; j < m; j++) out[j] = out[j] > 0.0f ? out[j] : 0.0f;
    }
}

typedef void (*dense_fn)(int, int, int, const float *, int, const float *, const float *, int, float *, int);

static dense_fn dense_choice(void) {
#if defined(__x86_64__)
    if (strcmp(qor_kernels_isa(), "avx512") == 0) return dense_avx512;
#endif
    return dense_packed_reference;
}

void qor_dense(int n, int k, int m, const float *x, int ldx, const float *w_packed, const float *bias, int relu, float *y, int ldy) {
    static dense_fn chosen = 0;
    dense_fn f = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (!f) {
        f = dense_choice();
        __atomic_store_n(&chosen, f, __ATOMIC_RELAXED);
    }
    f(n, k, m, x, ldx, w_packed, bias, relu, y, ldy);
}
