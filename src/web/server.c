/* server.c — libmicrohttpd set-up, limits, the dispatcher and request lifecycle.
 * Request life: first call allocates struct req (answered on a later call, which keeps
 * HTTP keep-alive working); body bytes accumulate up to max_body; on the final call the
 * dispatcher reads the cookies (strictly: web/cookie.h, req_csrf.c), authenticates, checks the
 * route's right, validates parameters — a page's form body too, and the CSRF token of every
 * state-changing page or cookie-carrying call (router_validate) — and runs the handler.  A handler that writes queues a store command and the connection is suspended
 * until the writer thread has committed it; then finish() builds the answer.
 *
 * Before any of that, on the wire (issue 9): the raw request target is checked before
 * libmicrohttpd decodes it (router_target_check: no %00, encoded / or ., no ..); when the headers
 * are in, the request is refused at once — 400, or 413 for a declared body over the limit, or 429
 * for a client with too many requests in flight — and the connection closed after the answer, so
 * nothing beyond the head is read: conflicting Content-Length headers, Content-Length with
 * Transfer-Encoding, a Transfer-Encoding other than chunked, a header name that is no token or
 * a header holding NUL, a second Host or none on HTTP/1.1.  The client is the socket's peer or,
 * behind a trusted proxy, the forwarded client (proxy.c).  Deadlines per connection and the
 * per-peer connection limit are conns.c's. */
#include "web/server.h"
#include "base/date.h"
#include "base/log.h"
#include <stdlib.h>
#include "base/mem.h"
#include "store/audit.h"
#include "store/store.h"
#include "web/csrf.h"
#include "web/api.h"
#include "web/auth.h"
#include "web/conns.h"
#include "web/http_err.h"
#include "web/page.h"
#include "web/proxy.h"
#include "web/router.h"
#include "web/tally.h"
#include <strings.h>
#include <arpa/inet.h>
#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#define NBUCKETS 12
static const double bucket_ms[NBUCKETS] = {0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000};

struct server {
	struct MHD_Daemon *d;
	struct store *store;
	struct server_opts o;
	int port;
	atomic_llong requests[6];  /* by status class 1xx..5xx (index 1..5) */
	atomic_llong busy;         /* 503 for a full write queue */
	atomic_llong hist[NBUCKETS + 1];
	atomic_llong sum_us;
	atomic_int waiting;        /* connections suspended for the writer, not yet answered */
	int64_t started_ms;
	struct proxy_list proxies; /* trusted proxies (serve --trusted-proxy) */
	struct conns *conns;       /* open connections, deadlines, the reaper, per-peer counts */
	struct tally *inflight;    /* requests in flight per client address */
	atomic_llong too_many;     /* 429: a client over its requests in flight */
	atomic_llong refused;      /* 400/413 answered from the head, before any body byte */
	unsigned char csrf_key[CSRF_KEYBYTES]; /* the CSRF tokens' MAC key (web/csrf.h), from DB.key */
};

static void unwait(struct server *s, struct req *r)
{
	if (r->suspended) {
		r->suspended = 0;
		atomic_fetch_sub(&s->waiting, 1);
	}
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct store *server_store(struct server *s)
{
	return s->store;
}

const unsigned char *server_csrf_key(const struct server *s)
{
	return s->csrf_key;
}

const struct server_opts *server_options(const struct server *s)
{
	return &s->o;
}

int server_port(const struct server *s)
{
	return s->port;
}

/* --- answering ------------------------------------------------------------------------------ */

void req_json(struct req *r, unsigned status, json_t *out)
{
	if (r->answer_hook) { /* a page reusing an API handler: the page answers (req.h) */
		void (*hook)(struct req *, unsigned, json_t *, const struct qd_err *) = r->answer_hook;
		r->answer_hook = NULL;
		hook(r, status, out, NULL);
		return;
	}
	free(r->raw);
	r->raw = NULL;
	if (r->out)
		json_decref(r->out);
	r->status = status;
	r->out = out;
	r->phase = PHASE_DONE;
}

void req_html(struct req *r, unsigned status, char *html)
{
	req_raw_json(r, status, html);
	r->ctype = "text/html; charset=utf-8";
}

void req_redirect(struct req *r, const char *location)
{
	free(r->location);
	r->location = xstrdup(location);
	req_raw_json(r, 303, xstrdup(""));
	r->ctype = "text/plain; charset=utf-8";
}

void req_asset(struct req *r, const char *data, size_t len, const char *ctype, const char *hash)
{
	char etag[64];
	snprintf(etag, sizeof etag, "\"%s\"", hash);
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	req_raw_json(r, inm && strstr(inm, etag) ? 304 : 200, NULL);
	r->asset = data;
	r->asset_len = len;
	r->asset_hash = hash;
	r->ctype = ctype;
}

void req_add_cookie(struct req *r, const char *cookie)
{
	for (int i = 0; i < REQ_COOKIES; i++)
		if (!r->cookies[i]) {
			r->cookies[i] = xstrdup(cookie);
			return;
		}
	log_error("req_add_cookie: more than %d cookies in one answer", REQ_COOKIES);
	abort();
}

void req_raw_json(struct req *r, unsigned status, char *text)
{
	json_decref(r->out);
	r->out = NULL;
	free(r->raw);
	r->raw = text;
	r->status = status;
	r->phase = PHASE_DONE;
}

void req_error(struct req *r, const struct qd_err *err)
{
	struct qd_err lost;
	if (r->answer_hook) { /* a page reusing an API handler: the page answers (req.h) */
		void (*hook)(struct req *, unsigned, json_t *, const struct qd_err *) = r->answer_hook;
		r->answer_hook = NULL;
		hook(r, http_status(err->code), NULL, err);
		return;
	}
	if (err->code == QD_EINTERNAL && r->srv && store_db_lost(server_store(r->srv))) {
		/* not a bug: the database went away under the request (a failover) — retry later */
		qd_fail(&lost, QD_EBUSY, "", "数据库连接中断，请稍后重试", "the database connection was lost, retry later");
		err = &lost;
	}
	json_t *o = json_pack("{ss ss ss ss}", "code", qd_code_name(err->code), "field", err->field,
			      "message_zh", err->zh, "message_en", err->en);
	if (!o) /* never answer an error without its body */
		o = json_pack("{ss ss ss ss}", "code", qd_code_name(err->code), "field", "", "message_zh", "请求无效",
			      "message_en", "invalid request");
	req_json(r, http_status(err->code), o);
}

void req_fail(struct req *r, enum qd_code code, const char *field, const char *zh, const char *en)
{
	struct qd_err e;
	qd_fail(&e, code, field, "%s", "%s", zh, en);
	req_error(r, &e);
}

void req_db_error(struct req *r)
{
	req_fail(r, QD_EINTERNAL, "", "数据库错误", "database error");
}

static void write_done(struct store_cmd *c)
{
	struct req *r = c->ctx;
	MHD_resume_connection(r->conn);
}

static void write_free(void *w)
{
	store_write_free(w);
}

struct store_write *req_write_new(struct req *r, enum store_write_kind kind)
{
	return store_write_new(kind, r->user_id, r->grants, r->ngrants);
}

void req_write(struct req *r, struct store_write *w, void (*finish)(struct req *r))
{
	assert(r->phase != PHASE_DONE && !r->warg); /* one answer per request: not both, not two writes */
	r->warg = w;
	r->warg_free = write_free;
	r->finish = finish;
	store_write_cmd(&r->cmd, w);
	r->cmd.ctx = r;
	r->cmd.on_done = write_done;
	r->cmd.now = r->now; /* the command runs at the request's time */
	r->phase = PHASE_WAIT;
}

void req_defer(struct req *r, void (*start)(struct req *r))
{
	assert(r->phase != PHASE_DONE && !r->warg && !r->defer);
	r->defer = start;
	r->phase = PHASE_WAIT;
}

void req_defer_write(struct req *r, struct store_write *w, void (*finish)(struct req *r))
{
	req_write(r, w, finish);
	struct qd_err err;
	if (store_submit(r->srv->store, &r->cmd, &err)) { /* a full queue: 503, as for any write */
		atomic_fetch_add(&r->srv->busy, 1);
		r->cmd.rc = -1;
		r->cmd.err = err;
		r->finish = NULL;
		MHD_resume_connection(r->conn);
	}
}

void req_defer_done(struct req *r)
{
	r->phase = PHASE_WAIT; /* the answer stands: the resumed call sends it (and counts the wait) */
	r->finish = NULL;
	r->cmd.rc = 0;
	MHD_resume_connection(r->conn);
}

const char *req_str(struct req *r, const char *name)
{
	return json_string_value(json_object_get(r->json, name));
}

int64_t req_int(struct req *r, const char *name, int64_t def)
{
	json_t *v = json_object_get(r->json, name);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

int req_bool(struct req *r, const char *name, int def)
{
	json_t *v = json_object_get(r->json, name);
	return json_is_boolean(v) ? json_is_true(v) : def;
}

const char *req_query(struct req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	/* an empty field of a page's GET form is absent (router.c lets it through unchecked) */
	if (v && !*v && r->route && route_is_page(r->route) && !strcmp(r->route->method, "GET"))
		return NULL;
	return v;
}

unsigned req_rights_on(struct req *r, const char *path)
{
	return grants_rights_on(r->grants, r->ngrants, path);
}

struct scope req_scope(struct req *r)
{
	struct scope s = {r->user_id, r->grants, r->ngrants};
	return s;
}

struct store_rd *req_rd(struct req *r)
{
	struct store_rd *rd = store_reader(r->srv->store);
	if (!rd)
		req_fail(r, QD_EINTERNAL, "", "数据库不可用", "database unavailable");
	return rd;
}

/* The one send path of every answer: JSON (r->out or r->raw), HTML pages, redirects, CSV, the
 * plain text of /metrics and the embedded assets.  Status, Content-Type, body, cache headers and
 * a Content-Security-Policy by type: a page (HTML, or any answer of a page route but a CSV export) may load only
 * this server's script, style and images and be framed by nobody; everything else may load
 * nothing.  Pages and data are never stored by a cache (personal work lists); an asset under its
 * hashed URL is cached for a year. */
static enum MHD_Result send_answer(struct req *r)
{
	const char *ctype = r->ctype ? r->ctype : "application/json; charset=utf-8";
	int page = !strncmp(ctype, "text/html", 9) ||
		   (r->route && route_is_page(r->route) && !r->asset_hash && strncmp(ctype, "text/csv", 8) != 0);
	struct MHD_Response *resp;
	if (r->asset_hash) {
		resp = MHD_create_response_from_buffer(r->status == 304 ? 0 : r->asset_len, (void *)r->asset,
						       MHD_RESPMEM_PERSISTENT);
	} else {
		char *text = r->raw ? r->raw : r->out ? json_dumps(r->out, JSON_COMPACT) : xstrdup("{}");
		r->raw = NULL;
		size_t len = strlen(text);
		/* JSON and CSV end with a newline (a CSV export's own CRLF is its end: no blank line) */
		if (!r->ctype || (!strncmp(r->ctype, "text/csv", 8) && (!len || text[len - 1] != '\n'))) {
			text = xrealloc(text, len + 2);
			text[len++] = '\n';
		}
		resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	}
	MHD_add_response_header(resp, "Content-Type", ctype);
	if (r->asset_hash) {
		const char *v = req_query(r, "v");
		char etag[64];
		snprintf(etag, sizeof etag, "\"%s\"", r->asset_hash);
		MHD_add_response_header(resp, "ETag", etag);
		/* only the URL naming this content may be kept: another ?v= is revalidated */
		MHD_add_response_header(resp, "Cache-Control", v && !strcmp(v, r->asset_hash)
								       ? "public, max-age=31536000, immutable"
								       : "no-cache");
	} else {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	}
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (page) {
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
					"form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
		MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	} else {
		MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	}
	if (r->retry_after > 0) { /* issue 9: a login back-off or the password-hashing limit (auth.c) */
		char ra[24];
		snprintf(ra, sizeof ra, "%lld", (long long)r->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	} else if (r->status == MHD_HTTP_SERVICE_UNAVAILABLE || r->status == MHD_HTTP_TOO_MANY_REQUESTS)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->close) /* answered from the head: what may follow it on the socket is never read */
		MHD_add_response_header(resp, "Connection", "close");
	if (r->cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	for (int i = 0; i < REQ_COOKIES && r->cookies[i]; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	double ms = (double)(now_ns() - r->t0_ns) / 1e6;
	char timing[64];
	snprintf(timing, sizeof timing, "app;dur=%.3f", ms);
	MHD_add_response_header(resp, "Server-Timing", timing);
	enum MHD_Result ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	struct server *s = r->srv;
	unsigned cls = r->status / 100;
	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&s->requests[cls], 1);
	int b = 0;
	while (b < NBUCKETS && ms > bucket_ms[b])
		b++;
	atomic_fetch_add(&s->hist[b], 1);
	atomic_fetch_add(&s->sum_us, (long long)(ms * 1000));
	return ret;
}

/* The API and the machines' endpoints (JSON answers, never pages). */
static int path_is_machine(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/healthz") == 0 || strcmp(path, "/metrics") == 0;
}

/* A refused request: a page for a page route, or for a path outside the API when no route took it
 * (a browser at /nope); the JSON error for the API and the machines' /healthz and /metrics. */
static void refuse(struct req *r, const struct qd_err *err)
{
	if (r->route ? route_is_page(r->route) : !path_is_machine(r->path))
		page_fail(r, err);
	else
		req_error(r, err);
}

/* --- the dispatcher ---------------------------------------------------------------------------- */

static void dispatch(struct req *r)
{
	struct qd_err err;
	qd_err_clear(&err);
	if (req_cookies(r, &err)) { /* first: the reader's language for every answer after it */
		refuse(r, &err);
		return;
	}
	if (r->body_too_big) {
		qd_fail(&err, QD_ETOOBIG, "body", "请求体过大", "request body too large");
		refuse(r, &err);
		return;
	}
	int path_found = 0;
	/* HEAD is GET without the body (libmicrohttpd leaves the body out) */
	r->route = router_match(r, strcmp(r->method, "HEAD") ? r->method : "GET", r->path, &path_found);
	if (!r->route) {
		if (path_found)
			qd_fail(&err, QD_EMETHOD, "method", "不支持该请求方法", "method not allowed");
		else if (strncmp(r->path, "/api/", 5) != 0)
			qd_fail(&err, QD_ENOTFOUND, "path", "没有这个页面", "no such page");
		else
			qd_fail(&err, QD_ENOTFOUND, "path", "没有这个接口", "no such endpoint");
		struct qd_err ignored; /* a page's refusal knows its reader (the header): a bad cookie is no matter here */
		if (strncmp(r->path, "/api/", 5) != 0 && auth_identify(r, &ignored))
			r->user_id = 0;
		refuse(r, &err);
		return;
	}
	if (auth_identify(r, &err)) {
		refuse(r, &err);
		return;
	}
	if (r->route->auth == AUTH_LOGIN && !r->user_id) {
		qd_fail(&err, QD_EAUTH, "", "请先登录", "login required");
		refuse(r, &err);
		return;
	}
	if (r->route->rights && !(r->rights & r->route->rights)) {
		qd_fail(&err, QD_EPERM, "", "您没有使用此功能的权限", "you do not have the right to use this endpoint");
		refuse(r, &err);
		return;
	}
	if (router_validate(r, &err)) { /* (the CSRF check is inside: it needs a page's form) */
		if (route_is_page(r->route) && r->route->invalid)
			r->route->invalid(r, &err); /* the form again, with what was typed and the error */
		else
			refuse(r, &err);
		return;
	}
	r->route->handler(r);
	if (r->phase != PHASE_WAIT && r->phase != PHASE_DONE)
		req_fail(r, QD_EINTERNAL, "", "内部错误：处理程序未作答", "internal error: handler gave no answer");
}

/* The client's address: the socket's peer (IPv4 or IPv6) as text; "" when libmicrohttpd has none. */
static void addr_text(const struct sockaddr *sa, char *out, size_t n);
static void client_address(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	addr_text(ci ? ci->client_addr : NULL, out, n);
}

/* --- the head, before any body byte ------------------------------------------------------------ */

struct head_scan {
	int bad;                /* a header name that is no token, or a NUL in a name or value */
	int ncl, cl_differ, nte, nhost;
	const char *cl, *te, *xrip;
	struct buf xff;         /* every X-Forwarded-For line, joined with "," in order */
};

static int is_token(const char *k, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", c)))
			return 0;
	}
	return 1;
}

static enum MHD_Result head_one(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
				const char *value, size_t value_size)
{
	struct head_scan *h = cls;
	(void)kind;
	if (!key || strlen(key) != key_size || !is_token(key, key_size) || (value && strlen(value) != value_size)) {
		h->bad = 1;
		return MHD_YES;
	}
	const char *v = value ? value : "";
	if (!strcasecmp(key, "Content-Length")) {
		if (h->ncl++ && strcmp(h->cl, v) != 0)
			h->cl_differ = 1;
		h->cl = v;
	} else if (!strcasecmp(key, "Transfer-Encoding")) {
		h->nte++;
		h->te = v;
	} else if (!strcasecmp(key, "Host")) {
		h->nhost++;
	} else if (!strcasecmp(key, "X-Forwarded-For")) {
		if (h->xff.len)
			buf_puts(&h->xff, ",");
		/* fmt: header values for the proxy parser (web/proxy.c), not written out */
		buf_puts(&h->xff, v);
	} else if (!strcasecmp(key, "X-Real-IP") && !h->xrip) {
		h->xrip = v;
	}
	return MHD_YES;
}

/* Refuse a request from its head alone, or note its client; 0 to go on, -1 answered (r->close). */
static int head_check(struct server *s, struct req *r, const char *version, const char *peer)
{
	struct head_scan h = {0};
	buf_init(&h.xff);
	MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, head_one, &h);
	proxy_client(&s->proxies, peer, h.xff.len ? h.xff.p : NULL, h.xrip, r->client, sizeof r->client);
	buf_free(&h.xff);
	r->close = 1; /* every refusal below closes: its body, if any, is never read */
	struct qd_err err;
	int bad = 1;
	if (r->target_bad)
		err = r->target_err;
	else if (h.bad)
		qd_fail(&err, QD_EINVAL, "header", "请求头名称无效或含有空字符", "a header name is invalid or a header holds a NUL byte");
	else if (h.cl_differ)
		qd_fail(&err, QD_EINVAL, "Content-Length", "请求含有多个不同的 Content-Length",
			"the request has several different Content-Length headers");
	else if (h.ncl && h.nte)
		qd_fail(&err, QD_EINVAL, "Transfer-Encoding", "Content-Length 与 Transfer-Encoding 不能同时出现",
			"Content-Length and Transfer-Encoding cannot both be given");
	else if (h.nte && (h.nte > 1 || strcasecmp(h.te, "chunked") != 0))
		qd_fail(&err, QD_EINVAL, "Transfer-Encoding", "只接受 Transfer-Encoding: chunked",
			"only Transfer-Encoding: chunked is accepted");
	else if (h.nhost > 1 || (!h.nhost && version && !strcmp(version, MHD_HTTP_VERSION_1_1)))
		qd_fail(&err, QD_EINVAL, "Host", "HTTP/1.1 请求须有且只有一个 Host", "an HTTP/1.1 request needs exactly one Host header");
	else if (h.ncl && (strlen(h.cl) > 18 || strtoll(h.cl, NULL, 10) > s->o.max_body))
		qd_fail(&err, QD_ETOOBIG, "body", "请求体过大", "request body too large");
	else
		bad = 0;
	if (bad) {
		atomic_fetch_add(&s->refused, 1);
		refuse(r, &err);
		return -1;
	}
	if (tally_take(s->inflight, r->client, s->o.max_per_client)) {
		atomic_fetch_add(&s->too_many, 1);
		qd_fail(&err, QD_ETOOMANY, "", "同一来源的请求过多，请稍后重试", "too many requests from this client in flight, retry later");
		refuse(r, &err);
		return -1;
	}
	r->inflight = 1;
	r->close = 0;
	return 0;
}

static struct conn *conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* libmicrohttpd's URI callback: the request line is in, the target still as sent.  Makes the
 * request's context (libmicrohttpd passes it to on_request as *con_cls). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct server *s = cls;
	struct req *r = xcalloc(1, sizeof *r);
	r->phase = PHASE_NEW;
	if (router_target_check(uri, &r->target_err))
		r->target_bad = 1;
	conn_request_line(s->conns, conn_of(conn));
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct req *r = *con_cls;
	if (!r || r->phase == PHASE_NEW) {
		if (!r)
			r = xcalloc(1, sizeof *r);
		r->srv = s;
		r->conn = conn;
		r->method = method;
		r->t0_ns = now_ns();
		r->now = clock_now(&s->o.clock); /* the request's time, read once */
		r->phase = PHASE_BODY;
		char peer[48];
		client_address(conn, peer, sizeof peer);
		buf_init(&r->body);
		snprintf(r->path, sizeof r->path, "%s", url);
		*con_cls = r;
		if (conn_body(s->conns, conn_of(conn)))
			return MHD_NO; /* the reaper ended it meanwhile */
		if (head_check(s, r, version, peer))
			return send_answer(r); /* at once, before any body byte: the connection closes after */
		return MHD_YES; /* answer on a later call: keeps keep-alive */
	}
	if (r->phase == PHASE_BODY && *upload_size) {
		if (r->body.len + *upload_size > (size_t)s->o.max_body)
			r->body_too_big = 1;
		else
			/* fmt: the request body, kept for its parser */
			buf_put(&r->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->phase == PHASE_BODY) {
		if (conn_run(conn_of(conn)))
			return MHD_NO; /* past its deadline: the reaper ended it */
		if (strlen(url) >= sizeof r->path) {
			req_fail(r, QD_EURILONG, "path", "地址过长", "URI too long");
		} else if (strcmp(r->path, "/healthz") == 0 && strcmp(method, "GET") == 0) {
			req_raw_json(r, 200, xstrdup("{\"status\":\"ok\"}\n"));
			r->ctype = "application/json";
		} else if (strcmp(r->path, "/metrics") == 0 && strcmp(method, "GET") == 0) {
			req_raw_json(r, 200, server_metrics(s));
			r->ctype = "text/plain; version=0.0.4";
		} else {
			store_request_begin(s->store);
			dispatch(r);
		}
		if (r->phase == PHASE_WAIT) {
			r->suspended = 1;
			atomic_fetch_add(&s->waiting, 1);
			MHD_suspend_connection(conn);
			if (r->defer) { /* req_defer: another thread answers, or queues the write */
				void (*start)(struct req *) = r->defer;
				r->defer = NULL;
				start(r);
				return MHD_YES;
			}
			struct qd_err err;
			if (store_submit(s->store, &r->cmd, &err)) {
				atomic_fetch_add(&s->busy, 1);
				r->cmd.rc = -1;
				r->cmd.err = err;
				r->finish = NULL;
				req_error(r, &err);
				MHD_resume_connection(conn);
			}
			return MHD_YES;
		}
	}
	if (r->phase == PHASE_WAIT) {
		unwait(s, r);
		r->phase = PHASE_DONE;
		if (r->cmd.rc)
			req_error(r, &r->cmd.err);
		else if (r->finish)
			r->finish(r);
		if (!r->out && !r->raw)
			req_json(r, 200, json_object());
	}
	if (r->phase == PHASE_DONE)
		return send_answer(r);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;
	struct server *s = cls;
	(void)toe;
	conn_idle(s->conns, conn_of(conn));
	if (!r)
		return;
	unwait(cls, r);
	if (r->inflight)
		tally_give(s->inflight, r->client);
	api_audit_request(r); /* the audit log keeps what it must of every answered request */
	buf_free(&r->body);
	json_decref(r->json);
	json_decref(r->out);
	free(r->raw);
	free(r->location);
	for (int i = 0; i < REQ_COOKIES; i++)
		free(r->cookies[i]);
	json_decref(r->form);
	free(r->grants);
	if (r->warg_free)
		r->warg_free(r->warg);
	free(r->fctx);
	free(r);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = 0;
	log_warn("http: %s", msg);
}

/* Text of a socket address (IPv4 or IPv6); "" for another family. */
static void addr_text(const struct sockaddr *sa, char *out, size_t n)
{
	out[0] = 0;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

/* libmicrohttpd's accept policy: a peer at its connection limit is refused before anything is
 * allocated for it (a trusted proxy only by the total). */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct server *s = cls;
	char peer[48];
	(void)addrlen;
	addr_text(addr, peer, sizeof peer);
	return conns_admit(s->conns, peer, proxy_trusted(&s->proxies, peer)) ? MHD_YES : MHD_NO;
}

/* libmicrohttpd's connection notices: a connection's record (conns.c) from its start to its close. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		char peer[48];
		client_address(conn, peer, sizeof peer);
		*socket_context = ci ? conns_open(s->conns, ci->connect_fd, peer, proxy_trusted(&s->proxies, peer)) : NULL;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		conns_close(s->conns, *socket_context);
		*socket_context = NULL;
	}
}

int server_start(struct server **out, struct store *st, const struct server_opts *o, struct qd_err *err)
{
	struct server *s = xcalloc(1, sizeof *s);
	s->store = st;
	s->o = *o;
	store_derive_key(st, CSRF_KDF_ID, CSRF_KDF_CTX, s->csrf_key);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (s->o.threads <= 0)
		s->o.threads = cores > 0 ? (int)cores : 2;
	if (s->o.max_connections <= 0)
		s->o.max_connections = 1024;
	if (s->o.max_per_ip <= 0)
		s->o.max_per_ip = 256;
	if (s->o.conn_memory <= 0)
		s->o.conn_memory = 32 * 1024;
	if (s->o.max_body <= 0)
		s->o.max_body = 64 * 1024;
	if (s->o.timeout_s <= 0)
		s->o.timeout_s = 30;
	if (s->o.head_timeout_s <= 0)
		s->o.head_timeout_s = 10;
	if (s->o.request_timeout_s <= 0)
		s->o.request_timeout_s = 30;
	if (s->o.max_per_client <= 0)
		s->o.max_per_client = 128;
	if (o->trusted_proxies && proxy_list_add(&s->proxies, o->trusted_proxies, err)) {
		free(s);
		return -1;
	}
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->host ? o->host : "127.0.0.1", &addr.sin_addr) != 1) {
		proxy_list_free(&s->proxies);
		free(s);
		return qd_fail(err, QD_EINVAL, "listen", "监听地址无效", "invalid listen address");
	}
	s->started_ms = clock_now_ms();
	struct conns_opts co = {.head_ms = s->o.head_timeout_s * 1000, .request_ms = s->o.request_timeout_s * 1000,
				.idle_ms = s->o.timeout_s * 1000, .max_per_peer = s->o.max_per_ip};
	s->conns = conns_new(&co);
	s->inflight = tally_new();
	if (conns_start(s->conns)) {
		conns_free(s->conns);
		tally_free(s->inflight);
		proxy_list_free(&s->proxies);
		free(s);
		return qd_fail(err, QD_EINTERNAL, "", "无法启动连接回收线程", "cannot start the connection reaper");
	}
	/* The per-peer connection limit is conns.c's (on_accept), not libmicrohttpd's: a trusted
	 * proxy carries many clients and is held only by the total; libmicrohttpd's own per-IP limit
	 * is set to the total, so it never refuses first. */
	s->d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME |
					MHD_USE_ERROR_LOG,
				0, on_accept, s, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
				MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->o.threads, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned)s->o.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
				(unsigned)s->o.max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				(size_t)s->o.conn_memory, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->o.timeout_s,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	if (!s->d) {
		conns_free(s->conns);
		tally_free(s->inflight);
		proxy_list_free(&s->proxies);
		free(s);
		return qd_fail(err, QD_EINTERNAL, "listen", "无法在 %s:%d 上监听", "cannot listen on %s:%d",
			       o->host ? o->host : "127.0.0.1", o->port, o->host ? o->host : "127.0.0.1", o->port);
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : o->port;
	*out = s;
	return 0;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	/* Every request waiting for the writer is answered before the daemon stops (libmicrohttpd
	 * aborts on a suspended connection): the writer drains its queue and answers, each answer
	 * resumes its connection, the daemon's threads send it — within 10 s, or the stop goes on. */
	store_writer_stop(s->store);
	for (int i = 0; i < 1000 && atomic_load(&s->waiting) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(s->d);
	conns_free(s->conns);
	tally_free(s->inflight);
	proxy_list_free(&s->proxies);
	sodium_memzero(s->csrf_key, sizeof s->csrf_key);
	free(s);
}

char *server_metrics(struct server *s)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "# HELP qingdan_http_requests_total HTTP requests answered, by status class.\n"
		     "# TYPE qingdan_http_requests_total counter\n");
	for (int c = 1; c <= 5; c++)
		buf_printf(&b, "qingdan_http_requests_total{class=\"%dxx\"} %lld\n", c, (long long)atomic_load(&s->requests[c]));
	buf_printf(&b, "# HELP qingdan_write_rejected_total Writes refused with 503 because the write queue was full.\n"
		       "# TYPE qingdan_write_rejected_total counter\nqingdan_write_rejected_total %lld\n",
		   (long long)atomic_load(&s->busy));
	buf_puts(&b, "# HELP qingdan_http_request_duration_seconds Server time per request.\n"
		     "# TYPE qingdan_http_request_duration_seconds histogram\n");
	long long cum = 0;
	for (int i = 0; i < NBUCKETS; i++) {
		cum += atomic_load(&s->hist[i]);
		buf_printf(&b, "qingdan_http_request_duration_seconds_bucket{le=\"%g\"} %lld\n", bucket_ms[i] / 1000, cum);
	}
	cum += atomic_load(&s->hist[NBUCKETS]);
	buf_printf(&b, "qingdan_http_request_duration_seconds_bucket{le=\"+Inf\"} %lld\n", cum);
	buf_printf(&b, "qingdan_http_request_duration_seconds_sum %.6f\n", (double)atomic_load(&s->sum_us) / 1e6);
	buf_printf(&b, "qingdan_http_request_duration_seconds_count %lld\n", cum);
	buf_printf(&b, "# HELP qingdan_write_queue_length Commands waiting for the writer.\n"
		       "# TYPE qingdan_write_queue_length gauge\nqingdan_write_queue_length %d\n",
		   store_queue_len(s->store));
	struct store_stats st;
	store_stats(s->store, &st, 1);
	buf_printf(&b, "# HELP qingdan_writer_batches_total Transactions the writer committed (group commits), and the commands in them.\n"
		       "# TYPE qingdan_writer_batches_total counter\nqingdan_writer_batches_total %lld\n"
		       "# TYPE qingdan_writer_commands_total counter\nqingdan_writer_commands_total %lld\n",
		   (long long)st.batches, (long long)st.commands);
	buf_printf(&b, "# HELP qingdan_writer_seconds_total Writer time: inside its transactions, of which COMMIT, and answering after it.\n"
		       "# TYPE qingdan_writer_seconds_total counter\n"
		       "qingdan_writer_seconds_total{phase=\"transaction\"} %.6f\nqingdan_writer_seconds_total{phase=\"commit\"} %.6f\n"
		       "qingdan_writer_seconds_total{phase=\"answer\"} %.6f\n",
		   st.tx_us / 1e6, st.commit_us / 1e6, st.answer_us / 1e6);
	buf_printf(&b, "# HELP qingdan_write_queue_wait_max_seconds Longest a write waited in the queue since the last scrape.\n"
		       "# TYPE qingdan_write_queue_wait_max_seconds gauge\nqingdan_write_queue_wait_max_seconds %.6f\n",
		   st.wait_max_us / 1e6);
	buf_printf(&b, "# HELP qingdan_search_index_rows_total Problems indexed for search (in slices between the writer's batches).\n"
		       "# TYPE qingdan_search_index_rows_total counter\nqingdan_search_index_rows_total %lld\n"
		       "# TYPE qingdan_search_index_seconds_total counter\nqingdan_search_index_seconds_total %.6f\n"
		       "# HELP qingdan_search_index_slice_max_seconds Longest index slice (the writer waits at most this) since the last scrape.\n"
		       "# TYPE qingdan_search_index_slice_max_seconds gauge\nqingdan_search_index_slice_max_seconds %.6f\n",
		   (long long)st.index_rows, st.index_us / 1e6, st.index_slice_max_us / 1e6);
	buf_printf(&b, "# HELP qingdan_wal_checkpoints_total WAL checkpoints (off the writer), restarts among them, and their time.\n"
		       "# TYPE qingdan_wal_checkpoints_total counter\nqingdan_wal_checkpoints_total %lld\n"
		       "# TYPE qingdan_wal_restarts_total counter\nqingdan_wal_restarts_total %lld\n"
		       "# TYPE qingdan_wal_checkpoint_seconds_total counter\nqingdan_wal_checkpoint_seconds_total %.6f\n"
		       "# HELP qingdan_wal_pages Pages in the WAL after the last commit, and the most since the last scrape.\n"
		       "# TYPE qingdan_wal_pages gauge\nqingdan_wal_pages %lld\n"
		       "# TYPE qingdan_wal_pages_max gauge\nqingdan_wal_pages_max %lld\n",
		   (long long)st.checkpoints, (long long)st.restarts, st.checkpoint_us / 1e6, (long long)st.wal_pages,
		   (long long)st.wal_pages_max);
	buf_printf(&b, "# HELP qingdan_http_reaped_total Connections ended by the reaper: past the deadline of their head, body or keep-alive wait.\n"
		       "# TYPE qingdan_http_reaped_total counter\nqingdan_http_reaped_total %lld\n"
		       "# HELP qingdan_http_refused_connections_total Connections refused: their peer address was at --max-per-ip.\n"
		       "# TYPE qingdan_http_refused_connections_total counter\nqingdan_http_refused_connections_total %lld\n"
		       "# HELP qingdan_http_too_many_total Requests answered 429: their client was at --max-per-client requests in flight.\n"
		       "# TYPE qingdan_http_too_many_total counter\nqingdan_http_too_many_total %lld\n"
		       "# HELP qingdan_http_refused_heads_total Requests refused from their head alone (strict HTTP, a declared body over the limit).\n"
		       "# TYPE qingdan_http_refused_heads_total counter\nqingdan_http_refused_heads_total %lld\n",
		   conns_reaped(s->conns), conns_refused(s->conns), (long long)atomic_load(&s->too_many),
		   (long long)atomic_load(&s->refused));
	int64_t aq, ad;
	store_audit_counts(s->store, &aq, &ad);
	buf_printf(&b, "# HELP qingdan_audit_entries_total Audit log entries queued, and dropped because its queue was full.\n"
		       "# TYPE qingdan_audit_entries_total counter\nqingdan_audit_entries_total %lld\n"
		       "# TYPE qingdan_audit_dropped_total counter\nqingdan_audit_dropped_total %lld\n",
		   (long long)aq, (long long)ad);
	buf_printf(&b, "# HELP qingdan_uptime_seconds Seconds since the server started.\n"
		       "# TYPE qingdan_uptime_seconds gauge\nqingdan_uptime_seconds %lld\n",
		   (long long)((clock_now_ms() - s->started_ms) / 1000));
	return buf_take(&b);
}
