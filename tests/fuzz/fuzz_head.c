// clang-format off
// Built by `make fuzz` / `make fuzz-replay` (Makefile, into build-fuzz/).
// clang-format on
/* fuzz_head.c — libFuzzer target for the signed record's parsers (store/sign.c): any bytes as a
 * line of a heads file (sign_head_parse) and as a line of a public key file (sign_pub_parse).
 * Invariants (abort on violation):
 *   - no crash, leak or undefined behaviour;
 *   - a head that parses formats back to a line that parses to the same head, no longer than
 *     SIGN_LINE_MAX; its seq ≥ 1, at ≥ 0, key 16 lowercase hex digits;
 *   - a parsed head verifies under a fixed key only when signed by it: signing it with that key
 *     makes it verify, one flipped bit of the hash (or of the signature) makes it fail;
 *   - a public key line that parses (1) holds exactly 64 lowercase hex digits, spaces aside, whose
 *     bytes are the key returned. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sign.h"

static struct sign_key key;
static struct sign_pubs pubs;

static void setup(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	if (sodium_init() < 0)
		abort();
	unsigned char seed[crypto_sign_SEEDBYTES] = {9};
	crypto_sign_seed_keypair(key.pk, key.sk, seed);
	sodium_bin2hex(key.id, sizeof key.id, key.pk, SIGN_KEY_ID_HEX / 2);
	pubs.pk = malloc(sizeof *pubs.pk);
	memcpy(pubs.pk[0], key.pk, sizeof key.pk);
	pubs.n = pubs.cap = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	struct signed_head h;
	struct qd_err err;
	if (sign_head_parse((const char *)data, size, &h, &err) == 0) {
		if (h.seq < 1 || h.at < 0 || strlen(h.key) != SIGN_KEY_ID_HEX)
			abort();
		char *line = sign_head_format(&h);
		struct signed_head h2;
		if (strlen(line) > SIGN_LINE_MAX || sign_head_parse(line, strlen(line), &h2, &err) != 0 ||
		    memcmp(&h, &h2, sizeof h) != 0)
			abort();
		free(line);
		int was = sign_head_verify(&pubs, &h);
		if (was && strcmp(h.key, key.id) != 0)
			abort();
		sign_head(&key, &h);
		if (!sign_head_verify(&pubs, &h))
			abort();
		h.hash[size % 32] ^= 1;
		if (sign_head_verify(&pubs, &h))
			abort();
		h.hash[size % 32] ^= 1;
		h.sig[size % crypto_sign_BYTES] ^= 0x80;
		if (sign_head_verify(&pubs, &h))
			abort();
	}
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	int got = sign_pub_parse((const char *)data, size, pk, &err);
	if (got == 1) {
		size_t digits = 0;
		char hex[2 * crypto_sign_PUBLICKEYBYTES + 1];
		for (size_t i = 0; i < size; i++) {
			char c = (char)data[i];
			if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
				if (digits >= sizeof hex - 1)
					abort();
				hex[digits++] = c;
			} else if (c != ' ' && c != '\t' && c != '\r') {
				abort();
			}
		}
		hex[digits] = 0;
		char back[sizeof hex];
		sodium_bin2hex(back, sizeof back, pk, sizeof pk);
		if (digits != 64 || strcmp(hex, back) != 0)
			abort();
	} else if (got != 0 && got != -1) {
		abort();
	}
	return 0;
}
