/* present_org.c — presenters of the organisation: units, categories, calendar days (public),
 * users with their grants, and a user's new API token.  Staff act in their official role: a user's display name, unit
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
	PF_ID("id", AUD_ALL),
	PF_ID("parent_id", AUD_ALL),
	PF_STR("name", AUD_ALL),
	PF_STR("kind", AUD_ALL),
	PF_STR("peer_group", AUD_ALL),
	PF_STR("path", AUD_ALL),
	PF_END,
};

const struct presenter present_unit = {"unit", unit_fields, public_audience, NULL};

static const struct pfield category_fields[] = {
	PF_ID("id", AUD_ALL),
	PF_ID("parent_id", AUD_ALL),
	PF_STR("name", AUD_ALL),
	PF_END,
};

const struct presenter present_category = {"category", category_fields, public_audience, NULL};

static const struct pfield calendar_fields[] = {
	PF_DATE("date", AUD_ALL),
	PF_STR("kind", AUD_ALL),
	PF_STR("name", AUD_ALL),
	PF_END,
};

const struct presenter present_calendar_day = {"calendar_day", calendar_fields, public_audience, NULL};

/* A grant is seen with its user's audience (never publicly). */
static unsigned grant_audience(struct pctx *c)
{
	return c->parent & AUD_KNOWN;
}

static const struct pfield grant_fields[] = {
	PF_STR("role", AUD_KNOWN),
	PF_ID("unit_id", AUD_KNOWN),
	PF_STR("unit_name", AUD_KNOWN),
	PF_END,
};

const struct presenter present_grant = {"grant", grant_fields, grant_audience, NULL};

/* Staff act in their official role: their names are public.  A resident's account name is
 * personal data: masked (张*) for anyone but the resident. */
static void c_display_name(struct pctx *c, struct buf *out)
{
	const char *name = row_text(c->row, "display_name");
	if (!name || !*name) {
		buf_puts(out, "null");
		return;
	}
	if (c->aud == AUD_OWNER || row_int(c->row, "staff", 1)) {
		buf_json_str(out, name);
		return;
	}
	char *m = mask_apply(MASK_NAME, name, MASK_PUBLIC);
	if (m && *m)
		buf_json_str(out, m);
	else
		buf_puts(out, "null");
	free(m);
}

/* Yourself; a system or security administrator (who manage users and their grants); everyone
 * else sees the official. */
static unsigned user_audience(struct pctx *c)
{
	const struct viewer *v = c->v;
	if (v->user_id && row_int(c->row, "id", 0) == v->user_id)
		return AUD_OWNER;
	if (v->rights & (RIGHT_ADMIN | RIGHT_GRANT))
		return AUD_STAFF;
	return AUD_PUBLIC;
}

static const struct pfield user_fields[] = {
	PF_ID("id", AUD_ALL),
	PF_STR("username", AUD_KNOWN),
	PF_C("display_name", AUD_ALL, c_display_name),
	PF_ID("unit_id", AUD_ALL),
	PF_STR("unit_name", AUD_ALL),
	PF_B("active", AUD_KNOWN),
	PF_N("grants", AUD_KNOWN, &present_grant),
	PF_V("rights", AUD_OWNER), /* GET /me */
	PF_STR("auth", AUD_OWNER),   /* GET /me: session | token */
	PF_STR("csrf", AUD_OWNER),   /* GET /me: the token of the caller's forms (web/csrf.h) */
	PF_END,
};

const struct presenter present_user = {"user", user_fields, user_audience, NULL};

/* An API token as created (POST /tokens): shown once, to the user who made it. */
static unsigned token_audience(struct pctx *c)
{
	return c->v->user_id ? AUD_OWNER : 0;
}

static const struct pfield token_fields[] = {
	PF_STR("token", AUD_OWNER),
	PF_ID("id", AUD_OWNER),
	PF_STR("label", AUD_OWNER),
	PF_STR("scope", AUD_OWNER),
	PF_INT("days", AUD_OWNER),
	PF_END,
};

const struct presenter present_token = {"token", token_fields, token_audience, NULL};

/* An API token as listed (GET /tokens): to its owner and to the security administrator — what
 * it is for, what it may do and when it was used; never the token or its hash (the store does
 * not have the one and this table has no field for the other). */
static unsigned token_row_audience(struct pctx *c)
{
	const struct viewer *v = c->v;
	if (v->user_id && row_int(c->row, "user_id", 0) == v->user_id)
		return AUD_OWNER;
	if (v->rights & RIGHT_GRANT) /* the security administrator (the list is scoped by auth.c) */
		return AUD_STAFF;
	return 0;
}

static const struct pfield token_row_fields[] = {
	PF_ID("id", AUD_KNOWN),
	PF_ID("user_id", AUD_KNOWN),
	PF_STR("label", AUD_KNOWN),
	PF_STR("scope", AUD_KNOWN),
	PF_TIME("created_at", AUD_KNOWN),
	PF_TIME("expires_at", AUD_KNOWN),
	PF_TIME("last_used_at", AUD_KNOWN),
	PF_B("revoked", AUD_KNOWN),
	PF_END,
};

const struct presenter present_token_row = {"token", token_row_fields, token_row_audience, NULL};
