/* heads_webhook.c — the signed heads sent to another host (cli/heads_webhook.h) with libcurl
 * (Debian's libcurl4-openssl-dev: TLS, redirects and timeouts are its job, not ours).  One
 * thread, one queue: heads are POSTed oldest first, Content-Type application/json, the body the
 * head's line; a 2xx answer sends the next one, anything else (no connection, timeout, another
 * status) retries the same head after WEBHOOK_RETRY_MS, doubling up to WEBHOOK_RETRY_MAX_MS.  The
 * queue is bounded: when WEBHOOK_QUEUE heads wait, the oldest is dropped and the drop logged
 * — a later signed head vouches for everything before it, so the receiver loses detail, not
 * coverage. */
#include "cli/heads_webhook.h"
#include "base/log.h"
#include "base/mem.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct webhook {
	char *url;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct signed_head q[WEBHOOK_QUEUE]; /* a ring */
	int head, n;
	int stopping;
	struct timespec drain_until; /* while stopping: the last moment to try */
	long long dropped, sent, failures;
};

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POST one head; 0 on a 2xx answer. */
static int post(CURL *c, const char *url, const struct signed_head *h)
{
	char *body = sign_head_format(h);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	free(body);
	if (rc != CURLE_OK || status < 200 || status > 299) {
		log_warn("heads webhook: head seq %lld not delivered (%s, HTTP %ld): retrying",
		         (long long)h->seq, rc != CURLE_OK ? curl_easy_strerror(rc) : "refused", status);
		return -1;
	}
	return 0;
}

static int past(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* a before b */
static int earlier(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *webhook_main(void *arg)
{
	struct webhook *w = arg;
	CURL *c = curl_easy_init();
	int backoff = 0;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->n && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->n || (w->stopping && past(&w->drain_until)))
			break;
		struct signed_head h = w->q[w->head];
		pthread_mutex_unlock(&w->mu);
		int ok = c && post(c, w->url, &h) == 0;
		pthread_mutex_lock(&w->mu);
		if (ok) {
			/* the head may have been dropped meanwhile: pop only if it is still first */
			if (w->n && w->q[w->head].seq == h.seq &&
			    !memcmp(w->q[w->head].sig, h.sig, sizeof h.sig)) {
				w->head = (w->head + 1) % WEBHOOK_QUEUE;
				w->n--;
			}
			w->sent++;
			backoff = 0;
			continue;
		}
		w->failures++;
		backoff = backoff ? backoff * 2 : WEBHOOK_RETRY_MS;
		if (backoff > WEBHOOK_RETRY_MAX_MS)
			backoff = WEBHOOK_RETRY_MAX_MS;
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += backoff / 1000;
		until.tv_nsec += (long)(backoff % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		/* wait for the retry, or while stopping for whichever comes first: the retry or the
		 * end of the drain (waiting for the drain's end alone let a stop skip its retries) */
		while (!past(&until) && !(w->stopping && past(&w->drain_until)))
			pthread_cond_timedwait(
			    &w->cv, &w->mu,
			    w->stopping && earlier(&w->drain_until, &until) ? &w->drain_until : &until);
	}
	if (w->n)
		log_error("heads webhook: stopping with %d heads not delivered to %s (the heads file and "
		          "chain_sig hold them)",
		          w->n, w->url);
	pthread_mutex_unlock(&w->mu);
	curl_easy_cleanup(c);
	return NULL;
}

int webhook_start(struct webhook **out, const char *url, struct qd_err *err)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return qd_fail(err, QD_EINVAL, "heads-webhook",
		               "--heads-webhook 应为 http:// 或 https:// 地址",
		               "--heads-webhook must be an http:// or https:// URL");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return qd_fail(err, QD_EINTERNAL, "heads-webhook", "libcurl 初始化失败",
		               "libcurl failed to initialise");
	struct webhook *w = xcalloc(1, sizeof *w);
	w->url = xstrdup(url);
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, webhook_main, w)) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w->url);
		free(w);
		return qd_fail(err, QD_EINTERNAL, NULL, "无法启动 webhook 线程",
		               "cannot start the webhook thread");
	}
	*out = w;
	return 0;
}

void webhook_push(const struct signed_head *h, void *arg)
{
	struct webhook *w = arg;
	pthread_mutex_lock(&w->mu);
	if (w->n == WEBHOOK_QUEUE) {
		w->dropped++;
		log_warn("heads webhook: queue full (%d heads): dropped head seq %lld, later heads cover it "
		         "(%lld dropped)",
		         WEBHOOK_QUEUE, (long long)w->q[w->head].seq, w->dropped);
		w->head = (w->head + 1) % WEBHOOK_QUEUE;
		w->n--;
	}
	w->q[(w->head + w->n) % WEBHOOK_QUEUE] = *h;
	w->n++;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void webhook_stop(struct webhook *w, int drain_ms)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	clock_gettime(CLOCK_MONOTONIC, &w->drain_until);
	w->drain_until.tv_sec += drain_ms / 1000;
	w->drain_until.tv_nsec += (long)(drain_ms % 1000) * 1000000L;
	if (w->drain_until.tv_nsec >= 1000000000L) {
		w->drain_until.tv_sec++;
		w->drain_until.tv_nsec -= 1000000000L;
	}
	w->stopping = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w->url);
	free(w);
}
