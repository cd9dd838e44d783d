// 2:4 structured-sparse matrix multiply (COMPRESSION.md §3.3): a weight W (K x N, row-major, the
// Linear layout [input, output]) with at most 2 nonzeros in every group of 4 consecutive rows of
// a column is stored as its kept values plus a 2-bit index per value, and y = x W skips the zeros.
#ifndef QOR_NM_H
#define QOR_NM_H
#include <stddef.h>
#include <stdint.h>

/// Floats of the compressed values and 32-bit words of the indices for a K x N weight
/// (N is padded to a multiple of 16 columns).
size_t qor_nm24_values_count(int k, int n);
size_t qor_nm24_meta_count(int k, int n);

/// Compresses a 2:4-sparse W (K x N). Layout: per block of 16 columns, per group of 4 rows, per
/// slot s in {0, 1}: 16 values, and one word with the 16 columns' 2-bit indices. Returns 0, or
/// -1 when K is not a multiple of 4 or a group has more than 2 nonzeros.
int qor_nm24_compress(const float *w, int k, int n, float *values, uint32_t *meta);

/// y (M x N) = x (M x K) W, W compressed: plain C reference.
void qor_nm24_matmul_reference(const float *x, int m, int k, int n, const float *values, const uint32_t *meta, float *y);
/// The same, with the widest kernel this CPU runs (AVX-512 when present, else the reference).
void qor_nm24_matmul(const float *x, int m, int k, int n, const float *values, const uint32_t *meta, float *y);
/// Which variant qor_nm24_matmul uses: "avx512" or "reference".
const char *qor_nm24_variant(void);

/// y (M x N) = x (M x K) W (K x N) dense: the plain triple loop (what the sparse kernel is
/// compared with besides BLAS).
void qor_dense_matmul_reference(const float *x, int m, int k, int n, const float *w, float *y);

#endif
