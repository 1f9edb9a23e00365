/* test_form.c — form bodies into spec-typed JSON (web/form.c): each parameter type read from a
 * urlencoded form, csrf taken out, every field kept as text, empty values absent, and every bad
 * input (bad %XX, NUL, invalid UTF-8, raw bytes, bad names, too many or too long fields, a
 * non-number for an integer …) refused with an error naming the field; the same fields from a
 * multipart body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/mem.h"
#include "web/form.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {"visit", "hotline", NULL};
static const struct param sub[] = {
    {"name", P_STR, 0, 0, 20, NULL, NULL, ""},
    {"age", P_INT, 0, 0, 150, NULL, NULL, ""},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct param spec[] = {
    {"title", P_STR, 1, 0, 50, NULL, NULL, ""},   {"note", P_TEXT, 0, 0, 500, NULL, NULL, ""},
    {"count", P_INT, 0, -10, 10, NULL, NULL, ""}, {"unit_id", P_ID, 0, 0, 0, NULL, NULL, ""},
    {"urgent", P_BOOL, 0, 0, 0, NULL, NULL, ""},  {"kind", P_ENUM, 0, 0, 0, kinds, NULL, ""},
    {"due", P_DATE, 0, 0, 0, NULL, NULL, ""},     {"problem_ids", P_IDS, 0, 0, 20, NULL, NULL, ""},
    {"reporter", P_OBJ, 0, 0, 0, NULL, sub, ""},  {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

/* Parse s; 0 or -1, err as the parse left it. */
static int parse(const char *s, struct form *f, struct qd_err *err)
{
	return form_parse_urlencoded(s, strlen(s), spec, f, err);
}

static void json_is(json_t *j, const char *want)
{
	char *got = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_t *w = json_loads(want, 0, NULL);
	char *wants = json_dumps(w, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(got, wants);
	free(got);
	free(wants);
	json_decref(w);
}

static void test_types(void **st)
{
	(void)st;
	struct form f;
	struct qd_err err;
	assert_int_equal(
	    parse("title=%E8%B7%AF%E7%81%AF+%E5%9D%8F%E4%BA%86&note=a%0D%0Ab&count=-3&unit_id=7&urgent=on"
	          "&kind=visit&due=2025-03-14&problem_ids=3&problem_ids=5,8&reporter.name=%E5%BC%A0"
	          "&reporter.age=40&csrf=0123456789abcdef0123456789abcdef",
	          &f, &err),
	    0);
	json_is(f.json,
	        "{\"title\":\"路灯 坏了\",\"note\":\"a\\r\\nb\",\"count\":-3,\"unit_id\":7,\"urgent\":true,"
	        "\"kind\":\"visit\",\"due\":\"2025-03-14\",\"problem_ids\":[3,5,8],"
	        "\"reporter\":{\"name\":\"张\",\"age\":40}}");
	/* the text of every field but csrf, a repeated one joined with "," */
	json_is(
	    f.text,
	    "{\"title\":\"路灯 "
	    "坏了\",\"note\":\"a\\r\\nb\",\"count\":\"-3\",\"unit_id\":\"7\",\"urgent\":\"on\","
	    "\"kind\":\"visit\",\"due\":\"2025-03-14\",\"problem_ids\":\"3,5,8\",\"reporter.name\":\"张\","
	    "\"reporter.age\":\"40\"}");
	assert_string_equal(f.csrf, "0123456789abcdef0123456789abcdef");
	assert_int_equal(params_check_json(f.json, spec, "", &err), 0);
	form_free(&f);
	/* booleans, spelled every accepted way */
	const char *yes[] = {"on", "1", "true"}, *no[] = {"0", "false"};
	for (int i = 0; i < 3; i++) {
		char b[64];
		snprintf(b, sizeof b, "title=x&urgent=%s", yes[i]);
		assert_int_equal(parse(b, &f, &err), 0);
		assert_true(json_is_true(json_object_get(f.json, "urgent")));
		form_free(&f);
	}
	for (int i = 0; i < 2; i++) {
		char b[64];
		snprintf(b, sizeof b, "title=x&urgent=%s", no[i]);
		assert_int_equal(parse(b, &f, &err), 0);
		assert_true(json_is_false(json_object_get(f.json, "urgent")));
		form_free(&f);
	}
}

static void test_empty_and_unknown(void **st)
{
	(void)st;
	struct form f;
	struct qd_err err;
	/* an empty body: nothing, and the spec check then asks for the required title */
	assert_int_equal(form_parse_urlencoded("", 0, spec, &f, &err), 0);
	json_is(f.json, "{}");
	assert_null(f.csrf);
	assert_int_equal(params_check_json(f.json, spec, "", &err), -1);
	assert_string_equal(err.field, "title");
	form_free(&f);
	/* empty values are absent (an optional integer left blank is not "must be an integer") */
	assert_int_equal(parse("title=x&count=&unit_id=&note=&problem_ids=&reporter.age=", &f, &err), 0);
	json_is(f.json, "{\"title\":\"x\",\"reporter\":{}}");
	json_is(f.text, "{\"title\":\"x\",\"count\":\"\",\"unit_id\":\"\",\"note\":\"\",\"problem_ids\":\"\","
	                "\"reporter.age\":\"\"}");
	form_free(&f);
	/* a required field left blank: absent, and the spec check names it */
	assert_int_equal(parse("title=&note=n", &f, &err), 0);
	assert_int_equal(params_check_json(f.json, spec, "", &err), -1);
	assert_string_equal(err.field, "title");
	form_free(&f);
	/* an unknown field passes the form and is refused by name by the spec check */
	assert_int_equal(parse("title=x&admin=1", &f, &err), 0);
	assert_int_equal(params_check_json(f.json, spec, "", &err), -1);
	assert_string_equal(err.field, "admin");
	form_free(&f);
	assert_int_equal(parse("title=x&reporter.phone=1", &f, &err), 0);
	assert_int_equal(params_check_json(f.json, spec, "", &err), -1);
	assert_string_equal(err.field, "reporter.phone");
	form_free(&f);
	assert_int_equal(parse("title=x&title.sub=1", &f, &err), 0);
	assert_int_equal(params_check_json(f.json, spec, "", &err), -1);
	assert_string_equal(err.field, "title.sub");
	form_free(&f);
	/* no spec: every field is unknown */
	assert_int_equal(form_parse_urlencoded("csrf=t", 6, NULL, &f, &err), 0);
	json_is(f.json, "{}");
	assert_string_equal(f.csrf, "t");
	form_free(&f);
}

/* s is refused naming field; f.text still holds what came before the fault. */
static void refused(const char *s, const char *field)
{
	struct form f;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	if (parse(s, &f, &err) != -1)
		fail_msg("accepted: %s", s);
	assert_null(f.json);
	assert_int_equal(err.code, QD_EINVAL);
	if (strcmp(err.field, field) != 0)
		fail_msg("%s: field %s, want %s (%s)", s, err.field, field, err.en);
	assert_true(err.zh[0] && err.en[0]);
	form_free(&f);
}

static void test_bad(void **st)
{
	(void)st;
	/* encoding: the field named */
	refused("title=a%2", "title");
	refused("title=a%zz", "title");
	refused("title=a%", "title");
	refused("title=a%00b", "title");        /* NUL */
	refused("title=%C3%28", "title");       /* invalid UTF-8 */
	refused("title=%ED%A0%80", "title");    /* a surrogate */
	refused("title=%C0%AF", "title");       /* overlong */
	refused("title=a b", "title");          /* a raw space */
	refused("title=\xe8\xb7\xaf", "title"); /* raw UTF-8 is not how a browser encodes */
	refused("title=a\nb", "title");         /* a raw control byte */
	/* structure and names: "body" (no field to name) */
	refused("title", "body");
	refused("title=x&&note=y", "body");
	refused("title=x&", "body");
	refused("&title=x", "body");
	refused("=x", "body");
	refused("ti%zztle=x", "body");
	refused("ti+tle=x", "body");  /* a space in a name */
	refused("t%C3%A9=x", "body"); /* a name outside [A-Za-z0-9_.-] */
	refused("a[]=x", "body");
	/* typing: the field named, with its prefix when nested */
	refused("title=x&count=abc", "count");
	refused("title=x&count=1.5", "count");
	refused("title=x&count=+1", "count");
	refused("title=x&count=1234567890123456789", "count");
	refused("title=x&unit_id=7x", "unit_id");
	refused("title=x&urgent=yes", "urgent");
	refused("title=x&problem_ids=1,,2", "problem_ids");
	refused("title=x&problem_ids=1,", "problem_ids");
	refused("title=x&problem_ids=a", "problem_ids");
	refused("title=x&problem_ids=-1", "problem_ids");
	refused("title=x&reporter.age=old", "reporter.age");
	refused("title=x&reporter=1", "reporter");
	refused("title=x&title=y", "title"); /* one value only */
	refused("title=x&csrf=a&csrf=b", "csrf");
}

static void test_limits(void **st)
{
	(void)st;
	struct form f;
	struct qd_err err;
	struct buf b;
	/* FORM_MAX_FIELDS fields pass, one more is refused (not dropped) */
	buf_init(&b);
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		buf_printf(&b, "%sx%d=1", i ? "&" : "", i);
	assert_int_equal(form_parse_urlencoded(b.p, b.len, NULL, &f, &err), 0);
	assert_int_equal(json_object_size(f.text), FORM_MAX_FIELDS);
	form_free(&f);
	buf_puts(&b, "&one=more");
	assert_int_equal(form_parse_urlencoded(b.p, b.len, NULL, &f, &err), -1);
	assert_string_equal(err.field, "body");
	assert_non_null(strstr(err.en, "too many fields"));
	form_free(&f);
	buf_free(&b);
	/* a name of FORM_MAX_NAME bytes passes, one more is refused */
	char name[FORM_MAX_NAME + 2];
	memset(name, 'n', sizeof name);
	name[FORM_MAX_NAME] = 0;
	buf_init(&b);
	buf_printf(&b, "%s=1", name);
	assert_int_equal(form_parse_urlencoded(b.p, b.len, NULL, &f, &err), 0);
	assert_non_null(json_object_get(f.text, name));
	form_free(&f);
	buf_free(&b);
	name[FORM_MAX_NAME] = 'n';
	name[FORM_MAX_NAME + 1] = 0;
	buf_init(&b);
	buf_printf(&b, "%s=1", name);
	assert_int_equal(form_parse_urlencoded(b.p, b.len, NULL, &f, &err), -1);
	assert_string_equal(err.field, "body");
	form_free(&f);
	buf_free(&b);
	/* a value of FORM_MAX_VALUE bytes passes, one more is refused naming the field */
	buf_init(&b);
	buf_puts(&b, "note=");
	for (int i = 0; i < FORM_MAX_VALUE; i++)
		buf_puts(&b, "a");
	assert_int_equal(form_parse_urlencoded(b.p, b.len, NULL, &f, &err), 0);
	assert_int_equal(json_string_length(json_object_get(f.text, "note")), FORM_MAX_VALUE);
	form_free(&f);
	buf_puts(&b, "a");
	assert_int_equal(form_parse_urlencoded(b.p, b.len, NULL, &f, &err), -1);
	assert_string_equal(err.field, "note");
	form_free(&f);
	buf_free(&b);
}

static void test_text_survives_type_errors(void **st)
{
	(void)st;
	struct form f;
	struct qd_err err;
	/* a typing error: the whole form's text and csrf are still there, for the form shown again */
	assert_int_equal(parse("title=%E8%B7%AF&count=abc&note=n&csrf=tok", &f, &err), -1);
	assert_string_equal(err.field, "count");
	json_is(f.text, "{\"title\":\"路\",\"count\":\"abc\",\"note\":\"n\"}");
	assert_string_equal(f.csrf, "tok");
	form_free(&f);
}

static void test_multipart(void **st)
{
	(void)st;
	struct form f;
	struct qd_err err;
	const char *ct = "multipart/form-data; boundary=----x1";
	const char body[] = "------x1\r\n"
	                    "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
	                    "路灯\r\n"
	                    "------x1\r\n"
	                    "Content-Disposition: form-data; name=\"problem_ids\"\r\n\r\n"
	                    "3\r\n"
	                    "------x1\r\n"
	                    "Content-Disposition: form-data; name=\"problem_ids\"\r\n\r\n"
	                    "4\r\n"
	                    "------x1\r\n"
	                    "Content-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n"
	                    "Content-Type: application/octet-stream\r\n\r\n"
	                    "\r\n"
	                    "------x1\r\n"
	                    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	                    "tok\r\n"
	                    "------x1--\r\n";
	assert_int_equal(form_parse_multipart(ct, body, sizeof body - 1, spec, &f, &err), 0);
	json_is(f.json, "{\"title\":\"路灯\",\"problem_ids\":[3,4]}");
	assert_string_equal(f.csrf, "tok");
	form_free(&f);
	/* a chosen file: this form takes none, naming the field */
	const char file[] = "------x1\r\n"
	                    "Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n"
	                    "Content-Type: image/jpeg\r\n\r\n"
	                    "\xff\xd8\xff\r\n"
	                    "------x1--";
	assert_int_equal(form_parse_multipart(ct, file, sizeof file - 1, spec, &f, &err), -1);
	assert_string_equal(err.field, "photo");
	form_free(&f);
	/* a text part that is not UTF-8, or holds NUL */
	const char bad[] = "------x1\r\n"
	                   "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
	                   "a\0b\r\n"
	                   "------x1--";
	assert_int_equal(form_parse_multipart(ct, bad, sizeof bad - 1, spec, &f, &err), -1);
	assert_string_equal(err.field, "title");
	form_free(&f);
	const char typed[] = "------x1\r\n"
	                     "Content-Disposition: form-data; name=\"count\"\r\n\r\n"
	                     "many\r\n"
	                     "------x1--";
	assert_int_equal(form_parse_multipart(ct, typed, sizeof typed - 1, spec, &f, &err), -1);
	assert_string_equal(err.field, "count");
	form_free(&f);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_empty_and_unknown),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_text_survives_type_errors),
	    cmocka_unit_test(test_multipart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
