/* present_task.c — the task presenter (lists and one task), its history events, and the
 * presenter of a task's original text (the audited route only).  The derived fields (overdue,
 * the caller's allowed actions, state_zh) are computed here from the row, for lists and single
 * tasks alike. */
#include "base/date.h"
#include "core/role.h"
#include "core/task.h"
#include "present/present.h"
#include "store/task.h"
#include <string.h>

struct task_scratch {
	struct task t;
	struct task_actor actor;
};

static unsigned rights_on_task(struct pctx *c)
{
	const struct viewer *v = c->v;
	return v->rights_on(v, row_text(c->row, "origin_path")) | v->rights_on(v, row_text(c->row, "unit_path"));
}

/* Staff who may read its origin or handling unit; a resident, whose task rows are only ever
 * those that gather a problem of theirs (api_task.c); the public (later: disclosed tasks). */
static unsigned task_audience(struct pctx *c)
{
	const struct viewer *v = c->v;
	if (rights_on_task(c) & RIGHT_READ)
		return AUD_STAFF;
	if (v->user_id && (v->rights & RIGHT_OWN))
		return AUD_OWNER;
	if (!v->user_id)
		return AUD_PUBLIC;
	return 0;
}

static void task_prepare(struct pctx *c)
{
	_Static_assert(sizeof(struct task_scratch) <= PRESENT_SCRATCH, "scratch too small");
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	store_task_from_row(c->row, &s->t);
	const struct viewer *v = c->v;
	s->actor.user_id = v->user_id;
	s->actor.rights_any = v->user_id ? rights_on_task(c) : 0;
	s->actor.rights_handling = v->user_id ? v->rights_on(v, row_text(c->row, "unit_path")) : 0;
}

static void c_overdue(struct pctx *c, struct buf *out)
{
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	buf_puts(out, task_is_overdue(&s->t, c->v->today) ? "true" : "false");
}

static void c_actions(struct pctx *c, struct buf *out)
{
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	unsigned m = c->v->user_id ? task_allowed(&s->t, &s->actor) : 0;
	buf_putc(out, '[');
	int n = 0;
	for (int i = 0; i < TA__COUNT; i++)
		if (m & (1u << i)) {
			if (n++)
				buf_putc(out, ',');
			buf_json_str(out, task_action_name((enum task_action)i));
		}
	buf_putc(out, ']');
}

static void c_state_zh(struct pctx *c, struct buf *out)
{
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	buf_json_str(out, task_state_zh(s->t.state));
}

static const struct pfield task_fields[] = {
	{"id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"title", NULL, AUD_ALL, PF_TEXT, NULL, NULL},
	{"measures", NULL, AUD_ALL, PF_TEXT, NULL, NULL},
	{"state", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"tier", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"urgency", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"category_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"category_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"origin_unit_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"origin_unit_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"unit_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"unit_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	/* staff act in their official role: the responsible person and leader are public */
	{"handler_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"handler_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"leader_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"leader_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"assigned_on", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"respond_by", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"deadline", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"responded_on", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"completed_on", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"signed_off_on", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"extensions_used", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"max_extensions", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"extension_days", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"outcome", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"solved", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"satisfaction", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"unreachable_days", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"last_unreachable_on", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"followed_up", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"progress", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"reopen_count", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"exception", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"created_by", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"created_at", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"updated_at", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"overdue", NULL, AUD_ALL, PF_COMPUTED, c_overdue, NULL},
	{"actions", NULL, AUD_ALL, PF_COMPUTED, c_actions, NULL},
	{"state_zh", NULL, AUD_ALL, PF_COMPUTED, c_state_zh, NULL},
	{"problems", NULL, AUD_ALL, PF_NESTED, NULL, &present_problem},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_task = {"task", task_fields, task_audience, task_prepare};

/* --- history: the task's events, seen with the task's audience ------------------------------- */

static unsigned event_audience(struct pctx *c)
{
	return c->parent & (AUD_PUBLIC | AUD_OWNER | AUD_STAFF);
}

static const struct pfield event_fields[] = {
	{"seq", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"at", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"kind", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"action", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"from", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"to", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"actor_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"actor_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"note", NULL, AUD_ALL, PF_TEXT, NULL, NULL},
	{"reason", NULL, AUD_ALL, PF_TEXT, NULL, NULL},
	{"satisfaction", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"solved", NULL, AUD_ALL, PF_BOOL, NULL, NULL},
	{"days", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"exception", NULL, AUD_ALL, PF_BOOL, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_event = {"event", event_fields, event_audience, NULL};

/* --- the originals, for the personal-data right ------------------------------------------------ */

static unsigned task_pii_audience(struct pctx *c)
{
	return rights_on_task(c) & RIGHT_PII ? AUD_PII : 0;
}

static unsigned event_pii_audience(struct pctx *c)
{
	return c->parent & AUD_PII;
}

static const struct pfield event_pii_fields[] = {
	{"seq", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"kind", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"note", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"reason", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

static const struct presenter present_event_pii = {"event_pii", event_pii_fields, event_pii_audience, NULL};

static const struct pfield task_pii_fields[] = {
	{"task_id", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"title", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"measures", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"events", NULL, AUD_PII, PF_NESTED, NULL, &present_event_pii},
	{"audited", NULL, AUD_PII, PF_BOOL, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_task_pii = {"task_pii", task_pii_fields, task_pii_audience, NULL};
