/* conns.c — open connections, their deadlines and the reaper (conns.h). */
#include "web/conns.h"
#include "base/log.h"
#include "base/mem.h"
#include "web/tally.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define REAP_EVERY_MS 250

struct conns {
	struct conns_opts o;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn *head;
	struct tally *peers;
	pthread_t thread;
	int running, stop;
	atomic_llong reaped, refused;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct conns *conns_new(const struct conns_opts *o)
{
	struct conns *cs = xcalloc(1, sizeof *cs);
	cs->o = *o;
	pthread_mutex_init(&cs->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cs->cv, &ca);
	pthread_condattr_destroy(&ca);
	cs->peers = tally_new();
	return cs;
}

/* Every REAP_EVERY_MS: end each connection whose phase may be reaped and whose deadline passed. */
static void *reaper(void *arg)
{
	struct conns *cs = arg;
	pthread_mutex_lock(&cs->mu);
	while (!cs->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += REAP_EVERY_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_sec++, ts.tv_nsec -= 1000000000L;
		pthread_cond_timedwait(&cs->cv, &cs->mu, &ts);
		int64_t now = mono_ms();
		for (struct conn *c = cs->head; c && !cs->stop; c = c->next) {
			int ph = atomic_load(&c->phase);
			if ((ph != CONN_HEAD && ph != CONN_IDLE && ph != CONN_BODY) ||
			    now < atomic_load(&c->deadline_ms))
				continue;
			if (!atomic_compare_exchange_strong(&c->phase, &ph, CONN_REAPED))
				continue; /* its thread moved it on meanwhile */
			shutdown(c->fd, SHUT_RDWR);
			atomic_fetch_add(&cs->reaped, 1);
		}
	}
	pthread_mutex_unlock(&cs->mu);
	return NULL;
}

int conns_start(struct conns *cs)
{
	if (pthread_create(&cs->thread, NULL, reaper, cs))
		return -1;
	cs->running = 1;
	return 0;
}

void conns_free(struct conns *cs)
{
	if (!cs)
		return;
	if (cs->running) {
		pthread_mutex_lock(&cs->mu);
		cs->stop = 1;
		pthread_cond_signal(&cs->cv);
		pthread_mutex_unlock(&cs->mu);
		pthread_join(cs->thread, NULL);
	}
	for (struct conn *c = cs->head, *n; c; c = n) { /* none once the daemon stopped */
		n = c->next;
		free(c);
	}
	tally_free(cs->peers);
	pthread_cond_destroy(&cs->cv);
	pthread_mutex_destroy(&cs->mu);
	free(cs);
}

int conns_admit(struct conns *cs, const char *peer, int trusted)
{
	if (trusted || cs->o.max_per_peer <= 0 || tally_get(cs->peers, peer) < cs->o.max_per_peer)
		return 1;
	atomic_fetch_add(&cs->refused, 1);
	return 0;
}

struct conn *conns_open(struct conns *cs, int fd, const char *peer, int trusted)
{
	struct conn *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	size_t n = strlen(peer);
	if (n >= sizeof c->peer)
		n = sizeof c->peer - 1;
	memcpy(c->peer, peer, n);
	c->started_ms = mono_ms();
	atomic_init(&c->phase, CONN_HEAD);
	atomic_init(&c->deadline_ms, c->started_ms + cs->o.head_ms);
	if (!trusted) {
		if (tally_take(cs->peers, c->peer, cs->o.max_per_peer) == 0) {
			c->counted = 1;
		} else { /* raced past conns_admit: refuse it now */
			atomic_store(&c->phase, CONN_REAPED);
			shutdown(fd, SHUT_RDWR);
			atomic_fetch_add(&cs->refused, 1);
		}
	}
	pthread_mutex_lock(&cs->mu);
	c->next = cs->head;
	if (cs->head)
		cs->head->prev = c;
	cs->head = c;
	pthread_mutex_unlock(&cs->mu);
	return c;
}

void conns_close(struct conns *cs, struct conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&cs->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		cs->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&cs->mu);
	if (c->counted)
		tally_give(cs->peers, c->peer);
	free(c);
}

void conn_request_line(struct conns *cs, struct conn *c)
{
	int ph = CONN_IDLE;
	if (!c)
		return;
	int64_t now = mono_ms();
	if (atomic_load(&c->phase) != CONN_IDLE)
		return; /* the first request: its head deadline counts from the accept */
	c->started_ms = now;
	atomic_store(&c->deadline_ms, now + cs->o.head_ms);
	atomic_compare_exchange_strong(&c->phase, &ph, CONN_HEAD);
}

int conn_body(struct conns *cs, struct conn *c)
{
	if (!c)
		return 0;
	atomic_store(&c->deadline_ms, c->started_ms + cs->o.request_ms);
	int ph = CONN_HEAD;
	if (atomic_compare_exchange_strong(&c->phase, &ph, CONN_BODY))
		return 0;
	ph = CONN_IDLE; /* a request whose line came before the URI notice could mark it */
	if (atomic_compare_exchange_strong(&c->phase, &ph, CONN_BODY))
		return 0;
	return ph == CONN_REAPED ? -1 : 0;
}

int conn_run(struct conn *c)
{
	if (!c)
		return 0;
	int ph = CONN_BODY;
	if (atomic_compare_exchange_strong(&c->phase, &ph, CONN_RUN))
		return 0;
	return ph == CONN_REAPED ? -1 : 0;
}

void conn_idle(struct conns *cs, struct conn *c)
{
	if (!c)
		return;
	atomic_store(&c->deadline_ms, mono_ms() + cs->o.idle_ms); /* first: the reaper reads the phase */
	int ph = atomic_load(&c->phase);
	while (ph != CONN_REAPED && !atomic_compare_exchange_weak(&c->phase, &ph, CONN_IDLE))
		;
}

long long conns_reaped(struct conns *cs)
{
	return atomic_load(&cs->reaped);
}

long long conns_refused(struct conns *cs)
{
	return atomic_load(&cs->refused);
}
