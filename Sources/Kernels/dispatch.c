#include "kernels.h"
#include <string.h>

const char *qor_kernels_isa(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) return "avx512";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
#endif
    return "baseline";
}

int qor_avx512_variant_available(int variant) {
    if (variant == 0 || variant == 1) return 1;
    return variant == 2 && strcmp(qor_kernels_isa(), "avx512") == 0;
}

int qor_avx512_variant_resolve(int variant) {
    static int best = 0;
    if (variant != 0) return variant;
    int b = __atomic_load_n(&best, __ATOMIC_RELAXED);
    if (!b) {
        b = qor_avx512_variant_available(2) ? 2 : 1;
        __atomic_store_n(&best, b, __ATOMIC_RELAXED);
    }
    return b;
}
