/* search.c — batched full-text indexing of problems (FTS5 trigram).  Indexing inside each
 * intake transaction cost about 45% of durable intake throughput (one FTS5 segment per group
 * commit plus merges); the writer now indexes new problems after their commit, thousands at
 * a time.  Searches stay complete: rows above meta.fts_problem_upto are matched by substring
 * (src/store/problem.c). */
#include "store/search.h"
#include "store/db.h"

int64_t search_indexed_upto(sqlite3 *db)
{
	return db_int(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='fts_problem_upto'", 0, 0);
}

int search_catch_up(sqlite3 *db, int max, struct qd_err *err)
{
	if (db_exec(db, "BEGIN IMMEDIATE", err))
		return -1;
	int64_t upto = search_indexed_upto(db);
	int64_t top = db_int(db, "SELECT coalesce(max(id), 0) FROM (SELECT id FROM problem WHERE id > ? ORDER BY id LIMIT ?)",
			     upto, max);
	int n = 0;
	if (upto >= 0 && top > upto) {
		sqlite3_stmt *st = db_prepare(db, "INSERT INTO problem_fts(rowid, description) SELECT id, description "
						  "FROM problem WHERE id > ? AND id <= ? ORDER BY id");
		sqlite3_stmt *up = db_prepare(db, "UPDATE meta SET value=? WHERE key='fts_problem_upto'");
		if (!st || !up) {
			db_exec(db, "ROLLBACK", NULL);
			return db_fail(db, err);
		}
		sqlite3_bind_int64(st, 1, upto);
		sqlite3_bind_int64(st, 2, top);
		int rc = sqlite3_step(st);
		n = sqlite3_changes(db);
		db_done(st);
		sqlite3_bind_int64(up, 1, top);
		int rc2 = sqlite3_step(up);
		db_done(up);
		if (rc != SQLITE_DONE || rc2 != SQLITE_DONE) {
			db_fail(db, err);
			db_exec(db, "ROLLBACK", NULL);
			return -1;
		}
	}
	if (db_exec(db, "COMMIT", err)) {
		db_exec(db, "ROLLBACK", NULL);
		return -1;
	}
	return n;
}
