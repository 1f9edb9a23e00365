/* fuzz_form.c — libFuzzer target for urlencoded form bodies, form_parse_urlencoded()
 * (src/web/form.c), typed by every body spec of routes_table() and every action body of a
 * machine's action route, then checked by params_check as router_validate does.
 *
 * The input is a raw body.  Invariants (abort on violation):
 *   - no crash, leak or undefined behaviour;
 *   - a refusal has code QD_EINVAL and a non-empty, valid UTF-8 err.field, err.zh and err.en
 *     (they become the 400 answer through json_pack, which fails on invalid UTF-8), and no json;
 *   - an accepted body agrees with an independent model decoder: split at '&', the first '='
 *     between name and value, '+' a space, %XX two hex digits, raw bytes printable ASCII; names
 *     of [A-Za-z0-9_.-] (1 to 63 bytes), values valid UTF-8 without NUL; the text object is
 *     exactly the model's (every field but csrf, repeated values joined with ","), and csrf is
 *     the model's;
 *   - an accepted body's JSON dumps (valid UTF-8) and the spec check of it does not crash, and
 *     when it passes every top-level key is a name of the spec. */
#include "base/mem.h"
#include "base/utf8.h"
#include "core/machine.h"
#include "web/form.h"
#include "web/router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const uint8_t *data, size_t size, const struct qd_err *err)
{
	fprintf(stderr, "fuzz_form: %s\n  body: ", what);
	for (size_t i = 0; i < size && i < 400; i++)
		fprintf(stderr, data[i] >= 0x20 && data[i] < 0x7f ? "%c" : "\\x%02x", data[i]);
	fputc('\n', stderr);
	if (err)
		fprintf(stderr, "  err.field=%s\n  err.en=%s\n", err->field, err->en);
	abort();
}

static int text_ok(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	return n > 0 && n < cap && utf8_valid(s, n);
}

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode one component; NULL when the model refuses it.  Caller frees. */
static char *mdecode(const char *s, size_t n, size_t *on)
{
	char *o = malloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
			o[k++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
			i += 2;
		} else if (c == '+') {
			o[k++] = ' ';
		} else if (c > 0x20 && c < 0x7f && c != '%') {
			o[k++] = (char)c;
		} else {
			free(o);
			return NULL;
		}
	}
	o[k] = 0;
	*on = k;
	return o;
}

/* The model's text object and csrf, or NULL when the model refuses the body's syntax. */
static json_t *model(const char *b, size_t n, char **csrf)
{
	json_t *t = json_object();
	*csrf = NULL;
	if (!n)
		return t;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && b[i] != '&')
			continue;
		const char *seg = b + start;
		size_t sl = i - start;
		const char *eq = memchr(seg, '=', sl);
		size_t nn, vn;
		char *name = eq ? mdecode(seg, (size_t)(eq - seg), &nn) : NULL;
		char *val = name ? mdecode(eq + 1, sl - (size_t)(eq + 1 - seg), &vn) : NULL;
		int good = name && val && nn >= 1 && nn <= 63 && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == nn &&
			   vn <= FORM_MAX_VALUE && strlen(val) == vn && utf8_valid(val, vn);
		if (good && !strcmp(name, "csrf")) {
			if (*csrf)
				good = 0;
			else
				*csrf = strdup(val);
		} else if (good) {
			json_t *old = json_object_get(t, name);
			if (old) {
				char *j = malloc(json_string_length(old) + vn + 2);
				sprintf(j, "%s,%s", json_string_value(old), val);
				json_object_set_new(t, name, json_string(j));
				free(j);
			} else {
				json_object_set_new(t, name, json_string(val));
			}
		}
		free(name);
		free(val);
		if (!good) {
			json_decref(t);
			free(*csrf);
			*csrf = NULL;
			return NULL;
		}
		start = i + 1;
	}
	if (json_object_size(t) + (*csrf != NULL) > 0) { /* field count: every pair */
		size_t pairs = 1;
		for (size_t i = 0; i < n; i++)
			pairs += b[i] == '&';
		if (pairs > FORM_MAX_FIELDS) {
			json_decref(t);
			free(*csrf);
			*csrf = NULL;
			return NULL;
		}
	}
	return t;
}

static void run_spec(const struct param *spec, unsigned flags, const uint8_t *data, size_t size, json_t *mt,
		     const char *mcsrf)
{
	struct form f;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = form_parse_urlencoded((const char *)data, size, spec, &f, &err);
	if (rc) {
		if (err.code != QD_EINVAL)
			die("a refusal's code is not QD_EINVAL", data, size, &err);
		if (!text_ok(err.field, sizeof err.field) || !text_ok(err.zh, sizeof err.zh) || !text_ok(err.en, sizeof err.en))
			die("a refusal's field or message is empty or not valid UTF-8", data, size, &err);
		if (f.json)
			die("a refusal left json", data, size, &err);
		form_free(&f);
		return;
	}
	if (!mt)
		die("accepted what the model refuses", data, size, NULL);
	if (!json_equal(f.text, mt))
		die("the text differs from the model's", data, size, NULL);
	if ((f.csrf == NULL) != (mcsrf == NULL) || (f.csrf && strcmp(f.csrf, mcsrf)))
		die("csrf differs from the model's", data, size, NULL);
	char *dump = json_dumps(f.json, JSON_COMPACT);
	if (!dump)
		die("the json does not dump", data, size, NULL);
	free(dump);
	if (params_check(f.json, spec, "", flags, &err) == 0) {
		const char *k;
		json_t *v;
		json_object_foreach (f.json, k, v)
			if (!param_find(spec, k))
				die("the spec check passed a key the spec does not have", data, size, NULL);
	} else if (!text_ok(err.field, sizeof err.field) && strcmp(err.field, "") != 0) {
		die("the spec check's field is not valid UTF-8", data, size, &err);
	}
	form_free(&f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	mem_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 70000)
		return 0;
	char *mcsrf;
	json_t *mt = model((const char *)data, size, &mcsrf);
	int n;
	const struct route *t = routes_table(&n);
	run_spec(NULL, 0, data, size, mt, mcsrf);
	for (int i = 0; i < n; i++) {
		int seen = !t[i].body, mseen = 0;
		const struct machine *m = routes_machine(&t[i]);
		for (int j = 0; j < i; j++) {
			seen = seen || t[j].body == t[i].body;
			mseen = mseen || (m && routes_machine(&t[j]) == m);
		}
		if (!seen)
			run_spec(t[i].body, 0, data, size, mt, mcsrf);
		for (int a = 0; m && !mseen && a < m->nactions; a++)
			run_spec(machine_action_body(m, a), PARAMS_SHAPE_ONLY, data, size, mt, mcsrf);
	}
	json_decref(mt);
	free(mcsrf);
	return 0;
}
