// What the int8 kernels share about their packed operands: k in groups of 4 (one `vpdpbusd` lane
// sums 4 u8 × s8 products), read 4 u8 activations at a time as one int32.
#ifndef QOR_INT8_PACK_H
#define QOR_INT8_PACK_H

#include <stdint.h>
#include <string.h>

static inline int round_up4(int k) { return (k + 3) & ~3; }

static inline int32_t quad(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

#endif
