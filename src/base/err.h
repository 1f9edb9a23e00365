/* err.h — error detail carried out of a failing call: a code, the field at fault (if any) and
 * the message in Chinese and English.  Functions return 0 / -1 (or pointer / NULL) and fill a
 * struct qd_err; the web layer maps codes to HTTP statuses in one table (src/web/http_err.c). */
#ifndef QD_ERR_H
#define QD_ERR_H

enum qd_code {
	QD_OK = 0,
	QD_EINVAL,     /* bad input: a field is missing, malformed, out of range      → 400 */
	QD_EAUTH,      /* not logged in or bad credentials                            → 401 */
	QD_EPERM,      /* logged in but not allowed (right or scope)                  → 403 */
	QD_ENOTFOUND,  /* no such item (or not visible to the caller)                 → 404 */
	QD_EMETHOD,    /* the path exists, but not with this method                   → 405 */
	QD_ECONFLICT,  /* not allowed in the item's current state                     → 409 */
	QD_ETOOBIG,    /* body or field too large                                     → 413 */
	QD_EURILONG,   /* request target longer than the server reads                 → 414 */
	QD_ELOCKED,    /* account locked after repeated failures                      → 429 */
	QD_EBUSY,      /* write queue full; retry later                               → 503 */
	QD_ETOOMANY,   /* this client has too many requests in flight; retry later    → 429 */
	QD_EINTERNAL,  /* a bug or an I/O failure; never caused by input              → 500 */
};

struct qd_err {
	enum qd_code code;
	char field[64];   /* "" when no single field is at fault */
	char zh[256];
	char en[256];
};

/* Fill err (if non-NULL) and return -1, so callers can `return qd_fail(...)`.
 * zh and en are printf formats; the arguments of zh come first, then those of en:
 *   qd_fail(err, QD_EINVAL, "days", "最多%d天", "at most %d days", max, max); */
int qd_fail(struct qd_err *err, enum qd_code code, const char *field, const char *zh,
	    const char *en, ...);
void qd_err_clear(struct qd_err *err);
const char *qd_code_name(enum qd_code code);

#endif
