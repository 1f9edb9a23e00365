/* err.c — filling struct qd_err; code names used in JSON error bodies. */
#include "base/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int qd_fail(struct qd_err *err, enum qd_code code, const char *field, const char *zh,
	    const char *en, ...)
{
	if (!err)
		return -1;
	err->code = code;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, en);
	va_list aq;
	va_copy(aq, ap);
	vsnprintf(err->zh, sizeof err->zh, zh, ap);
	vsnprintf(err->en, sizeof err->en, en, aq);
	va_end(aq);
	va_end(ap);
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
	case QD_ECONFLICT: return "conflict";
	case QD_ETOOBIG: return "too_large";
	case QD_ELOCKED: return "locked";
	case QD_EBUSY: return "busy";
	case QD_EINTERNAL: return "internal";
	}
	return "internal";
}
