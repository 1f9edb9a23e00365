/* page_admin.h — the three administrators' pages (issue 10), each kept to its duty as the API is
 * (core/role.h, docs/security.md): the system administrator's (RIGHT_ADMIN: units, users,
 * categories, the calendar, time limits, hand-off units; page_admin_system.c), the security
 * administrator's (RIGHT_GRANT: grants and the personal-data right, tokens, unlocking;
 * page_admin_security.c), the audit administrator's (RIGHT_AUDIT: the audit log;
 * page_admin_audit.c), and /admin, the index of whichever of them the reader holds
 * (page_admin.c, with the helpers the three share).
 *
 * Every page reads through the API's own handler (its answer captured by r->answer_hook, so the
 * rows are the presenter's, as the API serves them) and every form posts to a page route that
 * runs the API's write handler the same way: success → 303 back to the page with ?done=<what>
 * (a banner), refusal → the form again with the error summary naming the field.  The routes
 * (web/routes.c) carry the same rights and parameter specs as the API's. */
#ifndef QD_WEB_PAGE_ADMIN_H
#define QD_WEB_PAGE_ADMIN_H
#include "core/flow.h" /* admin_done_names: the banners after a form (?done=…) */
#include "web/page.h"
#include "web/req.h"

/* An administrator's form page made of its renderer render(r, err): the GET (render(r, NULL)),
 * the dispatcher's invalid() renderer (render(r, err)) and the POST, which runs the API's handler
 * api through the answer hook — success 303 to done (a banner), a refusal the page again with the
 * error summary.  Used where a page has exactly that shape (units, users, categories, hand-off,
 * tokens); the others say what they do after a save. */
#define ADMIN_FORM_PAGE(get, invalid, post, render, api, done)                                        \
	void get(struct req *r) { render(r, NULL); }                                                   \
	void invalid(struct req *r, const struct qd_err *err) { render(r, err); }                      \
	static void post##_answered(struct req *r, unsigned status, json_t *out, const struct qd_err *err) \
	{                                                                                              \
		(void)status;                                                                          \
		json_decref(out);                                                                      \
		if (err)                                                                               \
			render(r, err);                                                                \
		else                                                                                   \
			req_redirect(r, done);                                                         \
	}                                                                                              \
	void post(struct req *r)                                                                       \
	{                                                                                              \
		r->answer_hook = post##_answered;                                                      \
		api(r);                                                                                \
	}                                                                                              \
	_Static_assert(1, #post " is an administrator's form page")

/* --- handlers (web/routes.c): GET pages, POST forms, and each form's invalid() renderer ----- */
void page_admin_index(struct req *r);

void page_admin_units(struct req *r);
void page_admin_unit_add(struct req *r);
void page_admin_units_invalid(struct req *r, const struct qd_err *err);
void page_admin_users(struct req *r);
void page_admin_user_add(struct req *r);
void page_admin_users_invalid(struct req *r, const struct qd_err *err);
void page_admin_categories(struct req *r);
void page_admin_category_add(struct req *r);
void page_admin_categories_invalid(struct req *r, const struct qd_err *err);
void page_admin_calendar(struct req *r);
void page_admin_calendar_set(struct req *r);
void page_admin_calendar_invalid(struct req *r, const struct qd_err *err);
void page_admin_limits(struct req *r);
void page_admin_limits_set(struct req *r);
void page_admin_limits_invalid(struct req *r, const struct qd_err *err);
void page_admin_handoff(struct req *r);
void page_admin_handoff_set(struct req *r);
void page_admin_handoff_invalid(struct req *r, const struct qd_err *err);

void page_admin_grants(struct req *r);      /* GET /admin/grants: users and their grants */
void page_admin_user_grants(struct req *r); /* GET /admin/grants/{id}: one user's grants, the forms */
void page_admin_grant(struct req *r);       /* POST /admin/grants/{id} */
void page_admin_revoke(struct req *r);      /* POST /admin/grants/{id}/revoke */
void page_admin_unlock(struct req *r);      /* POST /admin/users/{id}/unlock */
void page_admin_grant_invalid(struct req *r, const struct qd_err *err);
void page_admin_tokens(struct req *r);
void page_admin_token_revoke(struct req *r); /* POST /admin/tokens/{id}/revoke */
void page_admin_tokens_invalid(struct req *r, const struct qd_err *err);

void page_admin_audit(struct req *r);
void page_admin_audit_invalid(struct req *r, const struct qd_err *err);

/* A refused request shown as a page (page_fail); the invalid() of pages without a form. */
void page_admin_refused(struct req *r, const struct qd_err *err);

/* --- helpers the three files share (page_admin.c) ---------------------------------------------- */

/* Run the API read handler api on r and capture its answer instead of sending it: 0 with *out
 * (the presented JSON, owned by the caller), or -1 with err filled (the handler's refusal). */
int admin_grab(struct req *r, void (*api)(struct req *r), json_t **out, struct qd_err *err);
/* Page head: page_begin with the catalog title key, the back link to /admin, the h1, the banner
 * of ?done= (role=status) and the error summary of err (NULL: none). */
void admin_begin(struct page *p, struct req *r, const char *title_key, const struct qd_err *err);
/* The text of a submitted field to show again in a refused form (r->form), or def. */
const char *admin_value(struct req *r, const char *name, const char *def);
/* A labelled control with its id f-<name>, and its error (class field-error, id f-<name>-error,
 * aria-describedby) when err names it.  type: "text", "password", "date", "number" …;
 * value NULL: empty.  required: the required attribute. */
void admin_input(struct page *p, const struct qd_err *err, const char *name, const char *label,
                 const char *type, const char *value, int required);
/* The opening of a labelled <select id="f-<name>"> (with its error as admin_input); options
 * follow with admin_option, then admin_select_end. */
void admin_select(struct page *p, const struct qd_err *err, const char *name, const char *label,
                  int required);
void admin_option(struct page *p, const char *value, const char *text, int selected);
void admin_select_end(struct page *p);
/* A <select> of the units (tree order, indented), value the unit id, selected the one whose id
 * is sel (0: an empty first option "choose"). */
void admin_unit_select(struct page *p, const struct qd_err *err, const char *name, const char *label,
                       json_t *units, long long sel);
/* The items of a tree (each with "id" and "parent_id") in preorder: a new array of
 * {"item": …, "depth": n}; items whose parent is not in the list come at depth 0, never lost. */
json_t *admin_preorder(json_t *items);
/* A table cell's opening with its column's name (data-label: the phone's card layout shows it). */
void admin_td(struct page *p, const char *label);
/* The form's opening: <form method="post" action="action" novalidate> and the CSRF field. */
void admin_form(struct page *p, const char *action);
/* A long long from a presented field (0 when absent or null). */
long long admin_id(json_t *o, const char *k);
/* A string of a presented field ("" when absent or null). */
const char *admin_str(json_t *o, const char *k);

#endif
