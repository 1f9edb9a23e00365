/* present_task.c — the task presenter (lists and one task), its history events, and the
 * presenter of a task's original text (the audited route only).  The derived fields (overdue,
 * the caller's allowed actions, state_zh) are computed here from the row, for lists and single
 * tasks alike. */
#include "base/date.h"
#include "core/role.h"
#include "core/task.h"
#include "present/present.h"
#include "present/present_item.h"
#include "store/task.h"
#include <string.h>

struct task_scratch {
	struct task t;
	struct machine_actor actor;
};

/* The viewer's rights over the task's origin and handling units, worked out once per row into
 * the scratch (the audience rule runs first, prepare and the computed fields reuse them). */
static unsigned rights_on_task(struct pctx *c)
{
	_Static_assert(sizeof(struct task_scratch) <= PRESENT_SCRATCH, "scratch too small");
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	const struct viewer *v = c->v;
	s->actor.user_id = v->user_id;
	s->actor.rights_handling = v->rights_on(v, row_text(c->row, "unit_path"));
	s->actor.rights_any = v->rights_on(v, row_text(c->row, "origin_path")) | s->actor.rights_handling;
	return s->actor.rights_any;
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

/* The machine state of the row; the actor was filled by task_audience. */
static void task_prepare(struct pctx *c)
{
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	store_task_from_row(c->row, &s->t);
}

static void c_overdue(struct pctx *c, struct buf *out)
{
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	present_item_overdue(out, &task_machine, &s->t, c->v->today);
}

static void c_actions(struct pctx *c, struct buf *out)
{
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	present_item_actions(out, &task_machine, &s->t, c->v->user_id ? &s->actor : NULL);
}

static void c_state_zh(struct pctx *c, struct buf *out)
{
	struct task_scratch *s = (struct task_scratch *)c->scratch;
	buf_json_str(out, task_state_zh(s->t.state));
}

static const struct pfield task_fields[] = {
	PF_V("id", AUD_ALL),
	PF_T("title", AUD_ALL),
	PF_T("measures", AUD_ALL),
	PF_V("state", AUD_ALL),
	PF_V("tier", AUD_ALL),
	PF_V("urgency", AUD_ALL),
	PF_V("category_id", AUD_ALL),
	PF_V("category_name", AUD_ALL),
	PF_V("origin_unit_id", AUD_ALL),
	PF_V("origin_unit_name", AUD_ALL),
	PF_V("unit_id", AUD_ALL),
	PF_V("unit_name", AUD_ALL),
	/* staff act in their official role: the responsible person and leader are public */
	PF_V("handler_id", AUD_ALL),
	PF_V("handler_name", AUD_ALL),
	PF_V("leader_id", AUD_ALL),
	PF_V("leader_name", AUD_ALL),
	PF_V("assigned_on", AUD_ALL),
	PF_V("respond_by", AUD_ALL),
	PF_V("deadline", AUD_ALL),
	PF_V("responded_on", AUD_ALL),
	PF_V("completed_on", AUD_ALL),
	PF_V("signed_off_on", AUD_ALL),
	PF_V("extensions_used", AUD_ALL),
	PF_V("max_extensions", AUD_ALL),
	PF_V("extension_days", AUD_ALL),
	PF_V("outcome", AUD_ALL),
	PF_V("solved", AUD_ALL),
	PF_V("satisfaction", AUD_ALL),
	PF_V("unreachable_days", AUD_KNOWN),
	PF_V("last_unreachable_on", AUD_KNOWN),
	PF_V("followed_up", AUD_ALL),
	PF_V("progress", AUD_ALL),
	PF_V("reopen_count", AUD_ALL),
	PF_V("exception", AUD_ALL),
	PF_V("created_by", AUD_STAFF),
	PF_V("created_at", AUD_ALL),
	PF_V("updated_at", AUD_ALL),
	PF_C("overdue", AUD_ALL, c_overdue),
	PF_C("actions", AUD_ALL, c_actions),
	PF_C("state_zh", AUD_ALL, c_state_zh),
	PF_N("problems", AUD_ALL, &present_problem),
	PF_END,
};

const struct presenter present_task = {"task", task_fields, task_audience, task_prepare};

/* --- history: the task's events, seen with the task's audience ------------------------------- */

static unsigned event_audience(struct pctx *c)
{
	return c->parent & (AUD_PUBLIC | AUD_OWNER | AUD_STAFF);
}

static const struct pfield event_fields[] = {
	PF_V("seq", AUD_ALL),
	PF_V("at", AUD_ALL),
	PF_V("kind", AUD_ALL),
	PF_V("action", AUD_ALL),
	PF_V("from", AUD_ALL),
	PF_V("to", AUD_ALL),
	PF_V("actor_id", AUD_ALL),
	PF_V("actor_name", AUD_ALL),
	PF_T("note", AUD_ALL),
	PF_T("reason", AUD_ALL),
	PF_V("satisfaction", AUD_ALL),
	PF_B("solved", AUD_ALL),
	PF_V("days", AUD_ALL),
	PF_B("exception", AUD_ALL),
	PF_END,
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
	PF_V("seq", AUD_PII),
	PF_V("kind", AUD_PII),
	PF_V("note", AUD_PII),
	PF_V("reason", AUD_PII),
	PF_END,
};

static const struct presenter present_event_pii = {"event_pii", event_pii_fields, event_pii_audience, NULL};

static const struct pfield task_pii_fields[] = {
	PF_V("task_id", AUD_PII),
	PF_V("title", AUD_PII),
	PF_V("measures", AUD_PII),
	PF_N("events", AUD_PII, &present_event_pii),
	PF_B("audited", AUD_PII),
	PF_END,
};

const struct presenter present_task_pii = {"task_pii", task_pii_fields, task_pii_audience, NULL};
