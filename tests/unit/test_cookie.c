/* test_cookie.c — the strict Cookie header reader (web/cookie.c): RFC 6265 §4.2 cookie-strings
 * read, every break of the grammar refused, a duplicate of the name asked for refused (a cookie
 * planted for a parent domain must not shadow ours), a value longer than the caller's buffer
 * refused rather than cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "web/cookie.h"
#include <stdio.h>
#include <string.h>

static void test_good(void **st)
{
	(void)st;
	char v[64];
	assert_int_equal(cookie_get("qd_session=abc-DEF_123", "qd_session", v, sizeof v), 0);
	assert_string_equal(v, "abc-DEF_123");
	const char *h = "theme=dark; qd_session=tok; qd_lang=en";
	assert_int_equal(cookie_get(h, "qd_session", v, sizeof v), 0);
	assert_string_equal(v, "tok");
	assert_int_equal(cookie_get(h, "qd_lang", v, sizeof v), 0);
	assert_string_equal(v, "en");
	assert_int_equal(cookie_get(h, "theme", v, sizeof v), 0);
	assert_string_equal(v, "dark");
	/* an empty value, a quoted one (without its quotes), base64 padding and other octets */
	assert_int_equal(cookie_get("a=; b=\"x y\"", "a", v, sizeof v), -2); /* a space is no cookie-octet */
	assert_int_equal(cookie_get("a=; b=\"xy\"", "a", v, sizeof v), 0);
	assert_string_equal(v, "");
	assert_int_equal(cookie_get("a=; b=\"xy\"", "b", v, sizeof v), 0);
	assert_string_equal(v, "xy");
	assert_int_equal(cookie_get("t=YWJj==; u=!#$%&'()*+-./:<=>?@[]^_`{|}~", "u", v, sizeof v), 0);
	assert_string_equal(v, "!#$%&'()*+-./:<=>?@[]^_`{|}~");
	/* the other cookies may repeat among themselves: only ours must be unique */
	assert_int_equal(cookie_get("x=1; x=2; qd_pre=p", "qd_pre", v, sizeof v), 0);
	assert_string_equal(v, "p");
}

static void test_absent(void **st)
{
	(void)st;
	char v[8] = "junk";
	assert_int_equal(cookie_get(NULL, "a", v, sizeof v), -1);
	assert_string_equal(v, "");
	assert_int_equal(cookie_get("", "a", v, sizeof v), -1);
	assert_int_equal(cookie_get("b=1; c=2", "a", v, sizeof v), -1);
	assert_int_equal(cookie_get("QD_SESSION=1", "qd_session", v, sizeof v), -1); /* case-sensitive */
	assert_int_equal(cookie_get("qd_session_x=1; xqd_session=2", "qd_session", v, sizeof v), -1);
}

static void test_malformed(void **st)
{
	(void)st;
	static const char *bad[] = {
	    "a",          /* no '=' */
	    "=1",         /* no name */
	    "a=1;b=2",    /* ";" without its space */
	    "a=1;  b=2",  /* two spaces */
	    "a=1; ",      /* a trailing separator */
	    "a=1;",       /* the same without its space */
	    " a=1",       /* leading space */
	    "a=1 ",       /* trailing space */
	    "a=1, b=2",   /* comma (RFC 2965 style) */
	    "a=x y",      /* a space in a value */
	    "a=\"xy",     /* an unclosed quote */
	    "a=\"x\"y",   /* bytes after the closing quote */
	    "a=x\\y",     /* backslash */
	    "a=x\001",    /* a control byte */
	    "a=\xc3\xa9", /* a non-ASCII byte */
	    "a b=1",      /* a space in a name */
	    "a(b)=1",     /* separators in a name */
	    "a=1; ; b=2", /* an empty pair */
	    "a=1\tb=2",   /* tab */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char v[16] = "junk";
		/* whatever the name asked for: the header as a whole is refused */
		assert_int_equal(cookie_get(bad[i], "a", v, sizeof v), -2);
		assert_string_equal(v, "");
		assert_int_equal(cookie_get(bad[i], "zz", v, sizeof v), -2);
	}
}

static void test_duplicate_and_long(void **st)
{
	(void)st;
	char v[8] = "junk";
	/* a second qd_session (e.g. planted for .example.gov.cn) shadows nothing: refused */
	assert_int_equal(cookie_get("qd_session=mine; qd_session=planted", "qd_session", v, sizeof v), -2);
	assert_string_equal(v, "");
	assert_int_equal(cookie_get("qd_session=planted; x=1; qd_session=mine", "qd_session", v, sizeof v),
	                 -2);
	/* exactly fits (7 bytes + NUL), one more does not — never cut */
	assert_int_equal(cookie_get("a=1234567", "a", v, sizeof v), 0);
	assert_string_equal(v, "1234567");
	assert_int_equal(cookie_get("a=12345678", "a", v, sizeof v), -2);
	assert_string_equal(v, "");
	/* a long header with many pairs, ours at the end */
	char big[20000];
	size_t n = 0;
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "c%d=v%d; ", i, i);
	snprintf(big + n, sizeof big - n, "qd_pre=last");
	assert_int_equal(cookie_get(big, "qd_pre", v, sizeof v), 0);
	assert_string_equal(v, "last");
	assert_int_equal(cookie_get(big, "c999", v, sizeof v), 0);
	assert_string_equal(v, "v999");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_absent),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_duplicate_and_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
