/* api_list.c — list query parameters → struct list_filter, confined to the caller's scope. */
#include "base/date.h"
#include "core/names.h"
#include "core/param.h"
#include "store/org.h"
#include "web/api.h"
#include "web/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int api_list_filter(struct req *r, struct list_filter *f, unsigned right, char *unit_path_buf)
{
	memset(f, 0, sizeof *f);
	f->grants = r->grants;
	f->ngrants = r->ngrants;
	f->right = right;
	/* A resident without staff rights sees only what they submitted. */
	struct scope sc = req_scope(r);
	if (scope_own_only(&sc))
		f->own_user = r->user_id;
	const char *v;
	f->limit = (v = req_query(r, "limit")) ? atoi(v) : 50;
	f->offset = (v = req_query(r, "offset")) ? atoi(v) : 0;
	if ((v = req_query(r, "unit_id"))) {
		struct store_rd *rd = req_rd(r);
		struct unit u;
		struct qd_err err;
		if (!rd)
			return -1;
		if (store_unit_get(rd, atoll(v), &u, &err)) {
			req_error(r, &err);
			return -1;
		}
		snprintf(unit_path_buf, 128, "%s", u.path);
		f->unit_path = unit_path_buf;
	}
	f->state = req_query(r, "state");
	f->tier = req_query(r, "tier");
	f->category_id = (v = req_query(r, "category_id")) ? atoll(v) : 0;
	f->handler_id = (v = req_query(r, "handler_id")) ? atoll(v) : 0;
	f->leader_id = (v = req_query(r, "leader_id")) ? atoll(v) : 0;
	f->overdue = (v = req_query(r, "overdue")) && (!strcmp(v, "true") || !strcmp(v, "1"));
	f->count = (v = req_query(r, "count")) && (!strcmp(v, "true") || !strcmp(v, "1"));
	f->due_before = req_query(r, "due_before");
	f->q = req_query(r, "q");
	/* the order: the index of the value among the route's own sort names (core/task.h
	 * task_sort_names, core/problem.h problem_sort_names …): 0, the list's default, when none */
	const struct param *sp = param_find(r->route->query, "sort");
	int sort = sp && sp->enums ? names_find(sp->enums, -1, req_query(r, "sort")) : -1;
	f->sort = sort > 0 ? sort : 0;
	date_format(date_china_day(r->now), f->today);
	return 0;
}
