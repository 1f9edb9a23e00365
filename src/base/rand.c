/* rand.c — per-thread ChaCha20 keystream (libsodium crypto_stream_chacha20) keyed from
 * randombytes_buf on first use; the 64-bit nonce counts up, so no keystream block repeats.
 * Written here because libsodium's randombytes_buf issues a getrandom(2) syscall per call,
 * which dominated the writer thread's profile on intake (a dozen calls per problem). */
#include "base/rand.h"
#include <sodium.h>
#include <string.h>

static _Thread_local struct {
	int seeded;
	unsigned char key[crypto_stream_chacha20_KEYBYTES];
	uint64_t nonce;
	unsigned char pool[512];
	size_t left;
} st;

static void refill(void)
{
	if (!st.seeded) {
		randombytes_buf(st.key, sizeof st.key);
		st.nonce = 0;
		st.seeded = 1;
	}
	unsigned char n[crypto_stream_chacha20_NONCEBYTES];
	memcpy(n, &st.nonce, sizeof n);
	st.nonce++;
	crypto_stream_chacha20(st.pool, sizeof st.pool, n, st.key);
	st.left = sizeof st.pool;
}

void rand_bytes(void *out, size_t n)
{
	unsigned char *o = out;
	while (n) {
		if (!st.left)
			refill();
		size_t k = n < st.left ? n : st.left;
		unsigned char *src = st.pool + sizeof st.pool - st.left;
		memcpy(o, src, k);
		sodium_memzero(src, k); /* used bytes do not linger */
		st.left -= k;
		o += k;
		n -= k;
	}
}

uint32_t rand_uniform(uint32_t upper)
{
	if (upper < 2)
		return 0;
	uint32_t min = (uint32_t)(-upper) % upper, r;
	do
		rand_bytes(&r, sizeof r);
	while (r < min);
	return r % upper;
}
