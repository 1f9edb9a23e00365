/* cache.h — what a reader's handle keeps between requests (store-private): the sessions it has
 * found, users' grants, units and users' display names, so that a request does not query them
 * again.  Only a reader's own handle (store_reader) has one; the writer's handle and handles made
 * on the stack have none and always query.
 *
 * Freshness: every lookup first asks cache_fresh(), which reads the connection's data version
 * (PRAGMA data_version: changes when any other connection or process commits) and, only when it
 * changed, meta.org_version — the counter that migration 5's triggers bump in the same
 * transaction as any change to the unit, user, user_grant, category or session tables.  When the
 * counter moved, everything cached is dropped.  So a logout, a revoked grant, a deactivated user
 * or a change made by the CLI is seen by the next lookup after its commit.  Negative answers
 * (no such session) are never cached; a session's expiry and idle limit are checked against the
 * caller's now from the cached times. */
#ifndef QD_STORE_CACHE_H
#define QD_STORE_CACHE_H
#include "core/role.h"
#include <stdint.h>

struct store_rd;
struct unit;
struct rd_cache;
struct session_info;

/* A new, empty cache (for store_reader). */
struct rd_cache *cache_new(void);
void cache_free(struct rd_cache *c);
/* 1 when rd's cache may be used now (dropping it first if org_version moved), 0 when rd has no
 * cache or the version cannot be read (the caller queries). */
int cache_fresh(struct store_rd *rd);
/* A request begins on this cache's thread: on PostgreSQL the version is read again at its first
 * use (store_request_begin). */
void cache_request(struct rd_cache *c);

/* Sessions: a found session as the store read it (store/session.h), its last use as this
 * reader last knew it (a touch changes no cached column's trigger: migration 9), so an idle-looking
 * cached session is read again before it is refused (store_session_find). */
int cache_session_get(struct store_rd *rd, const unsigned char hash[32], struct session_info *out);
void cache_session_put(struct store_rd *rd, const unsigned char hash[32], const struct session_info *in);
/* The cached copy of hash, if any, was used at now_ms. */
void cache_session_touch(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms);
/* A user's grants: 1 and a copy in *out (caller frees; NULL when none) with the count in *n. */
int cache_grants_get(struct store_rd *rd, int64_t user_id, struct grant **out, int *n);
void cache_grants_put(struct store_rd *rd, int64_t user_id, const struct grant *g, int n);
/* Units by id. */
int cache_unit_get(struct store_rd *rd, int64_t id, struct unit *u);
void cache_unit_put(struct store_rd *rd, const struct unit *u);
/* How many root units there are (-1: not known yet). */
int64_t cache_roots_get(struct store_rd *rd);
void cache_roots_put(struct store_rd *rd, int64_t n);
/* Users' display names by id: the cached name (valid until the next cache_fresh), or NULL. */
const char *cache_user_name_get(struct store_rd *rd, int64_t id, int *found);
void cache_user_name_put(struct store_rd *rd, int64_t id, const char *name);

#endif
