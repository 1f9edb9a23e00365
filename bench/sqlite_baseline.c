/* sqlite_baseline.c — the durable-write baseline: how many single-row SQLite transactions per
 * second this disk sustains (WAL, synchronous=FULL, one INSERT per transaction), on a table
 * shaped like the problem table.  One connection, one thread: this is what intake would reach
 * if every HTTP request committed on its own.
 *
 *   sqlite_baseline DIR [SECONDS]     (creates and removes DIR/baseline.db)
 * Prints "baseline_sqlite_tx_per_s N". */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void must(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "sqlite_baseline: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sqlite_baseline DIR [SECONDS]\n");
		return 2;
	}
	double secs = argc > 2 ? atof(argv[2]) : 2.5;
	char path[4096], wal[4200], shm[4200];
	snprintf(path, sizeof path, "%s/baseline.db", argv[1]);
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	unlink(path), unlink(wal), unlink(shm);
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "sqlite_baseline: cannot open %s\n", path);
		return 1;
	}
	must(db, sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  "CREATE TABLE problem(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
				  " unit_id INTEGER NOT NULL, unit_path TEXT NOT NULL, category_id INTEGER,"
				  " source TEXT NOT NULL, description TEXT NOT NULL, state TEXT NOT NULL,"
				  " anonymous INTEGER NOT NULL DEFAULT 0, reporter_masked TEXT,"
				  " created_by INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
				  "CREATE INDEX problem_list ON problem(unit_path, created_at);"
				  "CREATE INDEX problem_state ON problem(state, created_at);",
			      NULL, NULL, NULL),
	     "schema");
	sqlite3_stmt *st;
	must(db, sqlite3_prepare_v2(db, "INSERT INTO problem(code, unit_id, unit_path, category_id, source,"
					" description, state, reporter_masked, created_by, created_at, updated_at)"
					" VALUES(?,?,?,?,'visit',?, 'new', '张*', 7, ?, ?)",
				    -1, &st, NULL),
	     "prepare");
	const char *desc = "一组村道坑洼，雨天积水，群众出行不便，希望尽快修补";
	long n = 0;
	double t0 = now_s(), t = t0;
	while (t - t0 < secs) {
		char code[24];
		snprintf(code, sizeof code, "C%09ld", n);
		sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, 100 + n % 400);
		sqlite3_bind_text(st, 3, "/1/5/23/", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, 1 + n % 15);
		sqlite3_bind_text(st, 5, desc, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)(t * 1000));
		sqlite3_bind_int64(st, 7, (sqlite3_int64)(t * 1000));
		must(db, sqlite3_step(st), "insert"); /* autocommit: one durable transaction */
		sqlite3_reset(st);
		n++;
		if ((n & 15) == 0)
			t = now_s();
	}
	t = now_s();
	sqlite3_finalize(st);
	sqlite3_close(db);
	unlink(path), unlink(wal), unlink(shm);
	printf("baseline_sqlite_tx_per_s %.0f\n", (double)n / (t - t0));
	printf("baseline_sqlite_tx %ld in %.2f s (%.1f us each)\n", n, t - t0, (t - t0) * 1e6 / (double)n);
	return 0;
}
