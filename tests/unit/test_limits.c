/* test_limits.c — no silent limits and one allocation policy: jansson allocates through the
 * aborting wrappers after mem_init(); a WHERE clause keeps every bound value however many; the
 * scope clause keeps every granted subtree; a query that cannot be prepared is an error, not a
 * short list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "base/mem.h"
#include "core/role.h"
#include "store/db.h"
#include "store/filter.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* make test builds with assert() on: the invariants written in comments are checked. */
static void test_asserts_are_on(void **state)
{
	(void)state;
#ifdef NDEBUG
	fail_msg("NDEBUG is defined: the test build must keep assert() on");
#endif
}

static void test_jansson_uses_the_wrappers(void **state)
{
	(void)state;
	json_malloc_t m = NULL;
	json_free_t f = NULL;
	json_get_alloc_funcs(&m, &f);
	assert_ptr_equal(m, xmalloc);
	assert_ptr_equal(f, free);
}

/* 500 bound values: each "?" gets its own, none dropped (the list used to stop at 48). */
static void test_where_keeps_every_value(void **state)
{
	(void)state;
	sqlite3 *lite;
	assert_int_equal(sqlite3_open(":memory:", &lite), SQLITE_OK);
	db_conn *db = db_wrap_lite(lite);
	struct where w;
	where_init(&w);
	struct buf frag;
	buf_init(&frag);
	int64_t want = 0;
	for (int i = 1; i <= 500; i++) {
		buf_puts(&frag, i > 1 ? "+?" : "?");
		where_int(&w, i);
		want += i;
	}
	assert_int_equal(w.n, 500);
	struct buf sql;
	buf_init(&sql);
	buf_printf(&sql, "SELECT %s", frag.p);
	assert_int_equal(where_count(db, sql.p, &w), want);
	buf_free(&sql);
	buf_free(&frag);
	where_free(&w);
	db_close(db);
}

/* 60 disjoint grants: the scope has 60 subtrees (the list used to stop at 16). */
static void test_scope_keeps_every_grant(void **state)
{
	(void)state;
	sqlite3 *lite;
	assert_int_equal(sqlite3_open(":memory:", &lite), SQLITE_OK);
	db_conn *db = db_wrap_lite(lite);
	assert_int_equal(sqlite3_exec(lite, "CREATE TABLE t(p TEXT)", NULL, NULL, NULL), SQLITE_OK);
	struct grant g[60];
	for (int i = 0; i < 60; i++) {
		g[i].role = ROLE_ANALYST;
		g[i].unit_id = 100 + i;
		snprintf(g[i].path, sizeof g[i].path, "/1/%d/", 100 + i);
		char ins[80];
		snprintf(ins, sizeof ins, "INSERT INTO t VALUES('/1/%d/7/')", 100 + i);
		assert_int_equal(sqlite3_exec(lite, ins, NULL, NULL, NULL), SQLITE_OK);
	}
	assert_int_equal(sqlite3_exec(lite, "INSERT INTO t VALUES('/1/99/')", NULL, NULL, NULL), SQLITE_OK);
	struct list_filter f = {.grants = g, .ngrants = 60, .right = RIGHT_READ, .limit = 200};
	struct where w;
	where_init(&w);
	where_scope(&w, &f, "p", NULL);
	assert_int_equal(w.n, 120); /* two bounds per subtree */
	struct buf sql;
	buf_init(&sql);
	buf_printf(&sql, "SELECT count(*) FROM t%s", w.sql.p);
	assert_int_equal(where_count(db, sql.p, &w), 60);
	buf_reset(&sql);
	buf_printf(&sql, "SELECT p FROM t%s ORDER BY p LIMIT ? OFFSET ?", w.sql.p);
	int more = 1;
	json_t *rows = where_page(db, sql.p, &w, &f, &more);
	assert_non_null(rows);
	assert_int_equal(json_array_size(rows), 60);
	assert_int_equal(more, 0);
	json_decref(rows);
	buf_free(&sql);
	where_free(&w);
	db_close(db);
}

/* More values than SQLite takes: the page is NULL (an error the API answers with 500). */
static void test_page_beyond_sqlite_limit_is_an_error(void **state)
{
	(void)state;
	sqlite3 *lite;
	assert_int_equal(sqlite3_open(":memory:", &lite), SQLITE_OK);
	db_conn *db = db_wrap_lite(lite);
	sqlite3_limit(lite, SQLITE_LIMIT_VARIABLE_NUMBER, 10);
	struct where w;
	where_init(&w);
	struct buf sql;
	buf_init(&sql);
	buf_puts(&sql, "SELECT 1 WHERE 1");
	for (int i = 0; i < 20; i++) {
		buf_puts(&sql, " AND ? > 0");
		where_int(&w, 1);
	}
	buf_puts(&sql, " LIMIT ? OFFSET ?");
	struct list_filter f = {.limit = 10};
	int more = 0;
	json_t *rows = where_page(db, sql.p, &w, &f, &more);
	assert_null(rows);
	buf_free(&sql);
	where_free(&w);
	db_close(db);
}

/* A step that fails midway ends a read loop as the last row would: db_done says so, so the
 * lists answer an error instead of a short page. */
static void test_failed_step_is_reported(void **state)
{
	(void)state;
	sqlite3 *lite;
	assert_int_equal(sqlite3_open(":memory:", &lite), SQLITE_OK);
	db_conn *db = db_wrap_lite(lite);
	db_stmt *st = db_prepare(db, "SELECT abs(x) FROM (SELECT 1 AS x UNION ALL SELECT -9223372036854775807 - 1)");
	assert_non_null(st);
	int rows = 0;
	while (db_step(st) == SQLITE_ROW)
		rows++;
	assert_int_equal(rows, 1);
	assert_int_equal(db_done(st), -1);
	st = db_prepare(db, "SELECT 1");
	while (db_step(st) == SQLITE_ROW)
		;
	assert_int_equal(db_done(st), 0);
	db_close(db);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asserts_are_on),
		cmocka_unit_test(test_jansson_uses_the_wrappers),
		cmocka_unit_test(test_where_keeps_every_value),
		cmocka_unit_test(test_scope_keeps_every_grant),
		cmocka_unit_test(test_page_beyond_sqlite_limit_is_an_error),
		cmocka_unit_test(test_failed_step_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
