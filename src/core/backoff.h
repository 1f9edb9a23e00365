/* backoff.h — the login back-off (issue 9): after `free` failures, each further failure doubles
 * the wait, from 1 s up to a cap.  Pure: the counters live in the store (store/session.c,
 * table login_throttle), the policy here. */
#ifndef QD_CORE_BACKOFF_H
#define QD_CORE_BACKOFF_H
#include <stdint.h>

/* Failures tolerated before the first wait: per submitted name, and per client address (an
 * office behind one NAT shares an address, so it gets more). */
#define BACKOFF_FREE_NAME 3
#define BACKOFF_FREE_ADDR 20
#define BACKOFF_CAP_MS (15LL * 60 * 1000)
/* A counter whose last failure is older than this starts again from zero. */
#define BACKOFF_FORGET_MS (60LL * 60 * 1000)

/* The wait (ms) after `failures` counted failures: 0 up to `free`, then 1 s, 2 s, 4 s … ≤ cap_ms. */
int64_t backoff_wait_ms(int64_t failures, int free_failures, int64_t cap_ms);

#endif
