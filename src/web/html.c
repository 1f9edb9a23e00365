/* html.c — html_printf (web/html.h): a small printf of our own because the conversions are ours
 * (%h %a %u %j): the C library's printf has no escaping conversions and registering custom ones
 * (glibc's register_printf_specifier) is global, non-portable and unchecked by the compiler. */
#include "web/html.h"
#include "base/log.h"
#include <stdlib.h>
#include <string.h>

void html_text_n(struct buf *b, const char *s, size_t n)
{
	const char *run = s, *end = s + n;
	for (; s < end; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(b, run, (size_t)(s - run)); /* fmt: bytes with nothing to escape */
		buf_puts(b, rep);
		run = s + 1;
	}
	buf_put(b, run, (size_t)(end - run)); /* fmt: bytes with nothing to escape */
}

static void attr(struct buf *b, const char *s)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if (*u < 0x20 || *u == 0x7f)
			continue; /* no control byte in an attribute (a newline in a value="" is legal but
				   * nothing we write needs one) */
		html_text_n(b, (const char *)u, 1);
	}
}

/* JSON string for a data block: buf_json_str escapes " \ control bytes and <; add > & and the two
 * JavaScript line terminators. */
static void json_in_script(struct buf *b, const char *s)
{
	struct buf t;
	buf_init(&t);
	buf_json_str(&t, s);
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.p[i];
		if (c == '>')
			buf_puts(b, "\\u003e");
		else if (c == '&')
			buf_puts(b, "\\u0026");
		else if (c == 0xe2 && i + 2 < t.len && (unsigned char)t.p[i + 1] == 0x80 &&
			 ((unsigned char)t.p[i + 2] == 0xa8 || (unsigned char)t.p[i + 2] == 0xa9)) {
			buf_puts(b, (unsigned char)t.p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else
			buf_putc(b, (char)c);
	}
	buf_free(&t);
}

/* A size_t in decimal: buf_int takes a long long, which the upper half of size_t's range is not. */
static void put_size(struct buf *b, size_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	buf_put(b, p, (size_t)(tmp + sizeof tmp - p)); /* fmt: the digits made here */
}

static void bad_format(const char *fmt)
{
	log_error("html_printf: unknown conversion in format \"%s\" (web/html.h lists them)", fmt);
	abort();
}

void html_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *run = fmt;
	while (*p) {
		if (*p != '%') {
			p++;
			continue;
		}
		buf_put(b, run, (size_t)(p - run)); /* fmt: a run of the format, a literal checked at build */
		const char *s;
		switch (p[1]) {
		case '%': buf_putc(b, '%'); p += 2; break;
		case 'h':
			s = va_arg(ap, const char *);
			if (s)
				html_text_n(b, s, strlen(s));
			p += 2;
			break;
		case 'a':
			s = va_arg(ap, const char *);
			if (s)
				attr(b, s);
			p += 2;
			break;
		case 'u':
			s = va_arg(ap, const char *);
			if (s)
				buf_url(b, s);
			p += 2;
			break;
		case 'j':
			s = va_arg(ap, const char *);
			if (s)
				json_in_script(b, s);
			else
				buf_puts(b, "null");
			p += 2;
			break;
		case 'd': buf_int(b, va_arg(ap, int)); p += 2; break;
		case 'z':
			if (p[2] != 'u')
				bad_format(fmt);
			put_size(b, va_arg(ap, size_t));
			p += 3;
			break;
		case 'l':
			if (p[2] == 'd') {
				buf_int(b, va_arg(ap, long));
				p += 3;
			} else if (p[2] == 'l' && p[3] == 'd') {
				buf_int(b, va_arg(ap, long long));
				p += 4;
			} else
				bad_format(fmt);
			break;
		default: bad_format(fmt);
		}
		run = p;
	}
	buf_put(b, run, (size_t)(p - run)); /* fmt: a run of the format, a literal checked at build */
}

void html_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}
