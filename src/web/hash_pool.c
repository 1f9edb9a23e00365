/* hash_pool.c — the password-hashing workers (hash_pool.h): a fixed ring of jobs under one mutex,
 * sized at start; reservations count the places promised, so hash_pool_run never finds the ring
 * full.  Written by hand: a few lines of pthreads, no library needed. */
#include "web/hash_pool.h"
#include "base/log.h"
#include "base/mem.h"
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct job {
	void (*fn)(void *);
	void *arg;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct job *ring;
static int cap, head, len, reserved, workers;

static void *worker(void *unused)
{
	(void)unused;
	for (;;) {
		pthread_mutex_lock(&mu);
		while (len == 0)
			pthread_cond_wait(&more, &mu);
		struct job j = ring[head];
		head = (head + 1) % cap;
		len--;
		reserved--;
		pthread_mutex_unlock(&mu);
		j.fn(j.arg);
	}
	return NULL;
}

static void start(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	workers = cores > 1 ? (int)(cores / 2) : 1;
	cap = workers * HASH_POOL_QUEUE;
	ring = xcalloc((size_t)cap, sizeof *ring);
	for (int i = 0; i < workers; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, worker, NULL) == 0)
			pthread_detach(t);
		else if (i == 0) { /* no worker at all: every login would wait forever */
			log_error("hash pool: cannot start a worker thread");
			abort();
		}
	}
}

int hash_pool_reserve(void)
{
	pthread_once(&once, start);
	pthread_mutex_lock(&mu);
	int ok = reserved < cap;
	if (ok)
		reserved++;
	pthread_mutex_unlock(&mu);
	return ok ? 0 : -1;
}

void hash_pool_run(void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&mu);
	/* a reservation holds this place: len < reserved <= cap */
	ring[(head + len) % cap] = (struct job){fn, arg};
	len++;
	pthread_cond_signal(&more);
	pthread_mutex_unlock(&mu);
}

int hash_pool_workers(void)
{
	pthread_once(&once, start);
	return workers;
}

int hash_pool_capacity(void)
{
	pthread_once(&once, start);
	return cap;
}
