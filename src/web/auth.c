/* auth.c — sessions, tokens, passwords, the login back-off.
 * Passwords: argon2id via libsodium's crypto_pwhash_str with t=2, m=19 MiB (the OWASP
 * recommendation), so a login costs tens of milliseconds and memory stays within the server's
 * budget.  Tokens: 32 random bytes, base64url; the store keeps only their SHA-256.
 *
 * Logins cannot be turned against the guards (issue 9; docs/security.md §3):
 *   - no account is locked: failures are counted per submitted name (existing or not) and per
 *     client address (r->client) in the store's bounded login_throttle table, shared by every
 *     server; after a few failures each further one doubles a wait (core/backoff.h) during which
 *     that name or address gets 429 with Retry-After — attempts while waiting are not counted, so
 *     a flood cannot push the wait beyond what its few counted failures earned; a success
 *     clears the name's counter;
 *   - an unknown name and a wrong password take the same path: the same hash work (a verify
 *     against a dummy hash), the same write of the failure, the same answer;
 *   - hashing runs on workers of its own (web/hash_pool.h: half as many as cores, a bounded
 *     queue), the connection suspended meanwhile: a flood of logins gets 429 at once when the
 *     queue is full instead of queueing CPU and 19 MiB per attempt, and the daemon's threads —
 *     every other route — never wait for a hash (computed on them, a flood stalled GET /tasks for
 *     a second: bench/login_flood.py measures it).
 *   - a user who switched one-time codes on (web/api_totp.c, RFC 6238: web/totp.c) must also send
 *     `totp`: once the password is right, a missing or wrong code is a failure counted like a
 *     wrong password (answered with field totp); an unknown name never gets that far.
 * Sessions end after AUTH_IDLE_MS unused and AUTH_SESSION_MS at most; their last use is written
 * at most once a minute per reader thread (a touch through the writer, not awaited). */
#include "web/auth.h"
#include "web/csrf.h"
#include "web/viewer.h"
#include "base/date.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "core/token.h"
#include "store/org.h"
#include "store/session.h"
#include "web/server.h"
#include "web/router.h"
#include "web/hash_pool.h"
#include "web/totp.h"
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PW_OPS 2
#define PW_MEM (19u << 20)
#define TOUCH_EVERY_MS 60000LL

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

/* --- the options, with their defaults ------------------------------------------------------- */

static int64_t opt_or(int64_t v, int64_t def)
{
	return v > 0 ? v : def;
}

static int64_t idle_ms(struct req *r)
{
	return opt_or(server_options(r->srv)->session_idle_ms, AUTH_IDLE_MS);
}

static int64_t session_ms(struct req *r)
{
	return opt_or(server_options(r->srv)->session_max_ms, AUTH_SESSION_MS);
}

/* --- the hashing pool (web/hash_pool.h) --------------------------------------------------- */

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static void hash_init(void)
{
	/* What an unknown name's password is verified against: the same work as a real one. */
	if (auth_hash_password("qingdan-no-such-user", dummy_hash, sizeof dummy_hash))
		log_error("auth: cannot make the dummy password hash");
}

int auth_verify_password(const char *hash, const char *password)
{
	/* (re-checking a logged-in user's password — rare, and each failure counted in the name's
	 * back-off by the caller — on the daemon's thread; logins go through the hashing pool) */
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* --- identifying the caller ------------------------------------------------------------------ */

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

/* The qd_session cookie's value, read strictly by the dispatcher (req_cookies, web/cookie.h:
 * libmicrohttpd's own cookie parsing is lenient and would let a second qd_session shadow ours). */
static const char *cookie_token(struct req *r)
{
	return r->cookie_session[0] ? r->cookie_session : NULL;
}

struct touch {
	struct store_cmd cmd;
	struct store_write *w;
};

static void touch_done(struct store_cmd *c)
{
	struct touch *t = c->ctx;
	store_write_free(t->w);
	free(t);
}

/* Record the session's use, at most once a minute per reader: queued, not awaited (a full queue
 * skips it: the next request a minute on tries again). */
static void touch(struct req *r, struct store_rd *rd, const struct session_info *s)
{
	int64_t every = idle_ms(r) / 4 < TOUCH_EVERY_MS ? idle_ms(r) / 4 : TOUCH_EVERY_MS; /* a short test limit */
	if (r->now - s->last_used < every)
		return;
	struct touch *t = xcalloc(1, sizeof *t);
	t->w = store_write_new(SW_SESSION_TOUCH, s->user_id, NULL, 0);
	memcpy(t->w->u.session.hash, r->token_hash, 32);
	store_write_cmd(&t->cmd, t->w);
	t->cmd.on_done = touch_done;
	t->cmd.ctx = t;
	t->cmd.now = r->now;
	struct qd_err err;
	if (store_submit(server_store(r->srv), &t->cmd, &err)) {
		touch_done(&t->cmd);
		return;
	}
	store_session_touched(rd, r->token_hash, r->now);
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
	struct session_info s;
	int found = store_session_find(rd, r->token_hash, r->now, idle_ms(r), &s);
	if (found < 0) /* (answered 503 while the database connection is lost: server.c) */
		return qd_fail(err, QD_EINTERNAL, "", "无法读取登录状态", "cannot read the session");
	if (found && strcmp(s.kind, "session") == 0 && r->now - s.created_at >= session_ms(r))
		found = 0; /* the absolute limit, also when it was shortened after the login */
	if (!found) {
		/* A stale cookie on a public route is harmless; on others it is a 401 below. */
		if (!authz && r->route && r->route->auth == AUTH_PUBLIC)
			return 0;
		return qd_fail(err, QD_EAUTH, authz ? "Authorization" : "qd_session", "登录已失效，请重新登录",
			       "session expired or invalid; log in again");
	}
	/* A read-only token: GET routes only, whatever the user's rights (the route table's method). */
	if (token_scope_parse(s.scope) == TOKEN_READ && r->route && strcmp(r->route->method, "GET") != 0)
		return qd_fail(err, QD_EPERM, "Authorization", "只读令牌不能修改数据", "a read-only token cannot change anything");
	r->user_id = s.user_id;
	r->session_id = s.id;
	r->by_cookie = !authz;
	r->credential = token; /* the header's or the cookie's: both live as long as r */
	snprintf(r->auth_kind, sizeof r->auth_kind, "%s", s.kind);
	snprintf(r->auth_scope, sizeof r->auth_scope, "%s", s.scope);
	touch(r, rd, &s);
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
	const char *label, *scope; /* the request's */
	int64_t days;
	/* a login, checked on a hashing worker (login_check) */
	int known;
	int64_t user_id;
	char pw_hash[sizeof ((struct credential *)0)->pw_hash];
	unsigned char name_key[32], addr_key[32];
	int totp; /* login: the password was right but the one-time code 1 missing, 2 wrong */
	int totp_on;
	int64_t totp_step;
	char totp_sealed[sizeof ((struct credential *)0)->totp_sealed];
};

static void new_token(char *out, size_t n, unsigned char hash[32])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(out, hash);
}

static void busy(struct req *r, int64_t seconds, const char *zh, const char *en)
{
	r->retry_after = seconds > 0 ? seconds : 1;
	req_fail(r, QD_ELOCKED, "username", zh, en);
}

static void login_finish(struct req *r)
{
	struct store_write *w = r->warg;
	struct token_ctx *t = r->fctx;
	if (t->totp == 1) {
		req_fail(r, QD_EAUTH, "totp", "需要动态验证码", "a one-time code is required");
		return;
	}
	if (t->totp == 2) {
		req_fail(r, QD_EAUTH, "totp", "动态验证码错误", "wrong one-time code");
		return;
	}
	if (!w->u.login.ok || !w->u.login.user_id) {
		req_fail(r, QD_EAUTH, "password", "用户名或密码错误", "wrong username or password");
		return;
	}
	snprintf(r->cookie, sizeof r->cookie, "qd_session=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%lld", t->token,
		 server_options(r->srv)->secure_cookie ? "; Secure" : "", (long long)(session_ms(r) / 1000));
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *row = store_user_get(rd, w->u.login.user_id);
	struct viewer v = req_viewer(r);
	v.user_id = w->u.login.user_id; /* the user, seen by themself */
	json_t *me = present_json(&present_user, &v, row);
	json_decref(row);
	char csrf[CSRF_HEX + 1]; /* what the new session's forms and cookie-carrying calls send */
	csrf_token(server_csrf_key(r->srv), CSRF_SESSION, t->token, csrf);
	req_json(r, 200, json_pack("{so ss ss}", "user", me ? me : json_null(), "token", t->token, "csrf", csrf));
}

/* On a hashing worker: the password verified, the attempt queued as a write (login_finish
 * answers after its commit). */
static void login_check(void *arg)
{
	struct req *r = arg;
	struct token_ctx *t = r->fctx;
	const char *password = req_str(r, "password");
	int ok = crypto_pwhash_str_verify(t->pw_hash, password, strlen(password)) == 0 && t->known;
	int64_t totp_step = 0;
	if (ok && t->totp_on) { /* the second factor, only once the password is right */
		const char *code = req_str(r, "totp");
		char *secret = code ? store_open_sealed(server_store(r->srv), t->totp_sealed) : NULL;
		int64_t step = code ? totp_match(secret, r->now / 1000, code) : -1;
		/* a code is good once: only a step after the last one used (RFC 6238 §5.2) */
		t->totp = !code ? 1 : step > t->totp_step ? 0 : 2;
		totp_step = t->totp ? 0 : step;
		if (secret) {
			sodium_memzero(secret, strlen(secret));
			free(secret);
		}
		ok = t->totp == 0;
	}
	struct store_write *w = req_write_new(r, SW_LOGIN);
	w->u.login.user_id = t->user_id;
	w->u.login.ok = ok;
	w->u.login.totp_step = totp_step;
	memcpy(w->u.login.name_key, t->name_key, 32);
	memcpy(w->u.login.addr_key, t->addr_key, 32);
	w->u.login.session_ms = session_ms(r);
	w->u.login.max_rows = opt_or(server_options(r->srv)->login_rows, AUTH_LOGIN_ROWS);
	if (ok)
		new_token(t->token, sizeof t->token, w->u.login.hash);
	req_defer_write(r, w, login_finish);
}

/* On the daemon's thread, the connection suspended: to the worker, in the place reserved. */
static void login_start(struct req *r)
{
	hash_pool_run(login_check, r);
}

void api_login(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	const char *username = req_str(r, "username");
	const char *code = req_str(r, "totp");
	if (code && utf8_count(code) < 6) { /* (the spec's maximum is 8) */
		req_fail(r, QD_EINVAL, "totp", "动态验证码为6到8位", "a one-time code has 6 to 8 digits");
		return;
	}
	unsigned char name_key[32], addr_key[32];
	store_login_key("name:", username, 1, name_key);
	store_login_key("addr:", r->client, 0, addr_key);
	/* Backed off: the same answer whether the name exists or not, before any work. */
	int64_t until_name = store_login_until(rd, name_key), until_addr = store_login_until(rd, addr_key);
	if (until_name < 0 || until_addr < 0) {
		req_db_error(r);
		return;
	}
	int64_t until = until_name > until_addr ? until_name : until_addr;
	if (until > r->now) {
		int64_t s = (until - r->now + 999) / 1000;
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "登录失败次数过多，请%lld秒后再试", (long long)s);
		snprintf(en, sizeof en, "too many failed logins: try again in %lld s", (long long)s);
		busy(r, s, zh, en);
		return;
	}
	if (hash_pool_reserve()) { /* every hashing worker busy and the queue full: at once */
		busy(r, 1, "登录请求过多，请稍后再试", "too many logins at once: try again shortly");
		return;
	}
	pthread_once(&hash_once, hash_init);
	struct credential c;
	struct token_ctx *t = xcalloc(1, sizeof *t);
	t->known = store_credential_get(rd, username, &c) == 0 && c.active;
	t->user_id = t->known ? c.user_id : 0;
	/* An unknown name: the same verify against a dummy hash, the same write, the same answer. */
	snprintf(t->pw_hash, sizeof t->pw_hash, "%s", t->known ? c.pw_hash : dummy_hash);
	memcpy(t->name_key, name_key, 32);
	memcpy(t->addr_key, addr_key, 32);
	t->totp_on = t->known && c.totp_on;
	t->totp_step = c.totp_step;
	if (t->totp_on)
		snprintf(t->totp_sealed, sizeof t->totp_sealed, "%s", c.totp_sealed);
	free(r->fctx);
	r->fctx = t;
	req_defer(r, login_start);
}

static void logout_finish(struct req *r)
{
	snprintf(r->cookie, sizeof r->cookie, "qd_session=; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=0",
		 server_options(r->srv)->secure_cookie ? "; Secure" : "");
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
	json_object_set_new(me, "csrf", json_string(req_csrf(r)));
	req_present(r, 200, &present_user, me);
}

/* --- tokens ----------------------------------------------------------------------------------- */

static void token_finish(struct req *r)
{
	struct store_write *w = r->warg;
	struct token_ctx *t = r->fctx;
	req_present(r, 201, &present_token,
		    json_pack("{sI ss ss ss sI}", "id", (json_int_t)w->id, "token", t->token, "label", t->label, "scope",
			      t->scope, "days", (json_int_t)t->days));
}

void api_token_create(struct req *r)
{
	/* A token cannot mint tokens: a stolen one must not outlive its own expiry or revocation. */
	if (strcmp(r->auth_kind, "session") != 0) {
		req_fail(r, QD_EPERM, "Authorization", "创建令牌须先登录（令牌不能创建令牌）",
			 "creating a token needs a login session: a token cannot create tokens");
		return;
	}
	struct store_write *w = req_write_new(r, SW_TOKEN_CREATE);
	struct token_ctx *t = xcalloc(1, sizeof *t);
	t->label = req_str(r, "label") ? req_str(r, "label") : ""; /* whole: the request outlives the write */
	t->scope = req_str(r, "scope") ? req_str(r, "scope") : token_scope_names[TOKEN_WRITE];
	t->days = req_int(r, "days", 90);
	new_token(t->token, sizeof t->token, w->u.session.hash);
	w->u.session.label = t->label;
	w->u.session.scope = t->scope;
	w->u.session.days = t->days;
	free(r->fctx);
	r->fctx = t;
	req_write(r, w, token_finish);
}

/* The caller may see and end other users' tokens: a security administrator, over the users of the
 * subtrees where they hold the grant right (each token's owner checked: below, and on the writer). */
static int token_admin(struct req *r)
{
	return (r->rights & RIGHT_GRANT) != 0;
}

void api_tokens(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	const char *all = req_query(r, "all");
	int every = all && (!strcmp(all, "true") || !strcmp(all, "1"));
	json_t *rows = store_token_list(rd, token_admin(r) && every ? 0 : r->user_id);
	if (!rows) {
		req_db_error(r);
		return;
	}
	if (token_admin(r) && every) { /* only the tokens of users in the caller's grant subtrees */
		json_t *kept = json_array();
		size_t i;
		json_t *row;
		json_array_foreach (rows, i, row) {
			const char *path = json_string_value(json_object_get(row, "unit_path"));
			if (req_rights_on(r, path) & RIGHT_GRANT)
				json_array_append(kept, row);
		}
		json_decref(rows);
		rows = kept;
	}
	struct viewer v = req_viewer(r);
	json_t *a = present_json_list(&present_token_row, &v, rows);
	json_decref(rows);
	req_json(r, 200, json_pack("{so}", "items", a));
}

static void revoke_finish(struct req *r)
{
	req_json(r, 200, json_pack("{sb}", "ok", 1));
}

void api_token_revoke(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_TOKEN_REVOKE);
	w->u.session.id = r->path_id;
	w->u.session.any = token_admin(r);
	req_write(r, w, revoke_finish);
}
