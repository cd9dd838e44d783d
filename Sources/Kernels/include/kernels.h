// Fast kernels for inference, in C so that they can use AVX2/AVX-512/VNNI through target
// attributes while the Swift code stays baseline x86-64. Every kernel has a plain reference
// variant; the fast one is chosen once at run time from the CPU's features.
#ifndef QOR_KERNELS_H
#define QOR_KERNELS_H

#include <stddef.h>
#include "heap.h"
#include "gemm.h"
#include "layernorm.h"
#include "spmm.h"
#include "blocks.h"
#include "lstm_cell.h"
#include "lstm_int8.h"
#include <stdint.h>

/// The widest instruction set the kernels use on this CPU: "avx512", "avx2" or "baseline".
const char *qor_kernels_isa(void);

/// The kernel families with a reference and an AVX-512 variant (blocks, LSTM cell, layer norm,
/// spmm) number them alike: 0 AUTO, 1 REFERENCE, 2 AVX512. Whether `variant` runs on this CPU, and
/// the variant it stands for (AUTO: AVX512 where the CPU has it, else REFERENCE).
int qor_avx512_variant_available(int variant);
int qor_avx512_variant_resolve(int variant);

/// One LSTM step for `n` rows (gate order i, f, g, o; hidden size `hidden`, 4H = 4 * hidden):
/// gates = table[table_rows[r]] (row r when table_rows is NULL) + shared (when not NULL)
///         + h_prev[parent[r]] · W_h   (W_h row-major [H, 4H], given packed by `qor_lstm_pack`);
/// c_out[r] = σ(f) c_prev[parent[r]] + σ(i) tanh(g);  h_out[r] = σ(o) tanh(c_out[r]).
/// h_out/c_out must not overlap h_prev/c_prev.
void qor_lstm_step(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                   const int32_t *parent, const float *h_prev, const float *c_prev, const float *w_packed,
                   float *h_out, float *c_out);
/// Floats of W_h packed for `qor_lstm_step`: per 16 hidden units, a [H][4 gates][16] block.
size_t qor_lstm_packed_count(int hidden);
void qor_lstm_pack(int hidden, const float *w_h, float *packed);
/// The plain C loops `qor_lstm_step` must equal (libm expf/tanhf; W_h unpacked).
void qor_lstm_step_reference(int n, int hidden, const int32_t *table_rows, const float *table, const float *shared,
                             const int32_t *parent, const float *h_prev, const float *c_prev, const float *w_h,
                             float *h_out, float *c_out);

/// y[r] = act(x[r] · W + bias) for n rows: x [n, k] (row stride ldx), W row-major [k, m] given packed
/// by `qor_dense_pack`, bias [m] or NULL, act = relu when `relu` is nonzero, y [n, m] (row stride ldy).
void qor_dense(int n, int k, int m, const float *x, int ldx, const float *w_packed, const float *bias, int relu,
               float *y, int ldy);
/// Floats of W packed for `qor_dense`: per 64 columns, a zero-padded [k][64] block.
size_t qor_dense_packed_count(int k, int m);
void qor_dense_pack(int k, int m, const float *w, float *packed);
/// The plain C loops `qor_dense` must equal (W unpacked).
void qor_dense_reference(int n, int k, int m, const float *x, int ldx, const float *w, const float *bias, int relu,
                         float *y, int ldy);

#include "nm.h"

#endif
