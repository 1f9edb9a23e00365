/* test_scope.c — the scope decisions of core/scope.h: a grant covers its unit's subtree and
 * nothing beside it (/1/5/ is not /1/50/), an item under two units gets the rights of both, the
 * outermost subtrees of a right (what every list is confined to) drop what lies inside another
 * and never repeat a path, the county administrator is the admin on a root unit only, and who
 * sees a problem, a task or a visit — staff by the read right, a resident only their own; and
 * (issue 9) where a resident may file and where a dispatcher may hand a task to. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/mem.h"
#include "core/role.h"
#include "core/scope.h"
#include "core/unit.h"
#include <stdio.h>
#include <string.h>

static struct grant G(enum role role, const char *path)
{
	struct grant g;
	memset(&g, 0, sizeof g);
	g.role = role;
	snprintf(g.path, sizeof g.path, "%s", path);
	return g;
}

static void test_resident_files_for(void **state)
{
	(void)state;
	assert_true(scope_resident_files_for(UNIT_VILLAGE));
	assert_true(scope_resident_files_for(UNIT_COMMUNITY));
	assert_true(scope_resident_files_for(UNIT_GROUP));
	static const int no[] = {UNIT_COUNTY, UNIT_TOWNSHIP, UNIT_DEPARTMENT, UNIT_COMPANY, UNIT_GRID,
				 UNIT_SUPERVISION, UNIT_KIND__COUNT, -1};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_false(scope_resident_files_for(no[i]));
}

static void test_handoff_units(void **state)
{
	(void)state;
	/* default: departments and companies directly under the county */
	assert_true(scope_handoff_default(UNIT_DEPARTMENT, "/1/7/"));
	assert_true(scope_handoff_default(UNIT_COMPANY, "/1/8/"));
	assert_false(scope_handoff_default(UNIT_TOWNSHIP, "/1/5/"));
	assert_false(scope_handoff_default(UNIT_DEPARTMENT, "/1/5/9/")); /* a township's own office */
	assert_false(scope_handoff_default(UNIT_DEPARTMENT, "/1/"));
	assert_false(scope_handoff_default(UNIT_DEPARTMENT, NULL));
	assert_true(scope_handoff_kind(UNIT_DEPARTMENT) && scope_handoff_kind(UNIT_COMPANY));
	assert_false(scope_handoff_kind(UNIT_TOWNSHIP) || scope_handoff_kind(UNIT_VILLAGE) ||
		     scope_handoff_kind(UNIT_COUNTY));
}

static void test_may_assign(void **state)
{
	(void)state;
	struct grant town_a[] = {G(ROLE_DISPATCHER, "/1/5/")};
	struct scope a = {7, town_a, 1};
	const char *handoff[] = {"/1/7/", "/1/8/"};
	assert_true(scope_may_assign(&a, "/1/5/", handoff, 2));      /* their own township */
	assert_true(scope_may_assign(&a, "/1/5/23/", handoff, 2));   /* a village of it */
	assert_true(scope_may_assign(&a, "/1/7/", handoff, 2));      /* a county department */
	assert_false(scope_may_assign(&a, "/1/6/", handoff, 2));     /* another township */
	assert_false(scope_may_assign(&a, "/1/6/40/", handoff, 2));  /* a village of it */
	assert_false(scope_may_assign(&a, "/1/50/", handoff, 2));    /* not /1/5/'s subtree */
	assert_false(scope_may_assign(&a, "/1/9/", handoff, 2));     /* a department not handed to */
	assert_false(scope_may_assign(&a, "/1/7/3/", handoff, 2));   /* inside one: the unit named only */
	assert_false(scope_may_assign(&a, "/1/7/", handoff, 0));     /* no hand-off units set */
	assert_false(scope_may_assign(&a, "", handoff, 2));
	assert_false(scope_may_assign(&a, NULL, handoff, 2));
	/* the county dispatcher: anywhere in the county */
	struct grant county[] = {G(ROLE_DISPATCHER, "/1/")};
	struct scope c = {8, county, 1};
	assert_true(scope_may_assign(&c, "/1/6/40/", NULL, 0));
	assert_true(scope_may_assign(&c, "/1/9/", NULL, 0));
	/* a handler of township A holds no triage right there */
	struct grant handler[] = {G(ROLE_HANDLER, "/1/5/")};
	struct scope h = {9, handler, 1};
	assert_false(scope_may_assign(&h, "/1/5/", NULL, 0));
}

static void test_rights_on_subtree(void **state)
{
	(void)state;
	struct grant g[] = {G(ROLE_HANDLER, "/1/5/")};
	struct scope s = {7, g, 1};
	assert_true(scope_rights_on(&s, "/1/5/") & RIGHT_HANDLE);
	assert_true(scope_rights_on(&s, "/1/5/23/") & RIGHT_HANDLE);
	assert_int_equal(scope_rights_on(&s, "/1/50/"), 0); /* a sibling with the same digits first */
	assert_int_equal(scope_rights_on(&s, "/1/"), 0);    /* the parent is not covered */
	assert_int_equal(scope_rights_on(&s, ""), 0);
	assert_int_equal(scope_rights_on(&s, NULL), 0);
	assert_int_equal(scope_rights_any(&s), role_rights(ROLE_HANDLER));
}

static void test_rights_item(void **state)
{
	(void)state;
	struct grant g[] = {G(ROLE_GRID, "/1/5/23/"), G(ROLE_PII, "/1/7/")};
	struct scope s = {7, g, 2};
	/* a task raised in village /1/5/23/ handled by department /1/7/ */
	unsigned r = scope_rights_item(&s, "/1/5/23/", "/1/7/");
	assert_true(r & RIGHT_VISIT);
	assert_true(r & RIGHT_PII);
	assert_int_equal(scope_rights_item(&s, NULL, "/1/7/"), RIGHT_PII);
	assert_int_equal(scope_rights_item(&s, "/1/9/", "/1/8/"), 0);
}

static void test_own_only(void **state)
{
	(void)state;
	struct grant res[] = {G(ROLE_RESIDENT, "/1/5/23/")};
	struct grant both[] = {G(ROLE_RESIDENT, "/1/5/23/"), G(ROLE_GRID, "/1/5/23/")};
	struct scope a = {7, res, 1}, b = {7, both, 2}, none = {0, NULL, 0};
	assert_true(scope_own_only(&a));
	assert_false(scope_own_only(&b)); /* a resident who is also staff sees as staff */
	assert_false(scope_own_only(&none));
}

static void test_county_admin(void **state)
{
	(void)state;
	struct grant county[] = {G(ROLE_ADMIN, "/1/")};
	struct grant town[] = {G(ROLE_ADMIN, "/1/5/")};
	struct grant disp[] = {G(ROLE_DISPATCHER, "/1/")};
	struct grant two[] = {G(ROLE_ANALYST, "/1/"), G(ROLE_ADMIN, "/12/")};
	struct scope a = {1, county, 1}, b = {1, town, 1}, c = {1, disp, 1}, d = {1, two, 2};
	assert_true(scope_county_admin(&a));
	assert_false(scope_county_admin(&b));
	assert_false(scope_county_admin(&c));
	assert_true(scope_county_admin(&d));
}

static void test_subtrees(void **state)
{
	(void)state;
	struct grant g[] = {G(ROLE_HANDLER, "/1/5/23/"), G(ROLE_DISPATCHER, "/1/5/"), G(ROLE_ANALYST, "/1/7/"),
			    G(ROLE_GRID, "/1/5/23/"), G(ROLE_ANALYST, "/1/50/")};
	const char *out[5];
	int n = scope_subtrees(g, 5, RIGHT_READ, out, 5);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "/1/5/"); /* the ancestor took the place of what it covers */
	assert_string_equal(out[1], "/1/7/");
	assert_string_equal(out[2], "/1/50/"); /* not inside /1/5/ */
	/* a right granted only by some grants */
	n = scope_subtrees(g, 5, RIGHT_TRIAGE, out, 5);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "/1/5/");
	assert_int_equal(scope_subtrees(g, 5, RIGHT_PII, out, 5), 0);
	/* too little room is said, never cut silently */
	assert_int_equal(scope_subtrees(g, 5, RIGHT_READ, out, 2), -1);
}

static void test_subtrees_ancestor_of_several(void **state)
{
	(void)state;
	struct grant g[] = {G(ROLE_GRID, "/1/5/1/"), G(ROLE_GRID, "/1/5/2/"), G(ROLE_ANALYST, "/1/9/"),
			    G(ROLE_ANALYST, "/1/5/")};
	const char *out[4];
	int n = scope_subtrees(g, 4, RIGHT_READ, out, 4);
	assert_int_equal(n, 2); /* /1/5/ once, not once per village it covers */
	assert_string_equal(out[0], "/1/5/");
	assert_string_equal(out[1], "/1/9/");
}

static void test_sees_problem(void **state)
{
	(void)state;
	struct grant staff[] = {G(ROLE_GRID, "/1/5/23/")};
	struct grant res[] = {G(ROLE_RESIDENT, "/1/5/23/")};
	struct scope st = {3, staff, 1}, r = {9, res, 1}, anon = {0, NULL, 0};
	assert_true(scope_sees_problem(&st, "/1/5/23/", 9));
	assert_false(scope_sees_problem(&st, "/1/5/24/", 3)); /* staff: scope, not authorship */
	assert_true(scope_sees_problem(&r, "/1/8/", 9));       /* a resident's own, anywhere */
	assert_false(scope_sees_problem(&r, "/1/5/23/", 10));  /* a neighbour's, even in their village */
	assert_false(scope_sees_problem(&anon, "/1/5/23/", 0));
}

static void test_sees_task(void **state)
{
	(void)state;
	struct grant staff[] = {G(ROLE_HANDLER, "/1/7/")};
	struct grant res[] = {G(ROLE_RESIDENT, "/1/5/23/")};
	struct scope st = {3, staff, 1}, r = {9, res, 1};
	int64_t creators[] = {4, 9};
	assert_true(scope_sees_task(&st, "/1/5/23/", "/1/7/", NULL, 0)); /* handled in their unit */
	assert_false(scope_sees_task(&st, "/1/5/23/", "/1/8/", creators, 2));
	assert_false(scope_sees_task(&r, "/1/5/23/", "/1/7/", NULL, 0));
	assert_true(scope_sees_task(&r, "/1/5/23/", "/1/7/", creators, 2)); /* gathers their problem */
	assert_false(scope_sees_task(&r, "/1/5/23/", "/1/7/", creators, 1));
}

static void test_sees_visit(void **state)
{
	(void)state;
	struct grant g[] = {G(ROLE_ANALYST, "/1/5/"), G(ROLE_RESIDENT, "/1/6/")};
	struct scope s = {3, g, 2};
	assert_true(scope_sees_visit(&s, "/1/5/23/"));
	assert_false(scope_sees_visit(&s, "/1/6/2/")); /* the own right is not the read right */
}

/* The security administrator's grant rules (scope_grant_check): not oneself, inside the subtree
 * (the grant's unit and the user's own unit), a peer security administrator only strictly below. */
static void test_grant_rules(void **state)
{
	(void)state;
	struct grant county[] = {G(ROLE_SECURITY_ADMIN, "/1/")};
	struct grant town[] = {G(ROLE_SECURITY_ADMIN, "/1/5/")};
	struct grant sys[] = {G(ROLE_ADMIN, "/1/")};
	struct scope c = {7, county, 1}, t = {8, town, 1}, a = {9, sys, 1};
	assert_int_equal(scope_grant_check(&c, 20, "/1/5/", ROLE_ANALYST, "/1/5/"), GRANT_OK);
	assert_int_equal(scope_grant_check(&c, 20, "/1/5/", ROLE_PII, "/1/"), GRANT_OK);
	assert_int_equal(scope_grant_check(&c, 7, "/1/", ROLE_PII, "/1/"), GRANT_SELF);
	assert_int_equal(scope_grant_check(&t, 8, "/1/5/", ROLE_ANALYST, "/1/5/23/"), GRANT_SELF);
	assert_int_equal(scope_grant_check(&t, 20, "/1/5/", ROLE_HANDLER, "/1/6/"), GRANT_UNIT_OUTSIDE);
	assert_int_equal(scope_grant_check(&t, 20, "/1/5/", ROLE_HANDLER, "/1/"), GRANT_UNIT_OUTSIDE);
	assert_int_equal(scope_grant_check(&t, 20, "/1/50/", ROLE_HANDLER, "/1/5/"), GRANT_USER_OUTSIDE);
	assert_int_equal(scope_grant_check(&t, 20, "", ROLE_HANDLER, "/1/5/"), GRANT_USER_OUTSIDE);
	assert_int_equal(scope_grant_check(&c, 20, "/1/", ROLE_SECURITY_ADMIN, "/1/"), GRANT_PEER);
	assert_int_equal(scope_grant_check(&c, 20, "/1/5/", ROLE_SECURITY_ADMIN, "/1/5/"), GRANT_OK);
	assert_int_equal(scope_grant_check(&t, 20, "/1/5/", ROLE_SECURITY_ADMIN, "/1/5/"), GRANT_PEER);
	assert_int_equal(scope_grant_check(&t, 20, "/1/5/23/", ROLE_SECURITY_ADMIN, "/1/5/23/"), GRANT_OK);
	/* the system administrator holds no grant right anywhere */
	assert_int_equal(scope_grant_check(&a, 20, "/1/5/", ROLE_ANALYST, "/1/5/"), GRANT_UNIT_OUTSIDE);
	assert_true(scope_user_managed(&a, RIGHT_ADMIN, "/1/5/"));
	assert_false(scope_user_managed(&t, RIGHT_GRANT, "/1/6/"));
	assert_true(scope_user_managed(&t, RIGHT_GRANT, "/1/5/9/"));
	assert_false(scope_user_managed(&t, RIGHT_GRANT, NULL));
	/* the three administrators share no right */
	assert_int_equal(role_rights(ROLE_ADMIN) & role_rights(ROLE_SECURITY_ADMIN), 0);
	assert_int_equal(role_rights(ROLE_ADMIN) & role_rights(ROLE_AUDIT_ADMIN), 0);
	assert_int_equal(role_rights(ROLE_SECURITY_ADMIN) & role_rights(ROLE_AUDIT_ADMIN), 0);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rights_on_subtree),
		cmocka_unit_test(test_rights_item),
		cmocka_unit_test(test_own_only),
		cmocka_unit_test(test_county_admin),
		cmocka_unit_test(test_subtrees),
		cmocka_unit_test(test_subtrees_ancestor_of_several),
		cmocka_unit_test(test_sees_problem),
		cmocka_unit_test(test_sees_task),
		cmocka_unit_test(test_sees_visit),
		cmocka_unit_test(test_resident_files_for),
		cmocka_unit_test(test_handoff_units),
		cmocka_unit_test(test_may_assign),
		cmocka_unit_test(test_grant_rules),
	};
	return cmocka_run_group_tests_name("scope", tests, NULL, NULL);
}
