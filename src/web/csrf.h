/* csrf.h — the synchroniser token every form carries (and a JSON API call made with a cookie
 * sends as X-CSRF-Token).  The token is a keyed MAC of a secret the browser holds in an HttpOnly
 * cookie and a cross-site page cannot read: the session cookie (qd_session) once logged in, a
 * pre-session cookie (qd_pre, random, set with the first form) before.
 *
 * The scheme: token = hex(BLAKE2b-128 keyed by K over "qingdan csrf <kind>\n" ‖ cookie value),
 * K = crypto_kdf subkey (id 1, context "qdcsrf__") of the server's personal-data key DB.key
 * (store_derive_key), derived once when the server starts.  Keyed, not a plain hash: an attacker
 * who can set a cookie for the site (cookie tossing from a sibling subdomain, a network attacker on
 * plain HTTP) and so chooses the value of qd_pre cannot compute the token that goes with it — a
 * login CSRF needs a pair the server itself issued (docs/security.md, docs/architecture.md
 * "Cookies, forms and CSRF" say what still defends then).  Derived, not stored: every server of a
 * PostgreSQL deployment holds the same key file and computes the same token, and a new session
 * (a login) makes every older token void. */
#ifndef QD_WEB_CSRF_H
#define QD_WEB_CSRF_H
#include <stddef.h>

#define CSRF_HEX 32      /* the token: 16 bytes as lowercase hex */
#define CSRF_PRE_HEX 32  /* the pre-session cookie's value: 16 random bytes as hex */
#define CSRF_KEYBYTES 32 /* the MAC key (crypto_generichash_KEYBYTES) */
#define CSRF_KDF_ID 1    /* the key's subkey id and context under DB.key (store_derive_key) */
#define CSRF_KDF_CTX "qdcsrf__"

enum csrf_bound { CSRF_SESSION, CSRF_PRE };

/* The token for a cookie value (the session's or the pre-session's) under key into out
 * (CSRF_HEX + 1). */
void csrf_token(const unsigned char key[CSRF_KEYBYTES], enum csrf_bound kind, const char *cookie_value,
		char out[CSRF_HEX + 1]);
/* 1 when token is the token of cookie_value under key (compared in constant time), else 0 (also
 * for NULL or a token of the wrong length). */
int csrf_ok(const unsigned char key[CSRF_KEYBYTES], enum csrf_bound kind, const char *cookie_value,
	    const char *token);
/* A new pre-session cookie value into out (CSRF_PRE_HEX + 1). */
void csrf_new_pre(char out[CSRF_PRE_HEX + 1]);

#endif
