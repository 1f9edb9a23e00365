/* test_multipart.c — the multipart/form-data reader (web/multipart.c): the boundary from the
 * Content-Type (quoted or not, RFC 2046's characters and length), parts with their names,
 * filenames and types handed over in order with their exact bytes, and every break of the
 * format refused with an error naming the part's field (or "body" / "Content-Type" before one
 * is known); the bounds (parts, header size) refuse rather than drop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/buf.h"
#include "web/multipart.h"
#include <stdio.h>
#include <string.h>

static void test_boundary(void **st)
{
	(void)st;
	char b[MP_MAX_BOUNDARY + 1];
	struct qd_err err;
	assert_int_equal(
	    multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryA1b2", b, &err), 0);
	assert_string_equal(b, "----WebKitFormBoundaryA1b2");
	assert_int_equal(multipart_boundary("Multipart/Form-Data;boundary=\"a b'()+_,-./:=?\"", b, &err), 0);
	assert_string_equal(b, "a b'()+_,-./:=?");
	assert_int_equal(multipart_boundary("multipart/form-data; charset=utf-8; BOUNDARY=xyz", b, &err), 0);
	assert_string_equal(b, "xyz");
	char seventy[128];
	snprintf(seventy, sizeof seventy, "multipart/form-data; boundary=%070d", 7);
	assert_int_equal(multipart_boundary(seventy, b, &err), 0);
	assert_int_equal(strlen(b), 70);
	snprintf(seventy, sizeof seventy, "multipart/form-data; boundary=%071d", 7);
	const char *bad[] = {
	    NULL,
	    "text/plain; boundary=x",
	    "multipart/form-data",
	    "multipart/form-data; boundary=",
	    "multipart/form-data; boundary=\"\"",
	    "multipart/form-data; boundary=\"ends with space \"",
	    "multipart/form-data; boundary=a; boundary=b",
	    "multipart/form-data; boundary=\"a\x01\"",
	    "multipart/form-data; boundary=\"a",
	    "multipart/form-data; boundary=a*b", /* * is a token char but no bchar */
	    "multipart/form-data boundary=x",
	    "multipart/form-data; =x",
	    seventy, /* 71 characters */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&err, 0, sizeof err);
		if (multipart_boundary(bad[i], b, &err) != -1)
			fail_msg("accepted boundary of %s", bad[i] ? bad[i] : "(null)");
		assert_string_equal(err.field, "Content-Type");
		assert_true(err.zh[0] && err.en[0]);
	}
}

struct seen {
	int n;
	struct buf log; /* name|filename|ctype|len:data per part */
	int stop_at;    /* fail on that part (1-based), 0 never */
};

static int on_part(void *ctx, const struct mp_part *p, struct qd_err *err)
{
	struct seen *s = ctx;
	s->n++;
	buf_printf(&s->log, "%s|%s|%s|%zu:", p->name, p->filename ? p->filename : "-",
	           p->ctype ? p->ctype : "-", p->len);
	buf_put(&s->log, p->data, p->len);
	buf_puts(&s->log, "\n");
	if (s->stop_at == s->n)
		return qd_fail(err, QD_EINVAL, p->name, "停", "stop");
	return 0;
}

static int run(const char *ct, const char *body, size_t len, struct seen *s, struct qd_err *err)
{
	memset(s, 0, sizeof *s);
	buf_init(&s->log);
	memset(err, 0, sizeof *err);
	return multipart_parse(ct, body, len, on_part, s, err);
}

#define CT "multipart/form-data; boundary=XX"

static void test_parts(void **st)
{
	(void)st;
	struct seen s;
	struct qd_err err;
	const char body[] = "--XX\r\n"
	                    "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
	                    "line1\r\nline2\r\n"
	                    "--XX\r\n"
	                    "content-disposition: FORM-DATA; name=note\r\n\r\n"
	                    "\r\n"
	                    "--XX\r\n"
	                    "Content-Disposition: form-data; name=\"photo\"; filename=\"路灯.jpg\"\r\n"
	                    "Content-Type: image/jpeg\r\n\r\n"
	                    "\xff\xd8\0\x01--X\r\n-\r\n"
	                    "--XX--";
	assert_int_equal(run(CT, body, sizeof body - 1, &s, &err), 0);
	assert_int_equal(s.n, 3);
	const char want[] = "title|-|-|12:line1\r\nline2\n"
	                    "note|-|-|0:\n"
	                    "photo|路灯.jpg|image/jpeg|10:\xff\xd8\0\x01--X\r\n-\n";
	assert_int_equal(s.log.len, sizeof want - 1);
	assert_memory_equal(s.log.p, want, sizeof want - 1);
	buf_free(&s.log);
	/* a final CRLF after the close delimiter is allowed */
	const char crlf[] = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XX--\r\n";
	assert_int_equal(run(CT, crlf, sizeof crlf - 1, &s, &err), 0);
	assert_int_equal(s.n, 1);
	buf_free(&s.log);
	/* no parts at all */
	assert_int_equal(run(CT, "--XX--", 6, &s, &err), 0);
	assert_int_equal(s.n, 0);
	buf_free(&s.log);
	/* the callback's error stops the parse and comes back */
	const char two[] = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	                   "--XX\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--XX--";
	memset(&s, 0, sizeof s);
	buf_init(&s.log);
	s.stop_at = 1;
	assert_int_equal(multipart_parse(CT, two, sizeof two - 1, on_part, &s, &err), -1);
	assert_int_equal(s.n, 1);
	assert_string_equal(err.field, "a");
	buf_free(&s.log);
}

/* body is refused naming field. */
static void refused(const char *body, const char *field)
{
	struct seen s;
	struct qd_err err;
	if (run(CT, body, strlen(body), &s, &err) != -1)
		fail_msg("accepted:\n%s", body);
	if (strcmp(err.field, field) != 0)
		fail_msg("field %s, want %s (%s) for:\n%s", err.field, field, err.en, body);
	assert_int_equal(err.code, QD_EINVAL);
	assert_true(err.zh[0] && err.en[0]);
	buf_free(&s.log);
}

#define CD(n) "Content-Disposition: form-data; name=\"" n "\"\r\n"

static void test_bad(void **st)
{
	(void)st;
	refused("", "body");
	refused("preamble\r\n--XX\r\n" CD("a") "\r\n1\r\n--XX--", "body"); /* no preamble */
	refused("--XY\r\n" CD("a") "\r\n1\r\n--XX--", "body");
	refused("--XX" CD("a") "\r\n1\r\n--XX--", "body");            /* no CRLF after the delimiter */
	refused("--XX\r\n" CD("a") "\r\n1\r\n--XX", "body");          /* no close delimiter */
	refused("--XX\r\n" CD("a") "\r\n1", "a");                     /* ends inside the part */
	refused("--XX\r\n" CD("a") "\r\n1\r\n--XX--garbage", "body"); /* bytes after the end */
	refused("--XX\r\n" CD("a") "\r\n1\r\n--XX--\r\n\r\n", "body");
	refused("--XX\r\n" CD("a") "\r\n1\r\n--XX  \r\n" CD("b") "\r\n2\r\n--XX--", "body"); /* padding */
	refused("--XX\r\n\r\n1\r\n--XX--", "body"); /* no headers: no name */
	refused("--XX\r\n" CD("a"), "body");        /* header not ended */
	refused("--XX\r\nContent-Type: text/plain\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: form-data; name=\"\xc3\x28\"\r\n\r\n1\r\n--XX--", "body");
	refused("--XX\r\nContent-Disposition: form-data; name=\"a\"; filename*=UTF-8''x\r\n\r\n1\r\n--XX--",
	        "a");
	refused("--XX\r\nContent-Disposition: form-data; name=\"a\"; size=3\r\n\r\n1\r\n--XX--", "a");
	refused("--XX\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"; "
	        "filename=\"y\"\r\n\r\n1\r\n--XX--",
	        "a");
	refused("--XX\r\n" CD("a") CD("b") "\r\n1\r\n--XX--", "a");
	refused("--XX\r\n" CD("a") "Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\n1\r\n--XX--",
	        "a");
	refused("--XX\r\n" CD("a") "Content-Type:\r\n\r\n1\r\n--XX--", "a");
	refused("--XX\r\n" CD("a") "Content-Transfer-Encoding: base64\r\n\r\nMQ==\r\n--XX--", "a");
	refused("--XX\r\n" CD("a") " folded\r\n\r\n1\r\n--XX--", "a");
	refused("--XX\r\n" CD("a") "X\x01: y\r\n\r\n1\r\n--XX--", "a");
	refused("--XX\r\n" CD("a") "X-Y: a\x01\r\n\r\n1\r\n--XX--", "a");
	refused("--XX\r\n" CD("a") "no colon\r\n\r\n1\r\n--XX--", "a");
	refused("--XX\r\nContent-Disposition: form-data; name=\"a\" junk\r\n\r\n1\r\n--XX--", "a");
}

static void test_limits(void **st)
{
	(void)st;
	struct seen s;
	struct qd_err err;
	struct buf b;
	/* MP_MAX_PARTS parts pass, one more is refused */
	buf_init(&b);
	for (int i = 0; i < MP_MAX_PARTS; i++)
		buf_printf(&b, "--XX\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n", i, i);
	size_t at = b.len;
	buf_puts(&b, "--XX--");
	assert_int_equal(run(CT, b.p, b.len, &s, &err), 0);
	assert_int_equal(s.n, MP_MAX_PARTS);
	buf_free(&s.log);
	b.len = at;
	buf_puts(&b, "--XX\r\n" CD("more") "\r\n1\r\n--XX--");
	assert_int_equal(run(CT, b.p, b.len, &s, &err), -1);
	assert_string_equal(err.field, "body");
	assert_non_null(strstr(err.en, "too many parts"));
	buf_free(&s.log);
	buf_free(&b);
	/* a name of MP_MAX_NAME bytes passes, one byte more is refused (not cut) */
	char name[MP_MAX_NAME + 2];
	memset(name, 'n', sizeof name);
	name[MP_MAX_NAME] = 0;
	buf_init(&b);
	buf_printf(&b, "--XX\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n1\r\n--XX--", name);
	assert_int_equal(run(CT, b.p, b.len, &s, &err), 0);
	buf_free(&s.log);
	buf_free(&b);
	name[MP_MAX_NAME] = 'n';
	name[MP_MAX_NAME + 1] = 0;
	buf_init(&b);
	buf_printf(&b, "--XX\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n1\r\n--XX--", name);
	assert_int_equal(run(CT, b.p, b.len, &s, &err), -1);
	assert_string_equal(err.field, "body");
	buf_free(&s.log);
	buf_free(&b);
}

/* A part whose header block is size bytes (its blank line not counted): the padding goes in a
 * filename and a Content-Type (each at most MP_MAX_NAME bytes; no other header is allowed). */
static void header_block(struct buf *b, size_t size)
{
	const char *start = "Content-Disposition: form-data; name=\"a\"; filename=\"";
	buf_puts(b, "--XX\r\n");
	size_t n = strlen(start) + 1; /* the closing quote */
	buf_puts(b, start);
	size_t fn = size - n > MP_MAX_NAME ? MP_MAX_NAME : size - n;
	for (size_t i = 0; i < fn; i++)
		buf_puts(b, "f");
	buf_puts(b, "\"");
	n += fn;
	if (n < size) { /* the rest: a Content-Type line "\r\nContent-Type: t/" + padding */
		const char *ct = "\r\nContent-Type: t/";
		buf_puts(b, ct);
		n += strlen(ct);
		while (n < size) {
			buf_puts(b, "p");
			n++;
		}
	}
	buf_puts(b, "\r\n\r\nx\r\n--XX--");
}

static int seen_ok(void *ctx, const struct mp_part *p, struct qd_err *err)
{
	(void)ctx, (void)p, (void)err;
	return 0;
}

static void test_header_limit(void **st)
{
	(void)st;
	struct qd_err err;
	struct buf b;
	/* The largest block the grammar lets this test build stays under MP_MAX_HEADER (a filename
	 * and a type of at most MP_MAX_NAME bytes each): it passes. */
	buf_init(&b);
	header_block(&b, 2 * MP_MAX_NAME + 60);
	assert_int_equal(multipart_parse(CT, b.p, b.len, seen_ok, NULL, &err), 0);
	buf_free(&b);
	/* A block past MP_MAX_HEADER without its blank line: refused as too long, not read on. */
	buf_init(&b);
	buf_puts(&b, "--XX\r\n" CD("a"));
	for (int i = 0; i < MP_MAX_HEADER; i++)
		buf_puts(&b, "h");
	buf_puts(&b, "\r\n\r\nx\r\n--XX--");
	assert_int_equal(multipart_parse(CT, b.p, b.len, seen_ok, NULL, &err), -1);
	assert_string_equal(err.field, "body");
	assert_non_null(strstr(err.en, "too long"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_boundary), cmocka_unit_test(test_parts),        cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_limits),   cmocka_unit_test(test_header_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
