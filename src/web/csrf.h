/* csrf.h — the synchroniser token every form carries (and a JSON API call made with a cookie
 * sends as X-CSRF-Token).  The token is derived from a secret the browser holds in an HttpOnly
 * cookie and a cross-site page cannot read: the session cookie (qd_session) once logged in, a
 * pre-session cookie (qd_pre, random, set with the first form) before.  Derived, not stored: every
 * server of a PostgreSQL deployment computes the same token, and a new session (a login) makes
 * every older token void.  The dispatcher checks it on every state-changing route reached with a
 * cookie (web/server.c). */
#ifndef QD_WEB_CSRF_H
#define QD_WEB_CSRF_H
#include <stddef.h>

#define CSRF_HEX 32     /* the token: 16 bytes as lowercase hex */
#define CSRF_PRE_HEX 32 /* the pre-session cookie's value: 16 random bytes as hex */

enum csrf_bound { CSRF_SESSION, CSRF_PRE };

/* The token for a cookie value (the session's or the pre-session's) into out (CSRF_HEX + 1). */
void csrf_token(enum csrf_bound kind, const char *cookie_value, char out[CSRF_HEX + 1]);
/* 1 when token is the token of cookie_value (compared in constant time), else 0 (also for NULL
 * or a token of the wrong length). */
int csrf_ok(enum csrf_bound kind, const char *cookie_value, const char *token);
/* A new pre-session cookie value into out (CSRF_PRE_HEX + 1). */
void csrf_new_pre(char out[CSRF_PRE_HEX + 1]);

#endif
