/* api_pii.c — the audited routes of personal data (GET /problems|tasks|visits/{id}/pii): the one
 * tail they share.  Each route finds the item the caller may see and its unit paths; this checks
 * the personal-data right over them, asks the store for the audited read (SW_PII_READ: the right
 * checked again on the writer, the originals read and the pii.read event appended in one
 * transaction), and answers through the entity's personal-data presenter. */
#include "base/mem.h"
#include "web/api.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the answer needs beside the write's result. */
struct pii_ctx {
	const char *entity;
	const struct presenter *p;
	char origin_path[128], unit_path[128];
};

static void pii_finish(struct req *r)
{
	struct store_write *w = r->warg;
	struct pii_ctx *c = r->fctx;
	char idkey[40];
	snprintf(idkey, sizeof idkey, "%s_id", c->entity);
	json_object_set_new(w->out, idkey, json_integer(w->u.pii.id));
	if (c->origin_path[0])
		json_object_set_new(w->out, "origin_path", json_string(c->origin_path));
	json_object_set_new(w->out, "unit_path", json_string(c->unit_path));
	json_object_set_new(w->out, "audited", json_true());
	req_present(r, 200, c->p, json_incref(w->out));
}

void api_pii(struct req *r, const char *entity, int64_t id, const char *origin_path, const char *unit_path,
	     const struct presenter *p)
{
	struct scope sc = req_scope(r);
	if (!(scope_rights_item(&sc, origin_path, unit_path) & RIGHT_PII)) {
		req_fail(r, QD_EPERM, "id", "您没有查阅其个人信息与原始记录的权限",
			 "you may not read this item's personal data and original text");
		return;
	}
	struct pii_ctx *c = xcalloc(1, sizeof *c);
	c->entity = entity;
	c->p = p;
	snprintf(c->origin_path, sizeof c->origin_path, "%s", origin_path ? origin_path : "");
	snprintf(c->unit_path, sizeof c->unit_path, "%s", unit_path ? unit_path : "");
	free(r->fctx);
	r->fctx = c;
	struct store_write *w = req_write_new(r, SW_PII_READ);
	w->u.pii.entity = entity;
	w->u.pii.id = id;
	req_write(r, w, pii_finish);
}
