/* test_sql_params.c — SQLite's ? and ?N spelled as PostgreSQL's $N (store/sql_params.c), for the
 * libpq backend: numbering as SQLite numbers, quotes and comments left alone, and every input it
 * cannot rewrite faithfully refused rather than guessed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/buf.h"
#include "store/sql_params.h"
#include <stdlib.h>
#include <string.h>

static void rewrites(const char *in, const char *want, int want_n)
{
	struct buf b;
	buf_init(&b);
	int n = -7;
	assert_int_equal(sql_params_pg(in, &b, &n), 0);
	assert_string_equal(b.len ? b.p : "", want);
	assert_int_equal(n, want_n);
	buf_free(&b);
}

static void refuses(const char *in)
{
	struct buf b;
	buf_init(&b);
	int n = -7;
	assert_int_equal(sql_params_pg(in, &b, &n), -1);
	assert_int_equal(n, -7); /* untouched */
	buf_free(&b);
}

static void test_numbering(void **state)
{
	(void)state;
	rewrites("", "", 0);
	rewrites("SELECT 1", "SELECT 1", 0);
	rewrites("SELECT id FROM \"user\" WHERE username=?", "SELECT id FROM \"user\" WHERE username=$1", 1);
	rewrites("INSERT INTO t VALUES(?,?,?)", "INSERT INTO t VALUES($1,$2,$3)", 3);
	/* session.c's form: numbered, out of order, reused */
	rewrites("UPDATE c SET f=f+1, l=CASE WHEN f+1>=?2 THEN ?3 ELSE l END WHERE u=?1",
		 "UPDATE c SET f=f+1, l=CASE WHEN f+1>=$2 THEN $3 ELSE l END WHERE u=$1", 3);
	rewrites("?1 ?1 ?1", "$1 $1 $1", 1);
	/* a bare ? after numbered ones: one more than the largest so far, as SQLite does */
	rewrites("?2 ?3 ?1 ?", "$2 $3 $1 $4", 4);
	rewrites("? ?5 ?", "$1 $5 $6", 6);
	rewrites("?32767", "$32767", 32767);
}

static void test_quotes_and_comments(void **state)
{
	(void)state;
	rewrites("SELECT '?' || ? || 'it''s ?'", "SELECT '?' || $1 || 'it''s ?'", 1);
	rewrites("SELECT \"a?b\"\"?\" FROM t WHERE x=?", "SELECT \"a?b\"\"?\" FROM t WHERE x=$1", 1);
	rewrites("SELECT ? -- what ? is\nFROM t WHERE y=?", "SELECT $1 -- what ? is\nFROM t WHERE y=$2", 2);
	rewrites("SELECT ? /* ?, ?1 */ , ?", "SELECT $1 /* ?, ?1 */ , $2", 2);
	rewrites("SELECT ? -- to the end", "SELECT $1 -- to the end", 1);
	rewrites("LIKE ? ESCAPE '\\'", "ILIKE $1 ESCAPE '\\'", 1); /* a backslash is plain inside '…' */
	rewrites("SELECT x::text, ?", "SELECT x::text, $1", 1);   /* a PostgreSQL cast passes */
	rewrites("SELECT '河口?' , ?", "SELECT '河口?' , $1", 1);
}

/* LIKE as SQLite means it (ASCII case ignored): ILIKE; the word only, never inside another
 * word, a string, an identifier or a comment. */
static void test_like(void **state)
{
	(void)state;
	rewrites("a LIKE ? ESCAPE '\\'", "a ILIKE $1 ESCAPE '\\'", 1);
	rewrites("a like ?", "a Ilike $1", 1);
	rewrites("a NOT LIKE ?1 OR b Like ?1", "a NOT ILIKE $1 OR b ILike $1", 1);
	rewrites("SELECT likely, unlike, like_x, _like FROM t", "SELECT likely, unlike, like_x, _like FROM t", 0);
	rewrites("SELECT 'a LIKE b', \"LIKE\" /* LIKE */ -- LIKE", "SELECT 'a LIKE b', \"LIKE\" /* LIKE */ -- LIKE", 0);
	rewrites("x ILIKE ?", "x ILIKE $1", 1);
}

static void test_refusals(void **state)
{
	(void)state;
	refuses("SELECT 'open");
	refuses("SELECT \"open");
	refuses("SELECT 'it''");
	refuses("SELECT /* open");
	refuses("SELECT ?0");
	refuses("SELECT ?32768");
	refuses("SELECT ?99999999999999999999");
	refuses("SELECT :name");
	refuses("SELECT @name");
	refuses("SELECT $name");
	refuses("SELECT * FROM t WHERE a=? AND b=:b");
	/* a bare ? past the limit */
	struct buf in;
	buf_init(&in);
	buf_puts(&in, "SELECT ?32767, ?");
	refuses(in.p);
	buf_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbering),
		cmocka_unit_test(test_quotes_and_comments),
		cmocka_unit_test(test_like),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("sql_params", tests, NULL, NULL);
}
