/* server.h — the HTTP server: libmicrohttpd with its epoll thread pool, explicit limits, the
 * dispatcher (authenticate → right → validate → handler), asynchronous writes (the connection
 * is suspended while its command waits for the group commit) and request metrics.  Each
 * request reads the server's clock once, at its start (req.h: r->now). */
#ifndef QD_WEB_SERVER_H
#define QD_WEB_SERVER_H
#include "base/date.h"
#include "store/store.h"
#include <stdint.h>

struct server_opts {
	const char *host;       /* "127.0.0.1" */
	int port;               /* 0 = ephemeral */
	int threads;            /* MHD thread pool size (0 = number of cores) */
	int max_connections;    /* total (default 1024) */
	int max_per_ip;         /* per client IP (default 256) */
	int conn_memory;        /* per-connection memory for headers, bytes (default 32 KiB) */
	int max_body;           /* request body limit, bytes (default 64 KiB) */
	int timeout_s;          /* idle connection timeout (default 30); also the longest a kept-alive
				 * connection waits between requests before the reaper ends it */
	int head_timeout_s;     /* the request line and headers must arrive within (default 10) */
	int request_timeout_s;  /* the whole request, body included, within (default 30) */
	int max_per_client;     /* requests in flight per client address (default 128) */
	const char *trusted_proxies; /* comma-separated CIDRs whose X-Forwarded-For is believed, or NULL */
	struct clock clock;     /* the server's clock, read once per request (zero: the real clock) */
	/* logins and sessions (web/auth.c; 0 = its default) */
	int secure_cookie;      /* 1: the session cookie is Secure (served behind TLS) */
	int64_t session_idle_ms; /* a session unused this long ends (default 30 min) */
	int64_t session_max_ms;  /* a session lasts at most this long (default 12 h) */
	int64_t login_rows;     /* the bound of the login back-off table (default 10000 rows) */
};

struct server;

int server_start(struct server **out, struct store *st, const struct server_opts *o, struct qd_err *err);
/* The port actually bound (after an ephemeral request). */
int server_port(const struct server *s);
void server_stop(struct server *s);
struct store *server_store(struct server *s);
/* The options the server was started with (web/auth.c reads its own). */
const struct server_opts *server_options(const struct server *s);
/* The key of the CSRF tokens (web/csrf.h: CSRF_KEYBYTES), derived from the store's personal-data
 * key when the server started. */
const unsigned char *server_csrf_key(const struct server *s);
/* Prometheus text exposition of the server's metrics (caller frees). */
char *server_metrics(struct server *s);

#endif
