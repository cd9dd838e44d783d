#include "layernorm.h"
#include "kernels.h"
#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include "vmath.h"
#endif

static void forward_reference(const float *x, const float *w, const float *b, size_t rows, size_t cols, float eps, float *y,
                              float *mean, float *rstd) {
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols;
        float *yr = y + i * cols;
        float m = 0, v = 0;
        for (size_t j = 0; j < cols; j++) m += xr[j];
        m /= (float)cols;
        for (size_t j = 0; j < cols; j++) { float d = xr[j] - m; v += d * d; }
        v /= (float)cols;
        float s = 1.0f / sqrtf(v + eps);
        for (size_t j = 0; j < cols; j++) yr[j] = (xr[j] - m) * s * w[j] + b[j];
        mean[i] = m;
        rstd[i] = s;
    }
}

static void backward_input_reference(const float *x, const float *w, const float *gy, size_t rows, size_t cols, const float *mean,
                                     const float *rstd, float *gx) {
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols, *gr = gy + i * cols;
        float *out = gx + i * cols;
        float m = mean[i], s = rstd[i], a = 0, c = 0;
        for (size_t j = 0; j < cols; j++) { float dn = gr[j] * w[j], n = (xr[j] - m) * s; a += dn; c += dn * n; }
        a /= (float)cols;
        c /= (float)cols;
        for (size_t j = 0; j < cols; j++) { float dn = gr[j] * w[j], n = (xr[j] - m) * s; out[j] += s * (dn - a - n * c); }
    }
}

static void backward_params_reference(const float *x, const float *gy, size_t rows, size_t cols, const float *mean, const float *rstd,
                                      float *gw, float *gb) {
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols, *gr = gy + i * cols;
        for (size_t j = 0; j < cols; j++) {
            if (gw) gw[j] += gr[j] * (xr[j] - mean[i]) * rstd[i];
            if (gb) gb[j] += gr[j];
        }
    }
}

#if defined(__x86_64__)
QOR_AVX512 static void forward_avx512(const float *x, const float *w, const float *b, size_t rows, size_t cols, float eps, float *y,
                                  float *mean, float *rstd) {
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols;
        float *yr = y + i * cols;
        __m512 acc = _mm512_setzero_ps();
        for (size_t j = 0; j < cols; j += 16) acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(lanes_512(cols - j), xr + j));
        float m = _mm512_reduce_add_ps(acc) / (float)cols;
        __m512 vm = _mm512_set1_ps(m), var = _mm512_setzero_ps();
        for (size_t j = 0; j < cols; j += 16) {
            __mmask16 k = lanes_512(cols - j);
            __m512 d = _mm512_maskz_sub_ps(k, _mm512_maskz_loadu_ps(k, xr + j), vm);
            var = _mm512_fmadd_ps(d, d, var);
        }
        float s = 1.0f / sqrtf(_mm512_reduce_add_ps(var) / (float)cols + eps);
        __m512 vs = _mm512_set1_ps(s);
        for (size_t j = 0; j < cols; j += 16) {
            __mmask16 k = lanes_512(cols - j);
            __m512 n = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, xr + j), vm), vs);
            store_512(yr + j, k, _mm512_add_ps(_mm512_mul_ps(n, _mm512_maskz_loadu_ps(k, w + j)), _mm512_maskz_loadu_ps(k, b + j)));
        }
        mean[i] = m;
        rstd[i] = s;
    }
}

QOR_AVX512 static void backward_input_avx512(const float *x, const float *w, const float *gy, size_t rows, size_t cols, const float *mean,
                                         const float *rstd, float *gx) {
    for (size_t i = 0; i < rows; i++) {
        const float *xr = x + i * cols, *gr = gy + i * cols;
        float *out = gx + i * cols;
        __m512 vm = _mm512_set1_ps(mean[i]), vs = _mm512_set1_ps(rstd[i]), a = _mm512_setzero_ps(), c = _mm512_setzero_ps();
        for (size_t j = 0; j < cols; j += 16) {
            __mmask16 k = lanes_512(cols - j);
            __m512 dn = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, gr + j), _mm512_maskz_loadu_ps(k, w + j));
            __m512 n = _mm512_maskz_mul_ps(k, _mm512_sub_ps(_mm512_maskz_loadu_ps(k, xr + j), vm), vs);
            a = _mm512_add_ps(a, dn);
            c = _mm512_fmadd_ps(dn, n, c);
        }
        __m512 va = _mm512_set1_ps(_mm512_reduce_add_ps(a) / (float)cols), vc = _mm512_set1_ps(_mm512_reduce_add_ps(c) / (float)cols);
        for (size_t j = 0; j < cols; j += 16) {
            __mmask16 k = lanes_512(cols - j);
            __m512 dn = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, gr + j), _mm512_maskz_loadu_ps(k, w + j));
            __m512 n = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, xr + j), vm), vs);
            __m512 g = _mm512_mul_ps(vs, _mm512_sub_ps(_mm512_sub_ps(dn, va), _mm512_mul_ps(n, vc)));
            store_512(out + j, k, _mm512_add_ps(_mm512_maskz_loadu_ps(k, out + j), g));
        }
    }
}

QOR_AVX512 static void backward_params_avx512(const float *x, const float *gy, size_t rows, size_t cols, const float *mean, const float *rstd,
                                          float *gw, float *gb) {
    for (size_t j = 0; j < cols; j += 16) {
        __mmask16 k = lanes_512(cols - j);
        __m512 sw = gw ? _mm512_maskz_loadu_ps(k, gw + j) : _mm512_setzero_ps(), sb = gb ? _mm512_maskz_loadu_ps(k, gb + j) : _mm512_setzero_ps();
        for (size_t i = 0; i < rows; i++) {
            __m512 g = _mm512_maskz_loadu_ps(k, gy + i * cols + j);
            if (gw) {
                __m512 n = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + i * cols + j), _mm512_set1_ps(mean[i])), _mm512_set1_ps(rstd[i]));
                sw = _mm512_add_ps(sw, _mm512_mul_ps(g, n));
            }
            sb = _mm512_add_ps(sb, g);
        }
        if (gw) store_512(gw + j, k, sw);
        if (gb) store_512(gb + j, k, sb);
    }
}
#endif

int qor_layer_norm_available(int variant) { return qor_avx512_variant_available(variant); }

static int resolve(int variant) { return qor_avx512_variant_resolve(variant); }

void qor_layer_norm_forward(int variant, const float *x, const float *w, const float *b, size_t rows, size_t cols, float eps,
                            float *y, float *mean, float *rstd) {
#if defined(__x86_64__)
    if (resolve(variant) == QOR_LN_AVX512) { forward_avx512(x, w, b, rows, cols, eps, y, mean, rstd); return; }
#endif
    forward_reference(x, w, b, rows, cols, eps, y, mean, rstd);
}

void qor_layer_norm_backward_input(int variant, const float *x, const float *w, const float *gy, size_t rows, size_t cols,
                                   const float *mean, const float *rstd, float *gx) {
#if defined(__x86_64__)
    if (resolve(variant) == QOR_LN_AVX512) { backward_input_avx512(x, w, gy, rows, cols, mean, rstd, gx); return; }
#endif
    backward_input_reference(x, w, gy, rows, cols, mean, rstd, gx);
}

void qor_layer_norm_backward_params(int variant, const float *x, const float *gy, size_t rows, size_t cols, const float *mean,
                                    const float *rstd, float *gw, float *gb) {
#if defined(__x86_64__)
    if (resolve(variant) == QOR_LN_AVX512) { backward_params_avx512(x, gy, rows, cols, mean, rstd, gw, gb); return; }
#endif
    backward_params_reference(x, gy, rows, cols, mean, rstd, gw, gb);
}
