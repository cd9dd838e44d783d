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
            const __mmask16 m = lanes_512((size_t)(h - j));
            const __m512 i = sigmoid_512(_mm512_maskz_loadu_ps(m, g + j));
            const __m512 f = sigmoid_512(_mm512_maskz_loadu_ps(m, g + h + j));
            const __m512 c = tanh_512(_mm512_maskz_loadu_ps(m, g + 2 * h + j));
            const __m512 o = sigmoid_512(_mm512_maskz_loadu_ps(m, g + 3 * h + j));
            store_512(g + j, m, i);
            store_512(g + h + j, m, f);
            store_512(g + 2 * h + j, m, c);
            store_512(g + 3 * h + j, m, o);
            const __m512 cn = _mm512_add_ps(_mm512_mul_ps(f, _mm512_maskz_loadu_ps(m, c_prev + row + j)), _mm512_mul_ps(i, c));
            const __m512 t = tanh_512(cn);
            store_512(c_new + row + j, m, cn);
            store_512(tanh_c + row + j, m, t);
            store_512(h_new + row + j, m, _mm512_mul_ps(o, t));
        }
    }
}
#endif

// The element-wise backward, as the tape's Swift body computes it (no contraction into FMAs).
#pragma STDC FP_CONTRACT OFF
static void cell_backward_reference(int b, int h, const float *gates, const float *c_prev, const float *tanh_c,
                                    const float *d_out, long d_out_stride, const float *keep, float *dh, float *dc, float *d_gates) {
    for (int r = 0; r < b; r++) {
        const float *g = gates + (size_t)r * 4 * h;
        float *dg = d_gates + (size_t)r * 4 * h;
        const float *dy = d_out + (size_t)r * d_out_stride;
        const float kp = keep[r];
        for (int j = 0; j < h; j++) {
            const size_t k = (size_t)r * h + j;
            const float ig = g[j], fg = g[h + j], cg = g[2 * h + j], og = g[3 * h + j];
            const float dh_new = dy[j] * kp + dh[k] * kp;
            const float dc_state = dc[k] * kp;
            const float th = tanh_c[k];
            const float dcn = dc_state + dh_new * og * (1 - th * th);
            const float dog = dh_new * th;
            const float dfg = dcn * c_prev[k], dig = dcn * cg, dcg = dcn * ig;
            dh[k] = dh[k] * (1 - kp);
            dc[k] = dcn * fg + dc[k] * (1 - kp);
            dg[j] = dig * ig * (1 - ig);
            dg[h + j] = dfg * fg * (1 - fg);
            dg[2 * h + j] = dcg * (1 - cg * cg);
            dg[3 * h + j] = dog * og * (1 - og);
        }
    }
}

#if defined(__x86_64__)
QOR_AVX512 static void cell_backward_avx512(int b, int h, const float *gates, const float *c_prev, const float *tanh_c,
                                            const float *d_out, long d_out_stride, const float *keep, float *dh, float *dc,
                                            float *d_gates) {
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int r = 0; r < b; r++) {
        const float *g = gates + (size_t)r * 4 * h;
        float *dg = d_gates + (size_t)r * 4 * h;
        const float *dy = d_out + (size_t)r * d_out_stride;
        const __m512 kp = _mm512_set1_ps(keep[r]), drop = _mm512_set1_ps(1.0f - keep[r]);
        const size_t row = (size_t)r * h;
        for (int j = 0; j < h; j += 16) {
            const __mmask16 m = lanes_512((size_t)(h - j));
            const __m512 ig = _mm512_maskz_loadu_ps(m, g + j), fg = _mm512_maskz_loadu_ps(m, g + h + j);
            const __m512 cg = _mm512_maskz_loadu_ps(m, g + 2 * h + j), og = _mm512_maskz_loadu_ps(m, g + 3 * h + j);
            const __m512 dhv = _mm512_maskz_loadu_ps(m, dh + row + j), dcv = _mm512_maskz_loadu_ps(m, dc + row + j);
            const __m512 dh_new = _mm512_add_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, dy + j), kp), _mm512_mul_ps(dhv, kp));
            const __m512 th = _mm512_maskz_loadu_ps(m, tanh_c + row + j);
            const __m512 dcn = _mm512_add_ps(_mm512_mul_ps(dcv, kp),
                                             _mm512_mul_ps(_mm512_mul_ps(dh_new, og), _mm512_sub_ps(one, _mm512_mul_ps(th, th))));
            const __m512 dog = _mm512_mul_ps(dh_new, th);
            const __m512 dfg = _mm512_mul_ps(dcn, _mm512_maskz_loadu_ps(m, c_prev + row + j));
            const __m512 dig = _mm512_mul_ps(dcn, cg), dcg = _mm512_mul_ps(dcn, ig);
            store_512(dh + row + j, m, _mm512_mul_ps(dhv, drop));
            store_512(dc + row + j, m, _mm512_add_ps(_mm512_mul_ps(dcn, fg), _mm512_mul_ps(dcv, drop)));
            store_512(dg + j, m, _mm512_mul_ps(_mm512_mul_ps(dig, ig), _mm512_sub_ps(one, ig)));
            store_512(dg + h + j, m, _mm512_mul_ps(_mm512_mul_ps(dfg, fg), _mm512_sub_ps(one, fg)));
            store_512(dg + 2 * h + j, m, _mm512_mul_ps(dcg, _mm512_sub_ps(one, _mm512_mul_ps(cg, cg))));
            store_512(dg + 3 * h + j, m, _mm512_mul_ps(_mm512_mul_ps(dog, og), _mm512_sub_ps(one, og)));
        }
    }
}
#endif

void qor_lstm_cell_backward(int variant, int b, int h, const float *gates, const float *c_prev, const float *tanh_c,
                            const float *d_out, long d_out_stride, const float *keep, float *dh, float *dc, float *d_gates) {
    variant = qor_avx512_variant_resolve(variant);
#if defined(__x86_64__)
    if (variant == QOR_CELL_AVX512) {
        cell_backward_avx512(b, h, gates, c_prev, tanh_c, d_out, d_out_stride, keep, dh, dc, d_gates);
        return;
    }
#endif
    cell_backward_reference(b, h, gates, c_prev, tanh_c, d_out, d_out_stride, keep, dh, dc, d_gates);
}

int qor_lstm_cell_available(int variant) { return qor_avx512_variant_available(variant); }

void qor_lstm_cell(int variant, int b, int h, float *gates, const float *c_prev, float *c_new, float *tanh_c, float *h_new) {
    variant = qor_avx512_variant_resolve(variant);
#if defined(__x86_64__)
    if (variant == QOR_CELL_AVX512) {
        cell_avx512(b, h, gates, c_prev, c_new, tanh_c, h_new);
        return;
    }
#endif
    cell_reference(b, h, gates, c_prev, c_new, tanh_c, h_new);
}
