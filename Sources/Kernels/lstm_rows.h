// What the float and int8 LSTM steps share: the rows of one tile (where each reads its gate input
// and, through `parent`, its previous states, and where it writes) and the reference gate update.
#ifndef QOR_LSTM_ROWS_H
#define QOR_LSTM_ROWS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/// Rows per tile of the AVX-512 steps: 4 gate accumulators each, 24 registers.
enum { QOR_LSTM_TILE = 6 };

typedef struct {
    const float *init[QOR_LSTM_TILE], *hp[QOR_LSTM_TILE], *cp[QOR_LSTM_TILE];
    float *ho[QOR_LSTM_TILE], *co[QOR_LSTM_TILE];
} lstm_rows;

static inline void lstm_tile_rows(lstm_rows *t, int r0, int R, int H, const int32_t *table_rows, const float *table,
                                  const int32_t *parent, const float *h_prev, const float *c_prev, float *h_out, float *c_out) {
    for (int r = 0; r < R; r++) {
        const int row = r0 + r;
        t->init[r] = table + (size_t)(table_rows ? table_rows[row] : row) * 4 * (size_t)H;
        t->hp[r] = h_prev + (size_t)parent[row] * H;
        t->cp[r] = c_prev + (size_t)parent[row] * H;
        t->ho[r] = h_out + (size_t)row * H;
        t->co[r] = c_out + (size_t)row * H;
    }
}

static inline float lstm_sigmoid_ref(float x) { return 1.0f / (1.0f + expf(-x)); }

/// The gate non-linearities and state update of one row from its pre-activations `gates` [4H]
/// (order i, f, g, o), with libm.
static inline void lstm_update_ref(int H, const float *gates, const float *cp, float *h, float *c) {
    for (int j = 0; j < H; j++) {
        const float i = lstm_sigmoid_ref(gates[j]), f = lstm_sigmoid_ref(gates[H + j]);
        const float g = tanhf(gates[2 * H + j]), o = lstm_sigmoid_ref(gates[3 * H + j]);
        c[j] = f * cp[j] + i * g;
        h[j] = o * tanhf(c[j]);
    }
}

#endif
