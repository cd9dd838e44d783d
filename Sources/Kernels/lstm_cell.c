#include "lstm_cell.h"
#include "kernels.h"
#include <math.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include "vmath.h"
#endif

// As the tape's sigmoid op computes it (no overflow of exp for large |x|).
static inline float sigmoid_tape(float v) {
    if (v >= 0) return 1.0f / (1.0f + expf(-v));
    const float e = expf(v);
    return e / (1.0f + e);
}

static void cell_reference(int b, int h, float *gates, const float *c_prev, float *c_new, float *tanh_c, float *h_new) {
    for (int r = 0; r < b; r++) {
        float *g = gates + (size_t)r * 4 * h;
        for (int j = 0; j < h; j++) {
            const float i = sigmoid_tape(g[j]), f = sigmoid_tape(g[h + j]), c = tanhf(g[2 * h + j]), o = sigmoid_tape(g[3 * h + j]);
            g[j] = i;
            g[h + j] = f;
            g[2 * h + j] = c;
            g[3 * h + j] = o;
            const size_t k = (size_t)r * h + j;
            const float cn = f * c_prev[k] + i * c;
            const float t = tanhf(cn);
            c_new[k] = cn;
            tanh_c[k] = t;
            h_new[k] = o * t;
        }
    }
}

#if defined(__x86_64__)
QOR_AVX512 static void cell_avx512(int b, int h, float *gates, const float *c_prev, float *c_new, float *tanh_c, float *h_new) {
    for (int r = 0; r < b; r++) {
        float *g = gates + (size_t)r * 4 * h;
        const size_t row = (size_t)r * h;
        for (int j = 0; j < h; j += 16) {
            const __mmask16 m = h - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (h - j)) - 1u);
            const __m512 i = sigmoid_512(_mm512_maskz_loadu_ps(m, g + j));
            const __m512 f = sigmoid_512(_mm512_maskz_loadu_ps(m, g + h + j));
            const __m512 c = tanh_512(_mm512_maskz_loadu_ps(m, g + 2 * h + j));
            const __m512 o = sigmoid_512(_mm512_maskz_loadu_ps(m, g + 3 * h + j));
            _mm512_mask_storeu_ps(g + j, m, i);
            _mm512_mask_storeu_ps(g + h + j, m, f);
            _mm512_mask_storeu_ps(g + 2 * h + j, m, c);
            _mm512_mask_storeu_ps(g + 3 * h + j, m, o);
            const __m512 cn = _mm512_add_ps(_mm512_mul_ps(f, _mm512_maskz_loadu_ps(m, c_prev + row + j)), _mm512_mul_ps(i, c));
            const __m512 t = tanh_512(cn);
            _mm512_mask_storeu_ps(c_new + row + j, m, cn);
            _mm512_mask_storeu_ps(tanh_c + row + j, m, t);
            _mm512_mask_storeu_ps(h_new + row + j, m, _mm512_mul_ps(o, t));
        }
    }
}
#endif

int qor_lstm_cell_available(int variant) {
    if (variant == QOR_CELL_AUTO || variant == QOR_CELL_REFERENCE) return 1;
#if defined(__x86_64__)
    if (variant == QOR_CELL_AVX512) return strcmp(qor_kernels_isa(), "avx512") == 0;
#endif
    return 0;
}

void qor_lstm_cell(int variant, int b, int h, float *gates, const float *c_prev, float *c_new, float *tanh_c, float *h_new) {
    static int best = 0;
    if (variant == QOR_CELL_AUTO) {
        int v = __atomic_load_n(&best, __ATOMIC_RELAXED);
        if (!v) {
            v = qor_lstm_cell_available(QOR_CELL_AVX512) ? QOR_CELL_AVX512 : QOR_CELL_REFERENCE;
            __atomic_store_n(&best, v, __ATOMIC_RELAXED);
        }
        variant = v;
    }
#if defined(__x86_64__)
    if (variant == QOR_CELL_AVX512) {
        cell_avx512(b, h, gates, c_prev, c_new, tanh_c, h_new);
        return;
    }
#endif
    cell_reference(b, h, gates, c_prev, c_new, tanh_c, h_new);
}
