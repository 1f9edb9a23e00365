/* err.c — filling struct qd_err; code names used in JSON error bodies. */
#include "base/err.h"
#include "base/utf8.h"
#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Step ap past the arguments fmt consumes.  Only the conversions this project's messages use:
 * %s %c %d %i %u %x with the length modifiers l, ll, z; %% takes none. */
static void skip_args(const char *fmt, va_list *ap)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		while (*p && strchr("-+ #0123456789.", *p))
			p++;
		int l = 0, z = 0;
		while (*p == 'l')
			l++, p++;
		if (*p == 'z')
			z = 1, p++;
		switch (*p) {
		case 's': (void)va_arg(*ap, const char *); break;
		case 'c': (void)va_arg(*ap, int); break;
		case 'd': case 'i': case 'u': case 'x':
			if (z) (void)va_arg(*ap, size_t);
			else if (l >= 2) (void)va_arg(*ap, long long);
			else if (l == 1) (void)va_arg(*ap, long);
			else (void)va_arg(*ap, int);
			break;
		case 'f': case 'g': (void)va_arg(*ap, double); break;
		case 0: return;
		default: break;
		}
	}
}

int qd_fail(struct qd_err *err, enum qd_code code, const char *field, const char *zh,
	    const char *en, ...)
{
	assert(code != QD_OK); /* a failure answered as 200 would be a silent success */
	if (!err)
		return -1;
	err->code = code;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, en);
	va_list aq;
	va_copy(aq, ap);
	vsnprintf(err->zh, sizeof err->zh, zh, aq);
	va_end(aq);
	skip_args(zh, &ap);
	vsnprintf(err->en, sizeof err->en, en, ap);
	va_end(ap);
	/* Buffers may cut a character in two, and messages may quote bad input. */
	utf8_sanitize(err->field);
	utf8_sanitize(err->zh);
	utf8_sanitize(err->en);
	return -1;
}

void qd_err_clear(struct qd_err *err)
{
	memset(err, 0, sizeof *err);
}

const char *qd_code_name(enum qd_code code)
{
	switch (code) {
	case QD_OK: return "ok";
	case QD_EINVAL: return "invalid";
	case QD_EAUTH: return "unauthenticated";
	case QD_EPERM: return "forbidden";
	case QD_ENOTFOUND: return "not_found";
	case QD_EMETHOD: return "method_not_allowed";
	case QD_ECONFLICT: return "conflict";
	case QD_ETOOBIG: return "too_large";
	case QD_EURILONG: return "uri_too_long";
	case QD_ELOCKED: return "locked";
	case QD_EBUSY: return "busy";
	case QD_ETOOMANY: return "too_many_requests";
	case QD_EINTERNAL: return "internal";
	}
	return "internal";
}
