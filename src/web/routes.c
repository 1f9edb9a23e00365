/* routes.c — the route table: one line per route (method, path, handler, who may call it, the
 * parameters it takes), and machines[]: the action routes whose body is the spec of the action
 * the path names (core/machine.h).  The dispatcher (server.c) enforces all of it before a
 * handler runs; docs/openapi.yaml describes the same routes and GET /api/v1/routes serves this
 * table. */
#include "core/audit.h"
#include "core/calendar.h"
#include "core/lang.h"
#include "core/problem.h"
#include "core/role.h"
#include "core/task.h"
#include "core/token.h"
#include "core/unit.h"
#include "web/api.h"
#include "web/auth.h"
#include "web/page.h"
#include "web/page_problems.h"
#include "web/page_task.h"
#include "web/page_work.h"
#include "web/page_triage.h"
#include "web/page_admin.h"
#include "web/router.h"
#include <string.h>

/* Enum parameters take their values from core, the one vocabulary (role.h, unit.h, calendar.h,
 * problem.h, task.h): no list of names is spelled here. */

#define END {NULL, 0, 0, 0, 0, NULL, NULL, NULL}
#define PAGE {"limit", P_INT, 0, 1, 200, NULL, NULL, "page size (default 50)"}, \
	     {"offset", P_INT, 0, 0, 1000000000, NULL, NULL, "rows to skip"}, \
	     {"count", P_BOOL, 0, 0, 0, NULL, NULL, "also count all matches"}

static const struct param q_none[] = {END};
static const struct param q_tokens[] = {{"all", P_BOOL, 0, 0, 0, NULL, NULL, "every user's (security administrator)"}, END};
static const struct param b_login[] = {
	{"username", P_STR, 1, 0, 32, NULL, NULL, "user name"},
	{"password", P_STR, 1, 0, 256, NULL, NULL, "password"},
	{"totp", P_STR, 0, 6, 8, NULL, NULL, "one-time code (users who switched TOTP on)"}, END};
static const struct param b_totp[] = {{"password", P_STR, 1, 0, 256, NULL, NULL, "the current password"}, END};
static const struct param b_totp_confirm[] = {{"code", P_STR, 1, 6, 8, NULL, NULL, "a code from the new secret"}, END};
static const struct param b_token[] = {
	{"label", P_STR, 0, 0, 100, NULL, NULL, "what the token is for"},
	{"scope", P_ENUM, 0, 0, 0, token_scope_names, NULL, "read: GET routes only; write (default): every route"},
	{"days", P_INT, 0, 1, 366, NULL, NULL, "validity in days (default 90)"}, END};
static const struct param b_unit[] = {
	{"parent_id", P_ID, 1, 0, 0, NULL, NULL, "parent unit"},
	{"name", P_STR, 1, 0, 64, NULL, NULL, "name"},
	{"kind", P_ENUM, 1, 0, 0, unit_kind_names, NULL, "kind of unit"},
	{"peer_group", P_STR, 0, 0, 32, NULL, NULL, "peer group for rankings (township, department)"}, END};
static const struct param b_category[] = {
	{"parent_id", P_ID, 0, 0, 0, NULL, NULL, "parent category"},
	{"name", P_STR, 1, 0, 32, NULL, NULL, "name"}, END};
static const struct param b_user[] = {
	{"username", P_STR, 1, 0, 32, NULL, NULL, "login name: a-z 0-9 _ . -"},
	{"display_name", P_STR, 1, 0, 32, NULL, NULL, "name shown (public in official role)"},
	{"unit_id", P_ID, 1, 0, 0, NULL, NULL, "the user's unit"},
	{"password", P_STR, 1, 0, 256, NULL, NULL, "initial password (≥ 8 characters)"}, END};
static const struct param b_grant[] = {
	{"role", P_ENUM, 1, 0, 0, role_names, NULL, "role (or pii: the personal-data right)"},
	{"unit_id", P_ID, 1, 0, 0, NULL, NULL, "root of the subtree the grant covers"}, END};
/* the audit log's filters and paging: the API's and its page's (/admin/audit) */
#define AUDIT_FILTERS \
	{"from", P_DATE, 0, 0, 0, NULL, NULL, "from this day (China time)"}, \
	{"to", P_DATE, 0, 0, 0, NULL, NULL, "up to this day, inclusive"}, \
	{"user_id", P_ID, 0, 0, 0, NULL, NULL, "the user"}, \
	{"username", P_STR, 0, 0, 64, NULL, NULL, "the user name (for a failed login: the name submitted)"}, \
	{"kind", P_ENUM, 0, 0, 0, audit_kind_names, NULL, "kind of entry"}, \
	{"outcome", P_ENUM, 0, 0, 0, audit_outcome_names, NULL, "ok, denied or failed"}, \
	{"client", P_STR, 0, 0, 47, NULL, NULL, "the client's address"}, \
	{"limit", P_INT, 0, 1, 10000, NULL, NULL, "page size (default 50)"}, \
	{"offset", P_INT, 0, 0, 1000000000, NULL, NULL, "rows to skip"}
static const struct param q_audit[] = {
	AUDIT_FILTERS,
	{"format", P_ENUM, 0, 0, 0, audit_format_names, NULL, "json (default) or csv"},
	{"count", P_BOOL, 0, 0, 0, NULL, NULL, "also count all matches"}, END};
static const struct param q_calendar[] = {{"year", P_INT, 0, 2000, 2100, NULL, NULL, "year"}, END};
static const struct param b_calendar[] = {
	{"date", P_DATE, 1, 0, 0, NULL, NULL, "the day"},
	{"kind", P_ENUM, 1, 0, 0, cal_kind_names, NULL, "holiday, workday (weekend day worked) or ordinary"},
	{"name", P_STR, 0, 0, 32, NULL, NULL, "holiday name"}, END};
static const struct param b_limits[] = {
	{"urgency", P_ENUM, 1, 0, 0, urgency_names, NULL, "which urgency"},
	{"respond", P_INT, 1, 0, 30, NULL, NULL, "working days to accept or return"},
	{"complete", P_INT, 1, 1, 365, NULL, NULL, "working days to complete"},
	{"max_extensions", P_INT, 1, 0, 5, NULL, NULL, "extensions allowed"}, END};
static const struct param b_handoff[] = {
	{"unit_ids", P_IDS, 1, 0, 200, NULL, NULL, "the departments and companies a dispatcher may hand tasks to"}, END};
static const struct param q_visits[] = {{"unit_id", P_ID, 0, 0, 0, NULL, NULL, "unit subtree"}, PAGE, END};
static const struct param b_visit[] = {
	{"unit_id", P_ID, 1, 0, 0, NULL, NULL, "village or group visited"},
	{"visited_on", P_DATE, 1, 0, 0, NULL, NULL, "date of the visit"},
	{"household", P_STR, 0, 0, 50, NULL, NULL, "household label, masked (e.g. 张*家)"},
	{"note", P_TEXT, 0, 0, 2000, NULL, NULL, "what was seen and heard"}, END};
static const struct param q_problems[] = {
	{"unit_id", P_ID, 0, 0, 0, NULL, NULL, "unit subtree"},
	{"state", P_ENUM, 0, 0, 0, problem_states, NULL, "state"},
	{"category_id", P_ID, 0, 0, 0, NULL, NULL, "category (and its children)"},
	{"q", P_STR, 0, 0, 50, NULL, NULL, "text in the (masked) description"},
	{"reporter_phone", P_STR, 0, 0, 32, NULL, NULL, "the reporter's phone, exactly (personal-data right; audited)"},
	{"sort", P_ENUM, 0, 0, 0, problem_sort_names, NULL, "order: newest (default), oldest, state"}, PAGE, END};
static const struct param b_reporter[] = {
	{"name", P_STR, 0, 0, 50, NULL, NULL, "resident's name (personal data)"},
	{"phone", P_STR, 0, 0, 32, NULL, NULL, "phone (personal data)"},
	{"id_no", P_STR, 0, 0, 18, NULL, NULL, "ID number (personal data)"},
	{"address", P_STR, 0, 0, 200, NULL, NULL, "exact address (personal data)"}, END};
static const struct param b_problem[] = {
	{"unit_id", P_ID, 1, 0, 0, NULL, NULL, "village or group where it was raised"},
	{"category_id", P_ID, 0, 0, 0, NULL, NULL, "category"},
	{"source", P_ENUM, 0, 0, 0, problem_sources, NULL, "how it came in"},
	{"description", P_TEXT, 1, 0, 2000, NULL, NULL, "what the resident raised"},
	{"reporter", P_OBJ, 0, 0, 0, NULL, b_reporter, "who raised it (personal data, sealed)"},
	{"anonymous", P_BOOL, 0, 0, 0, NULL, NULL, "the resident asked not to be named"},
	{"no_disclose", P_BOOL, 0, 0, 0, NULL, NULL, "never disclose publicly (family, health, dispute)"},
	{"visit_id", P_ID, 0, 0, 0, NULL, NULL, "the visit it was raised in"},
	{"tier", P_ENUM, 0, 0, 0, tier_immediate_names, NULL, "immediate: solved on the spot (即知即办)"},
	{"measures", P_TEXT, 0, 0, 1000, NULL, NULL, "what was done on the spot (with tier immediate)"}, END};
static const struct param b_merge[] = {{"into", P_ID, 1, 0, 0, NULL, NULL, "the problem it duplicates"}, END};
static const struct param b_classify[] = {{"category_id", P_ID, 1, 0, 0, NULL, NULL, "the problem's category"}, END};
static const struct param b_decline[] = {{"reason", P_TEXT, 1, 0, 500, NULL, NULL, "reason shown to the resident"}, END};
static const struct param q_tasks[] = {
	{"unit_id", P_ID, 0, 0, 0, NULL, NULL, "unit subtree (handling or origin)"},
	{"state", P_ENUM, 0, 0, 0, task_state_names, NULL, "state"},
	{"category_id", P_ID, 0, 0, 0, NULL, NULL, "category (and its children)"},
	{"tier", P_ENUM, 0, 0, 0, tier_names, NULL, "tier"},
	{"overdue", P_BOOL, 0, 0, 0, NULL, NULL, "only overdue open tasks"},
	{"due_before", P_DATE, 0, 0, 0, NULL, NULL, "deadline on or before"},
	{"handler_id", P_ID, 0, 0, 0, NULL, NULL, "responsible person"},
	{"leader_id", P_ID, 0, 0, 0, NULL, NULL, "leader in charge"},
	{"q", P_STR, 0, 0, 50, NULL, NULL, "text in title or measures"},
	{"sort", P_ENUM, 0, 0, 0, task_sort_names, NULL, "order: deadline (default), updated (newest change first), state"}, PAGE, END};
/* The task page: the action just taken, for its banner. */
static const struct param q_task_page[] = {{"done", P_ENUM, 0, 0, 0, task_action_names, NULL, "the action just taken"}, END};
static const struct param b_task[] = {
	{"problem_ids", P_IDS, 1, 0, 100, NULL, NULL, "problems the task gathers"},
	{"title", P_STR, 1, 0, 100, NULL, NULL, "title"},
	{"measures", P_TEXT, 0, 0, 1000, NULL, NULL, "measures (办理措施)"},
	{"tier", P_ENUM, 0, 0, 0, TIER_TASK_NAMES, NULL, "tier (default scheduled)"},
	{"urgency", P_ENUM, 0, 0, 0, urgency_names, NULL, "urgency (default normal)"},
	{"category_id", P_ID, 0, 0, 0, NULL, NULL, "category (default: the first problem's)"},
	{"unit_id", P_ID, 0, 0, 0, NULL, NULL, "assign now: handling unit"},
	{"handler_id", P_ID, 0, 0, 0, NULL, NULL, "assign now: responsible person"},
	{"leader_id", P_ID, 0, 0, 0, NULL, NULL, "assign now: leader in charge"}, END};
/* Pages (issue 10): form bodies take the same specs (the CSRF field is the dispatcher's). */
static const struct param b_none[] = {END};
static const struct param q_next[] = {{"next", P_STR, 0, 0, 200, NULL, NULL, "where to go after (a local path)"}, END};
static const struct param b_login_page[] = {
	{"username", P_STR, 1, 0, 32, NULL, NULL, "user name"},
	{"password", P_STR, 1, 0, 256, NULL, NULL, "password"},
	{"totp", P_STR, 0, 6, 8, NULL, NULL, "one-time code (users who switched TOTP on)"},
	{"next", P_STR, 0, 0, 200, NULL, NULL, "where to go after (a local path)"}, END};
static const struct param q_lang[] = {
	{"to", P_ENUM, 1, 0, 0, lang_names, NULL, "the language: zh (default) or en"},
	{"next", P_STR, 0, 0, 200, NULL, NULL, "the page to go back to (a local path)"}, END};
static const struct param q_elder[] = {
	{"on", P_BOOL, 1, 0, 0, NULL, NULL, "1: the elderly-friendly mode (适老化) on; 0: off"},
	{"next", P_STR, 0, 0, 200, NULL, NULL, "the page to go back to (a local path)"}, END};
static const struct param q_static[] = {{"v", P_STR, 0, 0, 64, NULL, NULL, "the content hash (cache key)"}, END};
/* --- pages of part work (issue 10): the workbench, the visit form, the problem page --------- */
static const struct param q_work[] = {
	{"visit", P_ID, 0, 0, 0, NULL, NULL, "the visit just recorded (the banner)"},
	{"p", P_STR, 0, 0, 240, NULL, NULL, "its problems' ids, comma-separated (the banner)"}, END};
/* The visit form's fields, flat (a form has no nesting): the visit's as POST /api/v1/visits names
 * them, each problem's as p<k>_<name> for block k = 1 … VISIT_PROBLEMS, with the bounds of
 * b_visit and b_problem.  The unit and the date are checked by the page (an "add another
 * problem" press may come before them). */
#define VISIT_BLOCK(k) \
	{"p" #k "_description", P_TEXT, 0, 0, 2000, NULL, NULL, "problem " #k ": what the resident raised"}, \
	{"p" #k "_category_id", P_ID, 0, 0, 0, NULL, NULL, "problem " #k ": category"}, \
	{"p" #k "_immediate", P_BOOL, 0, 0, 0, NULL, NULL, "problem " #k ": solved on the spot (即知即办)"}, \
	{"p" #k "_measures", P_TEXT, 0, 0, 1000, NULL, NULL, "problem " #k ": what was done on the spot"}, \
	{"p" #k "_name", P_STR, 0, 0, 50, NULL, NULL, "problem " #k ": resident's name (personal data)"}, \
	{"p" #k "_phone", P_STR, 0, 0, 32, NULL, NULL, "problem " #k ": phone (personal data)"}, \
	{"p" #k "_anonymous", P_BOOL, 0, 0, 0, NULL, NULL, "problem " #k ": the resident asked not to be named"}, \
	{"p" #k "_no_disclose", P_BOOL, 0, 0, 0, NULL, NULL, "problem " #k ": never disclose publicly"}
static const struct param b_visit_form[] = {
	{"unit_id", P_ID, 0, 0, 0, NULL, NULL, "village or group visited"},
	{"visited_on", P_DATE, 0, 0, 0, NULL, NULL, "date of the visit"},
	{"household", P_STR, 0, 0, 50, NULL, NULL, "household label, masked (e.g. 张*家)"},
	{"note", P_TEXT, 0, 0, 2000, NULL, NULL, "what was seen and heard"},
	{"n", P_INT, 0, 1, VISIT_PROBLEMS, NULL, NULL, "problem blocks the form shows"},
	{"more", P_STR, 0, 0, 8, NULL, NULL, "the add-another-problem button"},
	VISIT_BLOCK(1), VISIT_BLOCK(2), VISIT_BLOCK(3), VISIT_BLOCK(4), VISIT_BLOCK(5),
	VISIT_BLOCK(6), VISIT_BLOCK(7), VISIT_BLOCK(8), VISIT_BLOCK(9), VISIT_BLOCK(10), END};
_Static_assert(VISIT_PROBLEMS == 10, "b_visit_form spells VISIT_PROBLEMS blocks");

/* --- the dispatcher's triage pages (page_triage.c) --- */
static const struct param q_triage[] = {{"unit_id", P_ID, 0, 0, 0, NULL, NULL, "unit subtree"}, PAGE, END};
static const struct param b_triage_task[] = {
	{"problem_ids", P_IDS, 1, 0, 100, NULL, NULL, "problems the task gathers"},
	{"go", P_ENUM, 0, 0, 0, triage_steps, NULL, "the step to show: details, people, check; confirm makes the task"},
	{"title", P_STR, 0, 0, 100, NULL, NULL, "title"},
	{"measures", P_TEXT, 0, 0, 1000, NULL, NULL, "measures (办理措施)"},
	{"category_id", P_ID, 0, 0, 0, NULL, NULL, "category (default: the first problem's)"},
	{"unit_id", P_ID, 0, 0, 0, NULL, NULL, "handling unit"},
	{"tier", P_ENUM, 0, 0, 0, TIER_TASK_NAMES, NULL, "tier (default scheduled)"},
	{"urgency", P_ENUM, 0, 0, 0, urgency_names, NULL, "urgency (default normal)"},
	{"handler_id", P_ID, 0, 0, 0, NULL, NULL, "responsible person"},
	{"leader_id", P_ID, 0, 0, 0, NULL, NULL, "leader in charge"}, END};
/* the administrators' pages (web/page_admin.h): the banner after a form (forms without fields take b_none) */
static const struct param q_done[] = {{"done", P_ENUM, 0, 0, 0, admin_done_names, NULL, "what was just saved (a banner)"}, END};
static const struct param q_calendar_page[] = {
	{"year", P_INT, 0, 2000, 2100, NULL, NULL, "year"},
	{"done", P_ENUM, 0, 0, 0, admin_done_names, NULL, "what was just saved (a banner)"},
	{"date", P_DATE, 0, 0, 0, NULL, NULL, "the form's day (the one after the day just set)"},
	{"kind", P_ENUM, 0, 0, 0, cal_kind_names, NULL, "the form's kind of day"},
	{"name", P_STR, 0, 0, 32, NULL, NULL, "the form's holiday name"}, END};
static const struct param q_limits_page[] = {
	{"done", P_ENUM, 0, 0, 0, admin_done_names, NULL, "what was just saved (a banner)"},
	{"urgency", P_ENUM, 0, 0, 0, urgency_names, NULL, "the urgency the form changes"}, END};
/* (all and count: the page asks the API's handler for them — every token, the total — so the
 * links the layout makes of this request's query carry them: accepted, and what the page does anyway) */
static const struct param q_audit_page[] = {
	AUDIT_FILTERS, {"count", P_BOOL, 0, 0, 0, NULL, NULL, "also count all matches (the page always does)"}, END};
static const struct param q_tokens_page[] = {
	{"done", P_ENUM, 0, 0, 0, admin_done_names, NULL, "what was just saved (a banner)"},
	{"all", P_BOOL, 0, 0, 0, NULL, NULL, "every user's (the page always lists them)"}, END};
#define R_READ (RIGHT_READ | RIGHT_OWN)
static const struct route table[] = {
	{"POST", "/api/v1/login", api_login, AUTH_PUBLIC, 0, q_none, b_login, "log in: session cookie and token", NULL},
	{"POST", "/api/v1/logout", api_logout, AUTH_LOGIN, 0, q_none, NULL, "end this session", NULL},
	{"GET", "/api/v1/me", api_me, AUTH_LOGIN, 0, q_none, NULL, "who am I, my grants and rights", NULL},
	{"POST", "/api/v1/me/totp", api_totp_enrol, AUTH_LOGIN, 0, q_none, b_totp, "a new one-time-code secret, shown once (a login session only)", NULL},
	{"POST", "/api/v1/me/totp/confirm", api_totp_confirm, AUTH_LOGIN, 0, q_none, b_totp_confirm, "switch one-time codes on with a code", NULL},
	{"POST", "/api/v1/tokens", api_token_create, AUTH_LOGIN, 0, q_none, b_token, "create a bearer API token (a login session only)", NULL},
	{"GET", "/api/v1/tokens", api_tokens, AUTH_LOGIN, 0, q_tokens, NULL, "my API tokens (never the token itself)", NULL},
	{"POST", "/api/v1/tokens/{id}/revoke", api_token_revoke, AUTH_LOGIN, 0, q_none, NULL, "revoke an API token (mine, or any: security administrator)", NULL},
	{"GET", "/api/v1/routes", api_routes, AUTH_LOGIN, 0, q_none, NULL, "this route table", NULL},
	{"GET", "/api/v1/units", api_units, AUTH_LOGIN, 0, q_none, NULL, "the unit tree", NULL},
	{"POST", "/api/v1/units", api_unit_create, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_unit, "add a unit", NULL},
	{"GET", "/api/v1/categories", api_categories, AUTH_LOGIN, 0, q_none, NULL, "the category tree", NULL},
	{"POST", "/api/v1/categories", api_category_create, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_category, "add a category", NULL},
	{"GET", "/api/v1/users", api_users, AUTH_LOGIN, RIGHT_ADMIN | RIGHT_GRANT, q_none, NULL, "users and their grants", NULL},
	{"POST", "/api/v1/users", api_user_create, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_user, "add a user", NULL},
	{"POST", "/api/v1/users/{id}/grants", api_user_grant, AUTH_LOGIN, RIGHT_GRANT, q_none, b_grant, "grant a role over a unit subtree (security administrator)", NULL},
	{"POST", "/api/v1/users/{id}/revoke", api_user_revoke, AUTH_LOGIN, RIGHT_GRANT, q_none, b_grant, "revoke a grant (security administrator)", NULL},
	{"POST", "/api/v1/users/{id}/unlock", api_user_unlock, AUTH_LOGIN, RIGHT_GRANT, q_none, NULL, "clear a user's login back-off and lock (security administrator)", NULL},
	{"GET", "/api/v1/audit", api_audit, AUTH_LOGIN, RIGHT_AUDIT, q_audit, NULL, "the audit log, newest first; format=csv exports it (audit administrator)", NULL},
	{"GET", "/api/v1/calendar", api_calendar, AUTH_LOGIN, 0, q_calendar, NULL, "holidays and worked weekend days of a year", NULL},
	{"POST", "/api/v1/calendar", api_calendar_set, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_calendar, "change one calendar day", NULL},
	{"GET", "/api/v1/settings/limits", api_limits, AUTH_LOGIN, 0, q_none, NULL, "time limits per urgency (working days)", NULL},
	{"POST", "/api/v1/settings/limits", api_limits_set, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_limits, "change one urgency's limits", NULL},
	{"GET", "/api/v1/settings/handoff", api_handoff, AUTH_LOGIN, 0, q_none, NULL, "the units a dispatcher may hand tasks to outside their area", NULL},
	{"POST", "/api/v1/settings/handoff", api_handoff_set, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_handoff, "set the hand-off units", NULL},
	{"GET", "/api/v1/visits", api_visits, AUTH_LOGIN, RIGHT_READ, q_visits, NULL, "household visits in scope", NULL},
	{"POST", "/api/v1/visits", api_visit_create, AUTH_LOGIN, RIGHT_VISIT, q_none, b_visit, "log a household visit", NULL},
	{"GET", "/api/v1/visits/{id}", api_visit_get, AUTH_LOGIN, RIGHT_READ, q_none, NULL, "one visit (household and note masked)", NULL},
	{"GET", "/api/v1/visits/{id}/pii", api_visit_pii, AUTH_LOGIN, RIGHT_PII, q_none, NULL, "the visit's original household and note (audited)", NULL},
	{"GET", "/api/v1/problems", api_problems, AUTH_LOGIN, R_READ, q_problems, NULL, "the problem list", NULL},
	{"POST", "/api/v1/problems", api_problem_create, AUTH_LOGIN, RIGHT_PROBLEM_CREATE, q_none, b_problem, "log a problem (intake)", NULL},
	{"GET", "/api/v1/problems/{id}", api_problem_get, AUTH_LOGIN, R_READ, q_none, NULL, "one problem (personal data masked)", NULL},
	{"GET", "/api/v1/problems/{id}/pii", api_problem_pii, AUTH_LOGIN, RIGHT_PII, q_none, NULL, "the reporter's personal data and the original text (audited)", NULL},
	{"POST", "/api/v1/problems/{id}/merge", api_problem_merge, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_merge, "mark as a duplicate", NULL},
	{"POST", "/api/v1/problems/{id}/decline", api_problem_decline, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_decline, "decline (outside scope)", NULL},
	{"POST", "/api/v1/problems/{id}/classify", api_problem_classify, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_classify, "classify: set or change the category of a new problem", NULL},
	{"GET", "/api/v1/tasks", api_tasks, AUTH_LOGIN, R_READ, q_tasks, NULL, "the task list, by deadline", NULL},
	{"POST", "/api/v1/tasks", api_task_create, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_task, "make a task from problems (and assign it)", NULL},
	{"GET", "/api/v1/tasks/{id}", api_task_get, AUTH_LOGIN, R_READ, q_none, NULL, "one task, its problems and allowed actions", NULL},
	{"GET", "/api/v1/tasks/{id}/history", api_task_history, AUTH_LOGIN, R_READ, q_none, NULL, "the task's events", NULL},
	{"GET", "/api/v1/tasks/{id}/pii", api_task_pii, AUTH_LOGIN, RIGHT_PII, q_none, NULL, "the task's original title, measures, notes and reasons (audited)", NULL},
	{"POST", "/api/v1/tasks/{id}/{action}", api_task_action, AUTH_LOGIN, 0, q_none, NULL, "take an action of the state machine", NULL},
	/* pages (issue 10; docs/architecture.md lists them) */
	{"GET", "/", page_home, AUTH_PUBLIC, 0, q_none, NULL, "landing page with the login form (logged in: to /work)", NULL},
	{"GET", "/login", page_login, AUTH_PUBLIC, 0, q_next, NULL, "the login form", NULL},
	{"POST", "/login", page_login_post, AUTH_PUBLIC, 0, q_none, b_login_page, "log in (form): 303 to next or /work", page_login_invalid},
	{"POST", "/logout", page_logout, AUTH_PUBLIC, 0, q_none, b_none, "log out (form): 303 to /", NULL},
	{"GET", "/lang", page_lang, AUTH_PUBLIC, 0, q_lang, NULL, "switch the language (a one-year cookie), back to next", NULL},
	{"GET", "/elder", page_elder, AUTH_PUBLIC, 0, q_elder, NULL, "switch the elderly-friendly mode (a one-year cookie), back to next", NULL},
	{"GET", "/static/app.css", page_static, AUTH_PUBLIC, 0, q_static, NULL, "the stylesheet (embedded; cached under ?v=<hash>)", NULL},
	{"GET", "/static/app.js", page_static, AUTH_PUBLIC, 0, q_static, NULL, "the progressive-enhancement script (embedded)", NULL},
	/* --- the task pages (web/page_task.c): the API's rights and specs, answered as HTML --- */
	{"GET", "/tasks", page_tasks, AUTH_LOGIN, R_READ, q_tasks, NULL, "the task list page", page_tasks_invalid},
	{"GET", "/tasks.csv", page_tasks_csv, AUTH_LOGIN, R_READ, q_tasks, NULL, "the task list as CSV (UTF-8, for Excel)", page_task_invalid},
	{"GET", "/tasks/{id}", page_task, AUTH_LOGIN, R_READ, q_task_page, NULL, "the task page", page_task_invalid},
	{"POST", "/tasks/{id}/{action}", page_task_act, AUTH_LOGIN, 0, q_none, NULL, "an action of the state machine from its form", page_task_act_invalid},
	/* pages of part work: the workbench, the visit form, the problem page and its triage forms */
	{"GET", "/work", page_work, AUTH_LOGIN, 0, q_work, NULL, "the workbench: what my roles must do today", NULL},
	{"GET", "/visits/new", page_visit_new, AUTH_LOGIN, RIGHT_VISIT, q_none, NULL, "the form recording a visit and its problems", NULL},
	{"POST", "/visits", page_visit_create, AUTH_LOGIN, RIGHT_VISIT, q_none, b_visit_form, "record a visit and the problems raised on it (即知即办 too)", page_visit_invalid},
	{"GET", "/problems", page_problems, AUTH_LOGIN, R_READ, q_problems, NULL, "the problem list: search, filters, sort, pages", page_problems_invalid},
	{"GET", "/problems.csv", page_problems_csv, AUTH_LOGIN, R_READ, q_problems, NULL, "the problem list as CSV (UTF-8, for Excel)", page_problems_invalid},
	{"GET", "/problems/{id}", page_problem, AUTH_LOGIN, R_READ, q_none, NULL, "one problem: its task, timeline and triage actions", NULL},
	{"POST", "/problems/{id}/merge", page_problem_merge, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_merge, "mark as a duplicate (the form)", page_problem_invalid},
	{"POST", "/problems/{id}/decline", page_problem_decline, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_decline, "decline (the form)", page_problem_invalid},
	/* the dispatcher's triage pages (page_triage.c) */
	{"GET", "/triage", page_triage_queue, AUTH_LOGIN, RIGHT_TRIAGE, q_triage, NULL, "the triage queue: new problems, oldest first, with likely duplicates (page)", NULL},
	{"GET", "/triage/{id}", page_triage_problem, AUTH_LOGIN, RIGHT_TRIAGE, q_none, NULL, "triage one problem: duplicates, merge, classify, decline, make a task (page)", NULL},
	{"POST", "/triage/{id}/merge", page_triage_merge, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_merge, "mark as a duplicate of a master item (page form)", page_triage_problem_invalid},
	{"POST", "/triage/{id}/classify", page_triage_classify, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_classify, "classify: set or change the category (page form)", page_triage_problem_invalid},
	{"POST", "/triage/{id}/decline", page_triage_decline, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_decline, "decline with the reason shown to the resident (page form)", page_triage_problem_invalid},
	{"POST", "/triage/task", page_triage_task, AUTH_LOGIN, RIGHT_TRIAGE, q_none, b_triage_task, "make a task in steps: details, people, check your answers, confirm (page form)", page_triage_task_invalid},
	/* --- the administrators' pages (web/page_admin.h): each with its API's right; a form runs the
	 * API's handler (system RIGHT_ADMIN, security RIGHT_GRANT, audit RIGHT_AUDIT) --- */
	{"GET", "/admin", page_admin_index, AUTH_LOGIN, 0, q_none, NULL, "the administrators' pages this user has (403 for others: the page checks, so that reading it is not logged as an audit read)", page_admin_refused},
	{"GET", "/admin/units", page_admin_units, AUTH_LOGIN, RIGHT_ADMIN, q_done, NULL, "page: the unit tree, add a unit", page_admin_refused},
	{"POST", "/admin/units", page_admin_unit_add, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_unit, "page form: add a unit", page_admin_units_invalid},
	{"GET", "/admin/users", page_admin_users, AUTH_LOGIN, RIGHT_ADMIN, q_done, NULL, "page: users, add a user", page_admin_refused},
	{"POST", "/admin/users", page_admin_user_add, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_user, "page form: add a user", page_admin_users_invalid},
	{"GET", "/admin/categories", page_admin_categories, AUTH_LOGIN, RIGHT_ADMIN, q_done, NULL, "page: the category tree, add a category", page_admin_refused},
	{"POST", "/admin/categories", page_admin_category_add, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_category, "page form: add a category", page_admin_categories_invalid},
	{"GET", "/admin/calendar", page_admin_calendar, AUTH_LOGIN, RIGHT_ADMIN, q_calendar_page, NULL, "page: a year's holidays and worked weekend days, set a day", page_admin_refused},
	{"POST", "/admin/calendar", page_admin_calendar_set, AUTH_LOGIN, RIGHT_ADMIN, q_calendar, b_calendar, "page form: set a calendar day", page_admin_calendar_invalid},
	{"GET", "/admin/limits", page_admin_limits, AUTH_LOGIN, RIGHT_ADMIN, q_limits_page, NULL, "page: time limits per urgency", page_admin_refused},
	{"POST", "/admin/limits", page_admin_limits_set, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_limits, "page form: change one urgency's limits", page_admin_limits_invalid},
	{"GET", "/admin/handoff", page_admin_handoff, AUTH_LOGIN, RIGHT_ADMIN, q_done, NULL, "page: the hand-off units", page_admin_refused},
	{"POST", "/admin/handoff", page_admin_handoff_set, AUTH_LOGIN, RIGHT_ADMIN, q_none, b_handoff, "page form: set the hand-off units", page_admin_handoff_invalid},
	{"GET", "/admin/grants", page_admin_grants, AUTH_LOGIN, RIGHT_GRANT, q_none, NULL, "page: users and their grants", page_admin_refused},
	{"GET", "/admin/grants/{id}", page_admin_user_grants, AUTH_LOGIN, RIGHT_GRANT, q_done, NULL, "page: one user's grants; grant, revoke, unlock", page_admin_refused},
	{"POST", "/admin/grants/{id}", page_admin_grant, AUTH_LOGIN, RIGHT_GRANT, q_none, b_grant, "page form: grant a role or the personal-data right", page_admin_grant_invalid},
	{"POST", "/admin/grants/{id}/revoke", page_admin_revoke, AUTH_LOGIN, RIGHT_GRANT, q_none, b_grant, "page form: revoke a grant", page_admin_grant_invalid},
	{"POST", "/admin/users/{id}/unlock", page_admin_unlock, AUTH_LOGIN, RIGHT_GRANT, q_none, b_none, "page form: clear a user's login back-off", page_admin_grant_invalid},
	{"GET", "/admin/tokens", page_admin_tokens, AUTH_LOGIN, RIGHT_GRANT, q_tokens_page, NULL, "page: every token in the subtrees granted; revoke", page_admin_refused},
	{"POST", "/admin/tokens/{id}/revoke", page_admin_token_revoke, AUTH_LOGIN, RIGHT_GRANT, q_none, b_none, "page form: revoke a token", page_admin_tokens_invalid},
	{"GET", "/admin/audit", page_admin_audit, AUTH_LOGIN, RIGHT_AUDIT, q_audit_page, NULL, "page: the audit log, filtered; CSV export link", page_admin_audit_invalid},
};

const struct route *routes_table(int *n)
{
	*n = (int)(sizeof table / sizeof table[0]);
	return table;
}

/* The action routes of machines: the body of each request is the spec of the action its path
 * names (core/machine.h), served per action by GET /api/v1/routes. */
static const struct {
	const char *pattern;
	const struct machine *m;
} machines[] = {
	{"/api/v1/tasks/{id}/{action}", &task_machine},
	{"/tasks/{id}/{action}", &task_machine},
};

const struct machine *routes_machine(const struct route *rt)
{
	for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++)
		if (strcmp(machines[i].pattern, rt->pattern) == 0)
			return machines[i].m;
	return NULL;
}
