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
	struct store_rd *rd = store_reader(server_store(r->srv));
	if (!rd)
		return qd_fail(err, QD_EINTERNAL, "", "数据库不可用", "database unavailable");
	token_hash(token, r->token_hash);
	r->user_id = store_session_user(rd, r->token_hash, r->now, r->auth_kind);
	if (r->user_id < 0) { /* (answered 503 while the database connection is lost: server.c) */
		r->user_id = 0;
		return qd_fail(err, QD_EINTERNAL, "", "无法读取登录状态", "cannot read the session");
	}
	if (!r->user_id) {
		/* A stale cookie on a public route is harmless; on others it is a 401 below. */
		if (!authz && r->route && r->route->auth == AUTH_PUBLIC)
			return 0;
		return qd_fail(err, QD_EAUTH, authz ? "Authorization" : "qd_session", "登录已失效，请重新登录",
			       "session expired or invalid; log in again");
	}
	r->ngrants = store_user_grants(rd, r->user_id, &r->grants);
	if (r->ngrants < 0) {
		r->ngrants = 0;
		return qd_fail(err, QD_EINTERNAL, "", "无法读取用户授权", "cannot read the user's grants");
	}
	r->rights = grants_rights_any(r->grants, r->ngrants);
	return 0;
}

/* --- login ------------------------------------------------------------------------------------ */

/* The token a login or token write hands out (only its hash goes to the store). */
struct token_ctx {
	char token[64];
	const char *label; /* the request's */
	int64_t days;
};

static void new_token(char *out, size_t n, unsigned char hash[32])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(out, hash);
}

static void login_finish(struct req *r)
{
	struct store_write *w = r->warg;
	struct token_ctx *t = r->fctx;
	if (!w->u.login.ok) {
		req_fail(r, QD_EAUTH, "password", "用户名或密码错误", "wrong username or password");
		return;
	}
	snprintf(r->cookie, sizeof r->cookie, "qd_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld", t->token,
		 (long long)(AUTH_SESSION_MS / 1000));
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *row = store_user_get(rd, w->u.login.user_id);
	struct viewer v = req_viewer(r);
	v.user_id = w->u.login.user_id; /* the user, seen by themself */
	json_t *me = present_json(&present_user, &v, row);
	json_decref(row);
	req_json(r, 200, json_pack("{so ss}", "user", me ? me : json_null(), "token", t->token));
}

void api_login(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	struct credential c;
	const char *username = req_str(r, "username"), *password = req_str(r, "password");
	if (store_credential_get(rd, username, &c) || !c.active) {
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
	struct store_write *w = req_write_new(r, SW_LOGIN);
	struct token_ctx *t = xcalloc(1, sizeof *t);
	w->u.login.user_id = c.user_id;
	w->u.login.ok = crypto_pwhash_str_verify(c.pw_hash, password, strlen(password)) == 0;
	w->u.login.max_failures = AUTH_MAX_FAILURES;
	w->u.login.lock_ms = AUTH_LOCK_MS;
	w->u.login.session_ms = AUTH_SESSION_MS;
	if (w->u.login.ok)
		new_token(t->token, sizeof t->token, w->u.login.hash);
	free(r->fctx);
	r->fctx = t;
	req_write(r, w, login_finish);
}

static void logout_finish(struct req *r)
{
	snprintf(r->cookie, sizeof r->cookie, "qd_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
	req_json(r, 200, json_pack("{sb}", "ok", 1));
}

void api_logout(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_LOGOUT);
	memcpy(w->u.session.hash, r->token_hash, sizeof w->u.session.hash);
	req_write(r, w, logout_finish);
}

void api_me(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *me = store_user_get(rd, r->user_id);
	json_t *rights = json_array();
	for (unsigned bit = 1; bit <= RIGHT__LAST; bit <<= 1)
		if (r->rights & bit)
			json_array_append_new(rights, json_string(right_name(bit)));
	json_object_set_new(me, "rights", rights);
	json_object_set_new(me, "auth", json_string(r->auth_kind));
	req_present(r, 200, &present_user, me);
}

static void token_finish(struct req *r)
{
	struct token_ctx *t = r->fctx;
	req_present(r, 201, &present_token, json_pack("{ss ss sI}", "token", t->token, "label", t->label, "days", (json_int_t)t->days));
}

void api_token_create(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_TOKEN_CREATE);
	struct token_ctx *t = xcalloc(1, sizeof *t);
	t->label = req_str(r, "label") ? req_str(r, "label") : ""; /* whole: the request outlives the write */
	t->days = req_int(r, "days", 90);
	new_token(t->token, sizeof t->token, w->u.session.hash);
	w->u.session.label = t->label;
	w->u.session.days = t->days;
	free(r->fctx);
	r->fctx = t;
	req_write(r, w, token_finish);
}
