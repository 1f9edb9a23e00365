/* session.c — credentials, the login back-off counters and sessions/tokens (operational
 * tables).  A reader finds a session once and then in its cache (store/cache.h), which a
 * logout's or a revocation's update empties on every server (migration 5's trigger; on
 * PostgreSQL announced to every server's readers).  The back-off table is bounded: a failure
 * that adds a row evicts the oldest rows beyond max_rows (store_login_fail), so a flood of made-up
 * names cannot grow it — an evicted counter only starts again from zero. */
#include "store/session.h"
#include "core/backoff.h"
#include "store/cache.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/tx.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int credential_row(db_stmt *st, struct credential *c)
{
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		c->user_id = db_col_int64(st, 0);
		snprintf(c->pw_hash, sizeof c->pw_hash, "%s", db_col_text(st, 1));
		c->active = db_col_int(st, 2);
		snprintf(c->totp_sealed, sizeof c->totp_sealed, "%s", db_col_text(st, 3));
		c->totp_on = db_col_int(st, 4) && c->totp_sealed[0];
		c->totp_step = db_col_int64(st, 5);
		rc = 0;
	}
	db_done(st);
	return rc;
}

#define CREDENTIAL_SELECT                                                                                      \
	"SELECT u.id, c.pw_hash, u.active, c.totp_secret, c.totp_on, c.totp_step FROM \"user\" u JOIN credential c ON "      \
	"c.user_id=u.id "

int store_credential_get(struct store_rd *rd, const char *username, struct credential *c)
{
	db_stmt *st = db_prepare(rd->db, CREDENTIAL_SELECT "WHERE u.username=?");
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	return credential_row(st, c);
}

int store_credential_of(struct store_rd *rd, int64_t user_id, struct credential *c)
{
	db_stmt *st = db_prepare(rd->db, CREDENTIAL_SELECT "WHERE u.id=?");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	return credential_row(st, c);
}

static int step_done(db_conn *db, db_stmt *st, struct qd_err *err)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : db_fail(db, err);
}

/* --- the back-off counters ------------------------------------------------------------------- */

int64_t store_login_until(struct store_rd *rd, const unsigned char key[32])
{
	db_stmt *st = db_prepare(rd->db, "SELECT until_at FROM login_throttle WHERE key=?");
	if (!st)
		return -1;
	db_bind_blob(st, 1, key, 32);
	int64_t until = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
	return db_done(st) ? -1 : until;
}

int64_t store_login_rows(struct store_rd *rd)
{
	return db_int(rd->db, "SELECT count(*) FROM login_throttle", 0, -1);
}

/* Keep at most max_rows counters: the ones whose last failure is oldest go. */
static int login_evict(db_conn *db, int64_t max_rows, struct qd_err *err)
{
	int64_t n = db_int(db, "SELECT count(*) FROM login_throttle", 0, -1);
	if (n < 0)
		return db_fail(db, err);
	if (n <= max_rows)
		return 0;
	db_stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle "
				     "ORDER BY last_at, key LIMIT ?)");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, n - max_rows);
	return step_done(db, st, err);
}

int store_login_fail(struct store_tx *tx, const unsigned char key[32], int free_failures, int64_t max_rows,
		     struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	int64_t now = store_tx_now(tx), failures = 0, last = 0;
	db_stmt *st = db_prepare(db, "SELECT failures, last_at FROM login_throttle WHERE key=?");
	if (!st)
		return db_fail(db, err);
	db_bind_blob(st, 1, key, 32);
	int found = db_step(st) == DB_ROW;
	if (found) {
		failures = db_col_int64(st, 0);
		last = db_col_int64(st, 1);
	}
	if (db_done(st))
		return db_fail(db, err);
	if (now - last > BACKOFF_FORGET_MS)
		failures = 0;
	failures++;
	int64_t until = now + backoff_wait_ms(failures, free_failures, BACKOFF_CAP_MS);
	st = db_prepare(db, found ? "UPDATE login_throttle SET failures=?, last_at=?, until_at=? WHERE key=?"
				  : "INSERT INTO login_throttle(failures, last_at, until_at, key) VALUES(?,?,?,?)");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, failures);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, until);
	db_bind_blob(st, 4, key, 32);
	if (step_done(db, st, err))
		return -1;
	return found ? 0 : login_evict(db, max_rows, err);
}

/* The throttle keys: SHA-256 of "name:" and the name in lower case (ASCII: user names are
 * a-z 0-9 _ . -, anything else is just as unknown), or of "addr:" and the client address. */
void store_login_key(const char *prefix, const char *s, int lower, unsigned char out[32])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)prefix, strlen(prefix));
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)(lower ? tolower((unsigned char)*p) : *p);
		crypto_hash_sha256_update(&h, &c, 1);
	}
	crypto_hash_sha256_final(&h, out);
}

int store_login_clear(struct store_tx *tx, const unsigned char key[32], struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE key=?");
	if (!st)
		return db_fail(db, err);
	db_bind_blob(st, 1, key, 32);
	return step_done(db, st, err);
}

/* --- passwords and sessions ------------------------------------------------------------------ */

int store_password_set(struct store_tx *tx, int64_t user_id, const char *pw_hash, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "UPDATE credential SET pw_hash=? WHERE user_id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_text(st, 1, pw_hash);
	db_bind_int(st, 2, user_id);
	return step_done(db, st, err);
}

int store_credential_clear(struct store_tx *tx, int64_t user_id, struct qd_err *err)
{
	/* the back-off of the user's name: all a login counts since issue 9 (credential.failed and
	 * locked_until, the lock-out before it, are no longer read, so not written either) */
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "SELECT username FROM \"user\" WHERE id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, user_id);
	unsigned char key[32];
	int rc = db_step(st);
	if (rc == DB_ROW)
		store_login_key("name:", db_col_text(st, 0), 1, key);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : db_fail(db, err);
	return store_login_clear(tx, key, err);
}

void session_ref(const unsigned char hash[32], char out[65])
{
	unsigned char h[32];
	crypto_hash_sha256(h, hash, 32);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int store_session_create(struct store_tx *tx, const struct session_new *n, int64_t *id, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	/* Ids are given by the one writer (on PostgreSQL: the batch holds chain_head, store_emit, so
	 * two servers never give the same one). */
	*id = db_int(db, "SELECT coalesce(max(id), 0) + 1 FROM session WHERE id > 0", 0, -1);
	if (*id <= 0)
		return db_fail(db, err);
	db_stmt *st = db_prepare(db, "INSERT INTO session(id, token_hash, user_id, kind, scope, label, created_at, "
				     "expires_at, last_used) VALUES(?,?,?,?,?,?,?,?,?)");
	if (!st)
		return db_fail(db, err);
	int64_t now = store_tx_now(tx);
	db_bind_int(st, 1, *id);
	db_bind_blob(st, 2, n->hash, 32);
	db_bind_int(st, 3, n->user_id);
	db_bind_text(st, 4, n->kind);
	db_bind_text(st, 5, n->scope ? n->scope : "write");
	db_bind_text(st, 6, n->label ? n->label : "");
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, n->expires_at);
	db_bind_int(st, 9, now);
	return step_done(db, st, err);
}

int store_session_revoke(struct store_tx *tx, const unsigned char hash[32], struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "UPDATE session SET revoked=1 WHERE token_hash=?");
	if (!st)
		return db_fail(db, err);
	db_bind_blob(st, 1, hash, 32);
	return step_done(db, st, err);
}

int store_token_owner_path(struct store_tx *tx, int64_t id, char *path, size_t n, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "SELECT n.path FROM session s JOIN \"user\" u ON u.id = s.user_id "
				     "JOIN unit n ON n.id = u.unit_id WHERE s.id=? AND s.kind='token'");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(path, n, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return qd_fail(err, QD_ENOTFOUND, "id", "没有这个令牌", "no such token");
	return db_fail(db, err);
}

int store_token_revoke(struct store_tx *tx, int64_t id, int64_t owner, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, owner ? "UPDATE session SET revoked=1 WHERE id=? AND kind='token' AND user_id=?"
					   : "UPDATE session SET revoked=1 WHERE id=? AND kind='token'");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, id);
	if (owner)
		db_bind_int(st, 2, owner);
	if (step_done(db, st, err))
		return -1;
	if (db_changes(db) != 1)
		return qd_fail(err, QD_ENOTFOUND, "id", "没有这个令牌", "no such token");
	return 0;
}

int store_session_touch(struct store_tx *tx, const unsigned char hash[32], struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "UPDATE session SET last_used=?1 WHERE token_hash=?2 AND last_used<?1");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, store_tx_now(tx));
	db_bind_blob(st, 2, hash, 32);
	return step_done(db, st, err);
}

/* The session row itself: 1 found, 0 none, -1 error. */
static int session_read(db_conn *db, const unsigned char hash[32], struct session_info *s)
{
	db_stmt *st = db_prepare(db, "SELECT s.id, s.user_id, s.kind, s.scope, s.created_at, s.expires_at, s.last_used "
				     "FROM session s JOIN \"user\" u ON u.id=s.user_id WHERE s.token_hash=? AND "
				     "s.revoked=0 AND u.active=1");
	if (!st)
		return -1;
	db_bind_blob(st, 1, hash, 32);
	int found = 0;
	if (db_step(st) == DB_ROW) {
		found = 1;
		s->id = db_col_int64(st, 0);
		s->user_id = db_col_int64(st, 1);
		snprintf(s->kind, sizeof s->kind, "%s", db_col_text(st, 2));
		snprintf(s->scope, sizeof s->scope, "%s", db_col_text(st, 3));
		s->created_at = db_col_int64(st, 4);
		s->expires_at = db_col_int64(st, 5);
		s->last_used = db_col_int64(st, 6);
	}
	if (db_done(st))
		return -1; /* not "no session": the caller must not send a user to log in again */
	return found;
}

static int idle(const struct session_info *s, int64_t now_ms, int64_t idle_ms)
{
	return strcmp(s->kind, "session") == 0 && now_ms - s->last_used > idle_ms;
}

int store_session_find(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms, int64_t idle_ms,
		       struct session_info *out)
{
	int cached = cache_fresh(rd);
	struct session_info s;
	memset(&s, 0, sizeof s);
	int found = cached && cache_session_get(rd, hash, &s);
	/* A cached copy that looks idle may have been used on another server since: read it again. */
	if (!found || idle(&s, now_ms, idle_ms)) {
		found = session_read(rd->db, hash, &s);
		if (found < 0)
			return -1;
		if (found && cached)
			cache_session_put(rd, hash, &s);
	}
	if (!found || s.expires_at <= now_ms || idle(&s, now_ms, idle_ms))
		return 0;
	*out = s;
	return 1;
}

void store_session_touched(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms)
{
	if (cache_fresh(rd))
		cache_session_touch(rd, hash, now_ms);
}

json_t *store_token_list(struct store_rd *rd, int64_t user_id)
{
	db_conn *db = rd->db;
	db_stmt *st = db_prepare(db, user_id ? "SELECT id, user_id, label, scope, created_at, expires_at, last_used, revoked "
					       "FROM session WHERE kind='token' AND user_id=? ORDER BY id DESC"
					     : "SELECT s.id, s.user_id, s.label, s.scope, s.created_at, s.expires_at, s.last_used, "
					       "s.revoked, n.path FROM session s JOIN \"user\" u ON u.id = s.user_id "
					       "JOIN unit n ON n.id = u.unit_id WHERE s.kind='token' ORDER BY s.id DESC");
	if (!st)
		return NULL;
	if (user_id)
		db_bind_int(st, 1, user_id);
	json_t *a = json_array();
	while (db_step(st) == DB_ROW) {
		json_t *row = json_pack("{sI sI ss ss sI sI sI sb}", "id", (json_int_t)db_col_int64(st, 0),
					"user_id", (json_int_t)db_col_int64(st, 1), "label", db_col_text(st, 2),
					"scope", db_col_text(st, 3), "created_at", (json_int_t)db_col_int64(st, 4),
					"expires_at", (json_int_t)db_col_int64(st, 5), "last_used_at",
					(json_int_t)db_col_int64(st, 6), "revoked", db_col_int(st, 7) != 0);
		if (!user_id) /* the owner's unit: what scopes the security administrator (in no presenter) */
			json_object_set_new(row, "unit_path", json_string(db_col_text(st, 8)));
		json_array_append_new(a, row);
	}
	if (db_done(st)) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* --- one-time codes (TOTP) ------------------------------------------------------------------- */

int store_totp_enrol(struct store_tx *tx, int64_t user_id, const char *secret, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	char *sealed = store_seal(store_tx_store(tx), secret);
	db_stmt *st = db_prepare(db, "UPDATE credential SET totp_secret=?, totp_on=0 WHERE user_id=?");
	if (!st) {
		free(sealed);
		return db_fail(db, err);
	}
	db_bind_text(st, 1, sealed);
	db_bind_int(st, 2, user_id);
	int rc = step_done(db, st, err);
	free(sealed);
	return rc;
}

int store_totp_confirm(struct store_tx *tx, int64_t user_id, const char *sealed, int64_t step, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(
		db, "UPDATE credential SET totp_on=1, totp_step=? WHERE user_id=? AND totp_secret=? AND totp_secret<>''");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, step);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, sealed);
	if (step_done(db, st, err))
		return -1;
	if (db_changes(db) != 1)
		return qd_fail(err, QD_ECONFLICT, "code", "动态验证码密钥已更换，请重新绑定",
			       "the one-time-code secret was replaced meanwhile: enrol again");
	return 0;
}

int store_totp_used(struct store_tx *tx, int64_t user_id, int64_t step, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "UPDATE credential SET totp_step=? WHERE user_id=? AND totp_step<?");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, step);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, step);
	if (step_done(db, st, err))
		return -1;
	if (db_changes(db) != 1)
		return qd_fail(err, QD_EAUTH, "totp", "动态验证码已使用过", "this one-time code was already used");
	return 0;
}
