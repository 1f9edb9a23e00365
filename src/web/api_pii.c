/* api_pii.c — the audited routes of personal data (GET /problems|tasks|visits/{id}/pii): the one
 * tail they share.  Each route finds the item the caller may see and its unit paths; this checks
 * the personal-data right over them, reads the originals inside a write command that appends the
 * pii.read event (store_pii_read), and answers through the entity's personal-data presenter. */
#include "base/mem.h"
#include "store/text.h"
#include "web/api.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pii_w {
	int64_t actor, id;
	const char *entity;
	const struct presenter *p;
	json_t *out;
	char origin_path[128], unit_path[128];
};

static void pii_free(void *p)
{
	struct pii_w *w = p;
	json_decref(w->out);
	free(w);
}

static int pii_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct pii_w *w = arg;
	return store_pii_read(tx, w->actor, w->entity, w->id, &w->out, err);
}

static void pii_finish(struct req *r)
{
	struct pii_w *w = r->warg;
	char idkey[40];
	snprintf(idkey, sizeof idkey, "%s_id", w->entity);
	json_object_set_new(w->out, idkey, json_integer(w->id));
	if (w->origin_path[0])
		json_object_set_new(w->out, "origin_path", json_string(w->origin_path));
	json_object_set_new(w->out, "unit_path", json_string(w->unit_path));
	json_object_set_new(w->out, "audited", json_true());
	req_present(r, 200, w->p, json_incref(w->out));
}

void api_pii(struct req *r, const char *entity, int64_t id, const char *origin_path, const char *unit_path,
	     const struct presenter *p)
{
	unsigned rights = (origin_path ? req_rights_on(r, origin_path) : 0) | (unit_path ? req_rights_on(r, unit_path) : 0);
	if (!(rights & RIGHT_PII)) {
		req_fail(r, QD_EPERM, "id", "您没有查阅其个人信息与原始记录的权限",
			 "you may not read this item's personal data and original text");
		return;
	}
	struct pii_w *w = xcalloc(1, sizeof *w);
	w->actor = r->user_id;
	w->id = id;
	w->entity = entity;
	w->p = p;
	snprintf(w->origin_path, sizeof w->origin_path, "%s", origin_path ? origin_path : "");
	snprintf(w->unit_path, sizeof w->unit_path, "%s", unit_path ? unit_path : "");
	req_write(r, pii_cmd, w, pii_free, pii_finish);
}
