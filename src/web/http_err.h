/* http_err.h — the one table mapping error codes to HTTP statuses. */
#ifndef QD_WEB_HTTP_ERR_H
#define QD_WEB_HTTP_ERR_H
#include "base/err.h"
unsigned http_status(enum qd_code code);
#endif
