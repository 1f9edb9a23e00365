/* seal.c — sealing with the personal-data key (libsodium secretbox, XSalsa20-Poly1305): a
 * sealed value is base64 (no padding) of nonce ‖ ciphertext ‖ MAC.  Used for the reporter's
 * personal data (problem_pii) and for the originals of free text in the event log.  Also the
 * keyed hash of a reporter's phone number (BLAKE2b under a subkey of the same key): an exact
 * lookup by phone for the personal-data right, which reveals nothing without the key — and the
 * subkeys of the same key the server derives for other purposes (store_derive_key). */
#include "base/mem.h"
#include "base/rand.h"
#include "core/problem.h"
#include "store/internal.h"
#include <string.h>

char *seal_with(const unsigned char key[crypto_secretbox_KEYBYTES], const char *plain)
{
	size_t n = strlen(plain);
	size_t clen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *box = xmalloc(clen);
	rand_bytes(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, box, key);
	size_t blen = sodium_base64_encoded_len(clen, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	char *out = xmalloc(blen);
	sodium_bin2base64(out, blen, box, clen, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	free(box);
	return out;
}

char *unseal_with(const unsigned char key[crypto_secretbox_KEYBYTES], const char *sealed)
{
	if (!sealed)
		return NULL;
	size_t slen = strlen(sealed), blen = 0;
	unsigned char *box = xmalloc(slen + 1);
	char *out = NULL;
	if (sodium_base642bin(box, slen + 1, sealed, slen, NULL, &blen, NULL,
			      sodium_base64_VARIANT_ORIGINAL_NO_PADDING) == 0 &&
	    blen >= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
		out = xmalloc(n + 1);
		if (crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
					       blen - crypto_secretbox_NONCEBYTES, box, key) != 0) {
			free(out);
			out = NULL;
		} else {
			out[n] = 0;
		}
	}
	free(box);
	return out;
}

char *store_seal(struct store *s, const char *plain)
{
	return seal_with(s->key, plain);
}

char *store_open_sealed(struct store *s, const char *sealed)
{
	return unseal_with(s->key, sealed);
}

void plain_free(char *p)
{
	if (p) {
		sodium_memzero(p, strlen(p));
		free(p);
	}
}

int phone_hash_with(const unsigned char key[crypto_secretbox_KEYBYTES], const char *phone, char hex[33])
{
	char d[16];
	if (problem_phone_key(phone, d))
		return -1;
	_Static_assert(crypto_kdf_KEYBYTES == crypto_secretbox_KEYBYTES, "one key derives the other");
	/* 128 bits: no collision among any number of phones a province holds, and half the bytes
	 * in every event, row and index entry */
	unsigned char sub[32], h[16];
	crypto_kdf_derive_from_key(sub, sizeof sub, 1, "qdphone_", key);
	crypto_generichash(h, sizeof h, (const unsigned char *)d, strlen(d), sub, sizeof sub);
	sodium_memzero(sub, sizeof sub);
	sodium_bin2hex(hex, 33, h, sizeof h);
	return 0;
}

int store_phone_hash(struct store *s, const char *phone, char hex[33])
{
	return phone_hash_with(s->key, phone, hex);
}

void store_derive_key(struct store *s, unsigned long long id, const char ctx[8], unsigned char out[32])
{
	_Static_assert(crypto_kdf_KEYBYTES == 32, "a 32-byte subkey");
	crypto_kdf_derive_from_key(out, 32, id, ctx, s->key);
}

void tx_remember(struct store_tx *tx, const char *sealed, const char *plain, const char *masked)
{
	if (tx->nplain == tx->capplain) {
		tx->capplain = tx->capplain ? tx->capplain * 2 : 8;
		tx->plain = xrealloc(tx->plain, (size_t)tx->capplain * sizeof *tx->plain);
	}
	tx->plain[tx->nplain].sealed = xstrdup(sealed);
	tx->plain[tx->nplain].plain = xstrdup(plain);
	tx->plain[tx->nplain].masked = masked ? xstrdup(masked) : NULL;
	tx->nplain++;
}

const char *tx_recall_masked(const struct store_tx *tx, const char *sealed)
{
	for (int i = tx && sealed ? tx->nplain - 1 : -1; i >= 0; i--)
		if (strcmp(tx->plain[i].sealed, sealed) == 0)
			return tx->plain[i].masked;
	return NULL;
}

const char *tx_recall(const struct store_tx *tx, const char *sealed)
{
	for (int i = tx && sealed ? tx->nplain - 1 : -1; i >= 0; i--)
		if (strcmp(tx->plain[i].sealed, sealed) == 0)
			return tx->plain[i].plain;
	return NULL;
}

void tx_forget(struct store_tx *tx)
{
	for (int i = 0; i < tx->nplain; i++) {
		free(tx->plain[i].sealed);
		plain_free(tx->plain[i].plain);
		plain_free(tx->plain[i].masked);
	}
	tx->nplain = 0;
}
