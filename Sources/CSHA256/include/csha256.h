// csha256.h — SHA-256 block compression with the x86 SHA extensions (SHA-NI), for Corpus.SHA256.
// Record ids hash every byte of every record, and a scalar SHA-256 (~40 instructions per byte) was
// half of ingest time; SHA-NI runs about 5x faster. The Swift implementation stays the portable
// path and the test oracle. No other C code lives here.
#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions and SSE4.1 (checked once with cpuid), else 0.
int csha256_has_hardware(void);

/// Compresses `blocks` 64-byte blocks at `data` into `state` (H0…H7, host order).
/// Call only when csha256_has_hardware() returned 1.
void csha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// Like csha256_hardware_blocks for two independent messages at once (`blocks` blocks of each),
/// interleaved so the SHA unit works on both dependency chains: about twice the throughput.
void csha256_hardware_blocks_x2(uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8],
                                const uint8_t *data_b, size_t blocks);

#endif
