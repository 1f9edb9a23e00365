/* conns.h — the server's open connections: for each, the phase its current request is in and
 * the deadline of that phase; the connections per peer address; and the reaper, a thread that
 * ends a connection past its deadline (shutdown() of its socket: libmicrohttpd then sees the
 * close and frees it the usual way).
 *
 * libmicrohttpd 0.9.75 has only an idle timeout, which every byte renews: a client sending a
 * byte every 4 s would hold a connection for ever.  The deadlines here are totals:
 *   HEAD  request line and headers: head_ms from the accept (first request) or from the request
 *         line (a later request on a kept-alive connection);
 *   IDLE  between two requests of a kept-alive connection: idle_ms from the end of the last one
 *         (this also bounds a request line sent a byte at a time);
 *   BODY  the body: request_ms from the start of the request;
 *   RUN   being answered, waiting for the writer (suspended) or sending: never reaped.
 * Phases move by compare-and-swap, so the reaper and the connection's own thread never both
 * win: a connection the reaper took (REAPED) is refused by conn_body/conn_run.  The record lives
 * from the connection's start to libmicrohttpd's CLOSED notice, which comes before it closes the
 * socket, and the reaper looks at records only under the list's mutex: it never shuts down a
 * descriptor that has been closed (and perhaps reused). */
#ifndef QD_WEB_CONNS_H
#define QD_WEB_CONNS_H
#include <stdatomic.h>
#include <stdint.h>

enum conn_phase { CONN_HEAD, CONN_IDLE, CONN_BODY, CONN_RUN, CONN_REAPED };

struct conn {
	struct conn *prev, *next;
	int fd;
	int counted; /* holds one of its peer's connections (conns_open) */
	atomic_int phase;
	atomic_llong deadline_ms; /* monotonic ms */
	int64_t started_ms;       /* the current request's start (monotonic ms) */
	char peer[48];
};

struct conns_opts {
	int head_ms, request_ms, idle_ms;
	int max_per_peer; /* connections per untrusted peer address (<= 0: no limit) */
};

struct conns;

struct conns *conns_new(const struct conns_opts *o);
/* Start the reaper thread (0, or -1 if it cannot be made). */
int conns_start(struct conns *cs);
/* Stop the reaper and free everything (after the daemon has stopped: no connection left). */
void conns_free(struct conns *cs);
/* May a connection from peer be accepted?  (A cheap look before libmicrohttpd allocates.) */
int conns_admit(struct conns *cs, const char *peer, int trusted);
/* A new connection (socket fd, peer address text; trusted: exempt from the per-peer limit).
 * Returns the record (owned by cs until conns_close).  Over the peer's limit the record is made
 * and the socket shut down at once (two accepts can race past conns_admit). */
struct conn *conns_open(struct conns *cs, int fd, const char *peer, int trusted);
/* libmicrohttpd's CLOSED notice: forget c (freed). */
void conns_close(struct conns *cs, struct conn *c);
/* A request line has arrived (a later request on a kept-alive connection: its head deadline). */
void conn_request_line(struct conns *cs, struct conn *c);
/* The headers are in (libmicrohttpd's first call): the body's deadline.  -1 if reaped. */
int conn_body(struct conns *cs, struct conn *c);
/* The request is complete: it is being answered, never reaped now.  -1 if reaped. */
int conn_run(struct conn *c);
/* The request is over (libmicrohttpd's completed callback): idle until the next one. */
void conn_idle(struct conns *cs, struct conn *c);
/* Connections reaped so far, and connections refused over a peer's limit. */
long long conns_reaped(struct conns *cs);
long long conns_refused(struct conns *cs);

#endif
