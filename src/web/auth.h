/* auth.h — who is calling: session cookies (HttpOnly, SameSite=Lax, Secure behind TLS) and
 * bearer API tokens (scope read or write), argon2id password hashes (libsodium) behind a
 * concurrency limit, a back-off after repeated failures per name and per address (no lock-out);
 * and the login, logout, me and token endpoints. */
#ifndef QD_WEB_AUTH_H
#define QD_WEB_AUTH_H
#include "web/req.h"

#define AUTH_SESSION_MS (12LL * 3600 * 1000) /* the absolute limit of a session */
#define AUTH_IDLE_MS (30LL * 60 * 1000)      /* a session unused this long ends */
#define AUTH_LOGIN_ROWS 10000                /* the bound of the login back-off table */
#define AUTH_PW_MIN 8

/* Fill r->user_id, grants and rights from the bearer token or else the qd_session cookie
 * (r->cookie_session, read by req_cookies; none → user_id 0), and r->by_cookie / r->credential.
 * A presented but invalid/expired credential is an error (401). */
int auth_identify(struct req *r, struct qd_err *err);
/* argon2id hash of a password into out (≥ 128 bytes); 0 or -1 (out of memory). */
int auth_hash_password(const char *password, char *out, size_t n);
/* Check a new password's strength; 0 or -1 with err naming field. */
int auth_password_ok(const char *password, const char *field, struct qd_err *err);

/* Verify password against an argon2id hash behind the hashing limit: 1 right, 0 wrong, -1 when
 * every hashing slot stayed busy (the caller answers 429). */
int auth_verify_password(const char *hash, const char *password);

void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
void api_token_create(struct req *r);
void api_tokens(struct req *r);
void api_token_revoke(struct req *r);
/* web/api_totp.c: enrolment in one-time codes (a login session only) */
void api_totp_enrol(struct req *r);
void api_totp_confirm(struct req *r);

#endif
