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
	PF_V("id", AUD_ALL),
	PF_V("parent_id", AUD_ALL),
	PF_V("name", AUD_ALL),
	PF_V("kind", AUD_ALL),
	PF_V("peer_group", AUD_ALL),
	PF_V("path", AUD_ALL),
	PF_END,
};

const struct presenter present_unit = {"unit", unit_fields, public_audience, NULL};

static const struct pfield category_fields[] = {
	PF_V("id", AUD_ALL),
	PF_V("parent_id", AUD_ALL),
	PF_V("name", AUD_ALL),
	PF_END,
};

const struct presenter present_category = {"category", category_fields, public_audience, NULL};

static const struct pfield calendar_fields[] = {
	PF_V("date", AUD_ALL),
	PF_V("kind", AUD_ALL),
	PF_V("name", AUD_ALL),
	PF_END,
};

const struct presenter present_calendar_day = {"calendar_day", calendar_fields, public_audience, NULL};

/* A grant is seen with its user's audience (never publicly). */
static unsigned grant_audience(struct pctx *c)
{
	return c->parent & AUD_KNOWN;
}

static const struct pfield grant_fields[] = {
	PF_V("role", AUD_KNOWN),
	PF_V("unit_id", AUD_KNOWN),
	PF_V("unit_name", AUD_KNOWN),
	PF_END,
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
	PF_V("id", AUD_ALL),
	PF_V("username", AUD_KNOWN),
	PF_C("display_name", AUD_ALL, c_display_name),
	PF_V("unit_id", AUD_ALL),
	PF_V("unit_name", AUD_ALL),
	PF_V("active", AUD_KNOWN),
	PF_N("grants", AUD_KNOWN, &present_grant),
	PF_V("rights", AUD_OWNER), /* GET /me */
	PF_V("auth", AUD_OWNER),   /* GET /me: session | token */
	PF_END,
};

const struct presenter present_user = {"user", user_fields, user_audience, NULL};
