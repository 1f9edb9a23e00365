/* buf.h — growable byte buffer (always NUL-terminated) with typed escaping writers.
 * Text goes into HTML only through buf_html(), into URLs through buf_url(), into JSON strings
 * through buf_json_str(); raw buf_puts() is for trusted literals. */
#ifndef QD_BUF_H
#define QD_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;    /* owned; NUL-terminated when len > 0 or after buf_init */
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Give the bytes to the caller (free with free()); the buffer is left empty. */
char *buf_take(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Escaping writers. */
void buf_html(struct buf *b, const char *s);
void buf_url(struct buf *b, const char *s);
void buf_json_str(struct buf *b, const char *s); /* writes "..." with quotes */
void buf_int(struct buf *b, long long v);          /* decimal, no printf */

#endif
