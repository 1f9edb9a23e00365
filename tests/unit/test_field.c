/* test_field.c — the field labels (core/field.h): the table is sorted (the lookup is a binary
 * search), every parameter a client can send — each route's query and body (nested objects too)
 * and each machine action's body — has a Chinese label, and an error names the field by it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/mem.h"
#include "core/field.h"
#include "core/machine.h"
#include "core/param.h"
#include "core/task.h"
#include "web/router.h"
#include <stdio.h>
#include <string.h>

static void test_sorted(void **state)
{
	(void)state;
	const char *zh, *prev = NULL, *name;
	int n = 0;
	for (int i = 0; (name = field_label_at(i, &zh)); i++, n++) {
		assert_non_null(zh);
		assert_true(zh[0] != 0);
		if (prev && strcmp(prev, name) >= 0)
			fail_msg("field labels out of order: %s before %s", prev, name);
		prev = name;
		assert_string_equal(field_zh(name), zh);
	}
	assert_true(n > 40);
	assert_null(field_zh("no_such_field"));
	assert_null(field_zh(NULL));
}

/* Every name in spec (with prefix for nested objects) has a label; *missing counts those without. */
static void check_spec(const struct param *spec, const char *prefix, const char *where, int *missing)
{
	for (const struct param *p = spec; p && p->name; p++) {
		char full[96];
		snprintf(full, sizeof full, "%s%s", prefix, p->name);
		if (!field_zh(full)) {
			fprintf(stderr, "# no Chinese label for field %s (%s)\n", full, where);
			(*missing)++;
		}
		if (p->type == P_OBJ) {
			char sub[100];
			snprintf(sub, sizeof sub, "%s.", full);
			check_spec(p->sub, sub, where, missing);
		}
	}
}

static void test_every_field_has_a_label(void **state)
{
	(void)state;
	int n, missing = 0;
	const struct route *rt = routes_table(&n);
	for (int i = 0; i < n; i++) {
		check_spec(rt[i].query, "", rt[i].pattern, &missing);
		check_spec(rt[i].body, "", rt[i].pattern, &missing);
	}
	const struct machine *m = &task_machine;
	for (int a = 0; a < m->nactions; a++)
		check_spec(m->actions[a].body, "", m->action_names[a], &missing);
	assert_int_equal(missing, 0);
}

static void test_error_names_the_label(void **state)
{
	(void)state;
	static const struct param spec[] = {
		{"reason", P_TEXT, 1, 0, 500, NULL, NULL, "reason"},
		{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
	};
	struct qd_err e;
	json_t *body = json_pack("{ss}", "reason", "   ");
	assert_int_equal(params_check_json(body, spec, "", &e), -1);
	json_decref(body);
	assert_string_equal(e.field, "reason");
	assert_non_null(strstr(e.zh, "理由"));
	assert_non_null(strstr(e.en, "reason"));
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_every_field_has_a_label),
		cmocka_unit_test(test_error_names_the_label),
	};
	return cmocka_run_group_tests_name("field", tests, NULL, NULL);
}
