/* present_audit.c — a row of the audit log as it leaves the server (GET /api/v1/audit, its CSV
 * export): only for a viewer holding the audit right (the audit administrator); the submitted
 * name of a failed login, the client's address and the route are what the log is for. */
#include "core/role.h"
#include "present/present.h"

static unsigned audit_audience(struct pctx *c)
{
	return (c->v->rights & RIGHT_AUDIT) ? AUD_STAFF : 0;
}

static const struct pfield audit_fields[] = {
    PF_ID("id", AUD_STAFF),
    PF_TIME("at", AUD_STAFF),
    PF_ID("user_id", AUD_STAFF),
    PF_STR("username", AUD_STAFF),
    PF_STR("client", AUD_STAFF),
    PF_STR("method", AUD_STAFF),
    PF_STR("route", AUD_STAFF),
    PF_ID("entity_id", AUD_STAFF),
    PF_STR("kind", AUD_STAFF),
    PF_STR("outcome", AUD_STAFF),
    PF_INT("status", AUD_STAFF),
    PF_STR("detail", AUD_STAFF),
    PF_END,
};

const struct presenter present_audit = {"audit", audit_fields, audit_audience, NULL};
