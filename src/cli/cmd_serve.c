/* cmd_serve.c — `qingdan serve`: open the store, start the writer and the HTTP server, wait
 * for SIGINT/SIGTERM, then stop in order (server first, so every queued write commits).
 *
 * The allocator is told to keep what a request frees (below): glibc's default gives the top of a
 * thread's heap back to the kernel as soon as 128 KiB are free there, and a list page frees about
 * that much every time (SQLite's sorter and temporary table, the page buffer) — an madvise with a
 * TLB flush on every CPU per request, which measured more than the list's own rows (perf over a
 * served list A: madvise's flush 6 % of the server's CPU).  Peak memory (VmHWM) is unchanged: only
 * memory already touched is kept. */
#include "store/pg.h"
#include "base/log.h"
#include "cli/cli.h"
#include "web/server.h"
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Free memory a thread's heap keeps before trimming, and the size from which an allocation gets
 * its own mapping (fixed: glibc's sliding threshold would otherwise move it). */
#define SERVE_TRIM_BYTES (4 << 20)
#define SERVE_MMAP_BYTES (1 << 20)

static int serve(struct cli_opts *o);

int cmd_serve(struct cli_opts *o)
{
	int rc = serve(o);
	free(o->trusted_proxy);
	o->trusted_proxy = NULL;
	return rc;
}

static int serve(struct cli_opts *o)
{
	mallopt(M_TRIM_THRESHOLD, SERVE_TRIM_BYTES);
	mallopt(M_MMAP_THRESHOLD, SERVE_MMAP_BYTES);
	char host[64] = "127.0.0.1";
	int port = 8080;
	if (o->listen) {
		const char *colon = strrchr(o->listen, ':');
		if (!colon || colon == o->listen || (size_t)(colon - o->listen) >= sizeof host) {
			fprintf(stderr, "qingdan serve: --listen must be HOST:PORT\n");
			return 2;
		}
		memcpy(host, o->listen, (size_t)(colon - o->listen));
		host[colon - o->listen] = 0;
		port = atoi(colon + 1);
		if (port < 0 || port > 65535) {
			fprintf(stderr, "qingdan serve: bad port\n");
			return 2;
		}
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads inherit: only sigwait sees them */
	signal(SIGPIPE, SIG_IGN);
	struct store *s = cli_open(o, 0);
	if (!s)
		return 1;
	struct webhook *wh = NULL;
	if (serve_sign_start(o, s, &wh)) { /* the signed record: serve_sign.c */
		store_close(s);
		return 1;
	}
	if (store_writer_start(s)) {
		fprintf(stderr, "qingdan serve: cannot start the writer thread\n");
		serve_sign_stop(s, wh);
		store_close(s);
		return 1;
	}
	struct server_opts so = {.host = host, .port = port, .threads = o->threads, .max_per_ip = o->max_per_ip,
				 .max_per_client = o->max_per_client, .head_timeout_s = o->head_timeout,
				 .request_timeout_s = o->request_timeout, .trusted_proxies = o->trusted_proxy,
				 .clock = o->clock, .secure_cookie = o->secure_cookie,
				 .session_idle_ms = o->session_idle_s * 1000, .session_max_ms = o->session_max_s * 1000,
				 .login_rows = o->login_rows};
	struct server *srv = NULL;
	struct qd_err err;
	if (server_start(&srv, s, &so, &err)) {
		fprintf(stderr, "qingdan serve: %s (%s)\n", err.zh, err.en);
		serve_sign_stop(s, wh);
		store_close(s);
		return 1;
	}
	char *shown = pg_uri_shown(o->db); /* never a password in a log */
	printf("qingdan serving %s on http://%s:%d\n", shown, host, server_port(srv));
	free(shown);
	fflush(stdout);
	log_info("listening on http://%s:%d", host, server_port(srv));
	int sig = 0;
	sigwait(&set, &sig);
	log_info("signal %d: stopping", sig);
	server_stop(srv);
	serve_sign_stop(s, wh);
	store_close(s);
	return 0;
}
