#include "gemm.h"
#include "int8.h"
#include <dnnl.h>

void omp_set_num_threads(int);

// oneDNN runs its products on OpenMP teams as wide as the machine; the engine already splits
// large products over the cores, so every calling thread keeps its team at one.
static void one_thread(void) {
    static __thread int single;
    if (!single) {
        omp_set_num_threads(1);
        single = 1;
    }
}

int qor_int8_gemm_onednn(int m, int n, int k, const uint8_t *x, int ldx, const int8_t *w, int32_t *out, int ldo) {
    // Without VNNI, oneDNN's u8·s8 kernels add byte pairs in saturating 16-bit lanes (vpmaddubsw):
    // wrong sums on ordinary inputs. The caller's own kernels are exact there.
    if (qor_int8_best_variant() != QOR_INT8_VNNI) return -1;
    one_thread();
    const int32_t offset = 0;
    dnnl_status_t s = dnnl_gemm_u8s8s32('N', 'N', 'F', m, n, k, 1.0f, x, ldx, 0, w, n, 0, 0.0f, out, ldo, &offset);
    return s == dnnl_success ? 0 : -1;
}

int qor_sgemm_onednn(int transa, int transb, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc) {
    one_thread();
    dnnl_status_t s = dnnl_sgemm(transa ? 'T' : 'N', transb ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return s == dnnl_success ? 0 : -1;
}
