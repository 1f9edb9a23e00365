/* page_admin_security.c — the security administrator's pages (RIGHT_GRANT, the API's right):
 * /admin/grants (users and their grants), /admin/grants/{id} (one user: their grants with a
 * revoke button each, the form to grant a role — or the personal-data right, pii — over a unit,
 * and unlocking the user's login back-off), /admin/tokens (every token in the administrator's
 * subtrees: owner, label, scope, expiry; revoke).  The forms run the API's handlers
 * (api_user_grant, api_user_revoke, api_user_unlock, api_token_revoke) through r->answer_hook, so
 * the separation rules (core/scope.h scope_grant_check, checked again on the writer) refuse here
 * exactly as over the API, and their refusals show as the form's errors: no one changes their own
 * grants (field id: the user named at the top of the form), a unit or user outside the
 * administrator's subtree (unit_id, id), a peer security administrator (role). */
#include "base/date.h"
#include "core/role.h"
#include "core/token.h"
#include "web/api.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/http_err.h"
#include "web/i18n.h"
#include "web/page_admin.h"
#include <stdio.h>
#include <string.h>

static unsigned err_status(const struct qd_err *err)
{
	return err && err->code ? http_status(err->code) : 200;
}

static void grants_text(struct page *p, json_t *grants)
{
	size_t k;
	json_t *g;
	json_array_foreach(grants, k, g)
	{
		html_printf(&p->b, "%h%h（%h）", k ? "、" : "", tr_code(p->r, "role", admin_str(g, "role")),
		            admin_str(g, "unit_name"));
	}
}

/* --- /admin/grants ---------------------------------------------------------------------------- */

void page_admin_grants(struct req *r)
{
	json_t *users;
	struct qd_err e;
	if (admin_grab(r, api_users, &users, &e)) {
		page_fail(r, &e);
		return;
	}
	struct page p;
	admin_begin(&p, r, "admin.grants.title", NULL);
	html_printf(
	    &p.b,
	    "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	    "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
	    tr(r, "admin.grants.caption"), tr(r, "admin.users.display_name"), tr(r, "admin.users.username"),
	    tr(r, "admin.users.unit"), tr(r, "admin.users.roles"));
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(users, "items"), i, u)
	{
		html_printf(&p.b, "<tr>");
		admin_td(&p, tr(r, "admin.users.display_name"));
		html_printf(&p.b, "<a href=\"/admin/grants/%lld\">%h</a></td>", admin_id(u, "id"),
		            admin_str(u, "display_name"));
		admin_td(&p, tr(r, "admin.users.username"));
		html_printf(&p.b, "%h</td>", admin_str(u, "username"));
		admin_td(&p, tr(r, "admin.users.unit"));
		html_printf(&p.b, "%h</td>", admin_str(u, "unit_name"));
		admin_td(&p, tr(r, "admin.users.roles"));
		grants_text(&p, json_object_get(u, "grants"));
		html_printf(&p.b, "</td></tr>");
	}
	html_printf(&p.b, "</tbody></table>");
	json_decref(users);
	page_end(&p, 200);
}

/* --- /admin/grants/{id} ------------------------------------------------------------------------ */

/* The user r->path_id as the users list presents them (borrowed from users), or NULL. */
static json_t *user_in(json_t *users, int64_t id)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(users, "items"), i, u) if (admin_id(u, "id") == id) return u;
	return NULL;
}

static void user_page(struct req *r, const struct qd_err *err)
{
	json_t *users, *units;
	struct qd_err e;
	if (admin_grab(r, api_users, &users, &e)) {
		page_fail(r, &e);
		return;
	}
	json_t *u = user_in(users, r->path_id);
	if (!u) {
		json_decref(users);
		qd_fail(&e, QD_ENOTFOUND, "id", "用户不存在", "no such user");
		page_fail(r, &e);
		return;
	}
	if (admin_grab(r, api_units, &units, &e)) {
		json_decref(users);
		page_fail(r, &e);
		return;
	}
	long long id = admin_id(u, "id");
	char action[64];
	struct page p;
	admin_begin(&p, r, "admin.grant.title", err);
	/* the user the forms act on: where an error about the user (field id) points */
	int bad = err && err->code && (!strcmp(err->field, "id") || !strcmp(err->field, "user_id"));
	html_printf(&p.b,
	            "<section class=\"who\"><h2 id=\"f-id\" tabindex=\"-1\"%a>%h <span "
	            "class=\"username\">%h</span></h2>",
	            bad ? " aria-describedby=\"f-id-error\"" : "", admin_str(u, "display_name"),
	            admin_str(u, "username"));
	if (bad)
		html_printf(&p.b, "<p class=\"field-error\" id=\"f-id-error\">%h</p>", page_err_text(r, err));
	html_printf(&p.b, "<p>%h：%h</p></section>", tr(r, "admin.users.unit"), admin_str(u, "unit_name"));

	/* the grants, each with its revoke button */
	json_t *grants = json_object_get(u, "grants");
	html_printf(
	    &p.b,
	    "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	    "<th scope=\"col\">%h</th><th scope=\"col\"><span class=\"visually-hidden\">%h</span></th></tr>"
	    "</thead><tbody>",
	    tr(r, "admin.grant.caption"), tr(r, "admin.grant.role"), tr(r, "admin.grant.unit"),
	    tr(r, "admin.calendar.actions"));
	snprintf(action, sizeof action, "/admin/grants/%lld/revoke", id);
	size_t i;
	json_t *g;
	json_array_foreach(grants, i, g)
	{
		char unit[24];
		const char *role = tr_code(r, "role", admin_str(g, "role"));
		snprintf(unit, sizeof unit, "%lld", admin_id(g, "unit_id"));
		html_printf(&p.b, "<tr>");
		admin_td(&p, tr(r, "admin.grant.role"));
		html_printf(&p.b, "%h</td>", role);
		admin_td(&p, tr(r, "admin.grant.unit"));
		html_printf(&p.b, "%h</td><td>", admin_str(g, "unit_name"));
		admin_form(&p, action);
		html_printf(&p.b,
		            "<input type=\"hidden\" name=\"role\" value=\"%a\"><input type=\"hidden\" "
		            "name=\"unit_id\" "
		            "value=\"%a\"><button type=\"submit\" class=\"btn btn-danger\">%h<span "
		            "class=\"visually-hidden\"> %h %h</span></button></form></td></tr>",
		            admin_str(g, "role"), unit, tr(r, "admin.grant.revoke"), role,
		            admin_str(g, "unit_name"));
	}
	if (!json_array_size(grants))
		html_printf(&p.b, "<tr><td colspan=\"3\">%h</td></tr>", tr(r, "admin.grant.none"));
	html_printf(&p.b, "</tbody></table>");

	/* grant a role, or the personal-data right */
	html_printf(&p.b, "<section class=\"form\"><h2>%h</h2><p class=\"hint\">%h</p>",
	            tr(r, "admin.grant.add"), tr(r, "admin.grant.hint"));
	snprintf(action, sizeof action, "/admin/grants/%lld", id);
	admin_form(&p, action);
	admin_select(&p, err, "role", tr(r, "admin.grant.role"), 1);
	const char *role = admin_value(r, "role", "");
	admin_option(&p, "", tr(r, "admin.choose"), !*role);
	for (int k = 0; role_names[k]; k++) {
		admin_option(&p, role_names[k], tr_code(r, "role", role_names[k]),
		             !strcmp(role, role_names[k]));
	}
	admin_select_end(&p);
	admin_unit_select(&p, err, "unit_id", tr(r, "admin.grant.unit"), json_object_get(units, "items"),
	                  admin_id(u, "unit_id"));
	html_printf(&p.b, "<button type=\"submit\" class=\"btn btn-primary\">%h</button></form></section>",
	            tr(r, "admin.grant.submit"));

	/* unlock */
	html_printf(&p.b, "<section class=\"form\"><h2>%h</h2><p class=\"hint\">%h</p>",
	            tr(r, "admin.unlock.title"), tr(r, "admin.unlock.hint"));
	snprintf(action, sizeof action, "/admin/users/%lld/unlock", id);
	admin_form(&p, action);
	html_printf(&p.b, "<button type=\"submit\" class=\"btn\">%h</button></form></section>",
	            tr(r, "admin.unlock.submit"));
	json_decref(users);
	json_decref(units);
	page_end(&p, err_status(err));
}

void page_admin_user_grants(struct req *r)
{
	user_page(r, NULL);
}

void page_admin_grant_invalid(struct req *r, const struct qd_err *err)
{
	user_page(r, err);
}

/* Back to the user's page with the banner done, or the page again with the refusal. */
static void back_to_user(struct req *r, json_t *out, const struct qd_err *err, const char *done)
{
	json_decref(out);
	if (err) {
		user_page(r, err);
		return;
	}
	char loc[96];
	snprintf(loc, sizeof loc, "/admin/grants/%lld?done=%s", (long long)r->path_id, done);
	req_redirect(r, loc);
}

static void granted(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	(void)status;
	back_to_user(r, out, err, "grant");
}

static void revoked(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	(void)status;
	back_to_user(r, out, err, "revoke");
}

static void unlocked(struct req *r, unsigned status, json_t *out, const struct qd_err *err)
{
	(void)status;
	back_to_user(r, out, err, "unlock");
}

void page_admin_grant(struct req *r)
{
	r->answer_hook = granted;
	api_user_grant(r);
}

void page_admin_revoke(struct req *r)
{
	r->answer_hook = revoked;
	api_user_revoke(r);
}

void page_admin_unlock(struct req *r)
{
	r->answer_hook = unlocked;
	api_user_unlock(r);
}

/* --- /admin/tokens ----------------------------------------------------------------------------- */

static void tokens_page(struct req *r, const struct qd_err *err)
{
	/* GET /api/v1/tokens?all=1 is the list: every token of the users in the administrator's
	 * grant subtrees (api_tokens scopes it); the page asks it for all (a value of the request
	 * the handler reads; set here, on the daemon's thread, inside the request's handling). */
	MHD_set_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "all", "1");
	json_t *tokens, *users;
	struct qd_err e;
	if (admin_grab(r, api_tokens, &tokens, &e)) {
		page_fail(r, &e);
		return;
	}
	if (admin_grab(r, api_users, &users, &e)) {
		json_decref(tokens);
		page_fail(r, &e);
		return;
	}
	char now[32];
	clock_format_ms(r->now, now);
	struct page p;
	admin_begin(&p, r, "admin.tokens.title", err);
	html_printf(&p.b,
	            "<table class=\"list\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
	            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
	            "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
	            "<th scope=\"col\"><span class=\"visually-hidden\">%h</span></th></tr></thead><tbody>",
	            tr(r, "admin.tokens.caption"), tr(r, "admin.tokens.owner"), tr(r, "admin.tokens.label"),
	            tr(r, "admin.tokens.scope"), tr(r, "admin.tokens.created"), tr(r, "admin.tokens.expires"),
	            tr(r, "admin.tokens.last_used"), tr(r, "admin.tokens.state"),
	            tr(r, "admin.calendar.actions"));
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(tokens, "items"), i, t)
	{
		json_t *owner = user_in(users, admin_id(t, "user_id"));
		char action[64];
		int revoked = json_is_true(json_object_get(t, "revoked"));
		int expired = !revoked && strcmp(admin_str(t, "expires_at"), now) <= 0;
		html_printf(&p.b, "<tr>");
		admin_td(&p, tr(r, "admin.tokens.owner"));
		html_printf(&p.b, "%h <span class=\"username\">%h</span></td>",
		            owner ? admin_str(owner, "display_name") : "",
		            owner ? admin_str(owner, "username") : "");
		admin_td(&p, tr(r, "admin.tokens.label"));
		html_printf(&p.b, "%h</td>", admin_str(t, "label"));
		admin_td(&p, tr(r, "admin.tokens.scope"));
		html_printf(&p.b, "%h</td>", tr_code(r, "token_scope", admin_str(t, "scope")));
		admin_td(&p, tr(r, "admin.tokens.created"));
		html_printf(&p.b, "%h</td>", admin_str(t, "created_at"));
		admin_td(&p, tr(r, "admin.tokens.expires"));
		html_printf(&p.b, "%h</td>", admin_str(t, "expires_at"));
		admin_td(&p, tr(r, "admin.tokens.last_used"));
		html_printf(&p.b, "%h</td>", admin_str(t, "last_used_at"));
		admin_td(&p, tr(r, "admin.tokens.state"));
		html_printf(&p.b, "%h</td><td>",
		            tr(r, revoked   ? "admin.tokens.revoked"
		                  : expired ? "admin.tokens.expired"
		                            : "admin.tokens.active"));
		if (!revoked && !expired) {
			snprintf(action, sizeof action, "/admin/tokens/%lld/revoke", admin_id(t, "id"));
			admin_form(&p, action);
			html_printf(&p.b,
			            "<button type=\"submit\" class=\"btn btn-danger\">%h<span "
			            "class=\"visually-hidden\"> "
			            "%h %h</span></button></form>",
			            tr(r, "admin.tokens.revoke"), owner ? admin_str(owner, "username") : "",
			            admin_str(t, "label"));
		}
		html_printf(&p.b, "</td></tr>");
	}
	if (!json_array_size(json_object_get(tokens, "items")))
		html_printf(&p.b, "<tr><td colspan=\"8\">%h</td></tr>", tr(r, "admin.tokens.none"));
	html_printf(&p.b, "</tbody></table>");
	json_decref(tokens);
	json_decref(users);
	page_end(&p, err_status(err));
}

ADMIN_FORM_PAGE(page_admin_tokens, page_admin_tokens_invalid, page_admin_token_revoke, tokens_page, api_token_revoke, "/admin/tokens?done=token");
