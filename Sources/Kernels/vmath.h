// Vectorised exp, reciprocal, sigmoid and tanh for 16 float lanes (AVX-512), and the tail mask and
// store of rows that are not a multiple of 16, shared by the AVX-512 kernels. Include inside
// `#if defined(__x86_64__)` after <immintrin.h>.
#ifndef QOR_VMATH_H
#define QOR_VMATH_H

#define QOR_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

// The lanes of a row's next 16 floats when `left` remain.
QOR_AVX512 static inline __mmask16 lanes_512(size_t left) { return left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u); }

// Stores the lanes of `k`, a full vector with a plain store. (Kernels whose rows are short and
// many keep a plain loop over full vectors and mask only the tail: see spmm.c.)
QOR_AVX512 static inline void store_512(float *p, __mmask16 k, __m512 v) {
    if (k == (__mmask16)0xFFFF) _mm512_storeu_ps(p, v);
    else _mm512_mask_storeu_ps(p, k, v);
}

// e^x for 16 lanes: x = n ln 2 + r (Cody-Waite), e^r by Cephes' expf polynomial (about 1 ulp on
// |r| <= ln 2 / 2), times 2^n by vscalefps. The clamp keeps results normal; min/max put x second
// so that a NaN propagates.
QOR_AVX512 static inline __m512 exp_512(__m512 x) {
    x = _mm512_max_ps(_mm512_set1_ps(-87.0f), _mm512_min_ps(_mm512_set1_ps(87.0f), x));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    const __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(y, n);
}

// 1 / d by rcp14 and one Newton step (relative error about 2^-28).
QOR_AVX512 static inline __m512 reciprocal_512(__m512 d) {
    const __m512 y = _mm512_rcp14_ps(d);
    return _mm512_fmadd_ps(y, _mm512_fnmadd_ps(d, y, _mm512_set1_ps(1.0f)), y);
}

QOR_AVX512 static inline __m512 sigmoid_512(__m512 x) {
    return reciprocal_512(_mm512_add_ps(_mm512_set1_ps(1.0f), exp_512(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

// tanh x = 2 sigmoid(2x) - 1: absolute error about 1e-7 (not relative near 0), which is what the
// LSTM state needs.
QOR_AVX512 static inline __m512 tanh_512(__m512 x) {
    const __m512 s = reciprocal_512(_mm512_add_ps(_mm512_set1_ps(1.0f), exp_512(_mm512_mul_ps(_mm512_set1_ps(-2.0f), x))));
    return _mm512_fmsub_ps(_mm512_set1_ps(2.0f), s, _mm512_set1_ps(1.0f));
}

#endif
