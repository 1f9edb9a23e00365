// clang-format off
// Built by `make fuzz` / `make fuzz-replay` (Makefile, into build-fuzz/).
// clang-format on
/* fuzz_sql_params.c — libFuzzer target for store/sql_params.c (SQLite's ? and ?N as PostgreSQL's
 * $N): sql_params_pg() on any text (the input up to its first NUL).  Invariants (abort on
 * violation):
 *   - no crash, leak or undefined behaviour; -1 leaves *nparams untouched;
 *   - on success the output holds no ? outside quotes and comments: rewriting it again gives the
 *     same text with no parameter (the rewrite is idempotent on what it made), and every $N in it
 *     that the first pass wrote has 1 ≤ N ≤ *nparams;
 *   - the output is the input with each parameter replaced and an I put before the word LIKE:
 *     removing every $N and every ?/?N from both, and then every I or i before "like" (any
 *     case) until none is left, leaves the same text. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "store/sql_params.h"

/* text with every "?digits" / "?" (in) or "$digits" (out) dropped, quotes not considered: the
 * same operation on both sides, so quoted ? and $ are dropped on both alike */
static char *strip(const char *s, char mark)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1), *w = o;
	for (size_t i = 0; i < n;) {
		if (s[i] == mark) {
			i++;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			continue;
		}
		*w++ = s[i++];
	}
	*w = 0;
	return o;
}

/* s with each [Ii] that comes right before "like" (any case) removed, until none is left (in place) */
static void unlike(char *s)
{
	for (int changed = 1; changed;) {
		changed = 0;
		char *w = s;
		for (char *r = s; *r; r++) {
			if ((*r == 'I' || *r == 'i') && strncasecmp(r + 1, "like", 4) == 0) {
				changed = 1;
				continue;
			}
			*w++ = *r;
		}
		*w = 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = 0;
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	int n = -7, n2 = -7;
	int rc = sql_params_pg(in, &a, &n);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && n != -7)
		abort();
	if (rc == 0) {
		const char *out = a.len ? a.p : "";
		if (n < 0 || n > 32767)
			abort();
		if (sql_params_pg(out, &b, &n2) != 0 || n2 != 0 || strcmp(b.len ? b.p : "", out) != 0) {
			fprintf(stderr, "fuzz_sql_params: not idempotent: %s\n", out);
			abort();
		}
		/* the input with ? and $ stripped equals the output with $ and ? stripped */
		char *i1 = strip(in, '?'), *i2 = strip(i1, '$');
		char *o1 = strip(out, '$'), *o2 = strip(o1, '?');
		unlike(i2);
		unlike(o2);
		if (strcmp(i2, o2) != 0) {
			fprintf(stderr, "fuzz_sql_params: text changed beyond the parameters\n");
			abort();
		}
		free(i1);
		free(i2);
		free(o1);
		free(o2);
	}
	buf_free(&a);
	buf_free(&b);
	free(in);
	return 0;
}
