/* session.c — credentials, lock-out counters and sessions/tokens (operational tables).  A reader
 * finds a session once and then in its cache (store/cache.h), which a logout's revocation empties. */
#include "store/session.h"
#include "store/cache.h"
#include "store/db.h"
#include "store/internal.h"
#include "store/tx.h"
#include <stdio.h>
#include <string.h>

int store_credential_get(struct store_rd *rd, const char *username, struct credential *c)
{
	db_conn *db = rd->db;
	db_stmt *st = db_prepare(db, "SELECT u.id, c.pw_hash, c.failed, c.locked_until, u.active FROM \"user\" u "
					  "JOIN credential c ON c.user_id=u.id WHERE u.username=?");
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		c->user_id = db_col_int64(st, 0);
		snprintf(c->pw_hash, sizeof c->pw_hash, "%s", db_col_text(st, 1));
		c->failed = db_col_int(st, 2);
		c->locked_until = db_col_int64(st, 3);
		c->active = db_col_int(st, 4);
		rc = 0;
	}
	db_done(st);
	return rc;
}

static int step_done(db_conn *db, db_stmt *st, struct qd_err *err)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : db_fail(db, err);
}

int store_login_record(struct store_tx *tx, int64_t user_id, int ok, int max_failures,
		       int64_t lock_until_ms, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, ok ? "UPDATE credential SET failed=0, locked_until=0 WHERE user_id=?"
					     : "UPDATE credential SET failed=failed+1, locked_until=CASE WHEN "
					       "failed+1>=?2 THEN ?3 ELSE locked_until END WHERE user_id=?1");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, user_id);
	if (!ok) {
		db_bind_int(st, 2, max_failures);
		db_bind_int(st, 3, lock_until_ms);
	}
	return step_done(db, st, err);
}

int store_password_set(struct store_tx *tx, int64_t user_id, const char *pw_hash, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "UPDATE credential SET pw_hash=?, failed=0, locked_until=0 WHERE user_id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_text(st, 1, pw_hash);
	db_bind_int(st, 2, user_id);
	return step_done(db, st, err);
}

int store_credential_clear(struct store_tx *tx, int64_t user_id, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "UPDATE credential SET failed=0, locked_until=0 WHERE user_id=?");
	if (!st)
		return db_fail(db, err);
	db_bind_int(st, 1, user_id);
	return step_done(db, st, err);
}

int store_session_create(struct store_tx *tx, int64_t user_id, const char *kind, const char *label,
			 const unsigned char hash[32], int64_t expires_ms, struct qd_err *err)
{
	db_conn *db = store_tx_db(tx);
	db_stmt *st = db_prepare(db, "INSERT INTO session(token_hash, user_id, kind, label, created_at, "
					  "expires_at) VALUES(?,?,?,?,?,?)");
	if (!st)
		return db_fail(db, err);
	db_bind_blob(st, 1, hash, 32);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, label ? label : "");
	db_bind_int(st, 5, store_tx_now(tx));
	db_bind_int(st, 6, expires_ms);
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

int64_t store_session_user(struct store_rd *rd, const unsigned char hash[32], int64_t now_ms, char *kind)
{
	int cached = cache_fresh(rd);
	int64_t uid = 0, expires = 0;
	char k[8] = "";
	if (!cached || !cache_session_get(rd, hash, &uid, k, &expires)) {
		db_conn *db = rd->db;
		db_stmt *st = db_prepare(db, "SELECT s.user_id, s.kind, s.expires_at FROM session s JOIN \"user\" u "
						  "ON u.id=s.user_id WHERE s.token_hash=? AND s.revoked=0 AND u.active=1");
		if (!st)
			return -1;
		db_bind_blob(st, 1, hash, 32);
		uid = 0;
		if (db_step(st) == DB_ROW) {
			uid = db_col_int64(st, 0);
			snprintf(k, sizeof k, "%s", db_col_text(st, 1));
			expires = db_col_int64(st, 2);
		}
		if (db_done(st))
			return -1; /* not "no session": the caller must not send a user to log in again */
		if (uid && cached)
			cache_session_put(rd, hash, uid, k, expires);
	}
	if (!uid || expires <= now_ms)
		return 0;
	if (kind)
		memcpy(kind, k, sizeof k);
	return uid;
}
