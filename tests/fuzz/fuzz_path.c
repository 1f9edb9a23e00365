/* fuzz_path.c — libFuzzer target for the pure, byte-level parsers a request path and its
 * fields pass through:
 *   1. route matching: router.c's static match() (reached by including router.c — the file is
 *      compiled into this target; nothing in src/ changes) against every pattern of
 *      routes_table(), checked against a segment-wise model of the pattern rules, and: no two
 *      routes of one method match the same path (the table has no shadowed routes);
 *   2. date_parse(): success implies date_format() gives the input back, the date is real, and
 *      day ↔ y/m/d conversions round-trip;
 *   3. problem_phone_valid(), problem_idno_valid(): never read past the terminating NUL (the
 *      input is copied into an exact-size heap block, so ASan sees any over-read); results are
 *      0/1; an accepted ID number has a correct GB 11643 check digit (model below); phone
 *      validity does not change when full-width digits are written as ASCII;
 *   4. utf8_valid() against a Table 3-7 model; on valid input utf8_decode() walks exactly the
 *      input, utf8_encode() gives back the same bytes, utf8_count() counts the same code points;
 *   5. the working-day calendar (core/calendar.c): add_workdays / workdays_between / is_workday
 *      against a day-by-day walk, on the shipped calendar or one built from the input.
 * Each input is used by every section (the path section prefixes "/api/v1/" when the input
 * does not start with '/', so most runs reach the route patterns).
 *
 * QD_FUZZ_SKIP_KNOWN=1 in the environment gives problem_phone_valid() only valid UTF-8 (known
 * finding 2, tests/fuzz/README.md) so a long run can look past it; replay and CI run strict. */
#include "web/router.c" /* the static match() */

#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/calendar.h"
#include "core/problem.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int skip_known = -1;

#define DIE(...)                                                                                    \
	do {                                                                                        \
		fprintf(stderr, "fuzz_path: " __VA_ARGS__);                                         \
		fputc('\n', stderr);                                                                \
		abort();                                                                            \
	} while (0)

/* A NUL-terminated exact-size heap copy of data[0..n). */
static char *dup_exact(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	memcpy(s, data, n);
	s[n] = 0;
	return s;
}

/* ---- 1. route patterns --------------------------------------------------------------------- */

static int seg_len(const char *s)
{
	int n = 0;
	while (s[n] && s[n] != '/')
		n++;
	return n;
}

/* Model of a route pattern: '/'-separated segments; "{id}" is 1..39 ASCII digits with a value in
 * 1..10^15+9 (match() stops at a prefix above 10^14 before the next digit), any other "{...}"
 * is 1..39 characters of [a-z0-9_-]; every other segment is literal. */
static int model_match(const char *pat, const char *path, int64_t *id, char *word)
{
	for (;;) {
		int pn = seg_len(pat), n = seg_len(path);
		if (pat[0] == '{') {
			if (n < 1 || n > 39)
				return 0;
			if (pn == 4 && memcmp(pat, "{id}", 4) == 0) {
				unsigned long long v = 0;
				for (int i = 0; i < n; i++) {
					if (path[i] < '0' || path[i] > '9')
						return 0;
					if (v <= 100000000000000ULL * 10 + 9)
						v = v * 10 + (unsigned)(path[i] - '0');
				}
				if (v < 1 || v > 1000000000000009ULL)
					return 0;
				*id = (int64_t)v;
			} else {
				for (int i = 0; i < n; i++) {
					char c = path[i];
					if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
						return 0;
				}
				memcpy(word, path, (size_t)n);
				word[n] = 0;
			}
		} else if (pn != n || memcmp(pat, path, (size_t)n) != 0) {
			return 0;
		}
		pat += pn, path += n;
		if (!*pat || !*path)
			return !*pat && !*path;
		pat++, path++; /* both at '/' */
	}
}

/* 1 if the pattern has a placeholder other than {id} (it fills word). */
static int has_word(const char *pat)
{
	for (const char *p = strchr(pat, '{'); p; p = strchr(p + 1, '{'))
		if (strncmp(p, "{id}", 4) != 0)
			return 1;
	return 0;
}

static void check_routes(const char *path)
{
	int nr;
	const struct route *t = routes_table(&nr);
	const struct route *hit[64];
	int nhit = 0;
	for (int i = 0; i < nr; i++) {
		int64_t id = -1, mid = -1;
		char word[40], mword[40];
		memset(word, 0x5a, sizeof word);
		word[0] = mword[0] = 0;
		int got = match(t[i].pattern, path, &id, word, sizeof word);
		int want = model_match(t[i].pattern, path, &mid, mword);
		if (got != want)
			DIE("match(\"%s\", \"%s\") = %d, model says %d", t[i].pattern, path, got, want);
		if (!got)
			continue;
		if (strstr(t[i].pattern, "{id}") && (id < 1 || id != mid))
			DIE("match(\"%s\", \"%s\"): id %lld, model %lld", t[i].pattern, path, (long long)id,
			    (long long)mid);
		if (has_word(t[i].pattern) && (memchr(word, 0, sizeof word) == NULL || strcmp(word, mword) != 0))
			DIE("match(\"%s\", \"%s\"): word differs from the model", t[i].pattern, path);
		if (nhit < 64)
			hit[nhit++] = &t[i];
	}
	for (int i = 0; i < nhit; i++)
		for (int j = i + 1; j < nhit; j++)
			if (strcmp(hit[i]->method, hit[j]->method) == 0)
				DIE("%s %s matches both \"%s\" and \"%s\"", hit[i]->method, path, hit[i]->pattern,
				    hit[j]->pattern);
}

/* ---- 2. dates ------------------------------------------------------------------------------- */

static int model_date(const char *s)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	int v[3] = {0, 0, 0}, part = 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			part++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v[part] = v[part] * 10 + (s[i] - '0');
	}
	if (v[0] < 1900 || v[0] > 2199 || v[1] < 1 || v[1] > 12 || v[2] < 1)
		return 0;
	int leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
	return v[2] <= dim[v[1] - 1] + (v[1] == 2 && leap);
}

static void check_date(const char *s)
{
	int32_t d = 0x7eadbeef;
	int rc = date_parse(s, &d);
	if (rc != 0 && rc != -1)
		DIE("date_parse(\"%s\") returned %d", s, rc);
	if ((rc == 0) != model_date(s))
		DIE("date_parse(\"%s\") = %d, the calendar model disagrees", s, rc);
	if (rc != 0)
		return;
	char out[11];
	date_format(d, out);
	if (strcmp(out, s) != 0)
		DIE("date_parse(\"%s\") -> %d -> date_format \"%s\"", s, d, out);
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	if (date_from_ymd(y, m, dd) != d)
		DIE("day %d does not round-trip through y/m/d", d);
	int w = date_weekday(d);
	if (w < 1 || w > 7 || date_weekday(d + 1) != w % 7 + 1)
		DIE("date_weekday(%d) = %d", d, w);
}

/* ---- 3. phone and ID numbers ---------------------------------------------------------------- */

/* GB 11643-1999: weights 2^(17-i) mod 11, check value (12 - sum mod 11) mod 11, 10 written X. */
static int model_idno(const char *s)
{
	if (strlen(s) != 18)
		return 0;
	int sum = 0, w = 1;
	for (int i = 16; i >= 0; i--) {
		w = (w * 2) % 11;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * w;
	}
	int c = (12 - sum % 11) % 11;
	return c == 10 ? (s[17] == 'X' || s[17] == 'x') : s[17] == '0' + c;
}

/* The string with every full-width digit (EF BC 90..99) written as its ASCII digit. */
static char *ascii_digits(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;
	while (*s) {
		const unsigned char *u = (const unsigned char *)s;
		if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
			*p++ = (char)('0' + (u[2] - 0x90));
			s += 3;
		} else {
			*p++ = *s++;
		}
	}
	*p = 0;
	return o;
}

static void check_numbers(const char *s, size_t n)
{
	int valid = utf8_valid(s, n);
	if (valid || !skip_known) {
		int ph = problem_phone_valid(s);
		if (ph != 0 && ph != 1)
			DIE("problem_phone_valid returned %d", ph);
		if (valid) {
			char *a = ascii_digits(s);
			if (problem_phone_valid(a) != ph)
				DIE("problem_phone_valid(\"%s\") = %d but %d with ASCII digits", s, ph, !ph);
			free(a);
		}
	}
	int id = problem_idno_valid(s);
	if (id != 0 && id != 1)
		DIE("problem_idno_valid returned %d", id);
	if (id != model_idno(s))
		DIE("problem_idno_valid(\"%s\") = %d, the GB 11643 model disagrees", s, id);
}

/* ---- 4. UTF-8 -------------------------------------------------------------------------------- */

static int model_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c == 0)
			return 0;
		if (c < 0x80)
			len = 1;
		else if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c == 0xE0)
			len = 3, lo = 0xA0;
		else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
			len = 3;
		else if (c == 0xED)
			len = 3, hi = 0x9F;
		else if (c == 0xF0)
			len = 4, lo = 0x90;
		else if (c >= 0xF1 && c <= 0xF3)
			len = 4;
		else if (c == 0xF4)
			len = 4, hi = 0x8F;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++)
			if (s[i + k] < (k == 1 ? lo : 0x80) || s[i + k] > (k == 1 ? hi : 0xBF))
				return 0;
		i += len;
	}
	return 1;
}

static void check_utf8(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1); /* not NUL-terminated: utf8_valid must respect n */
	if (size)
		memcpy(s, data, size);
	int v = utf8_valid(s, size);
	if (v != model_utf8(data, size))
		DIE("utf8_valid = %d, the Table 3-7 model disagrees (%zu bytes)", v, size);
	free(s);
	if (!v)
		return;
	char *z = dup_exact(data, size);
	size_t i = 0, cps = 0;
	while (i < size) {
		uint32_t cp;
		int len = utf8_decode(z + i, &cp);
		char enc[4];
		if (len < 1 || len > 4 || (size_t)len > size - i)
			DIE("utf8_decode consumed %d bytes at %zu of %zu", len, i, size);
		if (utf8_encode(cp, enc) != len || memcmp(enc, z + i, (size_t)len) != 0)
			DIE("U+%04X at %zu does not re-encode to the same bytes", (unsigned)cp, i);
		i += (size_t)len;
		cps++;
	}
	if (utf8_count(z) != cps)
		DIE("utf8_count = %zu, decoding found %zu", utf8_count(z), cps);
	free(z);
}

/* ---- 5. the working-day calendar -------------------------------------------------------------- */

static int model_workday(const struct cal_day *days, size_t n, int32_t d)
{
	int kind = -1;
	for (size_t i = 0; i < n; i++) /* a later entry for the same date wins */
		if (days[i].date == d)
			kind = (int)days[i].kind;
	if (kind == CAL_HOLIDAY)
		return 0;
	if (kind == CAL_WORKDAY)
		return 1;
	return date_weekday(d) <= 5;
}

static void check_calendar(const uint8_t *data, size_t size)
{
	static struct calendar *shipped;
	static const struct cal_day *sd;
	static size_t sn;
	if (!shipped) {
		sd = calendar_shipped(&sn);
		shipped = calendar_new(sd, sn);
	}
	if (size < 4)
		return;
	const int32_t base = date_from_ymd(2022, 1, 1);
	const int span = 6 * 366;
	int use_shipped = data[3] & 0x80;
	struct cal_day days[40];
	size_t nd = 0;
	for (size_t k = 4; k + 3 <= size && nd < (size_t)(data[3] & 0x1f); k += 3) {
		days[nd].date = base + (int32_t)((data[k] | data[k + 1] << 8) % span);
		days[nd].kind = (enum cal_kind)(data[k + 2] % 4);
		days[nd].name = data[k + 2] & 0x80 ? "节" : NULL;
		nd++;
	}
	struct calendar *c = use_shipped ? shipped : calendar_new(days, nd);
	const struct cal_day *md = use_shipped ? sd : days;
	size_t mn = use_shipped ? sn : nd;

	int32_t start = base + (int32_t)((data[0] | data[1] << 8) % span);
	int n = (int8_t)data[2];
	for (int32_t d = start - 10; d <= start + 10; d++)
		if (calendar_is_workday(c, d) != model_workday(md, mn, d))
			DIE("calendar_is_workday(%d) disagrees with the model", d);
	int32_t want = start;
	for (int k = 0; k < (n < 0 ? -n : n);) {
		want += n < 0 ? -1 : 1;
		if (model_workday(md, mn, want))
			k++;
	}
	int32_t got = calendar_add_workdays(c, start, n);
	if (got != want)
		DIE("calendar_add_workdays(%d, %d) = %d, a day-by-day walk gives %d", start, n, got, want);
	int32_t to = start + n * 2;
	int between = 0;
	for (int32_t d = start + 1; d <= to; d++)
		between += model_workday(md, mn, d);
	if (calendar_workdays_between(c, start, to) != between)
		DIE("calendar_workdays_between(%d, %d) = %d, walk gives %d", start, to,
		    calendar_workdays_between(c, start, to), between);
	if (n > 0 && calendar_workdays_between(c, start, got) != n)
		DIE("workdays_between(start, add_workdays(start, %d)) != %d", n, n);
	if (!use_shipped)
		calendar_free(c);
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
	size_t n = strnlen((const char *)data, size); /* C strings stop at the first NUL */

	/* 1. paths (MHD hands the router a NUL-terminated URL, at most a few KB) */
	if (n < 4096) {
		static const char pre[] = "/api/v1/";
		int raw = n > 0 && data[0] == '/';
		char *path = malloc(n + sizeof pre);
		size_t off = raw ? 0 : sizeof pre - 1;
		memcpy(path, pre, off);
		memcpy(path + off, data, n);
		path[off + n] = 0;
		char *exact = dup_exact((const uint8_t *)path, off + n);
		check_routes(exact);
		free(exact);
		free(path);
	}

	/* 2–3. strings: exact-size copies, so any read past the NUL is an ASan report */
	char *s = dup_exact(data, n);
	check_date(s);
	check_numbers(s, n);
	free(s);

	/* 4. UTF-8 over all the bytes, NULs included */
	check_utf8(data, size);

	/* 5. calendar */
	check_calendar(data, size);
	return 0;
}
