/* cookie.c — the strict Cookie header reader (web/cookie.h): one pass over the whole header,
 * checking the RFC 6265 §4.2.1 grammar, remembering the value of the cookie asked for and
 * refusing it when it appears twice.  No allocation; the only buffer is the caller's. */
#include "web/cookie.h"
#include <string.h>

/* RFC 2616 token characters (RFC 6265 cookie-name). */
static int is_tchar(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return 0;
	return !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* RFC 6265 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E. */
static int is_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

int cookie_get(const char *header, const char *name, char *out, size_t n)
{
	if (out && n)
		out[0] = 0;
	if (!header || !*header)
		return -1;
	size_t nlen = strlen(name);
	const char *val = NULL;
	size_t vlen = 0;
	const char *p = header;
	for (;;) {
		const char *k = p;
		while (is_tchar((unsigned char)*p))
			p++;
		size_t klen = (size_t)(p - k);
		if (!klen || *p != '=')
			return -2;
		p++;
		int quoted = *p == '"';
		if (quoted)
			p++;
		const char *v = p;
		while (is_octet((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - v);
		if (quoted) {
			if (*p != '"')
				return -2;
			p++;
		}
		if (klen == nlen && memcmp(k, name, nlen) == 0) {
			if (val)
				return -2; /* twice */
			val = v;
			vlen = len;
		}
		if (!*p)
			break;
		if (p[0] != ';' || p[1] != ' ')
			return -2;
		p += 2;
	}
	if (!val)
		return -1;
	if (!out || vlen >= n)
		return -2;
	memcpy(out, val, vlen);
	out[vlen] = 0;
	return 0;
}
