/* test_backoff.c — unit tests for core/backoff (the login back-off: free failures, then 1 s
 * doubling up to the cap) and core/token (the token scopes' one vocabulary). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/backoff.h"
#include "core/token.h"

static void test_free_then_doubling(void **state)
{
	(void)state;
	for (int f = 0; f <= BACKOFF_FREE_NAME; f++)
		assert_int_equal(backoff_wait_ms(f, BACKOFF_FREE_NAME, BACKOFF_CAP_MS), 0);
	assert_int_equal(backoff_wait_ms(4, 3, BACKOFF_CAP_MS), 1000);
	assert_int_equal(backoff_wait_ms(5, 3, BACKOFF_CAP_MS), 2000);
	assert_int_equal(backoff_wait_ms(6, 3, BACKOFF_CAP_MS), 4000);
	assert_int_equal(backoff_wait_ms(13, 3, BACKOFF_CAP_MS), 512000);
}

static void test_capped(void **state)
{
	(void)state;
	assert_int_equal(backoff_wait_ms(14, 3, BACKOFF_CAP_MS), BACKOFF_CAP_MS);
	assert_int_equal(backoff_wait_ms(1000000, 3, BACKOFF_CAP_MS), BACKOFF_CAP_MS);
	assert_int_equal(backoff_wait_ms(INT64_MAX, 3, BACKOFF_CAP_MS), BACKOFF_CAP_MS);
	assert_int_equal(backoff_wait_ms(21, BACKOFF_FREE_ADDR, BACKOFF_CAP_MS), 1000);
}

static void test_scopes(void **state)
{
	(void)state;
	assert_int_equal(token_scope_parse("read"), TOKEN_READ);
	assert_int_equal(token_scope_parse("write"), TOKEN_WRITE);
	assert_int_equal(token_scope_parse("admin"), -1);
	assert_int_equal(token_scope_parse(NULL), -1);
	assert_null(token_scope_names[TOKEN_SCOPE__COUNT]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_then_doubling),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_scopes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
