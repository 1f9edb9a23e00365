/* auth.c — sessions, tokens, passwords, lock-out.
 * Passwords: argon2id via libsodium's crypto_pwhash_str with t=2, m=19 MiB (the OWASP
 * recommendation), so a login costs tens of milliseconds and memory stays within the server's
 * budget.  Tokens: 32 random bytes, base64url; the store keeps only their SHA-256. */
#include "web/auth.h"
#include "web/viewer.h"
#include "base/date.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "store/org.h"
#include "store/session.h"
#include "web/server.h"
#include "web/router.h"
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define PW_OPS 2
#define PW_MEM (19u << 20)

int auth_hash_password(const char *password, char *out, size_t n)
{
	if (n < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password), PW_OPS, PW_MEM);
}

int auth_password_ok(const char *password, const char *field, struct qd_err *err)
{
	if (!password || utf8_count(password) < AUTH_PW_MIN)
		return qd_fail(err, QD_EINVAL, field, "密码至少%d个字符", "password must have at least %d characters",
			       AUTH_PW_MIN, AUTH_PW_MIN);
	if (strlen(password) > 256)
		return qd_fail(err, QD_EINVAL, field, "密码过长", "password too long");
	return 0;
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

static const char *cookie_token(struct req *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "qd_session");
}

int auth_identify(struct req *r, struct qd_err *err)
{
	const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	const char *token = NULL;
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0)
			return qd_fail(err, QD_EAUTH, "Authorization", "仅支持 Bearer 令牌", "only Bearer tokens are accepted");
		token = authz + 7;
	} else {
		token = cookie_token(r);
	}
	if (!token || !*token)
		return 0;
	if (strlen(token) > 128)
		return qd_fail(err, QD_EAUTH, "Authorization", "令牌无效", "invalid token");
	sqlite3 *db = store_reader(server_store(r->srv));
	if (!db)
		return qd_fail(err, QD_EINTERNAL, "", "数据库不可用", "database unavailable");
	token_hash(token, r->token_hash);
	r->user_id = store_session_user(db, r->token_hash, r->now, r->auth_kind);
	if (!r->user_id) {
		/* A stale cookie on a public route is harmless; on others it is a 401 below. */
		if (!authz && r->route && r->route->auth == AUTH_PUBLIC)
			return 0;
		return qd_fail(err, QD_EAUTH, authz ? "Authorization" : "qd_session", "登录已失效，请重新登录",
			       "session expired or invalid; log in again");
	}
	r->ngrants = store_user_grants(db, r->user_id, &r->grants);
	if (r->ngrants < 0) {
		r->ngrants = 0;
		return qd_fail(err, QD_EINTERNAL, "", "无法读取用户授权", "cannot read the user's grants");
	}
	r->rights = grants_rights_any(r->grants, r->ngrants);
	return 0;
}

/* --- login ------------------------------------------------------------------------------------ */

struct login_w {
	int64_t user_id;
	int ok;
	unsigned char hash[32];
	char token[64];
};

static int login_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct login_w *w = arg;
	if (store_login_record(tx, w->user_id, w->ok, AUTH_MAX_FAILURES, store_tx_now(tx) + AUTH_LOCK_MS, err))
		return -1;
	if (!w->ok)
		return 0;
	json_t *p = json_object();
	int64_t seq = store_emit(tx, w->user_id, "auth.login", "user", w->user_id, p, err);
	json_decref(p);
	if (seq < 0)
		return -1;
	return store_session_create(tx, w->user_id, "session", "", w->hash, store_tx_now(tx) + AUTH_SESSION_MS, err);
}

static void new_token(char *out, size_t n, unsigned char hash[32])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(out, hash);
}

static void login_finish(struct req *r)
{
	struct login_w *w = r->warg;
	if (!w->ok) {
		req_fail(r, QD_EAUTH, "password", "用户名或密码错误", "wrong username or password");
		return;
	}
	snprintf(r->cookie, sizeof r->cookie, "qd_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld", w->token,
		 (long long)(AUTH_SESSION_MS / 1000));
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	json_t *row = store_user_get(db, w->user_id);
	struct viewer v = req_viewer(r);
	v.user_id = w->user_id; /* the user, seen by themself */
	json_t *me = present_json(&present_user, &v, row);
	json_decref(row);
	req_json(r, 200, json_pack("{so ss}", "user", me ? me : json_null(), "token", w->token));
}

void api_login(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	struct credential c;
	const char *username = req_str(r, "username"), *password = req_str(r, "password");
	if (store_credential_get(db, username, &c) || !c.active) {
		/* Same work and answer as a wrong password: no user enumeration by timing. */
		char dummy[crypto_pwhash_STRBYTES];
		auth_hash_password(password, dummy, sizeof dummy);
		req_fail(r, QD_EAUTH, "password", "用户名或密码错误", "wrong username or password");
		return;
	}
	if (c.locked_until > r->now) {
		req_fail(r, QD_ELOCKED, "username", "登录失败次数过多，账号已暂时锁定，请15分钟后再试",
			 "too many failed logins: the account is locked for 15 minutes");
		return;
	}
	struct login_w *w = xcalloc(1, sizeof *w);
	w->user_id = c.user_id;
	w->ok = crypto_pwhash_str_verify(c.pw_hash, password, strlen(password)) == 0;
	if (w->ok)
		new_token(w->token, sizeof w->token, w->hash);
	req_write(r, login_cmd, w, free, login_finish);
}

static int logout_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	return store_session_revoke(tx, arg, err);
}

static void logout_finish(struct req *r)
{
	snprintf(r->cookie, sizeof r->cookie, "qd_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
	req_json(r, 200, json_pack("{sb}", "ok", 1));
}

void api_logout(struct req *r)
{
	unsigned char *h = xmalloc(32);
	memcpy(h, r->token_hash, 32);
	req_write(r, logout_cmd, h, free, logout_finish);
}

void api_me(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	json_t *me = store_user_get(db, r->user_id);
	json_t *rights = json_array();
	for (unsigned bit = 1; bit <= RIGHT_OWN; bit <<= 1)
		if (r->rights & bit)
			json_array_append_new(rights, json_string(right_name(bit)));
	json_object_set_new(me, "rights", rights);
	json_object_set_new(me, "auth", json_string(r->auth_kind));
	req_present(r, 200, &present_user, me);
}

struct token_w {
	int64_t user_id;
	unsigned char hash[32];
	char token[64];
	char *label; /* owned: as long as the route allows (100 characters, any UTF-8) */
	int64_t days;
};

static void token_w_free(void *p)
{
	struct token_w *w = p;
	free(w->label);
	free(w);
}

static int token_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct token_w *w = arg;
	return store_session_create(tx, w->user_id, "token", w->label, w->hash,
				    store_tx_now(tx) + w->days * 86400000LL, err);
}

static void token_finish(struct req *r)
{
	struct token_w *w = r->warg;
	req_present(r, 201, &present_token, json_pack("{ss ss sI}", "token", w->token, "label", w->label, "days", (json_int_t)w->days));
}

void api_token_create(struct req *r)
{
	struct token_w *w = xcalloc(1, sizeof *w);
	w->user_id = r->user_id;
	w->label = xstrdup(req_str(r, "label") ? req_str(r, "label") : "");
	w->days = req_int(r, "days", 90);
	new_token(w->token, sizeof w->token, w->hash);
	req_write(r, token_cmd, w, token_w_free, token_finish);
}
