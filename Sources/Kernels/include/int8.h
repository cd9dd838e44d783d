// Int8 matrix products for quantised inference: unsigned 8-bit activations times signed 8-bit
// weights, accumulated exactly in int32 (AVX-512 VNNI `vpdpbusd` where the CPU has it, AVX2
// widening multiply-adds otherwise, a plain loop as the reference). Variant chosen at run time.
#ifndef QOR_INT8_H
#define QOR_INT8_H

#include <stddef.h>
#include <stdint.h>

/// Variants of the int8 kernels, for tests that compare each one with the reference.
enum { QOR_INT8_AUTO = 0, QOR_INT8_REFERENCE = 1, QOR_INT8_AVX2 = 2, QOR_INT8_VNNI = 3 };

/// Flags of `qor_int8_linear`: add to `y` instead of overwriting it; relu on the final `y`.
enum { QOR_INT8_ACCUMULATE = 1, QOR_INT8_RELU = 2 };

/// The variant AUTO picks on this CPU (QOR_INT8_VNNI, QOR_INT8_AVX2 or QOR_INT8_REFERENCE).
int qor_int8_best_variant(void);
/// Its name: "avx512vnni", "avx2" or "reference".
const char *qor_int8_variant_name(int variant);

/// Bytes of a `[k, n]` weight in the kernels' packed layout: blocks of 16 output columns, each
/// holding k in groups of 4 (`[ceil(n/16)][ceil(k/4)][16][4]`, zero padded).
size_t qor_int8_packed_size(int k, int n);
/// Packs a row-major `[k, n]` int8 weight into that layout.
void qor_int8_pack(const int8_t *w, int k, int n, int8_t *packed);

/// `out[m, n] = x[m, k] · w[k, n]` exactly in int32; `x` row-major with row stride `ldx`,
/// `packed` from `qor_int8_pack`, `out` with row stride `ldo`. REFERENCE reads the packed
/// layout element by element; `qor_int8_gemm_plain` is the layout-free oracle.
void qor_int8_gemm(int variant, int m, int n, int k, const uint8_t *x, int ldx, const int8_t *packed, int32_t *out, int ldo);
/// The oracle: plain row-major `w[k, n]`, three nested loops.
void qor_int8_gemm_plain(int m, int n, int k, const uint8_t *x, int ldx, const int8_t *w, int32_t *out, int ldo);

/// Quantises floats to u8: `q = clamp(round_half_even(x * inv_scale) + zero, 0, 255)`.
void qor_int8_quantize(int variant, const float *x, size_t count, float inv_scale, int zero, uint8_t *q);

/// A quantised linear layer: `y[m, n] (+)= (x_q · w - zero * colsum[j]) * x_scale * w_scale[j] + bias[j]`
/// with `x_q` the u8 form of `x` (`inv_scale = 1 / x_scale`, `zero`), then relu when asked.
/// `colsum[j]` = sum over k of `w[k, j]`; `bias` may be NULL; `scratch` holds `m * round_up(k, 4)` bytes
/// and `acc` `m * n` int32. `plain` (may be NULL): the weights row-major `[k, n]`; with it, AUTO runs
/// products of at least QOR_INT8_ONEDNN_ROWS rows through oneDNN on a VNNI CPU (1.4-2.3x faster than
/// the VNNI kernel there, slower at 32 rows; the same int32 sums), the others on the packed kernels.
enum { QOR_INT8_ONEDNN_ROWS = 64 };
void qor_int8_linear(int variant, int m, int n, int k, const float *x, int ldx, float x_scale, int zero,
                     const int8_t *packed, const int8_t *plain, const int32_t *colsum, const float *w_scale, const float *bias, int flags,
                     float *y, int ldy, uint8_t *scratch, int32_t *acc);

#endif
