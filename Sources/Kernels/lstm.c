// One LSTM time step over a set of rows, fused: gate pre-activations from a table row (the
// token's input projection, or a precomputed input term) plus an optional shared row (the
// position's projection and the bias), plus h_prev · W_h; then the gate non-linearities and the
// state update. Rows read their previous state through `parent`, so rows that share a prefix of
// their flows can share its states (a prefix trie) and step 0 can read a table.
#include "kernels.h"
#include "lstm_rows.h"
#include <math.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

void qor_lstm_step_reference(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                             const int32_t *parent, const float *h_prev, const float *c_prev, const float *w_h,
                             float *h_out, float *c_out) {
    const int H = hidden, H4 = 4 * hidden;
    float gates[H4 > 0 ? H4 : 1];
    for (int r = 0; r < n; r++) {
        const float *init = table + (size_t)(table_rows ? table_rows[r] : r) * H4;
        const float *hp = h_prev + (size_t)parent[r] * H, *cp = c_prev + (size_t)parent[r] * H;
        for (int j = 0; j < H4; j++) gates[j] = init[j] + (shared ? shared[j] : 0.0f);
        for (int k = 0; k < H; k++) {
            const float hk = hp[k];
            const float *wk = w_h + (size_t)k * H4;
            for (int j = 0; j < H4; j++) gates[j] += hk * wk[j];
        }
        lstm_update_ref(H, gates, cp, h_out + (size_t)r * H, c_out + (size_t)r * H);
    }
}

#if defined(__x86_64__)
#include "vmath.h"

// R rows (<= 6) by 16 hidden units from j0 (lanes in `m`): 4R accumulators (the four gates of
// each unit) held in registers through the h · W_h product and the state update.
QOR_AVX512 static inline __attribute__((always_inline)) void lstm_tile_512(
    const int R, const int H, const int j0, const __mmask16 m, const float *const *init, const float *shared,
    const float *const *hp, const float *const *cp, const float *w_packed, float *const *ho, float *const *co) {
    __m512 acc[6][4];
    for (int q = 0; q < 4; q++) {
        const __m512 s = shared ? _mm512_maskz_loadu_ps(m, shared + q * H + j0) : _mm512_setzero_ps();
        for (int r = 0; r < R; r++) acc[r][q] = _mm512_add_ps(_mm512_maskz_loadu_ps(m, init[r] + q * H + j0), s);
    }
    // Packed weights: this chunk's [H][4 gates][16] block, read front to back (the unpacked
    // columns of one chunk sit 1 KB apart at H = 64 and thrash a few L1 sets).
    const float *w = w_packed + (size_t)(j0 / 16) * H * 64;
    for (int k = 0; k < H; k++, w += 64) {
        const __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + 16);
        const __m512 w2 = _mm512_loadu_ps(w + 32), w3 = _mm512_loadu_ps(w + 48);
        for (int r = 0; r < R; r++) {
            const __m512 b = _mm512_set1_ps(hp[r][k]);
            acc[r][0] = _mm512_fmadd_ps(b, w0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(b, w1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(b, w2, acc[r][2]);
            acc[r][3] = _mm512_fmadd_ps(b, w3, acc[r][3]);
        }
    }
    for (int r = 0; r < R; r++) {
        const __m512 i = sigmoid_512(acc[r][0]), f = sigmoid_512(acc[r][1]);
        const __m512 g = tanh_512(acc[r][2]), o = sigmoid_512(acc[r][3]);
        const __m512 c = _mm512_fmadd_ps(f, _mm512_maskz_loadu_ps(m, cp[r] + j0), _mm512_mul_ps(i, g));
        _mm512_mask_storeu_ps(co[r] + j0, m, c);
        _mm512_mask_storeu_ps(ho[r] + j0, m, _mm512_mul_ps(o, tanh_512(c)));
    }
}

#define QOR_TILE_CASE(RR) case RR: lstm_tile_512(RR, H, j0, m, t.init, shared, t.hp, t.cp, w_packed, t.ho, t.co); break;

QOR_AVX512 static void lstm_step_avx512(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                                        const int32_t *parent, const float *h_prev, const float *c_prev, const float *w_packed,
                                        float *h_out, float *c_out) {
    const int H = hidden;
    // Hidden units outer: the 16 KB of packed W_h one chunk reads (H = 64) stays in L1 over all rows.
    for (int j0 = 0; j0 < H; j0 += 16) {
        const int lanes = H - j0 < 16 ? H - j0 : 16;
        const __mmask16 m = (__mmask16)((1u << lanes) - 1u);
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
}
#endif

size_t qor_lstm_packed_count(int hidden) { return (size_t)((hidden + 15) / 16) * (size_t)hidden * 64; }

void qor_lstm_pack(int hidden, const float *w_h, float *packed) {
    const int H = hidden;
    for (int c = 0; c * 16 < H; c++)
        for (int k = 0; k < H; k++)
            for (int q = 0; q < 4; q++)
                for (int l = 0; l < 16; l++) {
                    const int j = c * 16 + l;
                    packed[(((size_t)c * H + k) * 4 + q) * 16 + l] = j < H ? w_h[(size_t)k * 4 * H + q * H + j] : 0.0f;
                }
}

// The reference on packed weights (CPUs without AVX-512): unpacks one row of W_h at a time.
static void lstm_step_packed_reference(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                                       const int32_t *parent, const float *h_prev, const float *c_prev, const float *w_packed,
                                       float *h_out, float *c_out) {
    const int H = hidden, H4 = 4 * hidden;
    float w_h[H * H4 > 0 ? H * H4 : 1];
    for (int c = 0; c * 16 < H; c++)
        for (int k = 0; k < H; k++)
            for (int q = 0; q < 4; q++)
                for (int l = 0; l < 16 && c * 16 + l < H; l++)
                    w_h[(size_t)k * H4 + q * H + c * 16 + l] = w_packed[(((size_t)c * H + k) * 4 + q) * 16 + l];
    qor_lstm_step_reference(n, hidden, table_rows, table, shared, parent, h_prev, c_prev, w_h, h_out, c_out);
}

typedef void (*lstm_step_fn)(int, int, const int32_t *, const float *, const float *, const int32_t *, const float *,
                             const float *, const float *, float *, float *);

static lstm_step_fn lstm_step_choice(void) {
#if defined(__x86_64__)
    if (strcmp(qor_kernels_isa(), "avx512") == 0) return lstm_step_avx512;
#endif
    return lstm_step_packed_reference;
}

void qor_lstm_step(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                   const int32_t *parent, const float *h_prev, const float *c_prev, const float *w_packed,
                   float *h_out, float *c_out) {
    static lstm_step_fn chosen = 0;
    lstm_step_fn f = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (!f) {
        f = lstm_step_choice();
        __atomic_store_n(&chosen, f, __ATOMIC_RELAXED);
    }
    f(n, hidden, table_rows, table, shared, parent, h_prev, c_prev, w_packed, h_out, c_out);
}
