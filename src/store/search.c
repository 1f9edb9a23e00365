/* search.c — batched indexing of problems: the full-text index of their (masked) descriptions
 * (FTS5 trigram) and the index of their reporters' keyed phone hashes (phone_index).  Indexing inside each
 * intake transaction cost about 45% of durable intake throughput (one FTS5 segment per group
 * commit plus merges); new problems are indexed after their commit, a thousand or more at a
 * time — by the indexer thread of a running writer (store.c), by the writer itself in the CLI.
 * Searches stay complete: rows above meta.fts_problem_upto are matched by substring
 * (src/store/problem.c). */
#include "store/search.h"
#include "store/db.h"

int64_t search_indexed_upto(db_conn *db)
{
	return db_int(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='fts_problem_upto'", 0, 0);
}

static int index_range(db_conn *db, int max, struct qd_err *err)
{
	int64_t upto = search_indexed_upto(db);
	int64_t top = db_int(db, "SELECT coalesce(max(id), 0) FROM (SELECT id FROM problem WHERE id > ? ORDER BY id LIMIT ?)",
			     upto, max);
	if (upto < 0 || top <= upto)
		return 0;
	db_stmt *st = db_prepare(db, "INSERT INTO problem_fts(rowid, description) SELECT id, description "
					  "FROM problem WHERE id > ? AND id <= ? ORDER BY id");
	db_stmt *ph = db_prepare(db, "INSERT OR IGNORE INTO phone_index(phone_hash, problem_id) SELECT phone_hash, "
					  "problem_id FROM problem_pii WHERE problem_id > ? AND problem_id <= ? AND "
					  "phone_hash IS NOT NULL ORDER BY phone_hash");
	db_stmt *up = db_prepare(db, "UPDATE meta SET value=? WHERE key='fts_problem_upto'");
	if (!st || !ph || !up)
		return db_fail(db, err);
	db_bind_int(st, 1, upto);
	db_bind_int(st, 2, top);
	int rc = db_step(st);
	int n = db_changes(db);
	db_done(st);
	db_bind_int(ph, 1, upto);
	db_bind_int(ph, 2, top);
	if (rc == DB_DONE)
		rc = db_step(ph);
	db_done(ph);
	db_bind_int(up, 1, top);
	int rc2 = db_step(up);
	db_done(up);
	if (rc != DB_DONE || rc2 != DB_DONE)
		return db_fail(db, err);
	return n;
}

int search_catch_up(db_conn *db, int max, struct qd_err *err)
{
	if (db_exec(db, "BEGIN IMMEDIATE", err))
		return -1;
	int n = index_range(db, max, err);
	if (n < 0 || db_exec(db, "COMMIT", err)) {
		db_exec(db, "ROLLBACK", NULL);
		return -1;
	}
	return n;
}

int search_index_all_in_tx(db_conn *db, struct qd_err *err)
{
	int n;
	while ((n = index_range(db, 50000, err)) > 0)
		;
	return n < 0 ? -1 : 0;
}
