/* api_totp.c — a user's enrolment in one-time codes (TOTP, RFC 6238: web/totp.c), the optional
 * second factor meant for the three administrator roles (docs/security.md §3):
 *   POST /api/v1/me/totp          password re-checked → a new secret, shown once as itself and
 *                                 as an otpauth:// URI; stored sealed, not yet asked at login;
 *   POST /api/v1/me/totp/confirm  a code from that secret switches it on.
 * Both need a login session: a bearer token cannot change how its owner logs in. */
#include "base/mem.h"
#include "store/org.h"
#include "store/session.h"
#include "web/auth.h"
#include "web/server.h"
#include "web/totp.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct totp_ctx {
	char secret[TOTP_B32_LEN];
	char sealed[256];
	char uri[160];
};

static void ctx_free(struct req *r)
{
	if (r->fctx)
		sodium_memzero(r->fctx, sizeof(struct totp_ctx));
	free(r->fctx);
	r->fctx = NULL;
}

static int session_only(struct req *r)
{
	if (strcmp(r->auth_kind, "session") == 0)
		return 0;
	req_fail(r, QD_EPERM, "Authorization", "动态验证码须在登录会话中设置（令牌不能设置）",
	         "one-time codes are set up in a login session: a token cannot");
	return -1;
}

static void wrong_password(struct req *r)
{
	req_fail(r, QD_EAUTH, "password", "密码错误", "wrong password");
}

static void enrol_finish(struct req *r)
{
	struct totp_ctx *t = r->fctx;
	req_json(r, 200, json_pack("{ss ss}", "secret", t->secret, "uri", t->uri));
	ctx_free(r);
}

void api_totp_enrol(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd || session_only(r))
		return;
	struct credential c;
	json_t *me = store_user_get(rd, r->user_id);
	const char *name = json_string_value(json_object_get(me, "username"));
	char username[64];
	snprintf(username, sizeof username, "%s", name ? name : "");
	json_decref(me);
	if (!name || store_credential_of(rd, r->user_id, &c)) {
		req_db_error(r);
		return;
	}
	/* The password re-check counts in the login back-off of the user's name: a stolen session
	 * cannot be used to guess the password faster than logins could. */
	unsigned char name_key[32], addr_key[32];
	store_login_key("name:", username, 1, name_key);
	store_login_key("addr:", r->client, 0, addr_key);
	int64_t until = store_login_until(rd, name_key);
	int ok = until > r->now ? -1 : auth_verify_password(c.pw_hash, req_str(r, "password"));
	sodium_memzero(&c, sizeof c);
	if (ok < 0) {
		r->retry_after = until > r->now ? (until - r->now + 999) / 1000 : 1;
		req_fail(r, QD_ELOCKED, "password", "密码错误次数过多或请求过多，请稍后再试",
		         "too many failed or concurrent password checks: try again later");
		return;
	}
	if (!ok) { /* counted like a failed login (store/write.c login_write with ok = 0) */
		struct store_write *w = req_write_new(r, SW_LOGIN);
		memcpy(w->u.login.name_key, name_key, 32);
		memcpy(w->u.login.addr_key, addr_key, 32);
		const struct server_opts *o = server_options(r->srv);
		w->u.login.max_rows = o->login_rows > 0 ? o->login_rows : AUTH_LOGIN_ROWS;
		req_write(r, w, wrong_password);
		return;
	}
	struct totp_ctx *t = xcalloc(1, sizeof *t);
	if (totp_secret_new(t->secret)) {
		free(t);
		req_fail(r, QD_EINTERNAL, "", "无法生成动态验证码密钥", "cannot make a one-time-code secret");
		return;
	}
	/* user names are a-z 0-9 _ . - (store/org.c): nothing in the URI to escape */
	snprintf(t->uri, sizeof t->uri, "otpauth://totp/qingdan:%s?secret=%s&issuer=qingdan", username,
	         t->secret);
	free(r->fctx);
	r->fctx = t;
	struct store_write *w = req_write_new(r, SW_TOTP_ENROL);
	w->u.totp.secret = t->secret;
	req_write(r, w, enrol_finish);
}

static void confirm_finish(struct req *r)
{
	ctx_free(r);
	req_json(r, 200, json_pack("{sb}", "totp_on", 1));
}

void api_totp_confirm(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd || session_only(r))
		return;
	struct credential c;
	if (store_credential_of(rd, r->user_id, &c)) {
		req_db_error(r);
		return;
	}
	if (!c.totp_sealed[0]) {
		req_fail(r, QD_ECONFLICT, "code", "请先绑定动态验证码（POST /api/v1/me/totp）",
		         "enrol first (POST /api/v1/me/totp)");
		return;
	}
	char *secret = store_open_sealed(server_store(r->srv), c.totp_sealed);
	int64_t step = totp_match(secret, r->now / 1000, req_str(r, "code"));
	if (secret) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	if (step < 0) {
		req_fail(r, QD_EINVAL, "code", "动态验证码错误", "wrong one-time code");
		return;
	}
	struct totp_ctx *t = xcalloc(1, sizeof *t);
	snprintf(t->sealed, sizeof t->sealed, "%s", c.totp_sealed);
	free(r->fctx);
	r->fctx = t;
	struct store_write *w = req_write_new(r, SW_TOTP_CONFIRM);
	w->u.totp.sealed = t->sealed;
	w->u.totp.step = step; /* the confirming code is used: it cannot log in */
	req_write(r, w, confirm_finish);
}
