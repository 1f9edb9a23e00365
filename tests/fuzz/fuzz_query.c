/* fuzz_query.c — libFuzzer target for query strings: router.c's static query_one() (reached by
 * including router.c; nothing in src/ changes), the callback router_validate() hands to
 * MHD_get_connection_values_n() for every GET argument.
 *
 * The input is the raw query string (what follows '?').  It is split and decoded the way
 * libmicrohttpd does it (MHD_parse_arguments_: '&' between arguments, the first '=' between key
 * and value, '+' → space, then MHD_http_unescape() for %HH; a key without '=' has a NULL value;
 * sizes are those after decoding, so a %00 shows as size ≠ strlen), then each argument is fed
 * to query_one() in order until it answers MHD_NO, for every distinct query spec in
 * routes_table().  Invariants (abort on violation):
 *   - no crash, leak or undefined behaviour;
 *   - query_one() answers MHD_NO exactly when it marks the query failed, and a failed query has
 *     code QD_EINVAL and a non-empty, valid UTF-8 err.field, err.zh and err.en (they become the
 *     400 answer through json_pack, which fails on invalid UTF-8);
 *   - an accepted query has only known keys, each once, no NUL inside a key or value, every
 *     value valid UTF-8, integers inside their range, booleans spelled true/false/1/0, enums
 *     among their values, dates real dates.
 *
 * QD_FUZZ_SKIP_KNOWN=1 tolerates known finding 1 (field names cut inside a UTF-8 sequence, see
 * tests/fuzz/README.md) so a long run can look past it; replay and CI run strict. */
#include "web/router.c" /* the static query_one() */

#include "base/mem.h"
#include "base/utf8.h"
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int skip_known = -1;

struct arg {
	char *key, *value; /* value NULL: no '=' */
	size_t key_size, value_size;
};

static void fail(const char *what, const struct param *spec, const char *query, const struct qd_err *err)
{
	fprintf(stderr, "fuzz_query: %s\n  spec: first param %s\n  query: ", what,
		spec && spec[0].name ? spec[0].name : "(none)");
	for (const unsigned char *p = (const unsigned char *)query; *p; p++)
		fprintf(stderr, *p >= 0x20 && *p < 0x7f ? "%c" : "\\x%02x", *p);
	fputc('\n', stderr);
	if (err) {
		fprintf(stderr, "  err.code=%d err.field (%zu bytes):", (int)err->code, strlen(err->field));
		for (const unsigned char *p = (const unsigned char *)err->field; *p; p++)
			fprintf(stderr, " %02x", *p);
		fprintf(stderr, "\n  err.zh=%s\n  err.en=%s\n", err->zh, err->en);
	}
	abort();
}

/* Non-empty valid UTF-8 inside cap.  With QD_FUZZ_SKIP_KNOWN=1, known findings 1 and 3
 * (tests/fuzz/README.md) are tolerated: a field may be empty, and an incomplete trailing
 * sequence (a name cut at 63 bytes) is dropped before the check. */
static int text_valid(const char *s, size_t cap, int is_field)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		return 0;
	if (n == 0)
		return skip_known && is_field;
	if (utf8_valid(s, n))
		return 1;
	if (!skip_known)
		return 0;
	for (int drop = 1; drop < 4 && n > 0; drop++)
		if (utf8_valid(s, --n))
			return 1;
	return 0;
}

/* What an accepted value must satisfy (from router.h, written independently of check_value). */
static int accepted_value_ok(const struct param *p, const char *v)
{
	size_t n = strlen(v);
	if (!utf8_valid(v, n) && n > 0)
		return 0;
	switch (p->type) {
	case P_INT:
	case P_ID: {
		char *end;
		long long x = strtoll(v, &end, 10);
		if (!n || *end)
			return 0;
		return p->type == P_ID ? x >= 1 : x >= p->min && x <= p->max;
	}
	case P_BOOL:
		return !strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "1") || !strcmp(v, "0");
	case P_ENUM:
		for (int i = 0; p->enums[i]; i++)
			if (!strcmp(p->enums[i], v))
				return 1;
		return 0;
	case P_DATE: {
		int32_t d;
		return date_parse(v, &d) == 0;
	}
	case P_STR:
	case P_TEXT:
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)v[i] < 0x20 && !(p->type == P_TEXT && strchr("\t\r\n", v[i])))
				return 0;
		return (int64_t)utf8_count(v) <= p->max;
	default:
		return 1; /* P_IDS / P_OBJ never appear in a query */
	}
}

static void run_spec(const struct param *spec, struct arg *args, size_t nargs, const char *query)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	struct qctx q = {NULL, spec, &err, 0, json_object()};
	size_t done = 0;
	enum MHD_Result last = MHD_YES;
	for (; done < nargs; done++) {
		last = query_one(&q, MHD_GET_ARGUMENT_KIND, args[done].key, args[done].key_size,
				 args[done].value, args[done].value_size);
		if (last == MHD_NO) {
			done++;
			break;
		}
	}
	json_decref(q.seen);
	if ((last == MHD_NO) != (q.failed != 0))
		fail("query_one's answer and its failed flag disagree", spec, query, &err);
	if (q.failed) {
		if (err.code != QD_EINVAL)
			fail("error code is not QD_EINVAL", spec, query, &err);
		if (!text_valid(err.field, sizeof err.field, 1))
			fail("err.field is empty or not valid UTF-8", spec, query, &err);
		if (!text_valid(err.zh, sizeof err.zh, 0))
			fail("err.zh is empty or not valid UTF-8", spec, query, &err);
		if (!text_valid(err.en, sizeof err.en, 0))
			fail("err.en is empty or not valid UTF-8", spec, query, &err);
		return;
	}
	/* Accepted: every argument was seen and is fine. */
	for (size_t i = 0; i < nargs; i++) {
		const struct arg *a = &args[i];
		if (strlen(a->key) != a->key_size || (a->value && strlen(a->value) != a->value_size))
			fail("accepted a NUL inside a key or value", spec, query, NULL);
		if (!utf8_valid(a->key, a->key_size))
			fail("accepted a key that is not valid UTF-8", spec, query, NULL);
		const struct param *p = NULL;
		for (int k = 0; spec && spec[k].name; k++)
			if (!strcmp(spec[k].name, a->key))
				p = &spec[k];
		if (!p)
			fail("accepted an unknown key", spec, query, NULL);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(args[j].key, a->key))
				fail("accepted a key given twice", spec, query, NULL);
		if (!accepted_value_ok(p, a->value ? a->value : ""))
			fail("accepted a value the parameter rules refuse", spec, query, NULL);
	}
}

/* jansson allocates through the aborting wrappers, as in the server (base/mem.h). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	mem_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (skip_known < 0) {
		const char *e = getenv("QD_FUZZ_SKIP_KNOWN");
		skip_known = e && *e && strcmp(e, "0") != 0;
	}
	if (size > 8192)
		return 0;
	/* MHD sees the URL as a C string: the query ends at the first raw NUL. */
	size_t n = strnlen((const char *)data, size);
	char *query = malloc(n + 1);
	memcpy(query, data, n);
	query[n] = 0;

	struct arg args[64];
	size_t nargs = 0;
	char *work = malloc(n + 1);
	memcpy(work, query, n + 1);
	for (char *p = work; p && *p && nargs < 64;) {
		char *amp = strchr(p, '&');
		if (amp)
			*amp = 0;
		if (*p) { /* MHD skips empty arguments ("a&&b") */
			char *eq = strchr(p, '=');
			if (eq)
				*eq = 0;
			for (char *c = p; *c; c++)
				if (*c == '+')
					*c = ' ';
			struct arg *a = &args[nargs++];
			a->key = p;
			a->key_size = MHD_http_unescape(p);
			a->value = NULL;
			a->value_size = 0;
			if (eq) {
				for (char *c = eq + 1; *c; c++)
					if (*c == '+')
						*c = ' ';
				a->value = eq + 1;
				a->value_size = MHD_http_unescape(eq + 1);
			}
		}
		p = amp ? amp + 1 : NULL;
	}

	int nr;
	const struct route *t = routes_table(&nr);
	for (int i = 0; i < nr; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = t[j].query == t[i].query;
		if (!seen)
			run_spec(t[i].query, args, nargs, query);
	}
	free(work);
	free(query);
	return 0;
}
