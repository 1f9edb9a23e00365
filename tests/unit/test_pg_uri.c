/* test_pg_uri.c — a PostgreSQL --db value as it may be shown (store/pg.c pg_uri_shown): the
 * password never printed, whichever way it was written, and everything else kept. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "store/pg.h"
#include <stdlib.h>
#include <string.h>

static void shows(const char *in, const char *want)
{
	char *got = pg_uri_shown(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_uri(void **state)
{
	(void)state;
	shows("postgres://qd:s3cret@db1:5432,db2:5432/qd?target_session_attrs=read-write",
	      "postgres://qd:…@db1:5432,db2:5432/qd?target_session_attrs=read-write");
	shows("postgresql://qd:p%40ss@127.0.0.1/qd", "postgresql://qd:…@127.0.0.1/qd");
	shows("postgres://qd@127.0.0.1/qd", "postgres://qd@127.0.0.1/qd"); /* no password: as it is */
	shows("postgres://127.0.0.1:5432/qd", "postgres://127.0.0.1:5432/qd");
	shows("postgres://127.0.0.1:5432/qd?options=a@b", "postgres://127.0.0.1:5432/qd?options=a@b"); /* an @ past the host */
	shows("/var/lib/qingdan/county.db", "/var/lib/qingdan/county.db"); /* a SQLite file */
}

static void test_keywords(void **state)
{
	(void)state;
	shows("host=127.0.0.1 dbname=qd password=s3cret user=qd", "host=127.0.0.1 dbname=qd password=… user=qd");
	shows("host=db password='a b\\' c' dbname=qd", "host=db password=… dbname=qd");
	shows("host=db password=", "host=db password=…");
	shows("host=db mypassword=x", "host=db mypassword=x"); /* not the keyword */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_keywords),
	};
	return cmocka_run_group_tests_name("pg_uri", tests, NULL, NULL);
}
