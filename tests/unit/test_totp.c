/* test_totp.c — one-time codes (web/totp.c, RFC 6238 via liboath): RFC 6238 Appendix B's SHA-1
 * vectors (8 digits), the ± one step window of a 6-digit check, and bad codes refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "web/totp.h"
#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>

static const char KEY[] = "12345678901234567890";

static void test_rfc6238_vectors(void **state)
{
	(void)state;
	static const struct {
		int64_t t;
		const char *code;
	} v[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
		 {1234567890, "89005924"}, {2000000000, "69279037"}};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[16];
		assert_int_equal(totp_code((const unsigned char *)KEY, 20, v[i].t, 8, out), 0);
		assert_string_equal(out, v[i].code);
	}
}

/* The RFC key in base32, as an authenticator app would hold it. */
static char *key_b32(void)
{
	char *b32 = NULL;
	size_t n = 0;
	assert_int_equal(oath_base32_encode(KEY, 20, &b32, &n), OATH_OK);
	return b32;
}

static void test_window(void **state)
{
	(void)state;
	char *b32 = key_b32();
	const int64_t t = 1111111111;
	char now[8], prev[8], next[8], far[8];
	assert_int_equal(totp_code((const unsigned char *)KEY, 20, t, 6, now), 0);
	assert_string_equal(now, "050471"); /* the RFC's 8-digit 14050471, last 6 digits */
	assert_int_equal(totp_code((const unsigned char *)KEY, 20, t - TOTP_STEP, 6, prev), 0);
	assert_int_equal(totp_code((const unsigned char *)KEY, 20, t + TOTP_STEP, 6, next), 0);
	assert_int_equal(totp_code((const unsigned char *)KEY, 20, t + 3 * TOTP_STEP, 6, far), 0);
	assert_true(totp_check(b32, t, now));
	assert_true(totp_check(b32, t, prev));
	assert_true(totp_check(b32, t, next));
	/* the step each code is of: what the login remembers so a code is good once */
	assert_int_equal(totp_match(b32, t, now), t / TOTP_STEP);
	assert_int_equal(totp_match(b32, t, prev), t / TOTP_STEP - 1);
	assert_int_equal(totp_match(b32, t, next), t / TOTP_STEP + 1);
	if (strcmp(far, now) && strcmp(far, prev) && strcmp(far, next))
		assert_false(totp_check(b32, t, far));
	free(b32);
}

static void test_bad_codes(void **state)
{
	(void)state;
	char *b32 = key_b32();
	const int64_t t = 1111111111;
	assert_false(totp_check(b32, t, "14050471")); /* 8 digits: only 6-digit codes are asked */
	assert_false(totp_check(b32, t, "05047"));
	assert_false(totp_check(b32, t, "05047a"));
	assert_false(totp_check(b32, t, ""));
	assert_false(totp_check(b32, t, NULL));
	assert_false(totp_check("not base32!", t, "050471"));
	assert_false(totp_check(NULL, t, "050471"));
	free(b32);
}

static void test_secret_new(void **state)
{
	(void)state;
	char a[TOTP_B32_LEN], b[TOTP_B32_LEN];
	assert_int_equal(totp_secret_new(a), 0);
	assert_int_equal(totp_secret_new(b), 0);
	assert_int_equal(strlen(a), 32); /* 160 bits in base32 */
	assert_string_not_equal(a, b);
	for (const char *p = a; *p; p++)
		assert_true((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7'));
	char *raw = NULL;
	size_t n = 0;
	assert_int_equal(oath_base32_decode(a, strlen(a), &raw, &n), OATH_OK);
	assert_int_equal(n, TOTP_SECRET_BYTES);
	char code[8];
	assert_int_equal(totp_code((unsigned char *)raw, n, 1656898200, 6, code), 0);
	assert_true(totp_check(a, 1656898200, code));
	free(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_bad_codes),
		cmocka_unit_test(test_secret_new),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
