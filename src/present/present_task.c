/* present_task.c — the task presenter's tables (one task, and a task in a list), its history events, and the
 * presenter of a task's original text (the audited route only).  The code is the generic item
 * presenter's (present_item.c): audience, the row as the machine's struct, and the derived fields
 * (overdue, the caller's allowed actions, state_zh) for lists and single tasks alike. */
#include "base/date.h"
#include "core/role.h"
#include "core/task.h"
#include "present/present.h"
#include "present/present_item.h"
#include "store/task.h"
#include <string.h>

/* The verdict's channel in Chinese (null before a verdict). */
static void c_verdict_channel_zh(struct pctx *c, struct buf *out)
{
	int ch = channel_parse(row_text(c->row, "verdict_channel"));
	if (ch > 0)
		buf_json_str(out, channel_zh((enum verdict_channel)ch));
	else
		buf_puts(out, "null");
}

/* Who recorded the verdict: an official's name is public (they act in their role); the
 * resident's own online verdict is shown as the resident's, never with their name. */
static void c_verdict_by_name(struct pctx *c, struct buf *out)
{
	int ch = channel_parse(row_text(c->row, "verdict_channel"));
	const char *who = row_text(c->row, "verdict_recorder");
	if (ch == CH_ONLINE)
		buf_json_str(out, "群众本人");
	else if (ch > 0 && who)
		buf_json_str(out, who);
	else
		buf_puts(out, "null");
}

static const struct pfield task_fields[] = {
	PF_ID("id", AUD_ALL),
	PF_T("title", AUD_ALL),
	PF_T("measures", AUD_ALL),
	PF_STR("state", AUD_ALL),
	PF_STR("tier", AUD_ALL),
	PF_STR("urgency", AUD_ALL),
	PF_ID("category_id", AUD_ALL),
	PF_STR("category_name", AUD_ALL),
	PF_ID("origin_unit_id", AUD_ALL),
	PF_STR("origin_unit_name", AUD_ALL),
	PF_ID("unit_id", AUD_ALL),
	PF_STR("unit_name", AUD_ALL),
	/* staff act in their official role: the responsible person and leader are public */
	PF_ID("handler_id", AUD_ALL),
	PF_STR("handler_name", AUD_ALL),
	PF_ID("leader_id", AUD_ALL),
	PF_STR("leader_name", AUD_ALL),
	PF_DATE("assigned_on", AUD_ALL),
	PF_DATE("respond_by", AUD_ALL),
	PF_DATE("deadline", AUD_ALL),
	PF_DATE("responded_on", AUD_ALL),
	PF_DATE("completed_on", AUD_ALL),
	PF_DATE("signed_off_on", AUD_ALL),
	PF_INT("extensions_used", AUD_ALL),
	PF_INT("max_extensions", AUD_ALL),
	PF_INT("extension_days", AUD_ALL),
	PF_STR("outcome", AUD_ALL),
	PF_TRIBOOL("solved", AUD_ALL),
	PF_STR("satisfaction", AUD_ALL),
	PF_INT("unreachable_days", AUD_KNOWN),
	PF_DATE("last_unreachable_on", AUD_KNOWN),
	PF_B("followed_up", AUD_ALL),
	PF_INT("progress", AUD_ALL),
	PF_INT("reopen_count", AUD_ALL),
	PF_B("exception", AUD_ALL),
	/* the round's verdict: how it was taken, who recorded it, the attempts made (issue 9) */
	PF_STR("verdict_channel", AUD_ALL),
	PF_C("verdict_channel_zh", AUD_ALL, c_verdict_channel_zh),
	PF_ID("verdict_by", AUD_STAFF),
	PF_C("verdict_by_name", AUD_ALL, c_verdict_by_name),
	PF_INT("follow_up_attempts", AUD_ALL),
	PF_ID("created_by", AUD_STAFF),
	PF_TIME("created_at", AUD_ALL),
	PF_TIME("updated_at", AUD_ALL),
	PF_C("overdue", AUD_ALL, present_item_c_overdue),
	PF_C("actions", AUD_ALL, present_item_c_actions),
	PF_C("state_zh", AUD_ALL, present_item_c_state_zh),
	PF_N("problems", AUD_ALL, &present_problem),
	/* the problems merged into them, down every chain: their residents get the follow-up too */
	PF_N("duplicates", AUD_ALL, &present_problem),
	PF_END,
};

/* A task in a list: what a list shows, links by and acts on — the whole task is GET /tasks/{id}
 * (the table above).  The list query (store/task.c) carries these columns and what the derived
 * fields need; a field not here cannot reach a list. */
static const struct pfield task_list_fields[] = {
	PF_ID("id", AUD_ALL),
	PF_T("title", AUD_ALL),
	PF_STR("state", AUD_ALL),
	PF_C("state_zh", AUD_ALL, present_item_c_state_zh),
	PF_STR("tier", AUD_ALL),
	PF_STR("urgency", AUD_ALL),
	PF_ID("unit_id", AUD_ALL),
	PF_STR("unit_name", AUD_ALL),
	PF_ID("origin_unit_id", AUD_ALL),
	PF_STR("origin_unit_name", AUD_ALL),
	PF_ID("handler_id", AUD_ALL),
	PF_STR("handler_name", AUD_ALL),
	PF_ID("leader_id", AUD_ALL),
	PF_STR("leader_name", AUD_ALL),
	PF_DATE("deadline", AUD_ALL),
	PF_C("overdue", AUD_ALL, present_item_c_overdue),
	PF_C("actions", AUD_ALL, present_item_c_actions),
	PF_INT("problem_count", AUD_ALL),
	PF_END,
};

/* A task goes out as any machine kind does: the generic audience, the row read into its struct
 * through the machine's columns, actions / overdue / state_zh from the machine. */
static const struct item_presenter task_presenter = {
	{"task", task_fields, present_item_audience, present_item_prepare}, &task_kind};
const struct presenter *const present_task = &task_presenter.p;
static const struct item_presenter task_list_presenter = {
	{"task_list", task_list_fields, present_item_audience, present_item_prepare}, &task_kind};
const struct presenter *const present_task_list = &task_list_presenter.p;

/* --- history: the task's events, seen with the task's audience ------------------------------- */

static const struct pfield event_fields[] = {
	PF_INT("seq", AUD_ALL),
	PF_TIME("at", AUD_ALL),
	PF_STR("kind", AUD_ALL),
	PF_STR("action", AUD_ALL),
	PF_STR("from", AUD_ALL),
	PF_STR("to", AUD_ALL),
	PF_ID("actor_id", AUD_ALL),
	PF_STR("actor_name", AUD_ALL),
	PF_SPREAD_OF(AUD_ALL, present_item_event_body), /* the action's body, by the machine's spec */
	/* a follow-up attempt: its number in the round, its channel (given or by default) and what it
	 * found (task_kind's event hook, store/task.c) */
	PF_INT("attempt", AUD_ALL),
	PF_STR("attempt_outcome", AUD_ALL),
	PF_END,
};

static const struct item_event_presenter task_event = {{"event", event_fields, present_item_event_audience, NULL},
						       &task_machine};
const struct presenter *const present_event = &task_event.p;

/* --- the originals, for the personal-data right ------------------------------------------------ */

static unsigned task_pii_audience(struct pctx *c)
{
	const struct viewer *v = c->v;
	unsigned r = v->rights_on(v, row_text(c->row, "origin_path")) | v->rights_on(v, row_text(c->row, "unit_path"));
	return r & RIGHT_PII ? AUD_PII : 0;
}

static unsigned event_pii_audience(struct pctx *c)
{
	return c->parent & AUD_PII;
}

static const struct pfield event_pii_fields[] = {
	PF_INT("seq", AUD_PII),
	PF_STR("kind", AUD_PII),
	PF_STR("note", AUD_PII),
	PF_STR("reason", AUD_PII),
	PF_END,
};

static const struct presenter present_event_pii = {"event_pii", event_pii_fields, event_pii_audience, NULL};

static const struct pfield task_pii_fields[] = {
	PF_ID("task_id", AUD_PII),
	PF_STR("title", AUD_PII),
	PF_STR("measures", AUD_PII),
	PF_N("events", AUD_PII, &present_event_pii),
	PF_B("audited", AUD_PII),
	PF_END,
};

const struct presenter present_task_pii = {"task_pii", task_pii_fields, task_pii_audience, NULL};
