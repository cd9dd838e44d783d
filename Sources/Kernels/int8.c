// Int8 products for quantised inference (see include/int8.h). Each variant computes the same
// int32 sums exactly; the float epilogue uses one fused multiply-add per element in every
// variant, so all variants give bit-identical floats too.
#include "int8.h"
#include "gemm.h"
#include "int8_pack.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define BLOCK 16

static int best_variant(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512vnni"))
        return QOR_INT8_VNNI;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return QOR_INT8_AVX2;
#endif
    return QOR_INT8_REFERENCE;
}

// Chosen once: the step kernels ask on every call.
int qor_int8_best_variant(void) {
    static int best = 0;
    int b = __atomic_load_n(&best, __ATOMIC_RELAXED);
    if (!b) {
        b = best_variant();
        __atomic_store_n(&best, b, __ATOMIC_RELAXED);
    }
    return b;
}

const char *qor_int8_variant_name(int variant) {
    switch (variant == QOR_INT8_AUTO ? qor_int8_best_variant() : variant) {
    case QOR_INT8_VNNI: return "avx512vnni";
    case QOR_INT8_AVX2: return "avx2";
    default: return "reference";
    }
}

/// The variant to run: AUTO resolves to the best; a variant the CPU lacks falls back to the reference.
static int resolve(int variant) {
    int best = qor_int8_best_variant();
    if (variant == QOR_INT8_AUTO) return best;
    if (variant == QOR_INT8_VNNI && best != QOR_INT8_VNNI) return QOR_INT8_REFERENCE;
    if (variant == QOR_INT8_AVX2 && best == QOR_INT8_REFERENCE) return QOR_INT8_REFERENCE;
    return variant;
}

size_t qor_int8_packed_size(int k, int n) {
    return (size_t)((n + BLOCK - 1) / BLOCK) * (size_t)(round_up4(k) / 4) * BLOCK * 4;
}

void qor_int8_pack(const int8_t *w, int k, int n, int8_t *packed) {
    int kq = round_up4(k) / 4, nb = (n + BLOCK - 1) / BLOCK;
    memset(packed, 0, qor_int8_packed_size(k, n));
    for (int b = 0; b < nb; b++)
        for (int q = 0; q < kq; q++)
            for (int c = 0; c < BLOCK; c++)
                for (int t = 0; t < 4; t++) {
                    int p = 4 * q + t, j = b * BLOCK + c;
                    if (p < k && j < n) packed[(((size_t)b * kq + q) * BLOCK + c) * 4 + t] = w[(size_t)p * n + j];
                }
}

void qor_int8_gemm_plain(int m, int n, int k, const uint8_t *x, int ldx, const int8_t *w, int32_t *out, int ldo) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            int32_t acc = 0;
            for (int p = 0; p < k; p++) acc += (int32_t)x[(size_t)i * ldx + p] * (int32_t)w[(size_t)p * n + j];
            out[(size_t)i * ldo + j] = acc;
        }
}

static void gemm_reference(int m, int n, int k, const uint8_t *x, int ldx, const int8_t *packed, int32_t *out, int ldo) {
    int kq = round_up4(k) / 4;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            int b = j / BLOCK, c = j % BLOCK;
            int32_t acc = 0;
            for (int p = 0; p < k; p++)
                acc += (int32_t)x[(size_t)i * ldx + p] * (int32_t)packed[(((size_t)b * kq + p / 4) * BLOCK + c) * 4 + p % 4];
            out[(size_t)i * ldo + j] = acc;
        }
}


#if defined(__x86_64__)

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define AVX2 __attribute__((target("avx2,fma")))

/// Stores the first `cols` lanes of `v` (1...16).
VNNI static inline void store16(int32_t *o, __m512i v, int cols) {
    if (cols >= BLOCK) _mm512_storeu_si512((void *)o, v);
    else _mm512_mask_storeu_epi32(o, (__mmask16)((1u << cols) - 1), v);
}

/// Four rows times four column blocks (64 columns): 16 accumulators, one weight load per block and
/// quad, one broadcast per row and quad.
VNNI static void tile_vnni_4x4(int kq, const uint8_t *x, int ldx, const int8_t *w, size_t blockStride, int32_t *o, int ldo, int cols) {
    __m512i acc[4][4];
    for (int r = 0; r < 4; r++)
        for (int b = 0; b < 4; b++) acc[r][b] = _mm512_setzero_si512();
    for (int q = 0; q < kq; q++) {
        __m512i wv[4];
        for (int b = 0; b < 4; b++) wv[b] = _mm512_loadu_si512((const void *)(w + b * blockStride + (size_t)q * 64));
        for (int r = 0; r < 4; r++) {
            __m512i xv = _mm512_set1_epi32(quad(x + (size_t)r * ldx + 4 * q));
            for (int b = 0; b < 4; b++) acc[r][b] = _mm512_dpbusd_epi32(acc[r][b], xv, wv[b]);
        }
    }
    for (int r = 0; r < 4; r++)
        for (int b = 0; b < 4; b++) {
            int left = cols - b * BLOCK;
            if (left > 0) store16(o + (size_t)r * ldo + b * BLOCK, acc[r][b], left);
        }
}

/// One row times one column block.
VNNI static void tile_vnni_1x1(int kq, const uint8_t *x, const int8_t *w, int32_t *o, int cols) {
    __m512i acc = _mm512_setzero_si512();
    for (int q = 0; q < kq; q++)
        acc = _mm512_dpbusd_epi32(acc, _mm512_set1_epi32(quad(x + 4 * q)), _mm512_loadu_si512((const void *)(w + (size_t)q * 64)));
    store16(o, acc, cols);
}

VNNI static void gemm_vnni(int m, int n, int k, const uint8_t *x, int ldx, const int8_t *packed, int32_t *out, int ldo) {
    int kq = round_up4(k) / 4, nb = (n + BLOCK - 1) / BLOCK;
    size_t blockStride = (size_t)kq * 64;
    int i = 0;
    for (; i + 4 <= m; i += 4) {
        int b = 0;
        for (; b + 4 <= nb; b += 4) {
            int cols = n - b * BLOCK;
            tile_vnni_4x4(kq, x + (size_t)i * ldx, ldx, packed + b * blockStride, blockStride, out + (size_t)i * ldo + b * BLOCK, ldo,
                          cols > 4 * BLOCK ? 4 * BLOCK : cols);
        }
        for (; b < nb; b++)
            for (int r = 0; r < 4; r++)
                tile_vnni_1x1(kq, x + (size_t)(i + r) * ldx, packed + b * blockStride, out + (size_t)(i + r) * ldo + b * BLOCK, n - b * BLOCK);
    }
    for (; i < m; i++)
        for (int b = 0; b < nb; b++)
            tile_vnni_1x1(kq, x + (size_t)i * ldx, packed + b * blockStride, out + (size_t)i * ldo + b * BLOCK, n - b * BLOCK);
}

/// One row times one column block with 16-bit widening multiply-adds (`vpmaddubsw` would saturate
/// u8 × s8 pair sums): four accumulators of four columns × two partial sums each.
AVX2 static void tile_avx2(int kq, const uint8_t *x, const int8_t *w, int32_t *o, int cols) {
    __m256i acc[4];
    for (int a = 0; a < 4; a++) acc[a] = _mm256_setzero_si256();
    for (int q = 0; q < kq; q++) {
        const uint8_t *xp = x + 4 * q;
        __m256i xv = _mm256_set1_epi64x((long long)((uint64_t)xp[0] | (uint64_t)xp[1] << 16 | (uint64_t)xp[2] << 32 | (uint64_t)xp[3] << 48));
        for (int a = 0; a < 4; a++) {
            __m256i wv = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + (size_t)q * 64 + a * 16)));
            acc[a] = _mm256_add_epi32(acc[a], _mm256_madd_epi16(wv, xv));
        }
    }
    int32_t tmp[BLOCK];
    __m256i lo = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[0], acc[1]), 0xD8);
    __m256i hi = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[2], acc[3]), 0xD8);
    _mm256_storeu_si256((__m256i *)tmp, lo);
    _mm256_storeu_si256((__m256i *)(tmp + 8), hi);
    memcpy(o, tmp, sizeof(int32_t) * (size_t)(cols < BLOCK ? cols : BLOCK));
}

AVX2 static void gemm_avx2(int m, int n, int k, const uint8_t *x, int ldx, const int8_t *packed, int32_t *out, int ldo) {
    int kq = round_up4(k) / 4, nb = (n + BLOCK - 1) / BLOCK;
    size_t blockStride = (size_t)kq * 64;
    for (int i = 0; i < m; i++)
        for (int b = 0; b < nb; b++)
            tile_avx2(kq, x + (size_t)i * ldx, packed + b * blockStride, out + (size_t)i * ldo + b * BLOCK, n - b * BLOCK);
}

VNNI static void quantize_avx512(const float *x, size_t count, float inv_scale, int zero, uint8_t *q) {
    __m512 s = _mm512_set1_ps(inv_scale), lo = _mm512_set1_ps(-512), hi = _mm512_set1_ps(512);
    __m512i z = _mm512_set1_epi32(zero), zeroes = _mm512_setzero_si512(), top = _mm512_set1_epi32(255);
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512 f = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_loadu_ps(x + i), s), lo), hi);
        __m512i v = _mm512_add_epi32(_mm512_cvtps_epi32(f), z);
        v = _mm512_min_epi32(_mm512_max_epi32(v, zeroes), top);
        _mm_storeu_si128((__m128i *)(q + i), _mm512_cvtepi32_epi8(v));
    }
    for (; i < count; i++) {
        float f = fminf(fmaxf(x[i] * inv_scale, -512.0f), 512.0f);
        int v = (int)nearbyintf(f) + zero;
        q[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

VNNI static void epilogue_avx512(int m, int n, const int32_t *acc, int zero, const int32_t *colsum, float x_scale, const float *w_scale,
                                 const float *bias, int flags, float *y, int ldy) {
    for (int i = 0; i < m; i++) {
        float *yr = y + (size_t)i * ldy;
        const int32_t *ar = acc + (size_t)i * n;
        for (int j = 0; j < n; j += 16) {
            int left = n - j;
            __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            __m512i a = _mm512_sub_epi32(_mm512_maskz_loadu_epi32(mask, ar + j),
                                         _mm512_mullo_epi32(_mm512_set1_epi32(zero), _mm512_maskz_loadu_epi32(mask, colsum + j)));
            __m512 c = _mm512_mul_ps(_mm512_set1_ps(x_scale), _mm512_maskz_loadu_ps(mask, w_scale + j));
            __m512 b = bias ? _mm512_maskz_loadu_ps(mask, bias + j) : _mm512_setzero_ps();
            if (flags & QOR_INT8_ACCUMULATE) b = _mm512_add_ps(b, _mm512_maskz_loadu_ps(mask, yr + j));
            __m512 v = _mm512_fmadd_ps(_mm512_cvtepi32_ps(a), c, b);
            if (flags & QOR_INT8_RELU) v = _mm512_max_ps(v, _mm512_setzero_ps());
            _mm512_mask_storeu_ps(yr + j, mask, v);
        }
    }
}

#endif

static void quantize_reference(const float *x, size_t count, float inv_scale, int zero, uint8_t *q) {
    for (size_t i = 0; i < count; i++) {
        float f = fminf(fmaxf(x[i] * inv_scale, -512.0f), 512.0f);
        int v = (int)nearbyintf(f) + zero;
        q[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

static void epilogue_reference(int m, int n, const int32_t *acc, int zero, const int32_t *colsum, float x_scale, const float *w_scale,
                               const float *bias, int flags, float *y, int ldy) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            float *out = y + (size_t)i * ldy + j;
            float b = bias ? bias[j] : 0.0f;
            if (flags & QOR_INT8_ACCUMULATE) b = b + *out;
            float v = fmaf((float)(acc[(size_t)i * n + j] - zero * colsum[j]), x_scale * w_scale[j], b);
            if ((flags & QOR_INT8_RELU) && !(v > 0.0f)) v = 0.0f;
            *out = v;
        }
}

void qor_int8_gemm(int variant, int m, int n, int k, const uint8_t *x, int ldx, const int8_t *packed, int32_t *out, int ldo) {
    if (m <= 0 || n <= 0) return;
    switch (resolve(variant)) {
#if defined(__x86_64__)
    case QOR_INT8_VNNI: gemm_vnni(m, n, k, x, ldx, packed, out, ldo); return;
    case QOR_INT8_AVX2: gemm_avx2(m, n, k, x, ldx, packed, out, ldo); return;
#endif
    default: gemm_reference(m, n, k, x, ldx, packed, out, ldo); return;
    }
}

void qor_int8_quantize(int variant, const float *x, size_t count, float inv_scale, int zero, uint8_t *q) {
#if defined(__x86_64__)
    if (resolve(variant) == QOR_INT8_VNNI) { quantize_avx512(x, count, inv_scale, zero, q); return; }
#endif
    quantize_reference(x, count, inv_scale, zero, q);
}

void qor_int8_linear(int variant, int m, int n, int k, const float *x, int ldx, float x_scale, int zero,
                     const int8_t *packed, const int8_t *plain, const int32_t *colsum, const float *w_scale, const float *bias, int flags,
                     float *y, int ldy, uint8_t *scratch, int32_t *acc) {
    if (m <= 0 || n <= 0) return;
    int through_onednn = variant == QOR_INT8_AUTO && plain != NULL && m >= QOR_INT8_ONEDNN_ROWS;
    int v = resolve(variant), kp = round_up4(k);
    float inv = x_scale > 0 ? 1.0f / x_scale : 0.0f;
    for (int i = 0; i < m; i++) {
        qor_int8_quantize(v, x + (size_t)i * ldx, (size_t)k, inv, zero, scratch + (size_t)i * kp);
        for (int p = k; p < kp; p++) scratch[(size_t)i * kp + p] = 0;
    }
    if (!through_onednn || qor_int8_gemm_onednn(m, n, k, scratch, kp, plain, acc, n) != 0) qor_int8_gemm(v, m, n, k, scratch, kp, packed, acc, n);
#if defined(__x86_64__)
    if (v == QOR_INT8_VNNI) { epilogue_avx512(m, n, acc, zero, colsum, x_scale, w_scale, bias, flags, y, ldy); return; }
#endif
    epilogue_reference(m, n, acc, zero, colsum, x_scale, w_scale, bias, flags, y, ldy);
}
