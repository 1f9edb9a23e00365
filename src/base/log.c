/* log.c — JSON-lines logger on stderr; one write(2) per line so threads do not interleave. */
#include "base/log.h"
#include "base/buf.h"
#include "base/date.h"
#include <stdarg.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level l)
{
	min_level = l;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	if (l < min_level)
		return;
	struct buf msg, line;
	buf_init(&msg);
	buf_init(&line);
	va_list ap;
	va_start(ap, fmt);
	/* fmt: log_msg's format, checked by gcc's format attribute; JSON-escaped below */
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	char ts[32];
	/* fmt: a timestamp of digits, a level name of names[] */
	buf_printf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":", clock_format_ms(clock_now_ms(), ts),
		   names[l]);
	buf_json_str(&line, msg.p ? msg.p : "");
	buf_puts(&line, "}\n");
	ssize_t w = write(2, line.p, line.len);
	(void)w;
	buf_free(&msg);
	buf_free(&line);
}
