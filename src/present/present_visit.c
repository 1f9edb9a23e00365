/* present_visit.c — the household-visit presenter (staff only: a visit names a household) and
 * the presenter of a visit's original text (the audited route only). */
#include "core/role.h"
#include "present/present.h"

static unsigned visit_audience(struct pctx *c)
{
	return c->v->rights_on(c->v, row_text(c->row, "unit_path")) & RIGHT_READ ? AUD_STAFF : 0;
}

static const struct pfield visit_fields[] = {
	PF_ID("id", AUD_STAFF),
	PF_ID("unit_id", AUD_STAFF),
	PF_STR("unit_name", AUD_STAFF),
	PF_ID("cadre_id", AUD_STAFF),
	PF_STR("cadre_name", AUD_STAFF),
	PF_DATE("visited_on", AUD_STAFF),
	PF_T("household", AUD_STAFF),
	PF_T("note", AUD_STAFF),
	PF_TIME("created_at", AUD_STAFF),
	PF_END,
};

const struct presenter present_visit = {"visit", visit_fields, visit_audience, NULL};

static const struct pfield visit_pii_fields[] = {
	PF_ID("visit_id", AUD_PII),
	PF_STR("household", AUD_PII),
	PF_STR("note", AUD_PII),
	PF_B("audited", AUD_PII),
	PF_END,
};

const struct presenter present_visit_pii = {"visit_pii", visit_pii_fields, present_audience_pii, NULL};
