/* test_present.c — the presenters (src/present/): a field that is not in an entity's table never
 * reaches the output, whatever the row holds; each audience gets only its fields; free text goes
 * out in stored form to staff and in public form to everyone else; a resident sees only their
 * own problems on a shared task; the personal-data presenters answer only the right; every
 * field goes out typed by its kind (booleans true/false, the tri-state solved null/false/true,
 * dates YYYY-MM-DD, timestamps RFC 3339 +08:00, absent values null — never ""). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/mem.h"
#include "core/role.h"
#include "present/present.h"

/* A viewer with fixed rights over every path under /1/5/ (and nothing elsewhere). */
struct vfix {
	unsigned in_scope;
};

static unsigned rights_on(const struct viewer *v, const char *path)
{
	const struct vfix *f = v->ctx;
	return path && strncmp(path, "/1/5/", 5) == 0 ? f->in_scope : 0;
}

static struct viewer viewer(int64_t user, unsigned rights, struct vfix *f)
{
	struct viewer v = {user, rights, rights_on, f, 20000};
	return v;
}

static json_t *problem_row(int64_t id, int64_t created_by, int no_disclose)
{
	return json_pack("{sI ss sI ss ss ss ss sI si si ss ss sI sI sI ss}", "id", (json_int_t)id, "code", "22N7K3XQ9P",
			 "unit_id", (json_int_t)23, "unit_name", "一组", "unit_path", "/1/5/23/", "source", "visit",
			 "description", "张*反映村道坑洼，电话138****5678", "created_by", (json_int_t)created_by,
			 "anonymous", 0, "no_disclose", no_disclose, "state", "new", "reporter_masked", "张*",
			 "created_at", (json_int_t)1, "updated_at", (json_int_t)1, "visit_id", (json_int_t)7,
			 "secret", "13812345678");
}

static void test_field_not_in_table_never_written(void **state)
{
	(void)state;
	struct vfix f = {RIGHT_READ | RIGHT_PII};
	struct viewer v = viewer(9, RIGHT_READ | RIGHT_PII, &f);
	json_t *row = problem_row(1, 3, 0);
	json_object_set_new(row, "phone", json_string("13812345678"));
	json_t *o = present_json(&present_problem, &v, row);
	assert_non_null(o);
	assert_null(json_object_get(o, "secret"));
	assert_null(json_object_get(o, "phone"));
	assert_null(json_object_get(o, "unit_path"));
	char *text = json_dumps(o, 0);
	assert_null(strstr(text, "13812345678"));
	free(text);
	/* and every key that did go out is in the table for the staff audience */
	const char *names[64];
	int n = present_fields(&present_problem, AUD_STAFF, names, 64);
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val) {
		int found = 0;
		for (int i = 0; i < n; i++)
			found |= strcmp(names[i], key) == 0;
		if (!found)
			fail_msg("key %s is not in the problem presenter's table", key);
	}
	json_decref(o);
	json_decref(row);
}

static void test_staff_sees_stored_form(void **state)
{
	(void)state;
	struct vfix f = {RIGHT_READ};
	struct viewer v = viewer(9, RIGHT_READ, &f);
	json_t *row = problem_row(1, 3, 0);
	json_t *o = present_json(&present_problem, &v, row);
	assert_string_equal(json_string_value(json_object_get(o, "description")), "张*反映村道坑洼，电话138****5678");
	assert_string_equal(json_string_value(json_object_get(o, "code")), "22N7K3XQ9P");
	assert_int_equal(json_integer_value(json_object_get(o, "created_by")), 3);
	assert_string_equal(json_string_value(json_object_get(o, "reporter_name")), "张*");
	json_decref(o);
	json_decref(row);
}

static void test_owner_sees_public_form_without_staff_fields(void **state)
{
	(void)state;
	struct vfix f = {RIGHT_OWN};
	struct viewer v = viewer(3, RIGHT_OWN, &f);
	json_t *row = problem_row(1, 3, 0);
	json_t *o = present_json(&present_problem, &v, row);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "description")), "张*反映村道坑洼，电话【已隐藏】");
	assert_string_equal(json_string_value(json_object_get(o, "code")), "22N7K3XQ9P"); /* their own key */
	assert_null(json_object_get(o, "created_by"));
	assert_null(json_object_get(o, "visit_id"));
	json_decref(o);
	json_decref(row);
}

static void test_public_never_sees_codes_or_undisclosed(void **state)
{
	(void)state;
	struct vfix f = {0};
	struct viewer v = viewer(0, 0, &f);
	json_t *row = problem_row(1, 3, 0);
	json_t *o = present_json(&present_problem, &v, row);
	assert_non_null(o);
	assert_null(json_object_get(o, "code"));
	assert_null(json_object_get(o, "no_disclose"));
	assert_null(strstr(json_string_value(json_object_get(o, "description")), "*"
								   "***"));
	json_decref(o);
	json_decref(row);
	row = problem_row(2, 3, 1);
	assert_null(present_json(&present_problem, &v, row)); /* not for disclosure */
	json_decref(row);
}

static void test_resident_sees_only_own_problems_on_shared_task(void **state)
{
	(void)state;
	struct vfix f = {RIGHT_OWN | RIGHT_FOLLOW_UP};
	struct viewer v = viewer(3, RIGHT_OWN | RIGHT_FOLLOW_UP, &f);
	json_t *task = json_pack("{sI ss ss ss ss ss ss sI ss}", "id", (json_int_t)5, "title", "一组村道修补", "measures", "",
				 "state", "assigned", "tier", "scheduled", "urgency", "normal", "origin_path", "/9/",
				 "created_by", (json_int_t)2, "deadline", "2026-12-20");
	json_t *ps = json_array();
	json_array_append_new(ps, problem_row(1, 3, 0)); /* theirs */
	json_array_append_new(ps, problem_row(2, 4, 0)); /* another resident's */
	json_array_append_new(ps, problem_row(3, 4, 1)); /* another's, not for disclosure */
	json_object_set_new(task, "problems", ps);
	json_t *o = present_json(present_task, &v, task);
	assert_non_null(o);
	json_t *got = json_object_get(o, "problems");
	assert_int_equal(json_array_size(got), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(got, 0), "id")), 1);
	assert_null(json_object_get(o, "origin_path"));
	assert_null(json_object_get(o, "created_by"));
	assert_non_null(json_object_get(o, "actions"));
	json_decref(o);
	json_decref(task);
}

static void test_pii_presenter_needs_the_right(void **state)
{
	(void)state;
	json_t *row = json_pack("{sI ss ss ss sb}", "problem_id", (json_int_t)1, "name", "张三", "phone", "13812345678",
				"unit_path", "/1/5/23/", "audited", 1);
	struct vfix staff = {RIGHT_READ};
	struct viewer v = viewer(9, RIGHT_READ, &staff);
	assert_null(present_json(&present_problem_pii, &v, row));
	struct vfix pii = {RIGHT_READ | RIGHT_PII};
	v = viewer(9, RIGHT_READ | RIGHT_PII, &pii);
	json_t *o = present_json(&present_problem_pii, &v, row);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "phone")), "13812345678");
	assert_null(json_object_get(o, "unit_path"));
	json_decref(o);
	/* and no ordinary presenter has a field for the personal-data audience only */
	const struct presenter *const plain[] = {&present_problem, present_task, &present_visit, &present_unit,
						 &present_user, present_event};
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		for (const struct pfield *fl = plain[i]->fields; fl->name; fl++)
			if (fl->audience == AUD_PII)
				fail_msg("%s.%s is a personal-data field outside the audited presenters", plain[i]->entity,
					 fl->name);
	json_decref(row);
}

static void test_resident_account_name_masked_for_others(void **state)
{
	(void)state;
	json_t *row = json_pack("{sI ss ss sI ss si si}", "id", (json_int_t)10, "username", "resident1", "display_name",
				"李秀英", "unit_id", (json_int_t)4, "unit_name", "东湾村", "active", 1, "staff", 0);
	struct vfix f = {RIGHT_ADMIN | RIGHT_READ};
	struct viewer admin = viewer(1, RIGHT_ADMIN | RIGHT_READ, &f);
	json_t *o = present_json(&present_user, &admin, row);
	assert_string_equal(json_string_value(json_object_get(o, "display_name")), "李**");
	json_decref(o);
	struct vfix g = {RIGHT_OWN};
	struct viewer self = viewer(10, RIGHT_OWN, &g);
	o = present_json(&present_user, &self, row);
	assert_string_equal(json_string_value(json_object_get(o, "display_name")), "李秀英");
	json_decref(o);
	json_decref(row);
}

static unsigned all_audience(struct pctx *c)
{
	(void)c;
	return AUD_STAFF;
}

/* The presenter machine types each kind, whatever the row holds. */
static void test_kinds_type_their_values(void **state)
{
	(void)state;
	static const struct pfield fields[] = {
		PF_DATE("d_text", AUD_ALL),  PF_DATE("d_num", AUD_ALL),    PF_DATE("d_zero", AUD_ALL),
		PF_DATE("d_empty", AUD_ALL), PF_DATE("d_bad", AUD_ALL),    PF_TIME("t", AUD_ALL),
		PF_TIME("t_zero", AUD_ALL),  PF_TIME("t_null", AUD_ALL),   PF_TRIBOOL("s_not", AUD_ALL),
		PF_TRIBOOL("s_no", AUD_ALL), PF_TRIBOOL("s_yes", AUD_ALL), PF_B("b0", AUD_ALL),
		PF_B("b1", AUD_ALL),         PF_ID("id", AUD_ALL),         PF_ID("id_zero", AUD_ALL),
		PF_INT("n_zero", AUD_ALL),   PF_INT("n_text", AUD_ALL),    PF_STR("s", AUD_ALL),
		PF_STR("s_empty", AUD_ALL),  PF_STR("s_num", AUD_ALL),     PF_T("text_empty", AUD_ALL),
		PF_END,
	};
	static const struct presenter p = {"kinds", fields, all_audience, NULL};
	json_t *row = json_pack("{ss si si ss ss sI si sn si si si si si sI si si ss ss ss si ss}", "d_text", "2026-12-01",
				"d_num", 20788, "d_zero", 0, "d_empty", "", "d_bad", "2026-02-30",
				"t", (json_int_t)1796088605000LL, "t_zero", 0, "t_null", "s_not", -1, "s_no", 0, "s_yes", 1,
				"b0", 0, "b1", 1, "id", (json_int_t)7, "id_zero", 0, "n_zero", 0, "n_text", "3", "s", "in_progress",
				"s_empty", "", "s_num", 5, "text_empty", "");
	struct vfix f = {RIGHT_READ};
	struct viewer v = viewer(9, RIGHT_READ, &f);
	json_t *o = present_json(&p, &v, row);
	assert_non_null(o);
	char *text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(text, "{\"b0\":false,\"b1\":true,\"d_bad\":null,\"d_empty\":null,\"d_num\":\"2026-12-01\","
				  "\"d_text\":\"2026-12-01\",\"d_zero\":null,\"id\":7,\"id_zero\":null,\"n_text\":null,"
				  "\"n_zero\":0,\"s\":\"in_progress\",\"s_empty\":null,\"s_no\":false,\"s_not\":null,"
				  "\"s_num\":null,\"s_yes\":true,\"t\":\"2026-12-01T09:30:05+08:00\",\"t_null\":null,"
				  "\"t_zero\":null,\"text_empty\":null}");
	free(text);
	json_decref(o);
	json_decref(row);
}

/* A task as the store gives it (integers for flags, "" for absent enums, milliseconds) goes out
 * typed: what a client reads. */
static void test_task_goes_out_typed(void **state)
{
	(void)state;
	json_t *task = json_pack("{sI ss ss ss ss ss ss sI ss sn ss ss si si si si si sI sI si}", "id", (json_int_t)5, "title",
				 "一组村道修补", "measures", "", "state", "completed", "tier", "scheduled", "urgency", "normal",
				 "origin_path", "/1/5/", "created_by", (json_int_t)2, "deadline", "2026-12-20", "assigned_on",
				 "outcome", "resolved", "satisfaction", "", "solved", -1, "followed_up", 0, "exception", 1,
				 "progress", 100, "handler_id", 0, "created_at", (json_int_t)1796088605000LL, "updated_at",
				 (json_int_t)1796088665999LL, "reopen_count", 0);
	struct vfix f = {RIGHT_READ};
	struct viewer v = viewer(9, RIGHT_READ, &f);
	json_t *o = present_json(present_task, &v, task);
	assert_non_null(o);
	assert_true(json_is_null(json_object_get(o, "solved")));
	assert_true(json_is_false(json_object_get(o, "followed_up")));
	assert_true(json_is_true(json_object_get(o, "exception")));
	assert_true(json_is_null(json_object_get(o, "measures")));
	assert_true(json_is_null(json_object_get(o, "satisfaction")));
	assert_true(json_is_null(json_object_get(o, "assigned_on")));
	assert_true(json_is_null(json_object_get(o, "handler_id")));
	assert_string_equal(json_string_value(json_object_get(o, "outcome")), "resolved");
	assert_string_equal(json_string_value(json_object_get(o, "deadline")), "2026-12-20");
	assert_string_equal(json_string_value(json_object_get(o, "created_at")), "2026-12-01T09:30:05+08:00");
	assert_string_equal(json_string_value(json_object_get(o, "updated_at")), "2026-12-01T09:31:05+08:00");
	assert_int_equal(json_integer_value(json_object_get(o, "progress")), 100);
	assert_true(json_is_integer(json_object_get(o, "reopen_count")));
	json_decref(o);
	json_object_set_new(task, "solved", json_integer(0));
	o = present_json(present_task, &v, task);
	assert_true(json_is_false(json_object_get(o, "solved")));
	json_decref(o);
	json_object_set_new(task, "solved", json_integer(1));
	o = present_json(present_task, &v, task);
	assert_true(json_is_true(json_object_get(o, "solved")));
	json_decref(o);
	json_decref(task);
	/* a problem's flags and times, for the resident who submitted it */
	json_t *row = problem_row(1, 3, 0);
	struct vfix g = {RIGHT_OWN};
	struct viewer self = viewer(3, RIGHT_OWN, &g);
	o = present_json(&present_problem, &self, row);
	assert_true(json_is_false(json_object_get(o, "anonymous")));
	assert_true(json_is_false(json_object_get(o, "no_disclose")));
	assert_true(json_is_null(json_object_get(o, "category_id")) || !json_object_get(o, "category_id"));
	assert_string_equal(json_string_value(json_object_get(o, "created_at")), "1970-01-01T08:00:00+08:00");
	json_decref(o);
	json_decref(row);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_not_in_table_never_written),
		cmocka_unit_test(test_staff_sees_stored_form),
		cmocka_unit_test(test_owner_sees_public_form_without_staff_fields),
		cmocka_unit_test(test_public_never_sees_codes_or_undisclosed),
		cmocka_unit_test(test_resident_sees_only_own_problems_on_shared_task),
		cmocka_unit_test(test_pii_presenter_needs_the_right),
		cmocka_unit_test(test_resident_account_name_masked_for_others),
		cmocka_unit_test(test_kinds_type_their_values),
		cmocka_unit_test(test_task_goes_out_typed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
