// Float matrix products through oneDNN (libdnnl): its JIT kernels pick AVX-512 or AVX2 from the
// CPU's features at run time, where this machine's OpenBLAS is pinned to its AVX2 kernels.
#ifndef QOR_GEMM_H
#define QOR_GEMM_H

/// Row-major `C = alpha op(A) op(B) + beta C` (BLAS sgemm semantics), on the calling thread only.
/// Returns 0, or -1 when oneDNN refused the call (the caller then uses its reference).
int qor_sgemm_onednn(int transa, int transb, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc);

#endif
