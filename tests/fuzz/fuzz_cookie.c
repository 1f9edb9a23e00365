/* fuzz_cookie.c — libFuzzer target for the strict Cookie header reader, cookie_get()
 * (src/web/cookie.c).
 *
 * Input: one byte, the size of the caller's buffer (0 to 255); then the cookie name asked for,
 * up to a NUL; then the header (up to the next NUL: libmicrohttpd hands over a C string).  Also
 * run for the four names the dispatcher reads (qd_session, qd_pre, qd_lang, qd_elder).
 * Invariants (abort on violation):
 *   - no crash or undefined behaviour; out is NUL-terminated inside its size and "" unless 0;
 *   - the answer equals an independent model: the header split at every "; " into pairs, each
 *     a non-empty token name, '=', and cookie-octets (optionally in double quotes); any piece
 *     failing → -2; the name twice → -2; once → its value (quotes off), -2 when it does not fit;
 *     not at all (or an empty header) → -1;
 *   - a found value holds only cookie-octets. */
#include "web/cookie.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tchar(unsigned char c)
{
	static const char sep[] = "()<>@,;:\\\"/[]?={} \t";
	return c > 0x20 && c < 0x7f && !memchr(sep, c, sizeof sep - 1);
}

static int octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	       (c >= 0x5d && c <= 0x7e);
}

/* The model: answers like cookie_get, the value into *v / *vn. */
static int model(const char *h, const char *name, size_t n, const char **v, size_t *vn)
{
	if (!*h)
		return -1;
	int found = 0;
	const char *p = h;
	for (;;) {
		const char *sep = strstr(p, "; ");
		size_t len = sep ? (size_t)(sep - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (!eq || eq == p)
			return -2;
		for (const char *c = p; c < eq; c++)
			if (!tchar((unsigned char)*c))
				return -2;
		const char *val = eq + 1;
		size_t vl = len - (size_t)(val - p);
		if (vl >= 1 && val[0] == '"') {
			if (vl < 2 || val[vl - 1] != '"')
				return -2;
			val++;
			vl -= 2;
		}
		for (size_t i = 0; i < vl; i++)
			if (!octet((unsigned char)val[i]))
				return -2;
		if ((size_t)(eq - p) == strlen(name) && !memcmp(p, name, strlen(name))) {
			found++;
			*v = val;
			*vn = vl;
		}
		if (!sep)
			break;
		p = sep + 2;
	}
	if (found > 1)
		return -2;
	if (!found)
		return -1;
	return *vn < n ? 0 : -2;
}

static void check(const char *header, const char *name, size_t n)
{
	char *out = malloc(n + 1);
	memset(out, 'X', n + 1);
	int rc = cookie_get(header, name, n ? out : NULL, n);
	const char *mv = NULL;
	size_t mn = 0;
	int want = model(header, name, n, &mv, &mn);
	if (rc != want) {
		fprintf(stderr, "fuzz_cookie: cookie_get answered %d, the model %d\n  name: %s\n  n: %zu\n", rc, want, name, n);
		abort();
	}
	if (n && !memchr(out, 0, n)) {
		fprintf(stderr, "fuzz_cookie: out is not NUL-terminated inside its size\n");
		abort();
	}
	if (rc != 0 && n && out[0]) {
		fprintf(stderr, "fuzz_cookie: out is not empty after %d\n", rc);
		abort();
	}
	if (rc == 0) {
		if (strlen(out) != mn || memcmp(out, mv, mn) != 0) {
			fprintf(stderr, "fuzz_cookie: the value differs from the model's\n");
			abort();
		}
		for (const char *c = out; *c; c++)
			if (!octet((unsigned char)*c)) {
				fprintf(stderr, "fuzz_cookie: a found value holds a byte that is no cookie-octet\n");
				abort();
			}
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	size_t n = data[0];
	const char *rest = (const char *)data + 1;
	size_t rn = size - 1;
	const char *nul = memchr(rest, 0, rn);
	char *name = strndup(rest, nul ? (size_t)(nul - rest) : rn);
	const char *h = nul ? nul + 1 : rest + rn;
	size_t hn = nul ? rn - (size_t)(nul + 1 - rest) : 0;
	char *header = strndup(h, hn); /* up to its first NUL */
	check(header, name, n);
	static const char *const ours[] = {"qd_session", "qd_pre", "qd_lang", "qd_elder"};
	for (int i = 0; i < 4; i++)
		check(header, ours[i], 256);
	free(name);
	free(header);
	return 0;
}
