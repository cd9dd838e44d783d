// Fast kernels for inference, in C so that they can use AVX2/AVX-512/VNNI through target
// attributes while the Swift code stays baseline x86-64. Every kernel has a plain reference
// variant; the fast one is chosen once at run time from the CPU's features.
#ifndef QOR_KERNELS_H
#define QOR_KERNELS_H

/// The widest instruction set the kernels use on this CPU: "avx512", "avx2" or "baseline".
const char *qor_kernels_isa(void);

#include "nm.h"

#endif
