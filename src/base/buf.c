/* buf.c — growable buffer and the escaping writers (HTML text, URL component, JSON string). */
#include "base/buf.h"
#include "base/mem.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void buf_free(struct buf *b)
{
	free(b->p);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

char *buf_take(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");
	buf_init(b);
	return p;
}

void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap * 2 : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	assert(b->len + extra + 1 <= b->cap); /* room for extra bytes and the NUL */
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	assert(b->p && b->len + n < b->cap);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	if (!fmt)
		return;
	va_list aq;
	va_copy(aq, ap);
	char probe[1];
	int n = vsnprintf(probe, sizeof probe, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_html(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

void buf_url(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9') ||
		    *u == '-' || *u == '_' || *u == '.' || *u == '~') {
			buf_putc(b, (char)*u);
		} else {
			char e[3] = {'%', hex[*u >> 4], hex[*u & 15]};
			buf_put(b, e, 3); /* fmt: a %XX escape made here */
		}
	}
}

void buf_int(struct buf *b, long long v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(tmp + sizeof tmp - p)); /* fmt: the digits made here */
}

/* Bytes that need no escaping inside a JSON string (and none that would close a <script>). */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c != '<';
}

void buf_json_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		const unsigned char *run = u;
		while (json_plain(*u))
			u++;
		if (u > run)
			buf_put(b, run, (size_t)(u - run)); /* fmt: bytes json_plain() passes */
		if (!*u)
			break;
		switch (*u) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '<': buf_puts(b, "\\u003c"); break; /* safe inside <script> */
		default:
			if (*u < 0x20) {
				char e[6] = {'\\', 'u', '0', '0', hex[*u >> 4], hex[*u & 15]};
				buf_put(b, e, 6); /* fmt: a JSON escape made here */
			} else {
				buf_putc(b, (char)*u);
			}
		}
	}
	buf_putc(b, '"');
}
