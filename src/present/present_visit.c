/* present_visit.c — the household-visit presenter (staff only: a visit names a household) and
 * the presenter of a visit's original text (the audited route only). */
#include "core/role.h"
#include "present/present.h"

static unsigned visit_audience(struct pctx *c)
{
	return c->v->rights_on(c->v, row_text(c->row, "unit_path")) & RIGHT_READ ? AUD_STAFF : 0;
}

static const struct pfield visit_fields[] = {
	{"id", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"unit_id", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"unit_name", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"cadre_id", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"cadre_name", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"visited_on", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{"household", NULL, AUD_STAFF, PF_TEXT, NULL, NULL},
	{"note", NULL, AUD_STAFF, PF_TEXT, NULL, NULL},
	{"created_at", NULL, AUD_STAFF, PF_VALUE, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_visit = {"visit", visit_fields, visit_audience, NULL};

static unsigned visit_pii_audience(struct pctx *c)
{
	return c->v->rights_on(c->v, row_text(c->row, "unit_path")) & RIGHT_PII ? AUD_PII : 0;
}

static const struct pfield visit_pii_fields[] = {
	{"visit_id", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"household", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"note", NULL, AUD_PII, PF_VALUE, NULL, NULL},
	{"audited", NULL, AUD_PII, PF_BOOL, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_visit_pii = {"visit_pii", visit_pii_fields, visit_pii_audience, NULL};
