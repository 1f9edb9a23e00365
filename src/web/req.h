/* req.h — one HTTP request's context and the helpers handlers use to read input and answer.
 * Created on libmicrohttpd's first call for a connection's request, freed in its completed
 * callback; nothing per-request lives in globals. */
#ifndef QD_WEB_REQ_H
#define QD_WEB_REQ_H
#include "base/buf.h"
#include "base/err.h"
#include "core/role.h"
#include "core/scope.h"
#include "store/store.h"
#include "store/write.h"
#include "web/csrf.h"
#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>

struct server;
struct route;

#define REQ_COOKIES 4 /* Set-Cookie headers beside the session's; a fifth is a programming error */

enum req_phase { PHASE_NEW, PHASE_BODY, PHASE_WAIT, PHASE_DONE };

struct req {
	struct server *srv;
	struct MHD_Connection *conn;
	const struct route *route;
	enum req_phase phase;
	int suspended;           /* counted in the server's waiting (server.c) */
	const char *method;
	char path[256];
	int64_t t0_ns;
	int64_t now;             /* the request's time (ms, the server's clock, read at its start) */
	char client[48];         /* the client's address as text: the socket's peer, or behind a
				  * trusted proxy the forwarded client (web/proxy.h) — what per-client
				  * limits, login back-off and the audit log key on */
	int inflight;            /* holds one of its client's requests in flight (server.c) */
	int close;               /* answered before its body was read: close the connection after */
	int target_bad;          /* the raw request target failed router_target_check */
	struct qd_err target_err;
	/* input */
	struct buf body;
	int body_too_big;
	json_t *json;            /* the validated body (object) or NULL */
	int64_t path_id;         /* {id} in the path */
	char path_word[40];      /* {action} / {word} in the path */
	/* cookies (web/cookie.h), read from the one Cookie header by the dispatcher before it
	 * authenticates (req_cookies) */
	char cookie_session[256];          /* qd_session's value, or "" */
	char cookie_pre[CSRF_PRE_HEX + 1]; /* qd_pre's (the pre-session secret, web/csrf.h), or "" */
	/* caller */
	int64_t user_id;
	char auth_kind[8];       /* "session" | "token" | "" */
	char auth_scope[8];      /* "read" | "write" (a token's, core/token.h) | "" */
	int64_t session_id;      /* the caller's session or token id */
	unsigned char token_hash[32];
	struct grant *grants;    /* all of them (owned, freed with the request) */
	int ngrants;
	unsigned rights;         /* union of all grants' rights */
	int by_cookie;           /* authenticated by the qd_session cookie (not an Authorization header) */
	const char *credential;  /* the session or API token that authenticated the request (the
				  * cookie's or the header's, living as long as r), or NULL */
	char csrf[CSRF_HEX + 1]; /* req_csrf's token once made, else "" */
	/* output */
	unsigned status;
	json_t *out;
	char *raw;               /* JSON text answer, instead of out */
	const char *ctype;       /* the answer's Content-Type when not JSON (raw holds it: the audit CSV) */
	char cookie[320];        /* Set-Cookie value, if any (the session's: web/auth.c) */
	char *cookies[REQ_COOKIES]; /* more Set-Cookie values (req_add_cookie; owned) */
	char *location;          /* a redirect's Location (req_redirect; owned) */
	const char *asset;       /* req_asset: bytes sent as they are (static, never freed) */
	size_t asset_len;
	const char *asset_hash;  /* … and their content hash: the ETag, and the ?v= of a cacheable URL */
	/* pages (issue 10): the reader's language and 适老化 switch, read from their cookies by the
	 * dispatcher before the handler; the submitted form (every field as text, for showing a
	 * refused form again) */
	int lang;                /* enum lang (web/i18n.h): 0 = zh_CN, the default */
	int elder;               /* the elderly-friendly mode (larger type, plainer words) */
	json_t *form;            /* a page route's submitted fields, name → text (owned), or NULL */
	/* A page route that reuses an API handler sets answer_hook before calling it: the handler's
	 * answer (req_json / req_error / req_fail, also from a write's finish) is handed to the hook
	 * instead — status, the JSON (owned by the hook) or the error — and the hook makes the page's
	 * answer (a redirect after success, the form again with the error summary).  Cleared before
	 * it is called, so the hook's own req_html/req_redirect answer normally. */
	void (*answer_hook)(struct req *r, unsigned status, json_t *out, const struct qd_err *err);
	int64_t retry_after;     /* > 0: a Retry-After header, seconds (a 429 of web/auth.c) */
	/* an asynchronous write */
	struct store_cmd cmd;
	void (*finish)(struct req *r);
	void *warg;              /* the struct store_write (results read by finish) */
	void (*warg_free)(void *);
	void *fctx;              /* what finish needs beside the write (freed with the request) */
	void (*defer)(struct req *r); /* req_defer: started once the connection is suspended */
};

/* Answer with an HTML page (takes ownership of html, written with web/html.h). */
void req_html(struct req *r, unsigned status, char *html);
/* Answer with static bytes (an embedded file, web/page.h; not copied) of type ctype whose content
 * hash is hash: its ETag; cached for a year (immutable) when the request's ?v= is hash; 304 with
 * no body when the request's If-None-Match names it. */
void req_asset(struct req *r, const char *data, size_t len, const char *ctype, const char *hash);
/* Answer 303 See Other to location (a path on this server, copied): after a form's POST. */
void req_redirect(struct req *r, const char *location);
/* Send one more Set-Cookie header with the answer (copied); aborts past REQ_COOKIES. */
void req_add_cookie(struct req *r, const char *cookie);
/* The CSRF token for this reader's forms (web/csrf.h; a page puts it in a hidden "csrf" field,
 * a script sends it as X-CSRF-Token): bound to the credential when the request is authenticated
 * (the session cookie, or a bearer token), else to the qd_pre cookie — which is created when the
 * request has none (Set-Cookie qd_pre=…; Path=/; HttpOnly; SameSite=Lax, and Secure under
 * --secure-cookie).  Owned by r; the same answer for every call on one request. */
const char *req_csrf(struct req *r);
/* The dispatcher's (web/req_csrf.c): read qd_session, qd_pre, qd_lang and qd_elder from the
 * request's Cookie header (web/cookie.h) into r (r->lang = 1 for qd_lang "en", r->elder = 1 for
 * qd_elder "1", else 0).  No header: nothing set, 0.  Two Cookie headers, a header that breaks
 * RFC 6265's grammar, one of these names twice or a value too long: -1 with err (QD_EINVAL,
 * field "Cookie"). */
int req_cookies(struct req *r, struct qd_err *err);
/* The dispatcher's CSRF check, after authentication, before any handler: a route other than GET
 * must carry the token req_csrf gives — when it is a page route (always), or an API route
 * reached with the session cookie (a bearer call needs none).  The token is form_token (a
 * page's "csrf" field) or else the X-CSRF-Token header.  0, or -1 with err (QD_EPERM, field
 * "csrf"). */
int req_csrf_check(struct req *r, const char *form_token, struct qd_err *err);
/* Answer with JSON text already written (takes ownership of text). */
void req_raw_json(struct req *r, unsigned status, char *text);
/* Answer with a JSON body (takes ownership of out). */
void req_json(struct req *r, unsigned status, json_t *out);
/* Answer with the error in err: {code, field, message_zh, message_en}, status from its code. */
void req_error(struct req *r, const struct qd_err *err);
/* Build an error and answer it. */
void req_fail(struct req *r, enum qd_code code, const char *field, const char *zh, const char *en);
/* Answer 500 "database error" (a read the store could not finish; the store logged why). */
void req_db_error(struct req *r);
/* A write of kind by the caller (their user id and a copy of all their grants), for req_write to
 * queue. */
struct store_write *req_write_new(struct req *r, enum store_write_kind kind);
/* Queue the write w (taken): the store runs it on the writer thread inside a transaction; after
 * its commit finish(r) builds the answer (r->cmd.rc / r->cmd.err say how it went, r->warg is w
 * with its results).  w's strings must live as long as the request. */
void req_write(struct req *r, struct store_write *w, void (*finish)(struct req *r));
/* Work off the daemon's thread (a password check: web/hash_pool.h): the connection is suspended
 * once the handler returns, then start(r) runs (on the daemon's thread) and hands r to another
 * thread, which ends with exactly one of req_defer_write (a write, answered after its commit by
 * finish) or req_defer_done (an answer already made with req_json/req_fail).  Nothing else may
 * touch r meanwhile. */
void req_defer(struct req *r, void (*start)(struct req *r));
void req_defer_write(struct req *r, struct store_write *w, void (*finish)(struct req *r));
void req_defer_done(struct req *r);
/* Typed access to the validated body / query (absent → def). */
const char *req_str(struct req *r, const char *name);
int64_t req_int(struct req *r, const char *name, int64_t def);
int req_bool(struct req *r, const char *name, int def);
/* A query parameter as it came (NULL: absent); on a page's GET route an empty value reads as
 * absent too — an empty field of its filter form (a choice left at "all") is no filter. */
const char *req_query(struct req *r, const char *name);
/* The caller's rights over a unit path. */
unsigned req_rights_on(struct req *r, const char *path);
/* The caller as scope decisions see them (core/scope.h; borrows r's grants). */
struct scope req_scope(struct req *r);
/* This thread's read handle; answers 500 and returns NULL if it cannot be opened. */
struct store_rd *req_rd(struct req *r);

#endif
