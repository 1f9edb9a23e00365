/* api_visit.c — household visits over HTTP. */
#include "base/mem.h"
#include "store/org.h"
#include "store/visit.h"
#include "web/api.h"
#include "web/viewer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void visit_finish(struct req *r)
{
	struct store_write *w = r->warg;
	api_created(r, "visit", w->id);
}

void api_visit_create(struct req *r)
{
	struct store_write *w = req_write_new(r, SW_VISIT_CREATE);
	w->u.visit.unit_id = req_int(r, "unit_id", 0);
	w->u.visit.visited_on = req_str(r, "visited_on");
	w->u.visit.household = req_str(r, "household");
	w->u.visit.note = req_str(r, "note");
	req_write(r, w, visit_finish);
}

void api_visits(struct req *r)
{
	struct list_filter f;
	char up[128];
	if (api_list_filter(r, &f, RIGHT_READ, up))
		return;
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	int more = 0;
	int64_t total = -1;
	json_t *rows = store_visit_list(rd, &f, &more, &total);
	if (!rows || (f.count && total < 0)) {
		json_decref(rows);
		req_db_error(r);
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
	struct store_rd *rd = req_rd(r);
	if (rd)
		req_present(r, 200, &present_visit, store_visit_get(rd, r->path_id));
}

/* --- the originals, for the personal-data right (audited) ----------------------------------- */

void api_visit_pii(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	json_t *v = store_visit_get(rd, r->path_id);
	const char *path = json_string_value(json_object_get(v, "unit_path"));
	struct scope sc = req_scope(r);
	if (!path || !scope_sees_visit(&sc, path)) {
		json_decref(v);
		req_fail(r, QD_ENOTFOUND, "id", "走访记录不存在", "no such visit");
		return;
	}
	api_pii(r, "visit", r->path_id, NULL, path, &present_visit_pii);
	json_decref(v);
}
