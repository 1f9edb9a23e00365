/* tally.c — counts per key (tally.h): a chained hash table under one mutex.  Written by hand:
 * a few dozen lines, and the operations are taken once per connection or request (measured cost
 * is a mutex and a short string hash). */
#include "web/tally.h"
#include "base/mem.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define TALLY_BUCKETS 1024

struct entry {
	struct entry *next;
	int count;
	char key[];
};

struct tally {
	pthread_mutex_t mu;
	struct entry *b[TALLY_BUCKETS];
};

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % TALLY_BUCKETS;
}

struct tally *tally_new(void)
{
	struct tally *t = xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->mu, NULL);
	return t;
}

void tally_free(struct tally *t)
{
	if (!t)
		return;
	for (int i = 0; i < TALLY_BUCKETS; i++)
		for (struct entry *e = t->b[i], *n; e; e = n) {
			n = e->next;
			free(e);
		}
	pthread_mutex_destroy(&t->mu);
	free(t);
}

static struct entry **find(struct tally *t, const char *key)
{
	struct entry **p = &t->b[hash(key)];
	while (*p && strcmp((*p)->key, key) != 0)
		p = &(*p)->next;
	return p;
}

int tally_take(struct tally *t, const char *key, int max)
{
	pthread_mutex_lock(&t->mu);
	struct entry **p = find(t, key);
	int rc = 0;
	if (!*p) {
		size_t n = strlen(key) + 1;
		struct entry *e = xcalloc(1, sizeof *e + n);
		memcpy(e->key, key, n);
		*p = e;
	}
	if (max > 0 && (*p)->count >= max)
		rc = -1;
	else
		(*p)->count++;
	if (!(*p)->count) { /* a new key refused (max was 0 here only if max > 0 and count 0: never) */
		struct entry *e = *p;
		*p = e->next;
		free(e);
	}
	pthread_mutex_unlock(&t->mu);
	return rc;
}

void tally_give(struct tally *t, const char *key)
{
	pthread_mutex_lock(&t->mu);
	struct entry **p = find(t, key);
	if (*p && --(*p)->count <= 0) {
		struct entry *e = *p;
		*p = e->next;
		free(e);
	}
	pthread_mutex_unlock(&t->mu);
}

int tally_get(struct tally *t, const char *key)
{
	pthread_mutex_lock(&t->mu);
	struct entry **p = find(t, key);
	int n = *p ? (*p)->count : 0;
	pthread_mutex_unlock(&t->mu);
	return n;
}
