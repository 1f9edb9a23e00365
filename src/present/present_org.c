/* present_org.c — presenters of the organisation: units, categories, calendar days (public),
 * and users with their grants.  Staff act in their official role: a user's display name, unit
 * and id are public; the login name, state and grants are for the user and administrators. */
#include "core/role.h"
#include "present/present.h"
#include "core/mask.h"
#include <stdlib.h>

static unsigned public_audience(struct pctx *c)
{
	return c->v->user_id ? AUD_STAFF : AUD_PUBLIC;
}

static const struct pfield unit_fields[] = {
	{"id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"parent_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"kind", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"peer_group", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"path", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_unit = {"unit", unit_fields, public_audience, NULL};

static const struct pfield category_fields[] = {
	{"id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"parent_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_category = {"category", category_fields, public_audience, NULL};

static const struct pfield calendar_fields[] = {
	{"date", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"kind", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_calendar_day = {"calendar_day", calendar_fields, public_audience, NULL};

/* A grant is seen with its user's audience (never publicly). */
static unsigned grant_audience(struct pctx *c)
{
	return c->parent & AUD_KNOWN;
}

static const struct pfield grant_fields[] = {
	{"role", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"unit_id", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"unit_name", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_grant = {"grant", grant_fields, grant_audience, NULL};

/* Staff act in their official role: their names are public.  A resident's account name is
 * personal data: masked (张*) for anyone but the resident. */
static void c_display_name(struct pctx *c, struct buf *out)
{
	const char *name = row_text(c->row, "display_name");
	if (!name) {
		buf_puts(out, "null");
		return;
	}
	if (c->aud == AUD_OWNER || row_int(c->row, "staff", 1)) {
		buf_json_str(out, name);
		return;
	}
	char *m = mask_apply(MASK_NAME, name, MASK_PUBLIC);
	buf_json_str(out, m ? m : "");
	free(m);
}

/* Yourself; an administrator; everyone else sees the official. */
static unsigned user_audience(struct pctx *c)
{
	const struct viewer *v = c->v;
	if (v->user_id && row_int(c->row, "id", 0) == v->user_id)
		return AUD_OWNER;
	if (v->rights & RIGHT_ADMIN)
		return AUD_STAFF;
	return AUD_PUBLIC;
}

static const struct pfield user_fields[] = {
	{"id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"username", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"display_name", NULL, AUD_ALL, PF_COMPUTED, c_display_name, NULL},
	{"unit_id", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"unit_name", NULL, AUD_ALL, PF_VALUE, NULL, NULL},
	{"active", NULL, AUD_KNOWN, PF_VALUE, NULL, NULL},
	{"grants", NULL, AUD_KNOWN, PF_NESTED, NULL, &present_grant},
	{"rights", NULL, AUD_OWNER, PF_VALUE, NULL, NULL}, /* GET /me */
	{"auth", NULL, AUD_OWNER, PF_VALUE, NULL, NULL},   /* GET /me: session | token */
	{NULL, NULL, 0, PF_VALUE, NULL, NULL},
};

const struct presenter present_user = {"user", user_fields, user_audience, NULL};
