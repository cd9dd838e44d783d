// The LSTM cell of training (Tensor's fused lstmLayer), one step for a batch: gate activations
// in place, new cell state, its tanh and the new hidden state. AVX-512 (vectorised exp, about
// 1e-7 absolute from libm) where the CPU has it; the plain loop with libm as the reference.
#ifndef QOR_LSTM_CELL_H
#define QOR_LSTM_CELL_H

enum { QOR_CELL_AUTO = 0, QOR_CELL_REFERENCE = 1, QOR_CELL_AVX512 = 2 };

/// Whether `variant` runs on this CPU (AUTO and REFERENCE always do).
int qor_lstm_cell_available(int variant);

/// `gates` [b, 4h] holds pre-activations (i, f, g, o) and receives sigmoid(i), sigmoid(f),
/// tanh(g), sigmoid(o); then c_new = f c_prev + i g, tanh_c = tanh(c_new), h_new = o tanh_c
/// (all [b, h]).
void qor_lstm_cell(int variant, int b, int h, float *gates, const float *c_prev, float *c_new, float *tanh_c, float *h_new);

/// The backward of one step of `qor_lstm_cell` with the layer's masks: `gates` [b, 4h] activated,
/// `c_prev`, `tanh_c` [b, h] saved by the forward; `d_out` row r at `d_out + r * d_out_stride`
/// (the step's output gradient); `keep` [b] 1 or 0 (the row's sequence still runs). `dh`, `dc`
/// [b, h]: the gradients of the state after the step, replaced by the parts that pass to the
/// state before it unchanged (`dh * (1 - keep)`, and `dc`'s through the forget gate); `d_gates`
/// [b, 4h] receives the pre-activations' gradients (the caller adds `d_gates W_h^T` to `dh`).
void qor_lstm_cell_backward(int variant, int b, int h, const float *gates, const float *c_prev, const float *tanh_c,
                            const float *d_out, long d_out_stride, const float *keep, float *dh, float *dc, float *d_gates);

#endif
