/* viewer.c — the request's caller as a viewer, and answering through a presenter. */
#include "web/viewer.h"
#include "base/date.h"

static unsigned rights_on(const struct viewer *v, const char *path)
{
	return path ? req_rights_on(v->ctx, path) : 0;
}

struct viewer req_viewer(struct req *r)
{
	struct viewer v = {r->user_id, r->rights, rights_on, r, date_china_day(r->now)};
	return v;
}

void req_present(struct req *r, unsigned status, const struct presenter *p, json_t *row)
{
	struct viewer v = req_viewer(r);
	json_t *o = present_json(p, &v, row);
	json_decref(row);
	if (!o) {
		req_fail(r, QD_ENOTFOUND, "id", "不存在或无权查看", "not found");
		return;
	}
	req_json(r, status, o);
}
