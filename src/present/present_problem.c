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

static const struct pfield problem_fields[] = {
	{"id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"code", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL}, /* the tracking code: the resident's key */
	{"unit_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"unit_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"category_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"category_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"source", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"description", NULL, AUD_ALL, PF_TEXT, NULL, NULL},
	{"state", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"task_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"merged_into", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"decline_reason", NULL, AUD_ALL, PF_TEXT, NULL, NULL},
	{"visit_id", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"anonymous", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"no_disclose", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	/* masked when written (张*), NULL when the resident chose anonymity */
	{"reporter_name", "reporter_masked", AUD_ALL, PF_VALUE, NULL, NULL},
	{"created_by", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"created_at", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"updated_at", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_problem = {"problem", problem_fields, problem_audience, NULL};

/* Only with the personal-data right over the problem's unit. */
static unsigned pii_audience(struct pctx *c)
{
	return c->v->rights_on(c->v, row_text(c->row, "unit_path")) & RIGHT_PII ? AUD_PII : 0;
}

static const struct pfield problem_pii_fields[] = {
	{"problem_id", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"name", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"phone", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"id_no", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"address", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"description", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"decline_reason", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"audited", NULL, AUD_PII, PF_BOOL, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_problem_pii = {"problem_pii", problem_pii_fields, pii_audience, NULL};
