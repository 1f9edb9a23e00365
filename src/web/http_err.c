/* http_err.c — error code → HTTP status.  Bad input is never a 5xx. */
#include "web/http_err.h"

unsigned http_status(enum qd_code code)
{
	switch (code) {
	case QD_OK: return 200;
	case QD_EINVAL: return 400;
	case QD_EAUTH: return 401;
	case QD_EPERM: return 403;
	case QD_ENOTFOUND: return 404;
	case QD_EMETHOD: return 405;
	case QD_ECONFLICT: return 409;
	case QD_ETOOBIG: return 413;
	case QD_EURILONG: return 414;
	case QD_ELOCKED: return 429;
	case QD_EBUSY: return 503;
	case QD_ETOOMANY: return 429;
	case QD_EINTERNAL: return 500;
	}
	return 500;
}
