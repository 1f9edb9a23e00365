/* tally.h — counts per key (a client's address as text), safe across threads: the per-peer
 * connection limit (conns.c) and the per-client requests in flight (server.c) are two tallies.
 * A key is forgotten when its count returns to zero, so the table holds only what is open now
 * (bounded by the server's connection limit), never every address ever seen. */
#ifndef QD_WEB_TALLY_H
#define QD_WEB_TALLY_H

struct tally;

struct tally *tally_new(void);
void tally_free(struct tally *t);
/* Count one more for key unless it already holds max (max <= 0: no limit).  0 taken, -1 full. */
int tally_take(struct tally *t, const char *key, int max);
/* One fewer for key (after a tally_take that returned 0). */
void tally_give(struct tally *t, const char *key);
/* The count of key now. */
int tally_get(struct tally *t, const char *key);

#endif
