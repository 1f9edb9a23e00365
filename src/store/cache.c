/* cache.c — a reader handle's cache of sessions, grants, units and user names (cache.h).
 * Written by hand: four maps from an integer key to an owned value, with one rule for
 * freshness; a library map would not know that rule.  Each map is an open-addressing table
 * (linear probing) that doubles as it fills; at CACHE_MAX entries it is emptied and refilled —
 * a cache, not a limit: a miss only queries. */
#include "store/cache.h"
#include "store/session.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/org.h"
#include <stdlib.h>
#include <string.h>

#define CACHE_MAX 65536

struct slot {
	uint64_t key; /* 0 = empty (ids and token-hash prefixes are never 0 here: see key_of) */
	void *val;
};

struct map {
	struct slot *s;
	size_t cap, n; /* cap: a power of two, or 0 */
};

struct session_val {
	unsigned char hash[32];
	struct session_info s;
};

struct grants_val {
	int n;
	struct grant g[]; /* n */
};

struct rd_cache {
	int64_t data_version, org_version;
	/* PostgreSQL: the version was read in this request (cache_request clears it), after the
	 * store's commit_gen-th local commit */
	int pg_checked;
	int64_t pg_gen;
	int known; /* the versions above have been read */
	int64_t roots; /* root units, or -1 */
	struct map sessions, grants, units, names;
};

static void map_clear(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->s[i].val);
	free(m->s);
	m->s = NULL;
	m->cap = m->n = 0;
}

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

static void *map_get(const struct map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = mix(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->s[i].key == key)
			return m->s[i].val;
		if (!m->s[i].key)
			return NULL;
	}
}

/* Insert or replace (val owned by the map from now on). */
static void map_put(struct map *m, uint64_t key, void *val)
{
	if (m->n >= CACHE_MAX)
		map_clear(m);
	if (2 * (m->n + 1) > m->cap) {
		struct map g = {xcalloc(m->cap ? 2 * m->cap : 64, sizeof *g.s), m->cap ? 2 * m->cap : 64, 0};
		for (size_t i = 0; i < m->cap; i++)
			if (m->s[i].key) {
				size_t j = mix(m->s[i].key) & (g.cap - 1);
				while (g.s[j].key)
					j = (j + 1) & (g.cap - 1);
				g.s[j] = m->s[i];
				g.n++;
			}
		free(m->s);
		*m = g;
	}
	size_t i = mix(key) & (m->cap - 1);
	while (m->s[i].key && m->s[i].key != key)
		i = (i + 1) & (m->cap - 1);
	if (m->s[i].key) {
		free(m->s[i].val);
	} else {
		m->s[i].key = key;
		m->n++;
	}
	m->s[i].val = val;
}

static void cache_drop(struct rd_cache *c)
{
	map_clear(&c->sessions);
	map_clear(&c->grants);
	map_clear(&c->units);
	map_clear(&c->names);
	c->roots = -1;
}

struct rd_cache *cache_new(void)
{
	struct rd_cache *c = xcalloc(1, sizeof *c);
	c->roots = -1;
	return c;
}

void cache_free(struct rd_cache *c)
{
	if (!c)
		return;
	cache_drop(c);
	free(c);
}

int cache_fresh(struct store_rd *rd)
{
	struct rd_cache *c = rd->cache;
	if (!c)
		return 0;
	/* SQLite: nothing committed since the last look, nothing to ask.  PostgreSQL has no such
	 * counter: the version row, bumped by every change to what is cached (on whichever
	 * server), is read every time — one indexed row. */
	int pg = db_is_pg(rd->db);
	int64_t gen = pg ? atomic_load(&rd->s->commit_gen) : 0;
	if (pg && c->known && c->pg_checked && c->pg_gen == gen)
		return 1; /* read once per request, and again after this server's own commits */
	int64_t dv = pg ? 0 : db_int(rd->db, "PRAGMA data_version", 0, -1);
	if (dv < 0)
		return 0;
	if (c->known && dv == c->data_version && !pg)
		return 1;
	int64_t ov = db_int(rd->db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='org_version'", 0, -1);
	if (ov < 0) {
		cache_drop(c); /* no counter (a database not yet migrated): never cache */
		c->known = 0;
		return 0;
	}
	if (!c->known || ov != c->org_version)
		cache_drop(c);
	c->data_version = dv;
	c->org_version = ov;
	c->known = 1;
	c->pg_checked = pg;
	c->pg_gen = gen;
	return 1;
}

void cache_request(struct rd_cache *c)
{
	if (c)
		c->pg_checked = 0;
}

/* Map keys: ids are positive; a token hash's first 8 bytes, or 1 when they are all zero (the
 * value holds the whole hash and is compared). */
static uint64_t key_of(int64_t id)
{
	return (uint64_t)id;
}

static uint64_t key_of_hash(const unsigned char h[32])
{
	uint64_t k;
	memcpy(&k, h, sizeof k);
	return k ? k : 1;
}

int cache_session_get(struct store_rd *rd, const unsigned char hash[32], struct session_info *out)
{
	const struct session_val *v = map_get(&rd->cache->sessions, key_of_hash(hash));
	if (!v || memcmp(v->hash, hash, 32) != 0)
		return 0;
	*out = v->s;
	return 1;
}

void cache_session_put(struct store_rd *rd, const unsigned char hash[32], const struct session_info *in)
{
	struct session_val *v = xcalloc(1, sizeof *v);
	memcpy(v->hash, hash, 32);
	v->s = *in;
	map_put(&rd->cache->sessions, key_of_hash(hash), v);
}

void cache_session_touch(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms)
{
	struct session_val *v = map_get(&rd->cache->sessions, key_of_hash(hash));
	if (v && memcmp(v->hash, hash, 32) == 0 && v->s.last_used < now_ms)
		v->s.last_used = now_ms;
}

int cache_grants_get(struct store_rd *rd, int64_t user_id, struct grant **out, int *n)
{
	const struct grants_val *v = user_id > 0 ? map_get(&rd->cache->grants, key_of(user_id)) : NULL;
	if (!v)
		return 0;
	*n = v->n;
	*out = v->n ? xmalloc((size_t)v->n * sizeof **out) : NULL;
	if (v->n)
		memcpy(*out, v->g, (size_t)v->n * sizeof **out);
	return 1;
}

void cache_grants_put(struct store_rd *rd, int64_t user_id, const struct grant *g, int n)
{
	if (user_id <= 0 || n < 0)
		return;
	struct grants_val *v = xmalloc(sizeof *v + (size_t)n * sizeof *g);
	v->n = n;
	if (n)
		memcpy(v->g, g, (size_t)n * sizeof *g);
	map_put(&rd->cache->grants, key_of(user_id), v);
}

int cache_unit_get(struct store_rd *rd, int64_t id, struct unit *u)
{
	const struct unit *v = id > 0 ? map_get(&rd->cache->units, key_of(id)) : NULL;
	if (!v)
		return 0;
	*u = *v;
	return 1;
}

void cache_unit_put(struct store_rd *rd, const struct unit *u)
{
	if (u->id <= 0)
		return;
	struct unit *v = xmalloc(sizeof *v);
	*v = *u;
	map_put(&rd->cache->units, key_of(u->id), v);
}

/* A user's name: found (0/1) then the NUL-terminated name. */
const char *cache_user_name_get(struct store_rd *rd, int64_t id, int *found)
{
	const char *v = id > 0 ? map_get(&rd->cache->names, key_of(id)) : NULL;
	*found = v != NULL;
	return v && v[0] ? v + 1 : NULL;
}

void cache_user_name_put(struct store_rd *rd, int64_t id, const char *name)
{
	if (id <= 0)
		return;
	size_t l = name ? strlen(name) : 0;
	char *v = xmalloc(l + 2);
	v[0] = name != NULL;
	memcpy(v + 1, name ? name : "", l + 1);
	map_put(&rd->cache->names, key_of(id), v);
}

int64_t cache_roots_get(struct store_rd *rd)
{
	return rd->cache->roots;
}

void cache_roots_put(struct store_rd *rd, int64_t n)
{
	rd->cache->roots = n;
}
