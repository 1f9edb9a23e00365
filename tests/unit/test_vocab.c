/* test_vocab.c — one vocabulary: every enum's names exist once, in src/core, as NULL-terminated
 * arrays indexed by the enum (roles, unit kinds, task states, actions, tiers, urgencies,
 * outcomes, verdicts, problem states and sources, calendar day kinds); name and parse agree with
 * them; the subsets the route table uses are views of the full arrays; every enum parameter of
 * the served route table takes its values from one of these arrays (not a copy); and the names
 * the store's SQL spells inline (store/vocab.h) are core's; the store takes exactly core's names
 * for a unit's kind, a problem's source and a calendar day's kind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "tmpdb.h"

#include "base/mem.h"
#include "core/calendar.h"
#include "core/flow.h"
#include "core/lang.h"
#include "core/problem.h"
#include "core/audit.h"
#include "core/role.h"
#include "core/task.h"
#include "core/token.h"
#include "core/unit.h"
#include "base/date.h"
#include "base/log.h"
#include "store/org.h"
#include "store/problem.h"
#include "store/store.h"
#include "store/vocab.h"
#include "store/tx.h"
#include "web/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* names has exactly n entries then NULL; each non-empty (except index 0 when empty0), distinct;
 * zh (if given) has a label for each named entry; parse(names[i]) == i for each named entry. */
static void check_table(const char *what, const char *const *names, const char *const *zh, int n,
			int empty0, int (*parse)(const char *))
{
	for (int i = 0; i < n; i++) {
		assert_non_null(names[i]);
		if (i == 0 && empty0) {
			assert_string_equal(names[i], "");
			assert_int_equal(parse(""), -1);
			continue;
		}
		if (!names[i][0])
			fail_msg("%s: entry %d has no name", what, i);
		for (int j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				fail_msg("%s: %s named twice", what, names[i]);
		if (parse(names[i]) != i)
			fail_msg("%s: parse(%s) = %d, not %d", what, names[i], parse(names[i]), i);
		if (zh && (!zh[i] || !zh[i][0]))
			fail_msg("%s: %s has no Chinese label", what, names[i]);
	}
	assert_null(names[n]);
	if (zh)
		assert_null(zh[n]);
	assert_int_equal(parse(NULL), -1);
	assert_int_equal(parse("no-such-name"), -1);
}

static void test_tables(void **state)
{
	(void)state;
	check_table("roles", role_names, role_names_zh, ROLE__COUNT, 0, role_parse);
	check_table("unit kinds", unit_kind_names, unit_kind_zh, UNIT_KIND__COUNT, 0, unit_kind_parse);
	check_table("token scopes", token_scope_names, token_scope_zh, TOKEN_SCOPE__COUNT, 0, token_scope_parse);
	check_table("day kinds", cal_kind_names, cal_kind_zh, CAL_KIND__COUNT, 0, cal_kind_parse);
	check_table("problem states", problem_states, problem_states_zh, PS__COUNT, 0, problem_state_parse);
	check_table("problem sources", problem_sources, problem_sources_zh, PSRC__COUNT, 0, problem_source_parse);
	check_table("problem actions", problem_actions, problem_actions_zh, PA__COUNT, 0, problem_action_parse);
	check_table("audit kinds", audit_kind_names, audit_kind_names_zh, AUDIT_KIND__COUNT, 0, audit_kind_parse);
	check_table("audit outcomes", audit_outcome_names, audit_outcome_names_zh, AUDIT_OUTCOME__COUNT, 0, audit_outcome_parse);
	check_table("task states", task_state_names, task_state_names_zh, TS__COUNT, 0, task_state_parse);
	check_table("task actions", task_action_names, task_action_names_zh, TA__COUNT, 0, task_action_parse);
	check_table("tiers", tier_names, tier_names_zh, TIER__COUNT, 0, tier_parse);
	check_table("urgencies", urgency_names, urgency_names_zh, URG__COUNT, 0, urgency_parse);
	check_table("outcomes", outcome_names, NULL, OUT__COUNT, 1, outcome_parse);
	check_table("verdicts", satisfaction_names, NULL, SAT__COUNT, 1, satisfaction_parse);
}

/* The name functions answer the arrays' entries (the same storage, not a copy). */
static void test_name_functions(void **state)
{
	(void)state;
	for (int i = 0; i < ROLE__COUNT; i++) {
		assert_ptr_equal(role_name((enum role)i), role_names[i]);
		assert_ptr_equal(role_name_zh((enum role)i), role_names_zh[i]);
	}
	for (int i = 0; i < UNIT_KIND__COUNT; i++) {
		assert_ptr_equal(unit_kind_name((enum unit_kind)i), unit_kind_names[i]);
		assert_ptr_equal(unit_kind_label_zh((enum unit_kind)i), unit_kind_zh[i]);
	}
	for (int i = 0; i < CAL_KIND__COUNT; i++)
		assert_ptr_equal(cal_kind_name((enum cal_kind)i), cal_kind_names[i]);
	for (int i = 0; i < PS__COUNT; i++)
		assert_ptr_equal(problem_state_name((enum problem_state)i), problem_states[i]);
	for (int i = 0; i < PSRC__COUNT; i++)
		assert_ptr_equal(problem_source_name((enum problem_source)i), problem_sources[i]);
	for (int i = 0; i < PA__COUNT; i++)
		assert_ptr_equal(problem_action_name((enum problem_action)i), problem_actions[i]);
	for (int i = 0; i < TS__COUNT; i++) {
		assert_ptr_equal(task_state_name((enum task_state)i), task_state_names[i]);
		assert_ptr_equal(task_state_zh((enum task_state)i), task_state_names_zh[i]);
	}
	for (int i = 0; i < TA__COUNT; i++) {
		assert_ptr_equal(task_action_name((enum task_action)i), task_action_names[i]);
		assert_ptr_equal(task_action_zh((enum task_action)i), task_action_names_zh[i]);
	}
	for (int i = 0; i < TIER__COUNT; i++)
		assert_ptr_equal(tier_name((enum tier)i), tier_names[i]);
	for (int i = 0; i < URG__COUNT; i++)
		assert_ptr_equal(urgency_name((enum urgency)i), urgency_names[i]);
	for (int i = 0; i < OUT__COUNT; i++)
		assert_ptr_equal(outcome_name((enum outcome)i), outcome_names[i]);
	for (int i = 0; i < SAT__COUNT; i++)
		assert_ptr_equal(satisfaction_name((enum satisfaction)i), satisfaction_names[i]);
	/* out of range */
	assert_null(role_name(ROLE__COUNT));
	assert_null(unit_kind_name(UNIT_KIND__COUNT));
	assert_null(cal_kind_name(CAL_KIND__COUNT));
	assert_null(problem_state_name(PS__COUNT));
	assert_null(problem_source_name(PSRC__COUNT));
	assert_string_equal(task_state_name(TS__COUNT), "?");
}

static int count(const char *const *names)
{
	int n = 0;
	while (names[n])
		n++;
	return n;
}

/* The subsets a request may name are views of the full arrays. */
static void test_subsets(void **state)
{
	(void)state;
	/* a task made by triage: every tier but immediate */
	assert_int_equal(count(TIER_TASK_NAMES), TIER__COUNT - 1);
	for (int i = 0; TIER_TASK_NAMES[i]; i++)
		assert_int_not_equal(tier_parse(TIER_TASK_NAMES[i]), TIER_IMMEDIATE);
	/* a problem solved on the spot: immediate only */
	assert_int_equal(count(tier_immediate_names), 1);
	assert_string_equal(tier_immediate_names[0], tier_name(TIER_IMMEDIATE));
	/* an outcome or a verdict given: every name but the unset "" */
	assert_int_equal(count(OUTCOME_GIVEN_NAMES), OUT__COUNT - 1);
	assert_int_equal(count(SATISFACTION_GIVEN_NAMES), SAT__COUNT - 1);
	for (int i = 0; OUTCOME_GIVEN_NAMES[i]; i++)
		assert_int_equal(outcome_parse(OUTCOME_GIVEN_NAMES[i]), i + 1);
	for (int i = 0; SATISFACTION_GIVEN_NAMES[i]; i++)
		assert_int_equal(satisfaction_parse(SATISFACTION_GIVEN_NAMES[i]), i + 1);
}

/* The arrays (and views) an enum parameter may take its values from. */
static int from_core(const char *const *e)
{
	const char *const *const core[] = {
		role_names, unit_kind_names, cal_kind_names, problem_states, problem_sources,
		task_state_names, task_action_names, tier_names, urgency_names, outcome_names,
		satisfaction_names, tier_immediate_names, audit_kind_names, audit_outcome_names, audit_format_names, token_scope_names,
		lang_names,
		task_sort_names, problem_sort_names,
		triage_steps, admin_done_names,
	};
	for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
		int n = count(core[i]);
		if (e >= core[i] && e < core[i] + n)
			return 1;
	}
	return 0;
}

static int check_params(const struct route *r, const struct param *p, const char *part)
{
	int n = 0;
	for (int i = 0; p && p[i].name; i++) {
		if (p[i].type == P_ENUM) {
			n++;
			if (!p[i].enums || !from_core(p[i].enums))
				fail_msg("%s %s %s %s: enum values not from core", r->method, r->pattern, part, p[i].name);
		}
		if (p[i].type == P_OBJ)
			n += check_params(r, p[i].sub, part);
	}
	return n;
}

/* Every enum parameter of the route table takes its values from core. */
static void test_routes_use_core(void **state)
{
	(void)state;
	int n, enums = 0;
	const struct route *t = routes_table(&n);
	for (int i = 0; i < n; i++)
		enums += check_params(&t[i], t[i].query, "query") + check_params(&t[i], t[i].body, "body");
	assert_true(enums >= 10);
}

static void test_store_sql_names(void **state)
{
	(void)state;
	struct qd_err err;
	assert_int_equal(store_vocab_check(&err), 0);
	const char *ab[] = {"a", "bc"};
	assert_true(store_vocab_sql_names("('a','bc')", ab, 2));
	assert_true(store_vocab_sql_names("'a'", ab, 1));
	assert_true(store_vocab_sql_names("('a')", ab, 1));
	assert_false(store_vocab_sql_names("('bc','a')", ab, 2)); /* order */
	assert_false(store_vocab_sql_names("('a')", ab, 2));      /* one missing */
	assert_false(store_vocab_sql_names("('a','bc','d')", ab, 2)); /* one more */
	assert_false(store_vocab_sql_names("('a','b')", ab, 2));  /* misspelt */
	assert_false(store_vocab_sql_names("(a,bc)", ab, 2));     /* not quoted */
	assert_false(store_vocab_sql_names("'a','bc'", ab, 2));   /* not a list */
	assert_false(store_vocab_sql_names("('a','bc') ", ab, 2));
}

/* The store, as the CLI and the demo reach it (no route table in between). */
struct names_arg {
	int64_t county;
	int kind;             /* index into unit_kind_names, or -1 for an unknown kind */
	const char *source;   /* a problem's source */
	int day_kind;         /* a calendar day's kind */
};

static int cmd_unit(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct names_arg *a = arg;
	int64_t id;
	const char *kind = a->kind >= 0 ? unit_kind_names[a->kind] : "hamlet";
	return store_unit_create(tx, 0, a->county, kind, kind, "", &id, err);
}

static int cmd_problem(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct names_arg *a = arg;
	struct problem_new p = {.unit_id = a->county, .source = a->source, .description = "路灯不亮"};
	int64_t id;
	char code[16];
	return store_problem_create(tx, 0, &p, &id, code, err);
}

static int cmd_day(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct names_arg *a = arg;
	return store_calendar_set(tx, 0, 20000, a->day_kind, "", err);
}

static void run_expect(struct store *s, store_cmd_fn fn, struct names_arg *a, int ok, const char *field)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = store_run(s, clock_now_ms(), fn, a, &err);
	if (ok && rc != 0)
		fail_msg("refused: %s", err.en);
	if (!ok) {
		assert_int_equal(rc, -1);
		assert_int_equal(err.code, QD_EINVAL);
		assert_string_equal(err.field, field);
	}
}

static void test_store_takes_core_names(void **state)
{
	(void)state;
	struct tmpdb db;
	assert_int_equal(tmpdb_make(&db, "vocab"), 0);
	struct store_opts o = {.path = db.path, .create = 1};
	struct store *s = NULL;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_open(&s, &o, &err))
		fail_msg("store_open: %s", err.en);
	struct names_arg a = {.kind = UNIT_COUNTY};
	run_expect(s, cmd_unit, &a, 1, NULL);
	a.county = 1;
	for (int k = 0; k < UNIT_KIND__COUNT; k++) { /* every kind core names, and no other */
		a.kind = k;
		run_expect(s, cmd_unit, &a, 1, NULL);
	}
	a.kind = -1;
	run_expect(s, cmd_unit, &a, 0, "kind");
	for (int i = 0; i < PSRC__COUNT; i++) {
		a.source = problem_sources[i];
		run_expect(s, cmd_problem, &a, 1, NULL);
	}
	a.source = "fax";
	run_expect(s, cmd_problem, &a, 0, "source");
	for (int k = 0; k < CAL_KIND__COUNT; k++) {
		a.day_kind = k;
		run_expect(s, cmd_day, &a, 1, NULL);
	}
	a.day_kind = CAL_KIND__COUNT;
	run_expect(s, cmd_day, &a, 0, "kind");
	store_close(s);
	assert_int_equal(tmpdb_remove(&db), 0);
}

int main(void)
{
	mem_init();
	log_set_level(LOG_WARN); /* no "schema migrated" lines */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_name_functions),
		cmocka_unit_test(test_subsets),
		cmocka_unit_test(test_routes_use_core),
		cmocka_unit_test(test_store_sql_names),
		cmocka_unit_test(test_store_takes_core_names),
	};
	return cmocka_run_group_tests_name("vocab", tests, NULL, NULL);
}
