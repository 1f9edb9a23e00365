/* api_visit.c — household visits over HTTP. */
#include "base/mem.h"
#include "store/org.h"
#include "store/visit.h"
#include "web/api.h"
#include "web/viewer.h"
#include "store/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct visit_w {
	int64_t actor, id;
	json_t *body;
	struct grant *g; /* the caller's grants (owned) */
	int ng;
};

static void visit_free(void *p)
{
	struct visit_w *w = p;
	json_decref(w->body);
	free(w->g);
	free(w);
}

static int visit_cmd(struct store_tx *tx, void *arg, struct qd_err *err)
{
	struct visit_w *w = arg;
	int64_t unit_id = json_integer_value(json_object_get(w->body, "unit_id"));
	struct unit u;
	if (store_unit_get(store_tx_db(tx), unit_id, &u, err))
		return -1;
	if (!(grants_rights_on(w->g, w->ng, u.path) & RIGHT_VISIT))
		return qd_fail(err, QD_EPERM, "unit_id", "您无权登记该单位的走访", "you may not log visits for this unit");
	return store_visit_create(tx, w->actor, unit_id, json_string_value(json_object_get(w->body, "visited_on")),
				  json_string_value(json_object_get(w->body, "household")),
				  json_string_value(json_object_get(w->body, "note")), &w->id, err);
}

static void visit_finish(struct req *r)
{
	struct visit_w *w = r->warg;
	api_created(r, "visit", w->id);
}

void api_visit_create(struct req *r)
{
	struct visit_w *w = xcalloc(1, sizeof *w);
	w->actor = r->user_id;
	w->body = json_incref(r->json);
	w->g = req_grants_copy(r);
	w->ng = r->ngrants;
	req_write(r, visit_cmd, w, visit_free, visit_finish);
}

void api_visits(struct req *r)
{
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_READ, up))
		return;
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	int more = 0;
	int64_t total = -1;
	json_t *rows = store_visit_list(db, &f, &more, &total);
	if (!rows || (f.count && total < 0)) {
		json_decref(rows);
		req_fail(r, QD_EINTERNAL, "", "数据库错误", "database error");
		return;
	}
	struct viewer v = req_viewer(r);
	json_t *items = present_json_list(&present_visit, &v, rows);
	json_decref(rows);
	json_t *o = json_pack("{so sb si si}", "items", items, "has_more", more, "limit", f.limit, "offset", f.offset);
	if (f.count)
		json_object_set_new(o, "total", json_integer(total));
	req_json(r, 200, o);
}

void api_visit_get(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (db)
		req_present(r, 200, &present_visit, store_visit_get(db, r->path_id));
}

/* --- the originals, for the personal-data right (audited) ----------------------------------- */

void api_visit_pii(struct req *r)
{
	sqlite3 *db = req_db(r);
	if (!db)
		return;
	json_t *v = store_visit_get(db, r->path_id);
	const char *path = json_string_value(json_object_get(v, "unit_path"));
	if (!path || !(req_rights_on(r, path) & RIGHT_READ)) {
		json_decref(v);
		req_fail(r, QD_ENOTFOUND, "id", "走访记录不存在", "no such visit");
		return;
	}
	api_pii(r, "visit", r->path_id, NULL, path, &present_visit_pii);
	json_decref(v);
}
