/* payload.c — the cost of packing event payloads (store/payload.h), per event, at each deflate
 * level, over the payloads of a real event log.
 *
 *   payload --db FILE [--events N] [--dict-only]
 *
 * Reads up to N (default 20,000) payloads of FILE (any stored form), then for a few levels of
 * each format (deflate, zstd) packs each one (repeated so that every level runs about a second) and prints µs per pack,
 * µs per unpack and stored bytes as a share of the text.  Also the fixed cost of a call (an
 * empty payload: stream set-up + the dictionary).  Single-threaded; run it on a quiet machine
 * or alternate runs.  Figures go to docs/benchmarks.md. */
#include "base/mem.h"
#include "store/db.h"
#include "store/payload.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int max = 20000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--events") && i + 1 < argc)
			max = atoi(argv[++i]);
	}
	if (!path) {
		fprintf(stderr, "usage: payload --db FILE [--events N]\n");
		return 2;
	}
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT payload FROM event WHERE kind <> 'calendar.seed' ORDER BY seq LIMIT ?", -1,
			       &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "payload: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_bind_int(st, 1, max);
	char **text = xcalloc((size_t)max, sizeof *text);
	int n = 0;
	size_t raw = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < max) {
		struct qd_err err;
		db_stmt w = {.lite = st}; /* payload_column reads a store statement (store/db.h) */
		if ((text[n] = payload_column(&w, 0, &err)))
			raw += strlen(text[n++]);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	printf("payload_events %d\npayload_text_bytes_per_event %.1f\n", n, (double)raw / n);
	unsigned char **packed = xcalloc((size_t)n, sizeof *packed);
	size_t *plen = xcalloc((size_t)n, sizeof *plen);
	double t0 = now_s();
	int empty = 0;
	for (; now_s() - t0 < 0.5; empty++) {
		size_t l;
		free(payload_pack("", 0, &l));
	}
	printf("payload_fixed_us %.2f\n", (now_s() - t0) * 1e6 / empty);
	static const struct {
		int format, level;
		const char *name;
	} runs[] = {{PAYLOAD_DEFLATE, 1, "deflate"}, {PAYLOAD_DEFLATE, 3, "deflate"}, {PAYLOAD_DEFLATE, 6, "deflate"},
		    {PAYLOAD_DEFLATE, 9, "deflate"}, {PAYLOAD_ZSTD, 1, "zstd"},       {PAYLOAD_ZSTD, 2, "zstd"},
		    {PAYLOAD_ZSTD, 3, "zstd"},       {PAYLOAD_ZSTD, 5, "zstd"},       {PAYLOAD_ZSTD, 9, "zstd"},
		    {PAYLOAD_ZSTD, 19, "zstd"}};
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		int format = runs[r].format, level = runs[r].level;
		size_t out = 0;
		int rounds = 0;
		t0 = now_s();
		do {
			out = 0;
			for (int i = 0; i < n; i++) {
				free(packed[i]);
				packed[i] = payload_pack_with(text[i], strlen(text[i]), format, level, &plen[i]);
				out += plen[i];
			}
			rounds++;
		} while (now_s() - t0 < 1.0);
		double pack_us = (now_s() - t0) * 1e6 / ((double)rounds * n);
		rounds = 0;
		t0 = now_s();
		do {
			for (int i = 0; i < n; i++) {
				struct qd_err err;
				char *back = payload_unpack(packed[i], plen[i], &err);
				if (!back || strcmp(back, text[i]) != 0) {
					fprintf(stderr, "payload: round trip failed (%s level %d), event %d\n", runs[r].name, level, i);
					return 1;
				}
				free(back);
			}
			rounds++;
		} while (now_s() - t0 < 1.0);
		double unpack_us = (now_s() - t0) * 1e6 / ((double)rounds * n);
		printf("%s level %d: pack %.1f us/event, unpack %.1f us/event, stored %.1f %% of the text (%.0f B/event)%s\n",
		       runs[r].name, level, pack_us, unpack_us, 100.0 * (double)out / (double)raw, (double)out / n,
		       format == PAYLOAD_FORMAT && level == PAYLOAD_LEVEL ? "  <- written now" : "");
	}
	for (int i = 0; i < n; i++) {
		free(text[i]);
		free(packed[i]);
	}
	free(text);
	free(packed);
	free(plen);
	return 0;
}
