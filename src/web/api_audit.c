/* api_audit.c — the audit log over HTTP: the hook that records every answered request the log
 * keeps (core/audit.h says which), called once from the server's request-completed path, and
 * GET /api/v1/audit (JSON, or CSV with format=csv) for the audit administrator.  The log itself
 * — its queue, its writer, its table — is store/audit.c. */
#include "base/buf.h"
#include "base/date.h"
#include "core/audit.h"
#include "present/present.h"
#include "store/audit.h"
#include "web/api.h"
#include "web/auth.h"
#include "web/router.h"
#include "web/server.h"
#include "web/viewer.h"
#include <stdlib.h>
#include <string.h>

void api_audit_request(struct req *r)
{
	if (!r->srv || !r->status)
		return;
	const struct route *rt = r->route;
	const struct store_write *w = r->warg; /* set only by req_write: always a store_write */
	int login = rt && rt->handler == api_login;
	/* a grant, a revocation or an unlock — over the API, or through a page that runs the same
	 * handler (web/page_admin_security.c: its write's kind says so) */
	int grant = (rt && (rt->handler == api_user_grant || rt->handler == api_user_revoke ||
	                    rt->handler == api_user_unlock)) ||
	            (w && (w->kind == SW_GRANT_ADD || w->kind == SW_GRANT_REVOKE || w->kind == SW_USER_UNLOCK));
	int pii = w && (w->kind == SW_PII_READ || w->kind == SW_PHONE_LOOKUP);
	int kind = audit_kind_of(r->method, r->status, rt ? rt->rights : 0, login, grant, pii);
	if (kind < 0)
		return;
	struct audit_entry e = {.at = r->now,
	                        .user_id = r->user_id,
	                        .client = r->client,
	                        .method = r->method,
	                        .route = r->path,
	                        .entity_id = r->path_id,
	                        .kind = kind,
	                        .outcome = (int)audit_outcome_of(r->status, login),
	                        .status = r->status};
	if (login) { /* the name submitted: the failed attempt's too */
		e.username = req_str(r, "username");
		if (w && w->kind == SW_LOGIN && w->u.login.ok)
			e.user_id = w->u.login.user_id;
	}
	if (!e.entity_id && w && !r->cmd.rc && w->id)
		e.entity_id = w->id; /* a create: the new item */
	store_audit_add(server_store(r->srv), &e);
}

/* The filter from the validated query; from/to are China days, to inclusive. */
static void filter_of(struct req *r, struct audit_filter *f)
{
	memset(f, 0, sizeof *f);
	f->kind = f->outcome = -1;
	const char *v;
	int32_t day;
	if ((v = req_query(r, "from")) && !date_parse(v, &day))
		f->from_ms = date_china_midnight_ms(day);
	if ((v = req_query(r, "to")) && !date_parse(v, &day))
		f->to_ms = date_china_midnight_ms(day + 1);
	if ((v = req_query(r, "user_id")))
		f->user_id = atoll(v);
	f->username = req_query(r, "username");
	f->client = req_query(r, "client");
	if ((v = req_query(r, "kind")))
		f->kind = audit_kind_parse(v);
	if ((v = req_query(r, "outcome")))
		f->outcome = audit_outcome_parse(v);
	f->limit = (v = req_query(r, "limit")) ? atoi(v) : 50;
	f->offset = (v = req_query(r, "offset")) ? atoi(v) : 0;
}

/* One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a cell a
 * spreadsheet would run as a formula (= + - @ first) gets a leading apostrophe. */
static void csv_cell(struct buf *b, json_t *v)
{
	char num[32];
	const char *s = "";
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		s = num;
	}
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int formula = !json_is_integer(v) && (*s == '=' || *s == '+' || *s == '-' || *s == '@');
	if (quote)
		buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
}

static char *csv_of(json_t *items)
{
	const char *cols[32];
	int n = present_fields(&present_audit, AUD_STAFF, cols, 32);
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < n; i++)
		/* fmt: field names of the presenter's table, identifiers */
		buf_printf(&b, "%s%s", i ? "," : "", cols[i]);
	buf_puts(&b, "\r\n");
	size_t k;
	json_t *o;
	json_array_foreach(items, k, o)
	{
		for (int i = 0; i < n; i++) {
			if (i)
				buf_putc(&b, ',');
			csv_cell(&b, json_object_get(o, cols[i]));
		}
		buf_puts(&b, "\r\n");
	}
	return buf_take(&b);
}

void api_audit(struct req *r)
{
	struct store_rd *rd = req_rd(r);
	if (!rd)
		return;
	struct audit_filter f;
	filter_of(r, &f);
	int64_t total = 0;
	const char *c = req_query(r, "count");
	int count = c && (!strcmp(c, "1") || !strcmp(c, "true"));
	json_t *rows = store_audit_list(rd, &f, count ? &total : NULL);
	if (!rows) {
		req_db_error(r);
		return;
	}
	struct viewer v = req_viewer(r);
	json_t *items = present_json_list(&present_audit, &v, rows);
	json_decref(rows);
	const char *fmt = req_query(r, "format");
	if (fmt && !strcmp(fmt, "csv")) {
		char *text = csv_of(items);
		json_decref(items);
		r->ctype = "text/csv; charset=utf-8";
		req_raw_json(r, 200, text);
		return;
	}
	json_t *o = json_pack("{so}", "items", items);
	if (count)
		json_object_set_new(o, "count", json_integer(total));
	req_json(r, 200, o);
}
