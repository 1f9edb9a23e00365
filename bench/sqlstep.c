/* sqlstep.c — what SQLite alone costs for one query: prepares SQL once on a read-only connection
 * and steps it to the end N times, reading every column of every row (as a presenter would),
 * reporting thread CPU per run, rows per run and the statement's full-scan and VM steps
 * (sqlite3_stmt_status).  For the list figures of docs/benchmarks.md: how much of a page is the
 * query itself.  Usage: sqlstep DB "SQL" [N] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sqlstep DB SQL [N]\n");
		return 2;
	}
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, argv[2], -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlstep: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	int n = argc > 3 ? atoi(argv[3]) : 2000, rows = 0;
	long sum = 0;
	double t0 = 0;
	for (int i = -n / 4; i < n; i++) { /* a quarter of warm-up */
		if (i == 0) {
			t0 = cpu_us();
			sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
			sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
		}
		rows = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			rows++;
			for (int c = 0; c < sqlite3_column_count(st); c++)
				if (sqlite3_column_type(st, c) == SQLITE_TEXT)
					sum += sqlite3_column_bytes(st, c);
				else
					sum += sqlite3_column_int(st, c);
		}
		sqlite3_reset(st);
	}
	double us = (cpu_us() - t0) / n;
	printf("%.1f us/run, %d rows, fullscan steps %.0f, vm steps %.0f per run (%ld)\n", us, rows,
	       sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) / (double)n,
	       sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0) / (double)n, sum % 10);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
