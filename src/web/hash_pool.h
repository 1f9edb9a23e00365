/* hash_pool.h — where password hashes are computed: worker threads of their own, never the
 * daemon's.  An argon2id verify costs ~45 ms of CPU and 19 MiB; computed on a libmicrohttpd
 * thread it stalls every other connection that thread serves (with one thread per core, a flood
 * of logins stalled GET /tasks for a second).  So a login suspends its connection and queues its
 * check here: half as many workers as cores (at least one: the other routes keep the rest) and a
 * queue of HASH_POOL_QUEUE per worker; a login that finds the queue full is answered 429 at once. */
#ifndef QD_WEB_HASH_POOL_H
#define QD_WEB_HASH_POOL_H

#define HASH_POOL_QUEUE 8

/* Reserve a place in the queue: 0, or -1 when it is full (answer 429).  Starts the workers on
 * first use. */
int hash_pool_reserve(void);
/* Run job(arg) on a worker, in the place reserved (every reservation is used exactly once). */
void hash_pool_run(void (*job)(void *arg), void *arg);
/* The number of workers, and the queue's capacity (for tests and /metrics). */
int hash_pool_workers(void);
int hash_pool_capacity(void);

#endif
