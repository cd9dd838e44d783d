// The LSTM step of an int8 model's flow encoder: the recurrent product h_prev · W_h with h_prev as
// u8 (|h| < 1 always, so one fixed scale: q = round(h * 127) + 128, no calibration) and W_h as the
// model's int8 weights (per gate column scales), summed exactly in int32 (AVX-512 VNNI `vpdpbusd`
// where the CPU has it, a plain loop as the reference); then the float gates of `qor_lstm_step`.
#ifndef QOR_LSTM_INT8_H
#define QOR_LSTM_INT8_H

#include <stddef.h>
#include <stdint.h>

/// Bytes of W_h [H, 4H] packed for `qor_lstm_int8_step`: per 16 hidden units and per 4 rows of
/// W_h, the four gates' [16][4] blocks (`[ceil(H/16)][ceil(H/4)][4][16][4]`, zero padded).
size_t qor_lstm_int8_packed_size(int hidden);
void qor_lstm_int8_pack(int hidden, const int8_t *w_h, int8_t *packed);

/// One step for `n` rows, as `qor_lstm_step` but with the recurrent term
///   (Σ_k q(h_prev[parent[r]])_k · W_h[k, j] − comp[j]) · scale[j]
/// where q(h) = clamp(round_half_even(h · 127) + 128, 0, 255), comp[j] = 128 Σ_k W_h[k, j] and
/// scale[j] = (W_h's column scale) / 127. `variant`: QOR_INT8_AUTO, QOR_INT8_REFERENCE or QOR_INT8_VNNI
/// (the latter falls back to the reference on CPUs without it). `w_h` is the unpacked [H, 4H]
/// matrix for the reference and `packed` its packed form for VNNI; either may be NULL when the
/// variant run does not read it (AUTO reads `packed` on VNNI CPUs, `w_h` otherwise).
void qor_lstm_int8_step(int variant, int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                        const int32_t *parent, const float *h_prev, const float *c_prev, const int8_t *w_h, const int8_t *packed,
                        const int32_t *comp, const float *scale, float *h_out, float *c_out);

#endif
