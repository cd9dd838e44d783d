#include "gemm.h"
#include <dnnl.h>

void omp_set_num_threads(int);

int qor_sgemm_onednn(int transa, int transb, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc) {
    // oneDNN runs its products on OpenMP teams as wide as the machine; the engine already splits
    // large products over the cores, so every calling thread keeps its team at one.
    static __thread int single;
    if (!single) {
        omp_set_num_threads(1);
        single = 1;
    }
    dnnl_status_t s = dnnl_sgemm(transa ? 'T' : 'N', transb ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return s == dnnl_success ? 0 : -1;
}
