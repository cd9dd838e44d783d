// Layer norm over rows for training (forward, input gradient, gain and shift gradients), Float:
// an AVX-512 variant where the CPU has it, the plain loops as the reference. The sums run in
// another order than the reference's, so variants agree to rounding, not to the bit.
#ifndef QOR_LAYERNORM_H
#define QOR_LAYERNORM_H

#include <stddef.h>

/// Variants, for tests that compare each one with the reference.
enum { QOR_LN_AUTO = 0, QOR_LN_REFERENCE = 1, QOR_LN_AVX512 = 2 };

/// Whether `variant` runs on this CPU (AUTO and REFERENCE always do).
int qor_layer_norm_available(int variant);

/// y = (x - mean) * rstd * w + b per row of `cols`; saves each row's mean and 1/std.
void qor_layer_norm_forward(int variant, const float *x, const float *w, const float *b, size_t rows, size_t cols, float eps,
                            float *y, float *mean, float *rstd);

/// gx += rstd * (dn - mean(dn) - n * mean(dn * n)), n = (x - mean) * rstd, dn = gy * w.
void qor_layer_norm_backward_input(int variant, const float *x, const float *w, const float *gy, size_t rows, size_t cols,
                                   const float *mean, const float *rstd, float *gx);

/// gw[j] += Σ_i gy[i, j] (x[i, j] - mean[i]) rstd[i] and gb[j] += Σ_i gy[i, j], rows in order
/// (either may be NULL).
void qor_layer_norm_backward_params(int variant, const float *x, const float *gy, size_t rows, size_t cols, const float *mean,
                                    const float *rstd, float *gw, float *gb);

#endif
