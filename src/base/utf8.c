/* utf8.c — UTF-8 validation/decoding, written by hand: it is twenty lines, and the libraries
 * at hand (jansson, sqlite) do not expose a validator for arbitrary byte strings. */
#include "base/utf8.h"
#include <string.h>

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s, *e = u + n;
	while (u < e) {
		unsigned c = *u;
		if (c < 0x80) {
			if (c == 0)
				return 0;
			u++;
			continue;
		}
		int len;
		uint32_t cp, min;
		if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
		else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
		else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
		else return 0;
		if (e - u < len)
			return 0;
		for (int i = 1; i < len; i++) {
			if ((u[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		u += len;
	}
	return 1;
}

void utf8_sanitize(char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xF0) len = 4;
		else if (c >= 0xE0) len = 3;
		else if (c >= 0xC0) len = 2;
		if (i + len <= n && utf8_valid(s + i, len)) {
			i += len;
		} else {
			s[i] = '?';
			i++;
		}
	}
}

size_t utf8_count(const char *s)
{
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if ((*u & 0xC0) != 0x80)
			n++;
	return n;
}

size_t utf8_prefix(const char *s, size_t max_chars)
{
	size_t i = 0;
	for (size_t chars = 0; s[i] && chars < max_chars; chars++) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

int utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) { *cp = u[0]; return 1; }
	if ((u[0] & 0xE0) == 0xC0) { *cp = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F); return 2; }
	if ((u[0] & 0xF0) == 0xE0) {
		*cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
	      ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
	return 4;
}

int utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
	if (cp < 0x800) { o[0] = (unsigned char)(0xC0 | (cp >> 6)); o[1] = (unsigned char)(0x80 | (cp & 0x3F)); return 2; }
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12)); o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18)); o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}
