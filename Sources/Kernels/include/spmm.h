// Sparse (CSR) times dense rows for the message passing: an AVX-512 variant where the CPU has it,
// the plain loops as the reference. Each output element is built by the same multiplies and adds in
// the same order in every variant (no fused multiply-add), so all variants give the same bits.
#ifndef QOR_SPMM_H
#define QOR_SPMM_H

#include <stddef.h>
#include <stdint.h>

enum { QOR_SPMM_AUTO = 0, QOR_SPMM_REFERENCE = 1, QOR_SPMM_AVX512 = 2 };

int qor_spmm_available(int variant);

/// For rows lo..<hi of CSR A: y[i] (+)= Σ_e values[e] x[columns[e]] (rows of `width`), in entry
/// order; with `has_diagonal`, `diagonal * x[i]` comes first (A's rows are square then).
void qor_spmm_rows(int variant, const int32_t *row_pointers, const int32_t *columns, const float *values, size_t lo, size_t hi,
                   const float *x, size_t width, float *y, int accumulate, int has_diagonal, float diagonal);

#endif
