/* csrf.c — synchroniser tokens derived from the cookie they are bound to (web/csrf.h, which has
 * the scheme): BLAKE2b-128 (libsodium's crypto_generichash) keyed by the server's CSRF key, over a
 * domain-separated label and the cookie value.  Without the key no token can be computed for a
 * cookie value an attacker chose. */
#include "web/csrf.h"
#include <sodium.h>
#include <string.h>

_Static_assert(CSRF_KEYBYTES == crypto_generichash_KEYBYTES, "the CSRF key is a generichash key");

void csrf_token(const unsigned char key[CSRF_KEYBYTES], enum csrf_bound kind, const char *cookie_value,
		char out[CSRF_HEX + 1])
{
	static const char label_s[] = "qingdan csrf session\n", label_p[] = "qingdan csrf pre-session\n";
	unsigned char h[CSRF_HEX / 2];
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, CSRF_KEYBYTES, sizeof h);
	const char *label = kind == CSRF_SESSION ? label_s : label_p;
	crypto_generichash_update(&st, (const unsigned char *)label, strlen(label));
	crypto_generichash_update(&st, (const unsigned char *)cookie_value, strlen(cookie_value));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, CSRF_HEX + 1, h, sizeof h);
}

int csrf_ok(const unsigned char key[CSRF_KEYBYTES], enum csrf_bound kind, const char *cookie_value,
	    const char *token)
{
	if (!cookie_value || !*cookie_value || !token || strlen(token) != CSRF_HEX)
		return 0;
	char want[CSRF_HEX + 1];
	csrf_token(key, kind, cookie_value, want);
	return sodium_memcmp(want, token, CSRF_HEX) == 0;
}

void csrf_new_pre(char out[CSRF_PRE_HEX + 1])
{
	unsigned char r[CSRF_PRE_HEX / 2];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(out, CSRF_PRE_HEX + 1, r, sizeof r);
}
