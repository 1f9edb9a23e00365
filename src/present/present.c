/* present.c — the presenter machine: a row goes out as the fields of its presenter's table that
 * the viewer's audience may see (contract in present/present.h).  Nothing else of the row is
 * read for output. */
#include "present/present.h"
#include "base/date.h"
#include "base/mem.h"
#include "core/mask.h"
#include "core/role.h"
#include <stdlib.h>
#include <string.h>

static void write_value(const struct row *row, int i, struct buf *out)
{
	void *impl = row->impl;
	switch (row->ops->type(impl, i)) {
	case ROW_INT: buf_int(out, (long long)row->ops->integer(impl, i)); break;
	case ROW_REAL: buf_printf(out, "%.17g", row->ops->real(impl, i)); break;
	case ROW_TEXT: buf_json_str(out, row->ops->text(impl, i)); break;
	case ROW_JSON: {
		char *t = json_dumps(row->ops->json(impl, i), JSON_COMPACT | JSON_ENCODE_ANY);
		buf_puts(out, t ? t : "null"); /* fmt: JSON text written by json_dumps */
		free(t);
		break;
	}
	default: buf_puts(out, "null");
	}
}

/* Free text in stored form, for this audience ("" is no text: null). */
static void write_text(const struct row *row, int i, unsigned aud, struct buf *out)
{
	const char *s = row->ops->type(row->impl, i) == ROW_TEXT ? row->ops->text(row->impl, i) : NULL;
	if (!s || !*s) {
		buf_puts(out, "null");
		return;
	}
	if (aud & (AUD_STAFF | AUD_PII)) {
		buf_json_str(out, s);
		return;
	}
	char *pub = mask_text_public(s);
	buf_json_str(out, pub);
	free(pub);
}

/* A field of one of the typed kinds (PF_BOOL, PF_INTEGER … PF_TRISTATE): the row's value as
 * that type, or null (see enum pkind). */
static void write_typed(const struct row *row, int i, enum pkind kind, struct buf *out)
{
	void *impl = row->impl;
	enum row_type t = row->ops->type(impl, i);
	int64_t n = t == ROW_INT ? row->ops->integer(impl, i) : 0;
	const char *s = t == ROW_TEXT ? row->ops->text(impl, i) : NULL;
	char tmp[32];
	int32_t day;
	switch (kind) {
	case PF_BOOL:
		buf_puts(out, t != ROW_INT ? "null" : n ? "true" : "false");
		return;
	case PF_TRISTATE:
		buf_puts(out, t != ROW_INT || n < 0 ? "null" : n ? "true" : "false");
		return;
	case PF_INTEGER:
		if (t == ROW_INT)
			buf_int(out, (long long)n);
		else
			buf_puts(out, "null");
		return;
	case PF_IDENT:
		if (t == ROW_INT && n > 0)
			buf_int(out, (long long)n);
		else
			buf_puts(out, "null");
		return;
	case PF_STRING:
		if (s && *s)
			buf_json_str(out, s);
		else
			buf_puts(out, "null");
		return;
	case PF_DAY:
		if (s && date_parse(s, &day) == 0)
			buf_json_str(out, s);
		else if (t == ROW_INT && n != 0 && n >= date_from_ymd(1, 1, 1) && n <= date_from_ymd(9999, 12, 31))
			buf_json_str(out, date_format((int32_t)n, tmp));
		else
			buf_puts(out, "null");
		return;
	case PF_TIMESTAMP:
		if (t == ROW_INT && n > 0 && n < 253402272000000LL) /* before 10000-01-01T00:00+08:00 */
			buf_json_str(out, clock_format_ms(n, tmp));
		else
			buf_puts(out, "null");
		return;
	default: buf_puts(out, "null");
	}
}

int present_write_list(const struct presenter *p, const struct viewer *v, json_t *rows, unsigned parent,
		       struct buf *out)
{
	buf_putc(out, '[');
	size_t i;
	json_t *el;
	int n = 0;
	json_array_foreach(rows, i, el) {
		struct row er;
		struct row_jsonimpl ei;
		row_from_json(&er, &ei, el);
		size_t mark = out->len;
		if (n)
			buf_putc(out, ',');
		if (present_write(p, v, &er, parent, out))
			n++;
		else
			out->len = mark, out->p[mark] = 0;
	}
	buf_putc(out, ']');
	return n;
}

unsigned present_audience(const struct presenter *p, const struct viewer *v, const struct row *row,
			  unsigned parent)
{
	struct pctx c = {.p = p, .v = v, .row = row, .parent = parent};
	return p->audience(&c);
}

void present_member(struct pctx *c, struct buf *out, const char *name)
{
	/* field names are identifiers from the tables and specs: written as they are; the room for
	 * all of it is made once */
	size_t n = strlen(name);
	buf_grow(out, n + 4);
	if (c->members++)
		out->p[out->len++] = ',';
	out->p[out->len++] = '"';
	buf_put(out, name, n); /* fmt: a field name of the presenter's tables, an identifier */
	out->p[out->len++] = '"';
	out->p[out->len++] = ':';
	out->p[out->len] = 0;
}

void present_value(struct pctx *c, int i, enum pkind kind, struct buf *out)
{
	switch (kind) {
	case PF_TEXT: write_text(c->row, i, c->aud, out); break;
	case PF_BOOL:
	case PF_INTEGER:
	case PF_IDENT:
	case PF_STRING:
	case PF_DAY:
	case PF_TIMESTAMP:
	case PF_TRISTATE: write_typed(c->row, i, kind, out); break;
	default: write_value(c->row, i, out); break;
	}
}

int present_write(const struct presenter *p, const struct viewer *v, const struct row *row, unsigned parent,
		  struct buf *out)
{
	struct pctx c = {.p = p, .v = v, .row = row, .parent = parent};
	c.aud = p->audience(&c);
	if (!c.aud)
		return 0;
	if (p->prepare)
		p->prepare(&c);
	buf_putc(out, '{');
	for (const struct pfield *f = p->fields; f->name; f++) {
		if (!(f->audience & c.aud))
			continue;
		if (f->kind == PF_SPREAD) {
			f->compute(&c, out);
			continue;
		}
		int i = -1;
		if (f->kind != PF_COMPUTED) {
			i = row->ops->find(row->impl, f->column ? f->column : f->name);
			if (i < 0)
				continue; /* this row does not carry the column: the field is left out */
		}
		present_member(&c, out, f->name);
		switch (f->kind) {
		case PF_COMPUTED: f->compute(&c, out); break;
		case PF_NESTED: {
			json_t *arr = row->ops->type(row->impl, i) == ROW_JSON ? row->ops->json(row->impl, i) : NULL;
			if (json_is_array(arr))
				present_write_list(f->nested, v, arr, c.aud, out);
			else
				buf_puts(out, "[]");
			break;
		}
		default: present_value(&c, i, f->kind, out); break;
		}
	}
	buf_putc(out, '}');
	return 1;
}

json_t *present_json(const struct presenter *p, const struct viewer *v, json_t *row)
{
	if (!row)
		return NULL;
	struct row r;
	struct row_jsonimpl ri;
	row_from_json(&r, &ri, row);
	struct buf b;
	buf_init(&b);
	json_t *o = present_write(p, v, &r, 0, &b) ? json_loads(b.p, 0, NULL) : NULL;
	buf_free(&b);
	return o;
}

json_t *present_json_list(const struct presenter *p, const struct viewer *v, json_t *rows)
{
	json_t *a = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		json_t *o = present_json(p, v, row);
		if (o)
			json_array_append_new(a, o);
	}
	return a;
}

int present_fields(const struct presenter *p, unsigned audience, const char **out, int max)
{
	int n = 0;
	for (const struct pfield *f = p->fields; f->name && n < max; f++)
		if (f->audience & audience)
			out[n++] = f->name;
	if (n < max)
		out[n] = NULL;
	return n;
}

unsigned present_audience_pii(struct pctx *c)
{
	return c->v->rights_on(c->v, row_text(c->row, "unit_path")) & RIGHT_PII ? AUD_PII : 0;
}
