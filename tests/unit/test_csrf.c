/* test_csrf.c — the CSRF tokens (web/csrf.c): a keyed MAC of the cookie they are bound to.  Known
 * answers computed apart from libsodium (Python's hashlib.blake2b with key, salt and person) pin the
 * scheme web/csrf.h documents: the key is the crypto_kdf subkey (CSRF_KDF_ID, CSRF_KDF_CTX) of the
 * personal-data key, the token BLAKE2b-128 keyed by it over the kind's label and the cookie value.
 * Without the key no token fits: the old unkeyed hash, another key's token, the other kind's token
 * and every malformed token are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/mem.h"
#include "web/csrf.h"
#include <sodium.h>
#include <string.h>

static const char PRE[] = "0123456789abcdef0123456789abcdef";

/* The master key 00 01 … 1f and its CSRF subkey, derived as the server does (store_derive_key). */
static void key_of(unsigned char master[32], unsigned char sub[CSRF_KEYBYTES])
{
	for (int i = 0; i < 32; i++)
		master[i] = (unsigned char)i;
	crypto_kdf_derive_from_key(sub, CSRF_KEYBYTES, CSRF_KDF_ID, CSRF_KDF_CTX, master);
}

static void test_known_answers(void **st)
{
	(void)st;
	unsigned char master[32], sub[CSRF_KEYBYTES];
	key_of(master, sub);
	char hex[2 * CSRF_KEYBYTES + 1];
	sodium_bin2hex(hex, sizeof hex, sub, sizeof sub);
	assert_string_equal(hex, "46beae59fb8fa4f4b80bfa1c6835b00a0e3602edf3648c2211a653e7dd36b197");
	char t[CSRF_HEX + 1];
	csrf_token(sub, CSRF_PRE, PRE, t);
	assert_string_equal(t, "ec2fd91d4f1be72d4cb84dde55b2675b");
	assert_true(csrf_ok(sub, CSRF_PRE, PRE, t));
	csrf_token(sub, CSRF_SESSION, "sessiontoken", t);
	assert_string_equal(t, "646f8ef2df98a2ba77b09940e1673b43");
	assert_true(csrf_ok(sub, CSRF_SESSION, "sessiontoken", t));
}

/* What an attacker who sets qd_pre can compute without the key is refused. */
static void test_without_the_key(void **st)
{
	(void)st;
	unsigned char master[32], sub[CSRF_KEYBYTES];
	key_of(master, sub);
	/* the former scheme: the unkeyed BLAKE2b-128 of the label and the value */
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, "35f541d2c1eede866f1213f6385efa17"));
	/* a token under another key (the master key itself, a zero key, one bit off) */
	unsigned char other[CSRF_KEYBYTES];
	char t[CSRF_HEX + 1], mine[CSRF_HEX + 1];
	csrf_token(sub, CSRF_PRE, PRE, mine);
	csrf_token(master, CSRF_PRE, PRE, t);
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, t));
	memset(other, 0, sizeof other);
	csrf_token(other, CSRF_PRE, PRE, t);
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, t));
	memcpy(other, sub, sizeof other);
	other[31] ^= 1;
	csrf_token(other, CSRF_PRE, PRE, t);
	assert_string_not_equal(t, mine);
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, t));
	/* the other kind's token for the same value, another value's token */
	csrf_token(sub, CSRF_SESSION, PRE, t);
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, t));
	assert_false(csrf_ok(sub, CSRF_SESSION, PRE, mine));
	assert_false(csrf_ok(sub, CSRF_PRE, "0123456789abcdef0123456789abcdee", mine));
}

static void test_malformed(void **st)
{
	(void)st;
	unsigned char master[32], sub[CSRF_KEYBYTES];
	key_of(master, sub);
	char t[CSRF_HEX + 1], up[CSRF_HEX + 1], longer[CSRF_HEX + 2];
	csrf_token(sub, CSRF_PRE, PRE, t);
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, NULL));
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, ""));
	assert_false(csrf_ok(sub, CSRF_PRE, NULL, t));
	assert_false(csrf_ok(sub, CSRF_PRE, "", t));
	char shorter[CSRF_HEX + 1];
	memcpy(shorter, t, sizeof shorter);
	shorter[CSRF_HEX - 1] = 0;
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, shorter));
	memcpy(longer, t, CSRF_HEX);
	longer[CSRF_HEX] = '0';
	longer[CSRF_HEX + 1] = 0;
	assert_false(csrf_ok(sub, CSRF_PRE, PRE, longer));
	for (int i = 0; i <= CSRF_HEX; i++)
		up[i] = (char)(t[i] >= 'a' && t[i] <= 'f' ? t[i] - 'a' + 'A' : t[i]);
	if (strcmp(up, t) != 0)
		assert_false(csrf_ok(sub, CSRF_PRE, PRE, up));
}

static void test_new_pre(void **st)
{
	(void)st;
	char a[CSRF_PRE_HEX + 1], b[CSRF_PRE_HEX + 1];
	csrf_new_pre(a);
	csrf_new_pre(b);
	assert_int_equal(strlen(a), CSRF_PRE_HEX);
	assert_int_equal(strspn(a, "0123456789abcdef"), CSRF_PRE_HEX);
	assert_string_not_equal(a, b);
}

int main(void)
{
	mem_init();
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_answers),
	    cmocka_unit_test(test_without_the_key),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_new_pre),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
