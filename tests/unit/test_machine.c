/* test_machine.c — the machine type (core/machine.h) with a second, test-only kind: a patrol
 * finding (巡查发现问题),
 *
 *   open ─rectify(note)→ rectifying ─extend(days)→ rectifying ─close→ closed
 *
 * configured only as tables — states, actions with their body specs, transitions, columns, a
 * DDL string and its store kind.  Its effects are the generic ones over the shared deadline
 * block (core/deadline.h); its one guard (the finder may not close their own finding) is named
 * in its table.  It then runs through the same code as tasks: machine_act (state → right and
 * scope → guard → body spec → effects), the generic store (store_item_create / store_item_act:
 * the event "finding.<action>" with from/to and the note sealed; history; `check` replaying the
 * log into the kind's table) and the generic presenter (actions, overdue).  Expectations are
 * literal: refused transitions, the required field named, the event's from/to, the deadline in
 * working days across 国庆 2022, overdue derived from the block. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "spec_fixture.h"
#include "tmpdb.h"

#include "base/date.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "core/calendar.h"
#include "core/machine.h"
#include "core/role.h"
#include "core/task.h"
#include "present/present.h"
#include "present/present_item.h"
#include "store/check.h"
#include "store/internal.h" /* the store's own test: events on its connection */
#include "store/item.h"
#include "store/schema.h"
#include "store/org.h"
#include "store/store.h"
#include "store/text.h"
#include "store/tx.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the second kind: tables only ------------------------------------------------------------ */

enum { F_OPEN, F_RECTIFYING, F_CLOSED, F__COUNT };
enum { FA_RECTIFY, FA_EXTEND, FA_CLOSE, FA__COUNT };

struct finding {
	int64_t id;
	int state;
	int urgency;      /* enum urgency, fixed when found */
	int64_t unit_id;  /* where it was found (the handling unit) */
	int64_t found_by; /* user id */
	struct deadline dl;
};

static const char *const f_state_names[F__COUNT] = {"open", "rectifying", "closed"};
static const char *const f_state_zh[F__COUNT] = {"待整改", "整改中", "已关闭"};
static const unsigned char f_state_flags[F__COUNT] = {[F_RECTIFYING] = MS_OPEN, [F_CLOSED] = MS_DONE};
static const char *const f_action_names[FA__COUNT] = {"rectify", "extend", "close"};
static const char *const f_action_zh[FA__COUNT] = {"整改", "延期", "关闭"};

#define END {NULL, 0, 0, 0, 0, NULL, NULL, NULL}
static const struct param b_rectify[] = {{"note", P_TEXT, 1, 0, 500, NULL, NULL, "what will be done"}, END};
static const struct param b_extend[] = {{"days", P_INT, 1, 1, 20, NULL, NULL, "working days more"}, END};
static const struct param b_close[] = {{"note", P_TEXT, 0, 0, 500, NULL, NULL, "what was found on return"}, END};
#undef END

/* The one rule of its own, named in its table: the finder does not close their own finding. */
static int guard_not_finder(const struct machine *m, const void *item, const struct machine_actor *actor,
			    const json_t *body, struct qd_err *err)
{
	if (actor->user_id == ((const struct finding *)item)->found_by)
		return qd_fail(err, QD_EPERM, "action", "发现人不能关闭自己发现的问题", "the finder may not close it");
	return 0;
}

static const struct machine_action f_actions[FA__COUNT] = {
	[FA_RECTIFY] = {RIGHT_HANDLE, 1, b_rectify, NULL, NULL, {machine_fx_start_clock, machine_fx_respond}},
	[FA_EXTEND] = {RIGHT_HANDLE, 1, b_extend, machine_guard_extension_left, NULL,
		       {machine_fx_ask_extension, machine_fx_grant_extension}},
	[FA_CLOSE] = {RIGHT_SIGN_OFF, 0, b_close, guard_not_finder, NULL, {machine_fx_complete}},
};

static const struct machine_transition f_table[] = {
	{F_OPEN, FA_RECTIFY, F_RECTIFYING, "整改"},
	{F_RECTIFYING, FA_EXTEND, F_RECTIFYING, "延期"},
	{F_RECTIFYING, FA_CLOSE, F_CLOSED, "复查关闭"},
};

#define W MC_WRITTEN
#define COL(name, type, member, flags, dflt) {name, type, offsetof(struct finding, member), flags, dflt, NULL}
static const struct machine_col f_cols[] = {
	COL("id", MC_ID, id, W, 0),
	COL("state", MC_STATE, state, W, F_OPEN),
	COL("urgency", MC_INT, urgency, 0, URG_NORMAL),
	COL("unit_id", MC_ID, unit_id, 0, 0),
	COL("found_by", MC_ID, found_by, 0, 0),
	COL("assigned_on", MC_DATE, dl.assigned_on, W, 0),
	COL("respond_by", MC_DATE, dl.respond_by, W, 0),
	COL("deadline", MC_DATE, dl.deadline, W, 0),
	COL("responded_on", MC_DATE, dl.responded_on, W, 0),
	COL("completed_on", MC_DATE, dl.completed_on, W, 0),
	COL("extensions_used", MC_INT, dl.extensions_used, W, 0),
	COL("max_extensions", MC_INT, dl.max_extensions, W, 0),
	COL("extension_days", MC_INT, dl.extension_days, W, 0),
};
#undef COL
#undef W

static const struct machine finding_machine = {
	.kind = "finding",
	.zh = "巡查问题",
	.nstates = F__COUNT,
	.state_names = f_state_names,
	.state_zh = f_state_zh,
	.state_flags = f_state_flags,
	.nactions = FA__COUNT,
	.action_names = f_action_names,
	.action_zh = f_action_zh,
	.actions = f_actions,
	.transitions = f_table,
	.ntransitions = 3,
	.size = sizeof(struct finding),
	.state_off = offsetof(struct finding, state),
	.deadline_off = offsetof(struct finding, dl),
	.urgency_off = offsetof(struct finding, urgency),
	.cols = f_cols,
	.ncols = (int)(sizeof f_cols / sizeof f_cols[0]),
};

static const char *const f_schema_cols[] = {
	"id", "state", "urgency", "unit_id", "unit_path", "found_by", "assigned_on", "respond_by", "deadline",
	"responded_on", "completed_on", "extensions_used", "max_extensions", "extension_days", "updated_at", NULL};
static const struct schema_table f_schema = {"finding", "id", f_schema_cols, NULL, NULL};

static const struct store_kind finding_kind = {
	.m = &finding_machine,
	.table = "finding",
	.path_any = NULL,
	.path_handling = "unit_path",
	.schema = &f_schema,
	.ddl = "CREATE TABLE IF NOT EXISTS finding(id INTEGER PRIMARY KEY, state TEXT NOT NULL, "
	       "urgency INTEGER NOT NULL, unit_id INTEGER NOT NULL, unit_path TEXT NOT NULL, found_by INTEGER, "
	       "assigned_on TEXT, respond_by TEXT, deadline TEXT, responded_on TEXT, completed_on TEXT, "
	       "extensions_used INTEGER NOT NULL DEFAULT 0, max_extensions INTEGER NOT NULL DEFAULT 0, "
	       "extension_days INTEGER NOT NULL DEFAULT 0, updated_at INTEGER)",
};

static const struct pfield finding_fields[] = {
	PF_V("id", AUD_STAFF),
	PF_V("state", AUD_STAFF),
	PF_V("deadline", AUD_STAFF),
	PF_V("completed_on", AUD_STAFF),
	PF_C("state_zh", AUD_STAFF, present_item_c_state_zh),
	PF_C("overdue", AUD_STAFF, present_item_c_overdue),
	PF_C("actions", AUD_STAFF, present_item_c_actions),
	PF_END,
};

static const struct item_presenter present_finding = {
	{"finding", finding_fields, present_item_audience, present_item_prepare}, &finding_kind};

/* Its history events: the event's own fields and its action's body, by the machine's spec. */
static const struct pfield finding_event_fields[] = {
	PF_INT("seq", AUD_ALL),
	PF_STR("kind", AUD_ALL),
	PF_STR("action", AUD_ALL),
	PF_STR("from", AUD_ALL),
	PF_STR("to", AUD_ALL),
	PF_SPREAD_OF(AUD_ALL, present_item_event_body),
	PF_END,
};

static const struct item_event_presenter present_finding_event = {
	{"finding_event", finding_event_fields, present_item_event_audience, NULL}, &finding_machine};

/* ---- helpers ----------------------------------------------------------------------------------- */

#define FINDER 5
#define RECTIFIER 6
#define INSPECTOR 7


static int32_t D(const char *s)
{
	int32_t d = 0;
	if (date_parse(s, &d) != 0)
		fail_msg("bad date literal %s", s);
	return d;
}

static const char *ds(int32_t d)
{
	static char b[4][11];
	static int i;
	i = (i + 1) % 4;
	return d ? date_format(d, b[i]) : "unset";
}

static struct finding found(int urgency)
{
	struct finding f = {.id = 1, .state = F_OPEN, .urgency = urgency, .unit_id = 20, .found_by = FINDER};
	return f;
}

static struct machine_actor actor(int64_t user, unsigned rights)
{
	struct machine_actor a = {user, rights, rights};
	return a;
}

static json_t *body(const char *json)
{
	json_error_t je;
	json_t *b = json_loads(json, 0, &je);
	if (!b)
		fail_msg("bad JSON literal %s: %s", json, je.text);
	return b;
}

/* machine_act that must fail with code and field, leaving the finding as it was. */
static void refused(struct finding *f, int action, const char *json, const struct machine_actor *a, int32_t today,
		    enum qd_code code, const char *field)
{
	struct finding before = *f;
	json_t *b = json ? body(json) : NULL;
	struct machine_ctx c = {cal, limits, today, NULL};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = machine_act(&finding_machine, f, action, b, a, &c, &err);
	json_decref(b);
	if (rc != -1 || err.code != code || strcmp(err.field, field) != 0)
		fail_msg("%s %s: rc=%d code=%s field='%s', want %s '%s'", machine_action_name(&finding_machine, action),
			 json ? json : "(no body)", rc, qd_code_name(err.code), err.field, qd_code_name(code), field);
	assert_memory_equal(&before, f, sizeof before);
}

static void done(struct finding *f, int action, const char *json, const struct machine_actor *a, int32_t today)
{
	json_t *b = json ? body(json) : NULL;
	struct machine_ctx c = {cal, limits, today, NULL};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = machine_act(&finding_machine, f, action, b, a, &c, &err);
	json_decref(b);
	if (rc != 0)
		fail_msg("%s %s refused: %s (field '%s')", machine_action_name(&finding_machine, action),
			 json ? json : "(no body)", err.en, err.field);
}

/* ---- the machine -------------------------------------------------------------------------------- */

/* Both kinds' descriptors are well formed; a broken copy is caught, naming what is wrong. */
static void test_descriptors_well_formed(void **state)
{
	(void)state;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (machine_check(&finding_machine, &err) || machine_check(&task_machine, &err))
		fail_msg("%s", err.en);
	struct machine_transition twice[4];
	memcpy(twice, f_table, sizeof f_table);
	twice[3] = f_table[0];
	struct machine bad = finding_machine;
	bad.transitions = twice;
	bad.ntransitions = 4;
	assert_int_equal(machine_check(&bad, &err), -1);
	assert_non_null(strstr(err.en, "(open, rectify) twice"));
	bad = finding_machine;
	bad.ntransitions = 2; /* close in no transition */
	assert_int_equal(machine_check(&bad, &err), -1);
	assert_non_null(strstr(err.en, "close is in no transition"));
	bad = finding_machine;
	bad.size = offsetof(struct finding, dl); /* the deadline block outside the struct */
	assert_int_equal(machine_check(&bad, &err), -1);
}

/* Actions that do not exist in the state are refused as conflicts, naming "action"; the allowed
 * list follows state and rights. */
static void test_refused_transitions(void **state)
{
	(void)state;
	struct finding f = found(URG_NORMAL);
	struct machine_actor all = actor(RECTIFIER, RIGHT_HANDLE | RIGHT_SIGN_OFF);
	int32_t day = D("2022-09-26");
	refused(&f, FA_CLOSE, NULL, &all, day, QD_ECONFLICT, "action");
	refused(&f, FA_EXTEND, "{\"days\": 3}", &all, day, QD_ECONFLICT, "action");
	refused(&f, FA__COUNT, NULL, &all, day, QD_EINVAL, "action");
	assert_int_equal(machine_allowed(&finding_machine, &f, &all), 1u << FA_RECTIFY);
	done(&f, FA_RECTIFY, "{\"note\": \"三日内清理\"}", &all, day);
	assert_int_equal(f.state, F_RECTIFYING);
	refused(&f, FA_RECTIFY, "{\"note\": \"再整改\"}", &all, day, QD_ECONFLICT, "action");
	/* normal urgency allows no extension: extend is not offered */
	assert_int_equal(machine_allowed(&finding_machine, &f, &all), 1u << FA_CLOSE);
	done(&f, FA_CLOSE, NULL, &all, D("2022-10-10"));
	assert_int_equal(f.state, F_CLOSED);
	assert_int_equal(machine_allowed(&finding_machine, &f, &all), 0);
	assert_string_equal(machine_state_name(&finding_machine, f.state), "closed");
	assert_string_equal(machine_state_zh(&finding_machine, f.state), "已关闭");
	assert_int_equal(machine_action_parse(&finding_machine, "extend"), FA_EXTEND);
	assert_int_equal(machine_action_parse(&finding_machine, "assign"), -1); /* the task's, not this kind's */
}

/* Rights and scope come before the body: a refused actor learns nothing about it. */
static void test_rights_before_body(void **state)
{
	(void)state;
	struct finding f = found(URG_NORMAL);
	struct machine_actor reader = actor(RECTIFIER, RIGHT_READ);
	struct machine_actor origin_only = {RECTIFIER, RIGHT_HANDLE, 0}; /* not over the handling unit */
	int32_t day = D("2022-09-26");
	refused(&f, FA_RECTIFY, NULL, &reader, day, QD_EPERM, "action");
	refused(&f, FA_RECTIFY, "{\"note\": \"x\"}", &origin_only, day, QD_EPERM, "action");
	assert_int_equal(machine_allowed(&finding_machine, &f, &origin_only), 0);
}

/* The body against the action's spec: the required note named, blank counts as missing, a field
 * the action does not take named, bounds. */
static void test_body_spec(void **state)
{
	(void)state;
	struct finding f = found(URG_COMPLEX);
	struct machine_actor h = actor(RECTIFIER, RIGHT_HANDLE);
	int32_t day = D("2022-09-26");
	refused(&f, FA_RECTIFY, NULL, &h, day, QD_EINVAL, "note");
	refused(&f, FA_RECTIFY, "{}", &h, day, QD_EINVAL, "note");
	refused(&f, FA_RECTIFY, "{\"note\": \"  \"}", &h, day, QD_EINVAL, "note");
	refused(&f, FA_RECTIFY, "{\"note\": 5}", &h, day, QD_EINVAL, "note");
	refused(&f, FA_RECTIFY, "{\"note\": \"好\", \"days\": 3}", &h, day, QD_EINVAL, "days");
	done(&f, FA_RECTIFY, "{\"note\": \"好\"}", &h, day);
	refused(&f, FA_EXTEND, "{}", &h, day, QD_EINVAL, "days");
	refused(&f, FA_EXTEND, "{\"days\": 21}", &h, day, QD_EINVAL, "days");
	refused(&f, FA_EXTEND, "{\"days\": 0}", &h, day, QD_EINVAL, "days");
	/* the spec the dispatcher enforces is the same table */
	const struct param *p = param_find(machine_action_body(&finding_machine, FA_EXTEND), "days");
	assert_non_null(p);
	assert_int_equal(p->required, 1);
	assert_int_equal(p->max, 20);
	assert_null(param_find(machine_action_body(&finding_machine, FA_EXTEND), "note"));
}

/* The deadline block: the clock starts at rectify (working days across 国庆 2022), the
 * generic extension moves it once (complex: one allowed), overdue is derived. */
static void test_deadline_block(void **state)
{
	(void)state;
	struct finding f = found(URG_URGENT);
	struct machine_actor h = actor(RECTIFIER, RIGHT_HANDLE);
	struct machine_actor insp = actor(INSPECTOR, RIGHT_SIGN_OFF);
	/* urgent: 1 working day to respond, 3 to complete; from Thu 2022-09-29 the 3rd working day
	 * skips the 国庆 holiday (10-01..10-07) and the weekend: 09-30, 10-08 (worked Saturday), 10-09
	 * (worked Sunday). */
	done(&f, FA_RECTIFY, "{\"note\": \"先拉警戒线\"}", &h, D("2022-09-29"));
	assert_string_equal(ds(f.dl.assigned_on), "2022-09-29");
	assert_string_equal(ds(f.dl.respond_by), "2022-09-30");
	assert_string_equal(ds(f.dl.deadline), "2022-10-09");
	assert_string_equal(ds(f.dl.responded_on), "2022-09-29");
	assert_int_equal(f.dl.max_extensions, 0);
	assert_int_equal(machine_overdue(&finding_machine, &f, D("2022-10-09")), 0);
	assert_int_equal(machine_overdue(&finding_machine, &f, D("2022-10-10")), 1);
	assert_int_equal(deadline_responded_in_time(&f.dl), 1);
	refused(&f, FA_EXTEND, "{\"days\": 2}", &h, D("2022-10-08"), QD_ECONFLICT, "action");
	/* closed late: still counted overdue (completed after the deadline), never again open */
	done(&f, FA_CLOSE, "{\"note\": \"已清理\"}", &insp, D("2022-10-11"));
	assert_string_equal(ds(f.dl.completed_on), "2022-10-11");
	assert_int_equal(machine_overdue(&finding_machine, &f, D("2022-10-11")), 1);
	assert_int_equal(deadline_completed_on_time(&f.dl), 0);

	struct finding g = found(URG_COMPLEX);
	done(&g, FA_RECTIFY, "{\"note\": \"需要协调\"}", &h, D("2022-09-26"));
	int32_t before = g.dl.deadline;
	done(&g, FA_EXTEND, "{\"days\": 5}", &h, D("2022-09-27"));
	assert_int_equal(g.dl.extensions_used, 1);
	assert_int_equal(g.dl.extension_days, 0);
	assert_int_equal(g.dl.deadline, calendar_add_workdays(cal, before, 5));
	refused(&g, FA_EXTEND, "{\"days\": 5}", &h, D("2022-09-28"), QD_ECONFLICT, "action");
	done(&g, FA_CLOSE, NULL, &insp, D("2022-09-30"));
	assert_int_equal(machine_overdue(&finding_machine, &g, D("2023-01-01")), 0); /* closed in time */
	assert_int_equal(deadline_completed_on_time(&g.dl), 1);
}

/* The guard named in the table. */
static void test_guard(void **state)
{
	(void)state;
	struct finding f = found(URG_NORMAL);
	struct machine_actor h = actor(RECTIFIER, RIGHT_HANDLE);
	struct machine_actor finder = actor(FINDER, RIGHT_SIGN_OFF | RIGHT_HANDLE);
	done(&f, FA_RECTIFY, "{\"note\": \"整改\"}", &h, D("2022-09-26"));
	refused(&f, FA_CLOSE, NULL, &finder, D("2022-09-27"), QD_EPERM, "action");
	assert_int_equal(machine_allowed(&finding_machine, &f, &finder), 0);
}

/* The task kind's action events keep the row recorded since the first version (check replays old
 * logs): exactly these columns, with these values for a fresh scheduled task. */
static void test_task_event_row_compatible(void **state)
{
	(void)state;
	static const char *const legacy[] = {
		"id", "state", "urgency", "unit_id", "handler_id", "leader_id", "assigned_on", "respond_by",
		"deadline", "responded_on", "completed_on", "signed_off_on", "extensions_used", "max_extensions",
		"extension_days", "outcome", "solved", "satisfaction", "unreachable_days", "last_unreachable_on",
		"followed_up", "progress", "reopen_count", "exception",
		/* since schema 9 (issue 9): the verdict's recorder and channel, the attempts */
		"verdict_by", "verdict_channel", "follow_up_attempts", NULL};
	struct task t;
	task_init(&t, TIER_SCHEDULED, URG_COMPLEX, 10, D("2022-09-01"));
	t.id = 42;
	json_t *row = store_item_row(&task_machine, &t);
	size_t n = 0;
	for (; legacy[n]; n++)
		if (!json_object_get(row, legacy[n]))
			fail_msg("the task row lacks %s", legacy[n]);
	assert_int_equal(json_object_size(row), n);
	char *text = json_dumps(row, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(text, "{\"assigned_on\":null,\"completed_on\":null,\"deadline\":null,\"exception\":0,"
				  "\"extension_days\":0,\"extensions_used\":0,\"follow_up_attempts\":0,\"followed_up\":0,\"handler_id\":null,"
				  "\"id\":42,\"last_unreachable_on\":null,\"leader_id\":null,\"max_extensions\":0,"
				  "\"outcome\":\"\",\"progress\":0,\"reopen_count\":0,\"respond_by\":null,"
				  "\"responded_on\":null,\"satisfaction\":\"\",\"signed_off_on\":null,\"solved\":-1,"
				  "\"state\":\"pending\",\"unit_id\":null,\"unreachable_days\":0,\"urgency\":\"complex\","
				  "\"verdict_by\":null,\"verdict_channel\":\"\"}");
	free(text);
	json_decref(row);
}

/* ---- through the store, the log, check and the presenter ----------------------------------------- */

struct sfx {
	struct tmpdb db;
	struct store *s;
	int64_t county, town, village, dispatcher, handler, supervisor;
	char village_path[128];
	int64_t id;
	int32_t deadline;
};

static int user(struct store_tx *tx, const char *username, int64_t unit, enum role role, int64_t *id,
		struct qd_err *err)
{
	return store_user_create(tx, 0, username, username, unit, "not-a-real-hash", id, err) ||
	       store_grant_add(tx, 0, *id, role, unit, err);
}

static int cmd_org(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct sfx *x = arg;
	struct unit u;
	if (store_org_seed(tx, err) || store_unit_create(tx, 0, 0, "监利市", "county", NULL, &x->county, err) ||
	    store_unit_create(tx, 0, x->county, "周老嘴镇", "township", "township", &x->town, err) ||
	    store_unit_create(tx, 0, x->town, "新河口村", "village", "", &x->village, err) ||
	    user(tx, "dispatch", x->county, ROLE_DISPATCHER, &x->dispatcher, err) ||
	    user(tx, "handler", x->town, ROLE_HANDLER, &x->handler, err) ||
	    user(tx, "supervisor", x->county, ROLE_SUPERVISOR, &x->supervisor, err) ||
	    store_unit_get(store_tx_rd(tx), x->village, &u, err))
		return -1;
	snprintf(x->village_path, sizeof x->village_path, "%s", u.path);
	return 0;
}

/* The actor uid with its grants (owned by the caller: free a->grants). */
static void as(struct store_tx *tx, int64_t uid, struct actor *a)
{
	struct grant *g = NULL;
	a->user_id = uid;
	a->ngrants = store_user_grants(store_tx_rd(tx), uid, &g);
	a->grants = g;
}

static int cmd_create(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct sfx *x = arg;
	struct actor a;
	as(tx, x->dispatcher, &a);
	struct finding f = {.state = F_OPEN, .urgency = URG_NORMAL, .unit_id = x->village, .found_by = x->dispatcher};
	int rc = store_item_create(tx, &finding_kind, &a, &f, json_pack("{ss}", "unit_path", x->village_path),
				   NULL, RIGHT_READ, &x->id, err);
	free((void *)a.grants);
	return rc;
}

struct act_arg {
	struct sfx *x;
	int64_t uid;
	int action;
	const char *body;
};

static int cmd_act(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct act_arg *aa = arg;
	struct actor a;
	as(tx, aa->uid, &a);
	json_t *b = aa->body ? body(aa->body) : NULL;
	int rc = store_item_act(tx, &finding_kind, &a, aa->x->id, aa->action, b, err);
	json_decref(b);
	free((void *)a.grants);
	return rc;
}

static int64_t events(struct sfx *x)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db_lite(store_reader(x->s)->db), "SELECT count(*) FROM event", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void act_refused(struct sfx *x, int64_t uid, int action, const char *json, enum qd_code code,
			const char *field)
{
	struct act_arg aa = {x, uid, action, json};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int64_t n = events(x);
	if (store_run(x->s, clock_now_ms(), cmd_act, &aa, &err) != -1 || err.code != code || strcmp(err.field, field) != 0)
		fail_msg("store %s: code=%s field='%s', want %s '%s'", machine_action_name(&finding_machine, action),
			 qd_code_name(err.code), err.field, qd_code_name(code), field);
	assert_int_equal(events(x), n); /* nothing recorded */
}

static void act_ok(struct sfx *x, int64_t uid, int action, const char *json)
{
	struct act_arg aa = {x, uid, action, json};
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_run(x->s, clock_now_ms(), cmd_act, &aa, &err) != 0)
		fail_msg("store %s refused: %s (field '%s')", machine_action_name(&finding_machine, action), err.en,
			 err.field);
}

struct vctx {
	struct grant *g;
	int n;
};

static unsigned rights_on(const struct viewer *v, const char *path)
{
	const struct vctx *c = v->ctx;
	return path ? grants_rights_on(c->g, c->n, path) : 0;
}

/* The finding as user uid sees it through its presenter on day today. */
static json_t *presented(struct sfx *x, int64_t uid, int32_t today)
{
	struct vctx c = {NULL, 0};
	c.n = store_user_grants(store_reader(x->s), uid, &c.g);
	struct viewer v = {uid, grants_rights_any(c.g, c.n), rights_on, &c, today};
	json_t *row = store_item_get(store_reader(x->s), &finding_kind, x->id);
	assert_non_null(row);
	json_t *out = present_json(&present_finding.p, &v, row);
	json_decref(row);
	free(c.g);
	assert_non_null(out);
	return out;
}

static const char *actions_of(json_t *o)
{
	static char s[128];
	s[0] = 0;
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(o, "actions"), i, a)
		snprintf(s + strlen(s), sizeof s - strlen(s), "%s%s", i ? "," : "", json_string_value(a));
	return s;
}

static void test_store_log_check_presenter(void **state)
{
	(void)state;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_kind_register(&finding_kind, &err))
		fail_msg("register: %s", err.en);
	struct sfx x;
	memset(&x, 0, sizeof x);
	assert_int_equal(tmpdb_make(&x.db, "machine"), 0);
	struct store_opts o = {.path = x.db.path, .create = 1};
	if (store_open(&x.s, &o, &err))
		fail_msg("store_open: %s", err.en);
	if (store_run(x.s, clock_now_ms(), cmd_org, &x, &err) || store_run(x.s, clock_now_ms(), cmd_create, &x, &err))
		fail_msg("setup: %s (%s)", err.en, err.field);

	/* refused: the wrong state, the missing note (named), the finder closing — nothing recorded */
	act_refused(&x, x.supervisor, FA_CLOSE, NULL, QD_ECONFLICT, "action");
	act_refused(&x, x.handler, FA_RECTIFY, "{}", QD_EINVAL, "note");
	act_refused(&x, x.supervisor, FA_RECTIFY, "{\"note\": \"x\"}", QD_EPERM, "action");
	json_t *p = presented(&x, x.handler, 0);
	assert_string_equal(json_string_value(json_object_get(p, "state")), "open");
	assert_string_equal(actions_of(p), "rectify");
	json_decref(p);

	act_ok(&x, x.handler, FA_RECTIFY, "{\"note\": \"联系13912345678清理\"}");
	/* the event: kind, from/to, the note sealed in the record, the deadline in its row */
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db_lite(store_reader(x.s)->db),
					    "SELECT kind, entity, entity_id, qd_payload(payload) FROM event ORDER BY seq DESC LIMIT 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "finding.rectify");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "finding");
	assert_int_equal(sqlite3_column_int64(st, 2), x.id);
	json_t *ev = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
	sqlite3_finalize(st);
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev, "action")), "rectify");
	assert_string_equal(json_string_value(json_object_get(ev, "from")), "open");
	assert_string_equal(json_string_value(json_object_get(ev, "to")), "rectifying");
	assert_true(json_is_string(json_object_get(json_object_get(ev, "note"), "sealed")));
	char *text = json_dumps(ev, 0);
	assert_null(strstr(text, "13912345678")); /* the record holds the note only sealed */
	free(text);
	json_t *row = json_object_get(json_object_get(ev, "rows"), "finding");
	assert_string_equal(json_string_value(json_object_get(row, "state")), "rectifying");
	assert_true(json_is_string(json_object_get(row, "deadline")));
	json_decref(ev);

	/* the projection, loaded back through the column table */
	struct finding f;
	char pa[128], ph[128];
	assert_int_equal(store_item_read(store_reader(x.s), &finding_kind, x.id, &f, pa, ph, &err), 0);
	assert_int_equal(f.state, F_RECTIFYING);
	assert_int_equal(f.found_by, x.dispatcher);
	assert_string_equal(ph, x.village_path);
	assert_int_equal(f.dl.deadline, calendar_add_workdays(cal, f.dl.assigned_on, 15));
	x.deadline = f.dl.deadline;

	/* presenter: actions per viewer, overdue from the deadline block */
	p = presented(&x, x.handler, x.deadline);
	assert_string_equal(actions_of(p), ""); /* normal: no extension; closing is not the handler's */
	assert_false(json_is_true(json_object_get(p, "overdue")));
	assert_string_equal(json_string_value(json_object_get(p, "state_zh")), "整改中");
	json_decref(p);
	p = presented(&x, x.supervisor, x.deadline + 1);
	assert_string_equal(actions_of(p), "close");
	assert_true(json_is_true(json_object_get(p, "overdue")));
	json_decref(p);
	p = presented(&x, x.dispatcher, x.deadline);
	assert_string_equal(actions_of(p), ""); /* the finder may not close it */
	json_decref(p);

	act_refused(&x, x.dispatcher, FA_CLOSE, NULL, QD_EPERM, "action");
	act_ok(&x, x.supervisor, FA_CLOSE, "{\"note\": \"复查合格\"}");

	/* history: the generic reader, notes in their masked form */
	json_t *h = store_item_history(store_reader(x.s), &finding_kind, x.id);
	assert_int_equal(json_array_size(h), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 0), "kind")), "finding.create");
	json_t *e1 = json_array_get(h, 1);
	assert_string_equal(json_string_value(json_object_get(e1, "kind")), "finding.rectify");
	assert_string_equal(json_string_value(json_object_get(e1, "from")), "open");
	const char *note = json_string_value(json_object_get(e1, "note"));
	assert_non_null(note);
	assert_non_null(strstr(note, "139****5678"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 2), "to")), "closed");
	/* … and out through the generic event presenter: the body fields of each action by its spec,
	 * free text in the form of the item's audience (masked for staff, hidden for the public) */
	struct viewer hv = {x.dispatcher, RIGHT_READ, rights_on, NULL, x.deadline};
	for (int pub = 0; pub < 2; pub++) {
		struct buf b;
		buf_init(&b);
		assert_int_equal(present_write_list(&present_finding_event.p, &hv, h, pub ? AUD_PUBLIC : AUD_STAFF, &b), 3);
		json_t *out = json_loads(b.p, 0, NULL);
		buf_free(&b);
		assert_non_null(out);
		json_t *r1 = json_array_get(out, 1);
		assert_string_equal(json_string_value(json_object_get(r1, "action")), "rectify");
		const char *n1 = json_string_value(json_object_get(r1, "note"));
		assert_non_null(n1);
		assert_non_null(strstr(n1, pub ? "【已隐藏】" : "139****5678"));
		assert_null(strstr(n1, "13912345678"));
		assert_null(json_object_get(json_array_get(out, 0), "note")); /* create: no action, no body */
		assert_null(json_object_get(r1, "rows"));
		json_decref(out);
	}
	json_decref(h);
	store_close(x.s);

	/* check replays the log into the kind's table and finds it equal; a tampered row is found */
	struct check_report r;
	assert_int_equal(store_check(x.db.path, NULL, &r, NULL, &err), 0);
	assert_int_equal(r.replay_ok, 1);
	assert_int_equal(r.mismatched_rows, 0);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(x.db.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE finding SET deadline='2000-01-01'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_check(x.db.path, NULL, &r, NULL, &err), -1);
	assert_int_equal(r.replay_ok, 0);
	assert_string_equal(r.mismatch_table, "finding");

	assert_int_equal(tmpdb_remove(&x.db), 0);
}

int main(void)
{
	mem_init();
	log_set_level(LOG_WARN); /* no "schema migrated" lines */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptors_well_formed),
		cmocka_unit_test(test_refused_transitions),
		cmocka_unit_test(test_rights_before_body),
		cmocka_unit_test(test_body_spec),
		cmocka_unit_test(test_deadline_block),
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_task_event_row_compatible),
		cmocka_unit_test(test_store_log_check_presenter),
	};
	return cmocka_run_group_tests_name("machine", tests, spec_setup, spec_teardown);
}
