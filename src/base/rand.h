/* rand.h — fast cryptographic random bytes: a per-thread ChaCha20 stream keyed once from the
 * kernel (libsodium's randombytes), so hot paths (nonces, tracking codes) make no syscall. */
#ifndef QD_RAND_H
#define QD_RAND_H
#include <stddef.h>
#include <stdint.h>

void rand_bytes(void *out, size_t n);
/* Uniform in [0, upper) without modulo bias. */
uint32_t rand_uniform(uint32_t upper);

#endif
