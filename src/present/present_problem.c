/* present_problem.c — the problem presenter (the problem list, a task's problems) and the
 * presenter of a problem's personal data (the audited route only). */
#include "core/role.h"
#include "present/present.h"

/* Staff who may read the problem's unit (or who see the task it belongs to); the resident who
 * submitted it; the public for what may be disclosed.  Another resident's problem on a task
 * shared with the viewer is not shown. */
static unsigned problem_audience(struct pctx *c)
{
	const struct viewer *v = c->v;
	if (c->parent & (AUD_STAFF | AUD_PII))
		return AUD_STAFF;
	if (v->rights_on(v, row_text(c->row, "unit_path")) & RIGHT_READ)
		return AUD_STAFF;
	if (v->user_id && (v->rights & RIGHT_OWN) && row_int(c->row, "created_by", 0) == v->user_id)
		return AUD_OWNER;
	if (!v->user_id && !row_int(c->row, "no_disclose", 1) && c->parent != AUD_OWNER)
		return AUD_PUBLIC;
	return 0;
}

/* The fields of a problem, in a list and alone.  reporter_name: masked when written (张*), NULL
 * when the resident chose anonymity. */
#define PROBLEM_FIELDS \
	PF_ID("id", AUD_ALL), \
	PF_STR("code", AUD_KNOWN), /* the tracking code: the resident's key */ \
	PF_ID("unit_id", AUD_ALL), \
	PF_STR("unit_name", AUD_ALL), \
	PF_ID("category_id", AUD_ALL), \
	PF_STR("category_name", AUD_ALL), \
	PF_STR("source", AUD_KNOWN), \
	PF_T("description", AUD_ALL), \
	PF_STR("state", AUD_ALL), \
	PF_ID("task_id", AUD_ALL), \
	PF_ID("merged_into", AUD_ALL), \
	PF_T("decline_reason", AUD_ALL), \
	PF_ID("visit_id", AUD_STAFF), \
	PF_B("anonymous", AUD_KNOWN), \
	PF_B("no_disclose", AUD_KNOWN), \
	PF_STR_AS("reporter_name", "reporter_masked", AUD_ALL), \
	PF_ID("created_by", AUD_STAFF), \
	PF_TIME("created_at", AUD_ALL), \
	PF_TIME("updated_at", AUD_ALL),

static const struct pfield problem_fields[] = {
	PROBLEM_FIELDS
	/* the linked task's state: a linked problem's status is its task's (NULL: no task) */
	PF_STR("task_state", AUD_ALL),
	PF_END,
};

/* One problem (GET /problems/{id}, the triage actions' answers: store_problem_get_linked): also
 * where its merge chain ends and the status of the task it is linked to, its own or its
 * master's — once linked, a problem's public status is its task's. */
static const struct pfield problem_detail_fields[] = {
	PROBLEM_FIELDS
	PF_ID("master_id", AUD_ALL),
	PF_ID("master_task_id", AUD_ALL),
	PF_STR("task_state", AUD_ALL),
	PF_END,
};

const struct presenter present_problem = {"problem", problem_fields, problem_audience, NULL};
const struct presenter present_problem_detail = {"problem", problem_detail_fields, problem_audience, NULL};

static const struct pfield problem_pii_fields[] = {
	PF_ID("problem_id", AUD_PII),
	PF_STR("name", AUD_PII),
	PF_STR("phone", AUD_PII),
	PF_STR("id_no", AUD_PII),
	PF_STR("address", AUD_PII),
	PF_STR("description", AUD_PII),
	PF_STR("decline_reason", AUD_PII),
	PF_B("audited", AUD_PII),
	PF_END,
};

const struct presenter present_problem_pii = {"problem_pii", problem_pii_fields, present_audience_pii, NULL};
