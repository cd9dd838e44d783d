// The int8 LSTM step (see include/lstm_int8.h). The reference and the VNNI variant compute the same
// int32 sums and the same pre-activations (one fused multiply-add each); they differ only in the
// gate functions (libm against vmath.h's approximations), as the float step's variants do.
#include "lstm_int8.h"
#include "int8.h"
#include "int8_pack.h"
#include "lstm_rows.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static inline uint8_t quantize_h(float h) {
    long q = lrintf(h * 127.0f) + 128;
    return (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q);
}

static void step_reference(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                           const int32_t *parent, const float *h_prev, const float *c_prev, const int8_t *w_h,
                           const int32_t *comp, const float *scale, float *h_out, float *c_out) {
    const int H = hidden, H4 = 4 * hidden;
    int32_t acc[H4 > 0 ? H4 : 1];
    float gates[H4 > 0 ? H4 : 1];
    for (int r = 0; r < n; r++) {
        const float *init = table + (size_t)(table_rows ? table_rows[r] : r) * H4;
        const float *hp = h_prev + (size_t)parent[r] * H, *cp = c_prev + (size_t)parent[r] * H;
        memset(acc, 0, sizeof acc);
        for (int k = 0; k < H; k++) {
            const int32_t q = quantize_h(hp[k]);
            const int8_t *wk = w_h + (size_t)k * H4;
            for (int j = 0; j < H4; j++) acc[j] += q * (int32_t)wk[j];
        }
        for (int j = 0; j < H4; j++)
            gates[j] = fmaf(scale[j], (float)(acc[j] - comp[j]), init[j] + (shared ? shared[j] : 0.0f));
        lstm_update_ref(H, gates, cp, h_out + (size_t)r * H, c_out + (size_t)r * H);
    }
}

size_t qor_lstm_int8_packed_size(int hidden) {
    return (size_t)((hidden + 15) / 16) * (size_t)(round_up4(hidden) / 4) * 4 * 64;
}

void qor_lstm_int8_pack(int hidden, const int8_t *w_h, int8_t *packed) {
    const int H = hidden, kq = round_up4(H) / 4;
    memset(packed, 0, qor_lstm_int8_packed_size(H));
    for (int c = 0; c * 16 < H; c++)
        for (int p = 0; p < kq; p++)
            for (int q = 0; q < 4; q++)
                for (int l = 0; l < 16; l++)
                    for (int t = 0; t < 4; t++) {
                        const int j = c * 16 + l, k = 4 * p + t;
                        if (j < H && k < H)
                            packed[((((size_t)c * kq + p) * 4 + q) * 16 + l) * 4 + t] = w_h[(size_t)k * 4 * H + q * H + j];
                    }
}

#if defined(__x86_64__)
#include "vmath.h"

#define VNNI_GATES __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,fma")))

// R rows (<= 6), all hidden units: the rows' previous h quantised once, then per 16 units 4R int32
// accumulators (the four gates) in registers through the product, dequantised into the gates.
VNNI_GATES static inline __attribute__((always_inline)) void tile_vnni(
    const int R, const int H, const float *const *init, const float *shared, const float *const *hp, const float *const *cp,
    const int8_t *packed, const int32_t *comp, const float *scale, float *const *ho, float *const *co) {
    const int kq = round_up4(H) / 4;
    uint8_t hq[6][kq * 4];
    for (int r = 0; r < R; r++) {
        for (int k0 = 0; k0 < kq * 4; k0 += 16) {
            const __mmask16 m = lanes_512((size_t)(H > k0 ? H - k0 : 0));
            const __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, hp[r] + k0), _mm512_set1_ps(127.0f))),
                                               _mm512_set1_epi32(128));
            const __m128i b = _mm512_cvtusepi32_epi8(_mm512_max_epi32(q, _mm512_setzero_si512()));
            const int left = kq * 4 - k0 < 16 ? kq * 4 - k0 : 16;
            memcpy(hq[r] + k0, &b, (size_t)left);
        }
    }
    for (int j0 = 0; j0 < H; j0 += 16) {
        const __mmask16 m = lanes_512((size_t)(H - j0));
        __m512i acc[6][4];
        for (int r = 0; r < R; r++)
            for (int q = 0; q < 4; q++) acc[r][q] = _mm512_setzero_si512();
        const int8_t *w = packed + (size_t)(j0 / 16) * kq * 256;
        for (int p = 0; p < kq; p++, w += 256) {
            const __m512i w0 = _mm512_loadu_si512((const void *)w), w1 = _mm512_loadu_si512((const void *)(w + 64));
            const __m512i w2 = _mm512_loadu_si512((const void *)(w + 128)), w3 = _mm512_loadu_si512((const void *)(w + 192));
            for (int r = 0; r < R; r++) {
                const __m512i b = _mm512_set1_epi32(quad(hq[r] + 4 * p));
                acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], b, w0);
                acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], b, w1);
                acc[r][2] = _mm512_dpbusd_epi32(acc[r][2], b, w2);
                acc[r][3] = _mm512_dpbusd_epi32(acc[r][3], b, w3);
            }
        }
        __m512 sc[4], cm[4], sh[4];
        for (int q = 0; q < 4; q++) {
            sc[q] = _mm512_maskz_loadu_ps(m, scale + q * H + j0);
            cm[q] = _mm512_castsi512_ps(_mm512_maskz_loadu_epi32(m, comp + q * H + j0));
            sh[q] = shared ? _mm512_maskz_loadu_ps(m, shared + q * H + j0) : _mm512_setzero_ps();
        }
        for (int r = 0; r < R; r++) {
            __m512 g[4];
            for (int q = 0; q < 4; q++) {
                const __m512 base = _mm512_add_ps(_mm512_maskz_loadu_ps(m, init[r] + q * H + j0), sh[q]);
                const __m512 sum = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][q], _mm512_castps_si512(cm[q])));
                g[q] = _mm512_fmadd_ps(sc[q], sum, base);
            }
            const __m512 i = sigmoid_512(g[0]), f = sigmoid_512(g[1]);
            const __m512 gg = tanh_512(g[2]), o = sigmoid_512(g[3]);
            const __m512 c = _mm512_fmadd_ps(f, _mm512_maskz_loadu_ps(m, cp[r] + j0), _mm512_mul_ps(i, gg));
            _mm512_mask_storeu_ps(co[r] + j0, m, c);
            _mm512_mask_storeu_ps(ho[r] + j0, m, _mm512_mul_ps(o, tanh_512(c)));
        }
    }
}

#define QOR_TILE_CASE(RR) case RR: tile_vnni(RR, H, t.init, shared, t.hp, t.cp, packed, comp, scale, t.ho, t.co); break;

VNNI_GATES static void step_vnni(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                                 const int32_t *parent, const float *h_prev, const float *c_prev, const int8_t *packed,
                                 const int32_t *comp, const float *scale, float *h_out, float *c_out) {
    const int H = hidden;
    // Rows outer: the packed W_h (16 KB at H = 64) stays in L1 and each row is quantised once.
    for (int r0 = 0; r0 < n; r0 += QOR_LSTM_TILE) {
        const int R = n - r0 < QOR_LSTM_TILE ? n - r0 : QOR_LSTM_TILE;
        lstm_rows t;
        lstm_tile_rows(&t, r0, R, H, table_rows, table, parent, h_prev, c_prev, h_out, c_out);
        switch (R) {
            QOR_TILE_CASE(6) QOR_TILE_CASE(5) QOR_TILE_CASE(4) QOR_TILE_CASE(3) QOR_TILE_CASE(2) QOR_TILE_CASE(1)
            default: break;
        }
    }
}
#endif

void qor_lstm_int8_step(int variant, int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                        const int32_t *parent, const float *h_prev, const float *c_prev, const int8_t *w_h, const int8_t *packed,
                        const int32_t *comp, const float *scale, float *h_out, float *c_out) {
    const int vnni = qor_int8_best_variant() == QOR_INT8_VNNI && (variant == QOR_INT8_AUTO || variant == QOR_INT8_VNNI);
#if defined(__x86_64__)
    if (vnni && packed) {
        step_vnni(n, hidden, table_rows, table, shared, parent, h_prev, c_prev, packed, comp, scale, h_out, c_out);
        return;
    }
#endif
    (void)vnni;
    if (w_h) step_reference(n, hidden, table_rows, table, shared, parent, h_prev, c_prev, w_h, comp, scale, h_out, c_out);
}
