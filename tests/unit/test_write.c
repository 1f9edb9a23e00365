/* test_write.c — the store's write commands (store/write.h) decide scope on the writer, whoever
 * submits them: a write refused for scope changes nothing (no event appended) and names the
 * field; the same write by someone in scope goes through.  Covered: county-wide settings
 * (county administrator only), units and users (admin over the unit), intake (problem-create
 * right over the unit; a resident anywhere), decline (the problem must be visible, then the
 * triage right), the audited read of personal data (the pii right over the item) and the lookup
 * by phone (the pii right somewhere).  The console (the CLI) writes without a scope. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "tmpdb.h"

#include "base/date.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/log.h"
#include "core/role.h"
#include "store/internal.h" /* the store's own test: counts events on its connection */
#include "store/org.h"
#include "store/write.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fx {
	struct tmpdb db;
	struct store *s;
	int64_t county, town_a, town_b, village_a, village_b;
	int64_t county_admin, admin_a, grid_a, disp_a, disp_b, resident, sec_a;
	int64_t problem_a;
};

static struct store_write *console(enum store_write_kind kind)
{
	struct store_write *w = store_write_new(kind, 0, NULL, 0);
	w->console = 1;
	return w;
}

/* Run w (freed); returns its result id, fails the test on an error. */
static int64_t ok_run(struct fx *f, struct store_write *w)
{
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (store_write_run(f->s, clock_now_ms(), w, &err))
		fail_msg("write %d failed: %s (field '%s')", w->kind, err.en, err.field);
	int64_t id = w->id;
	store_write_free(w);
	return id;
}

static int64_t unit(struct fx *f, int64_t parent, const char *name, const char *kind)
{
	struct store_write *w = console(SW_UNIT_CREATE);
	w->u.unit.parent_id = parent;
	w->u.unit.name = name;
	w->u.unit.kind = kind;
	return ok_run(f, w);
}

static int64_t user(struct fx *f, const char *username, int64_t unit_id, enum role role)
{
	struct store_write *w = console(SW_USER_CREATE);
	w->u.user.username = username;
	w->u.user.display_name = username;
	w->u.user.unit_id = unit_id;
	w->u.user.role = (int)role;
	snprintf(w->u.user.pw_hash, sizeof w->u.user.pw_hash, "x");
	return ok_run(f, w);
}

static int64_t events(struct fx *f)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = db_lite(store_reader(f->s)->db);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM event", -1, &st, NULL), SQLITE_OK);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return n;
}

/* A write by user uid with the grants they hold now. */
static struct store_write *by(struct fx *f, int64_t uid, enum store_write_kind kind)
{
	struct grant *g;
	int n = store_user_grants(store_reader(f->s), uid, &g);
	assert_true(n >= 0);
	struct store_write *w = store_write_new(kind, uid, g, n);
	free(g);
	return w;
}

/* w (freed) is refused with code on field, and appends no event. */
static void refused(struct fx *f, struct store_write *w, enum qd_code code, const char *field)
{
	int64_t before = events(f);
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = store_write_run(f->s, clock_now_ms(), w, &err);
	store_write_free(w);
	assert_int_equal(rc, -1);
	if (err.code != code || strcmp(err.field, field) != 0)
		fail_msg("refused with %s on '%s' (%s), expected %s on '%s'", qd_code_name(err.code), err.field, err.en,
			 qd_code_name(code), field);
	assert_int_equal(events(f), before);
}

static int setup(void **state)
{
	log_set_level(LOG_WARN); /* no "schema migrated" line per test */
	struct fx *f = calloc(1, sizeof *f);
	if (!f || tmpdb_make(&f->db, "write"))
		return -1;
	struct store_opts o = {.path = f->db.path, .create = 1, .now = clock_now_ms()};
	struct qd_err err;
	if (store_open(&f->s, &o, &err))
		return -1;
	ok_run(f, console(SW_ORG_SEED));
	f->county = unit(f, 0, "监利市", "county");
	f->town_a = unit(f, f->county, "周老嘴镇", "township");
	f->town_b = unit(f, f->county, "毛市镇", "township");
	f->village_a = unit(f, f->town_a, "新河口村", "village");
	f->village_b = unit(f, f->town_b, "毛市村", "village");
	f->county_admin = user(f, "admin", f->county, ROLE_ADMIN);
	f->admin_a = user(f, "admin_a", f->town_a, ROLE_ADMIN);
	f->sec_a = user(f, "sec_a", f->town_a, ROLE_SECURITY_ADMIN);
	f->grid_a = user(f, "grid_a", f->village_a, ROLE_GRID);
	f->disp_a = user(f, "disp_a", f->town_a, ROLE_DISPATCHER);
	f->disp_b = user(f, "disp_b", f->town_b, ROLE_DISPATCHER);
	f->resident = user(f, "resident", f->village_b, ROLE_RESIDENT);
	struct store_write *w = by(f, f->grid_a, SW_PROBLEM_INTAKE);
	w->u.intake.p.unit_id = f->village_a;
	w->u.intake.p.source = "visit";
	w->u.intake.p.description = "村道破损，雨天积水";
	w->u.intake.p.name = "张三丰";
	w->u.intake.p.phone = "13912345678";
	f->problem_a = ok_run(f, w);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	int rc = tmpdb_remove(&f->db);
	free(f);
	return rc;
}

static void test_county_settings(void **state)
{
	struct fx *f = *state;
	struct store_write *w = by(f, f->admin_a, SW_CATEGORY_CREATE);
	w->u.category.name = "道路";
	refused(f, w, QD_EPERM, ""); /* an administrator of one township only */
	w = by(f, f->admin_a, SW_LIMITS_SET);
	w->u.limit.urgency = URG_NORMAL;
	w->u.limit.respond = 1;
	w->u.limit.complete = 5;
	refused(f, w, QD_EPERM, "");
	w = by(f, f->county_admin, SW_CATEGORY_CREATE);
	w->u.category.name = "道路";
	assert_true(ok_run(f, w) > 0);
}

static void test_admin_over_unit(void **state)
{
	struct fx *f = *state;
	struct store_write *w = by(f, f->admin_a, SW_UNIT_CREATE);
	w->u.unit.parent_id = f->town_b;
	w->u.unit.name = "毛市二村";
	w->u.unit.kind = "village";
	refused(f, w, QD_EPERM, "parent_id");
	w = by(f, f->admin_a, SW_USER_CREATE);
	w->u.user.username = "h_b";
	w->u.user.display_name = "h_b";
	w->u.user.unit_id = f->village_b;
	refused(f, w, QD_EPERM, "unit_id");
	w = by(f, f->admin_a, SW_GRANT_ADD);
	w->u.grant.user_id = f->resident;
	w->u.grant.role = ROLE_GRID;
	w->u.grant.unit_id = f->village_b;
	refused(f, w, QD_EPERM, "unit_id");
	w = by(f, f->admin_a, SW_UNIT_CREATE);
	w->u.unit.parent_id = f->town_a;
	w->u.unit.name = "新河口二村";
	w->u.unit.kind = "village";
	assert_true(ok_run(f, w) > 0);
}

/* The grant rules on the writer: a township's security administrator grants inside the township
 * to the township's people only, never to themself, and unlocks only the township's users. */
static void test_grant_rules_on_writer(void **state)
{
	struct fx *f = *state;
	struct store_write *w = by(f, f->sec_a, SW_GRANT_ADD);
	w->u.grant.user_id = f->resident; /* lives in 毛市村, the other township */
	w->u.grant.role = ROLE_ANALYST;
	w->u.grant.unit_id = f->village_a;
	refused(f, w, QD_EPERM, "id");
	w = by(f, f->sec_a, SW_GRANT_ADD);
	w->u.grant.user_id = f->sec_a;
	w->u.grant.role = ROLE_PII;
	w->u.grant.unit_id = f->town_a;
	refused(f, w, QD_EPERM, "id");
	w = by(f, f->sec_a, SW_GRANT_ADD);
	w->u.grant.user_id = f->grid_a;
	w->u.grant.role = ROLE_SECURITY_ADMIN;
	w->u.grant.unit_id = f->town_a;
	refused(f, w, QD_EPERM, "role");
	w = by(f, f->sec_a, SW_USER_UNLOCK);
	w->u.grant.user_id = f->resident;
	refused(f, w, QD_EPERM, "id");
	w = by(f, f->sec_a, SW_GRANT_ADD);
	w->u.grant.user_id = f->grid_a;
	w->u.grant.role = ROLE_PII;
	w->u.grant.unit_id = f->village_a;
	assert_true(ok_run(f, w) > 0);
	w = by(f, f->sec_a, SW_USER_UNLOCK);
	w->u.grant.user_id = f->grid_a;
	assert_true(ok_run(f, w) > 0);
	w = by(f, f->sec_a, SW_USER_RESTORE); /* the host's alone */
	w->u.restore.username = "grid_a";
	w->u.restore.role = -1;
	refused(f, w, QD_EPERM, "");
}

static void test_intake_scope(void **state)
{
	struct fx *f = *state;
	struct store_write *w = by(f, f->grid_a, SW_PROBLEM_INTAKE);
	w->u.intake.p.unit_id = f->village_b;
	w->u.intake.p.source = "visit";
	w->u.intake.p.description = "路灯不亮";
	refused(f, w, QD_EPERM, "unit_id");
	w = by(f, f->resident, SW_PROBLEM_INTAKE); /* a resident may report anywhere */
	w->u.intake.p.unit_id = f->village_a;
	w->u.intake.p.source = "web";
	w->u.intake.p.description = "路灯不亮";
	assert_true(ok_run(f, w) > 0);
}

static void test_decline_scope(void **state)
{
	struct fx *f = *state;
	struct store_write *w = by(f, f->disp_b, SW_PROBLEM_DECLINE);
	w->u.triage.id = f->problem_a;
	w->u.triage.reason = "不属于本镇";
	refused(f, w, QD_ENOTFOUND, "id"); /* not visible from the other township */
	w = by(f, f->grid_a, SW_PROBLEM_DECLINE);
	w->u.triage.id = f->problem_a;
	w->u.triage.reason = "不属于本村";
	refused(f, w, QD_EPERM, "id"); /* visible, but no triage right */
	w = by(f, f->disp_a, SW_PROBLEM_DECLINE);
	w->u.triage.id = f->problem_a;
	w->u.triage.reason = "属于司法诉讼程序";
	ok_run(f, w);
}

static void test_pii_scope(void **state)
{
	struct fx *f = *state;
	struct store_write *w = by(f, f->disp_a, SW_PII_READ);
	w->u.pii.entity = "problem";
	w->u.pii.id = f->problem_a;
	refused(f, w, QD_EPERM, "id"); /* read right, but not the personal-data right */
	w = by(f, f->disp_a, SW_PHONE_LOOKUP);
	refused(f, w, QD_EPERM, "reporter_phone");
	w = console(SW_GRANT_ADD);
	w->u.grant.user_id = f->disp_b;
	w->u.grant.role = ROLE_PII;
	w->u.grant.unit_id = f->town_b;
	ok_run(f, w);
	w = by(f, f->disp_b, SW_PII_READ); /* the pii right, but over the other township */
	w->u.pii.entity = "problem";
	w->u.pii.id = f->problem_a;
	refused(f, w, QD_EPERM, "id");
	w = console(SW_GRANT_ADD);
	w->u.grant.user_id = f->disp_a;
	w->u.grant.role = ROLE_PII;
	w->u.grant.unit_id = f->town_a;
	ok_run(f, w);
	int64_t before = events(f);
	w = by(f, f->disp_a, SW_PII_READ);
	w->u.pii.entity = "problem";
	w->u.pii.id = f->problem_a;
	struct qd_err err;
	assert_int_equal(store_write_run(f->s, clock_now_ms(), w, &err), 0);
	assert_string_equal(json_string_value(json_object_get(w->out, "phone")), "13912345678");
	store_write_free(w);
	assert_int_equal(events(f), before + 1); /* the pii.read event */
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_county_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grant_rules_on_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_over_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intake_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decline_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pii_scope, setup, teardown),
	};
	return cmocka_run_group_tests_name("write", tests, NULL, NULL);
}
