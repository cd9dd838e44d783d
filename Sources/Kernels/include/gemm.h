// Float matrix products through oneDNN (libdnnl): its JIT kernels pick AVX-512 or AVX2 from the
// CPU's features at run time, where this machine's OpenBLAS is pinned to its AVX2 kernels.
#ifndef QOR_GEMM_H
#define QOR_GEMM_H

#include <stdint.h>

/// Row-major `C = alpha op(A) op(B) + beta C` (BLAS sgemm semantics), on the calling thread only.
/// Returns 0, or -1 when oneDNN refused the call (the caller then uses its reference).
int qor_sgemm_onednn(int transa, int transb, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc);

/// `out[m, n] = x[m, k] · w[k, n]` exactly in int32 (u8 times s8, row-major, `w` unpacked),
/// through oneDNN; 0, or -1 when oneDNN refused the call or the CPU has no VNNI (oneDNN's AVX2
/// kernel sums byte pairs in saturating 16-bit lanes: not exact).
int qor_int8_gemm_onednn(int m, int n, int k, const uint8_t *x, int ldx, const int8_t *w, int32_t *out, int ldo);

#endif
