/* fuzz_multipart.c — libFuzzer target for multipart/form-data bodies: multipart_parse()
 * (src/web/multipart.c) and form_parse_multipart() (src/web/form.c) over it.
 *
 * Input: the Content-Type up to the first NUL, then the body (any bytes).  Invariants (abort on
 * violation):
 *   - no crash, leak or undefined behaviour;
 *   - a refusal has code QD_EINVAL and a non-empty, valid UTF-8 err.field (< 64 bytes), err.zh
 *     and err.en;
 *   - an accepted body has at most MP_MAX_PARTS parts, each with a non-empty printable UTF-8
 *     name, its bytes inside the body, in order, not overlapping, and none holding the
 *     delimiter CRLF "--" boundary;
 *   - round trip: the parts written out again in the canonical form (Content-Disposition with
 *     name and filename, Content-Type when given) parse to the same parts;
 *   - form_parse_multipart accepts only what multipart_parse accepts. */
#include "base/buf.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "web/form.h"
#include "web/multipart.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct part {
	char *name, *filename, *ctype;
	const char *data;
	size_t len;
};

struct parts {
	struct part p[MP_MAX_PARTS + 1];
	int n;
	int overflow;
};

static void die(const char *what, const struct qd_err *err)
{
	fprintf(stderr, "fuzz_multipart: %s\n", what);
	if (err)
		fprintf(stderr, "  err.field=%s\n  err.en=%s\n", err->field, err->en);
	abort();
}

static int collect(void *ctx, const struct mp_part *mp, struct qd_err *err)
{
	struct parts *ps = ctx;
	(void)err;
	if (ps->n >= MP_MAX_PARTS) {
		ps->overflow = 1;
		return 0;
	}
	struct part *p = &ps->p[ps->n++];
	p->name = strdup(mp->name);
	p->filename = mp->filename ? strdup(mp->filename) : NULL;
	p->ctype = mp->ctype ? strdup(mp->ctype) : NULL;
	p->data = mp->data;
	p->len = mp->len;
	return 0;
}

static void release(struct parts *ps)
{
	for (int i = 0; i < ps->n; i++) {
		free(ps->p[i].name);
		free(ps->p[i].filename);
		free(ps->p[i].ctype);
	}
	ps->n = 0;
}

static int text_ok(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	return n > 0 && n < cap && utf8_valid(s, n);
}

static void refusal_ok(const struct qd_err *err)
{
	if (err->code != QD_EINVAL)
		die("a refusal's code is not QD_EINVAL", err);
	if (!text_ok(err->field, sizeof err->field) || !text_ok(err->zh, sizeof err->zh) || !text_ok(err->en, sizeof err->en))
		die("a refusal's field or message is empty or not valid UTF-8", err);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
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
	const char *nul = memchr(data, 0, size);
	if (!nul)
		return 0;
	char *ct = strndup((const char *)data, (size_t)(nul - (const char *)data));
	const char *body = nul + 1;
	size_t len = size - (size_t)(body - (const char *)data);
	/* the body copied to its own allocation: a read past it is caught */
	char *b = malloc(len ? len : 1);
	memcpy(b, body, len);

	static struct parts ps, again;
	struct qd_err err;
	memset(&err, 0, sizeof err);
	int rc = multipart_parse(ct, b, len, collect, &ps, &err);
	if (rc) {
		refusal_ok(&err);
	} else {
		char bnd[MP_MAX_BOUNDARY + 1], delim[MP_MAX_BOUNDARY + 5];
		if (multipart_boundary(ct, bnd, &err))
			die("parsed, but its boundary is refused", &err);
		snprintf(delim, sizeof delim, "\r\n--%s", bnd);
		if (ps.overflow)
			die("more than MP_MAX_PARTS parts accepted", NULL);
		const char *prev = b;
		struct buf out;
		buf_init(&out);
		for (int i = 0; i < ps.n; i++) {
			struct part *p = &ps.p[i];
			if (!p->name[0] || !utf8_valid(p->name, strlen(p->name)))
				die("a part's name is empty or not valid UTF-8", NULL);
			for (const char *c = p->name; *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					die("a part's name holds a control byte", NULL);
			if (p->data < prev || p->data + p->len > b + len)
				die("a part's bytes are outside the body or out of order", NULL);
			if (memmem(p->data, p->len, delim, strlen(delim)))
				die("a part holds the delimiter", NULL);
			prev = p->data + p->len;
			buf_printf(&out, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", bnd, p->name);
			if (p->filename)
				buf_printf(&out, "; filename=\"%s\"", p->filename);
			buf_puts(&out, "\r\n");
			if (p->ctype)
				buf_printf(&out, "Content-Type: %s\r\n", p->ctype);
			buf_puts(&out, "\r\n");
			buf_put(&out, p->data, p->len);
			buf_puts(&out, "\r\n");
		}
		buf_printf(&out, "--%s--", bnd);
		memset(&again, 0, sizeof again);
		if (multipart_parse(ct, out.p, out.len, collect, &again, &err))
			die("the parts written out again are refused", &err);
		if (again.n != ps.n)
			die("the parts written out again parse to another number of parts", NULL);
		for (int i = 0; i < ps.n; i++) {
			struct part *x = &ps.p[i], *y = &again.p[i];
			if (strcmp(x->name, y->name) || !same(x->filename, y->filename) || !same(x->ctype, y->ctype) ||
			    x->len != y->len || memcmp(x->data, y->data, x->len))
				die("a part written out again differs", NULL);
		}
		release(&again);
		buf_free(&out);
	}
	release(&ps);
	struct form f;
	memset(&err, 0, sizeof err);
	int frc = form_parse_multipart(ct, b, len, NULL, &f, &err);
	if (frc)
		refusal_ok(&err);
	else if (rc)
		die("form_parse_multipart accepted what multipart_parse refused", NULL);
	form_free(&f);
	free(b);
	free(ct);
	return 0;
}
