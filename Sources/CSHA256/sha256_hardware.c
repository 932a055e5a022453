// sha256_hardware.c — SHA-256 compression with SHA-NI intrinsics (FIPS 180-4 rounds, four per
// step). The state is kept as ABEF/CDGH vectors as the sha256rnds2 instruction wants; the message
// schedule is w[t] = s1(w[t-2]) + w[t-7] + s0(w[t-15]) + w[t-16], computed four words at a time
// with sha256msg1 (w[t-16] + s0), alignr (w[t-7]) and sha256msg2 (+ s1). The target attribute
// scopes the instruction set to this function, so the package needs no global -msha flag.
#include "csha256.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

int csha256_has_hardware(void) {
  unsigned int a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int sse41 = (c >> 19) & 1, ssse3 = (c >> 9) & 1;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  int sha = (b >> 29) & 1;
  return sse41 && ssse3 && sha;
}

__attribute__((target("sha,sse4.1,ssse3")))
void csha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
  // Big-endian words: reverse the bytes of each 32-bit lane.
  const __m128i byteswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);   // D C B A (lane 3..0)
  __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]); // H G F E
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                           // C D A B
  state1 = _mm_shuffle_epi32(state1, 0x1B);                     // E F G H
  __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);             // A B E F
  state1 = _mm_blend_epi16(state1, tmp, 0xF0);                  // C D G H

  while (blocks--) {
    const __m128i abef = state0, cdgh = state1;
    __m128i w[4];
    // Fully unrolled, so that w[] lives in registers (a rolled loop kept it on the stack).
#pragma clang loop unroll(full)
    for (int group = 0; group < 16; group++) {
      __m128i words;
      if (group < 4) {
        words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), byteswap);
      } else {
        // w[i-4] is in slot group%4 (about to be replaced); w[i-3], w[i-2], w[i-1] follow it.
        __m128i x = _mm_sha256msg1_epu32(w[group & 3], w[(group + 1) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(w[(group + 3) & 3], w[(group + 2) & 3], 4));
        words = _mm_sha256msg2_epu32(x, w[(group + 3) & 3]);
      }
      w[group & 3] = words;
      __m128i msg = _mm_add_epi32(words, _mm_loadu_si128((const __m128i *)&K[4 * group]));
      state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
    }
    state0 = _mm_add_epi32(state0, abef);
    state1 = _mm_add_epi32(state1, cdgh);
    data += 64;
  }

  tmp = _mm_shuffle_epi32(state0, 0x1B);        // F E B A
  state1 = _mm_shuffle_epi32(state1, 0xB1);     // D C H G
  state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // D C B A
  state1 = _mm_alignr_epi8(state1, tmp, 8);     // H G F E
  _mm_storeu_si128((__m128i *)&state[0], state0);
  _mm_storeu_si128((__m128i *)&state[4], state1);
}

// Two independent messages, one block of each per iteration. sha256rnds2 has a long latency but
// issues every other cycle or so, and each message's rounds form one dependency chain: a single
// stream leaves the unit idle most of the time, two streams in one loop nearly double throughput.
// The statements are those of csha256_hardware_blocks, written once per lane (A, B).
#define LOAD_STATE(st, s0, s1)                                    \
  do {                                                            \
    __m128i t_ = _mm_loadu_si128((const __m128i *)&(st)[0]);      \
    s1 = _mm_loadu_si128((const __m128i *)&(st)[4]);              \
    t_ = _mm_shuffle_epi32(t_, 0xB1);                             \
    s1 = _mm_shuffle_epi32(s1, 0x1B);                             \
    s0 = _mm_alignr_epi8(t_, s1, 8);                              \
    s1 = _mm_blend_epi16(s1, t_, 0xF0);                           \
  } while (0)
#define STORE_STATE(st, s0, s1)                                   \
  do {                                                            \
    __m128i t_ = _mm_shuffle_epi32(s0, 0x1B);                     \
    s1 = _mm_shuffle_epi32(s1, 0xB1);                             \
    s0 = _mm_blend_epi16(t_, s1, 0xF0);                           \
    s1 = _mm_alignr_epi8(s1, t_, 8);                              \
    _mm_storeu_si128((__m128i *)&(st)[0], s0);                    \
    _mm_storeu_si128((__m128i *)&(st)[4], s1);                    \
  } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
void csha256_hardware_blocks_x2(uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8],
                                const uint8_t *data_b, size_t blocks) {
  const __m128i byteswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  __m128i a0, a1, b0, b1;
  LOAD_STATE(state_a, a0, a1);
  LOAD_STATE(state_b, b0, b1);
  while (blocks--) {
    const __m128i abef_a = a0, cdgh_a = a1, abef_b = b0, cdgh_b = b1;
    __m128i wa[4], wb[4];
    // Fully unrolled, so that w[] lives in registers (a rolled loop kept it on the stack).
#pragma clang loop unroll(full)
    for (int group = 0; group < 16; group++) {
      __m128i xa, xb;
      if (group < 4) {
        xa = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_a + 16 * group)), byteswap);
        xb = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_b + 16 * group)), byteswap);
      } else {
        xa = _mm_sha256msg1_epu32(wa[group & 3], wa[(group + 1) & 3]);
        xb = _mm_sha256msg1_epu32(wb[group & 3], wb[(group + 1) & 3]);
        xa = _mm_add_epi32(xa, _mm_alignr_epi8(wa[(group + 3) & 3], wa[(group + 2) & 3], 4));
        xb = _mm_add_epi32(xb, _mm_alignr_epi8(wb[(group + 3) & 3], wb[(group + 2) & 3], 4));
        xa = _mm_sha256msg2_epu32(xa, wa[(group + 3) & 3]);
        xb = _mm_sha256msg2_epu32(xb, wb[(group + 3) & 3]);
      }
      wa[group & 3] = xa;
      wb[group & 3] = xb;
      const __m128i k = _mm_loadu_si128((const __m128i *)&K[4 * group]);
      __m128i ma = _mm_add_epi32(xa, k), mb = _mm_add_epi32(xb, k);
      a1 = _mm_sha256rnds2_epu32(a1, a0, ma);
      b1 = _mm_sha256rnds2_epu32(b1, b0, mb);
      ma = _mm_shuffle_epi32(ma, 0x0E);
      mb = _mm_shuffle_epi32(mb, 0x0E);
      a0 = _mm_sha256rnds2_epu32(a0, a1, ma);
      b0 = _mm_sha256rnds2_epu32(b0, b1, mb);
    }
    a0 = _mm_add_epi32(a0, abef_a);
    a1 = _mm_add_epi32(a1, cdgh_a);
    b0 = _mm_add_epi32(b0, abef_b);
    b1 = _mm_add_epi32(b1, cdgh_b);
    data_a += 64;
    data_b += 64;
  }
  STORE_STATE(state_a, a0, a1);
  STORE_STATE(state_b, b0, b1);
}

#else

int csha256_has_hardware(void) { return 0; }
void csha256_hardware_blocks_x2(uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8],
                                const uint8_t *data_b, size_t blocks) {
  (void)state_a; (void)data_a; (void)state_b; (void)data_b; (void)blocks;
}
void csha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
  (void)state; (void)data; (void)blocks;
}

#endif
