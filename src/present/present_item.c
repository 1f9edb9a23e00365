/* present_item.c — the derived fields every machine kind's presenter shares (present_item.h). */
#include "present/present_item.h"
#include "core/role.h"
#include <string.h>

void present_item_actions(struct buf *out, const struct machine *m, const void *item,
			  const struct machine_actor *actor)
{
	unsigned mask = actor ? machine_allowed(m, item, actor) : 0;
	buf_putc(out, '[');
	int n = 0;
	for (int i = 0; i < m->nactions && i < 32; i++)
		if (mask & (1u << i)) {
			if (n++)
				buf_putc(out, ',');
			buf_json_str(out, machine_action_name(m, i));
		}
	buf_putc(out, ']');
}

void present_item_overdue(struct buf *out, const struct machine *m, const void *item, int32_t today)
{
	buf_puts(out, machine_overdue(m, item, today) ? "true" : "false");
}

/* The scratch of an item presenter: the actor, then the item's struct. */
struct item_scratch {
	struct machine_actor actor;
	_Alignas(16) unsigned char item[PRESENT_SCRATCH - 32];
};
_Static_assert(sizeof(struct item_scratch) <= PRESENT_SCRATCH, "scratch too small");

static const struct store_kind *kind_of(const struct pctx *c)
{
	return ((const struct item_presenter *)(const void *)c->p)->k;
}

unsigned present_item_audience(struct pctx *c)
{
	const struct store_kind *k = kind_of(c);
	const struct viewer *v = c->v;
	struct item_scratch *s = (struct item_scratch *)c->scratch;
	const char *ph = k->path_handling ? row_text(c->row, k->path_handling) : NULL;
	const char *pa = k->path_any ? row_text(c->row, k->path_any) : NULL;
	s->actor.user_id = v->user_id;
	s->actor.rights_handling = v->rights_on(v, ph);
	s->actor.rights_any = v->rights_on(v, pa) | s->actor.rights_handling;
	if (s->actor.rights_any & RIGHT_READ)
		return AUD_STAFF;
	/* A resident is given only their own items by the route (the tasks gathering a problem of
	 * theirs: api_task.c); the public, only what is disclosed (later). */
	if (v->user_id && (v->rights & RIGHT_OWN))
		return AUD_OWNER;
	if (!v->user_id)
		return AUD_PUBLIC;
	return 0;
}

void present_item_prepare(struct pctx *c)
{
	const struct machine *m = kind_of(c)->m;
	struct item_scratch *s = (struct item_scratch *)c->scratch;
	if (m->size <= sizeof s->item)
		store_item_from_row(m, c->row, s->item);
	else
		memset(s->item, 0, sizeof s->item); /* a kind too large for the scratch: a bug, caught by its tests */
}

void present_item_c_actions(struct pctx *c, struct buf *out)
{
	struct item_scratch *s = (struct item_scratch *)c->scratch;
	present_item_actions(out, kind_of(c)->m, s->item, c->v->user_id ? &s->actor : NULL);
}

void present_item_c_overdue(struct pctx *c, struct buf *out)
{
	struct item_scratch *s = (struct item_scratch *)c->scratch;
	present_item_overdue(out, kind_of(c)->m, s->item, c->v->today);
}

void present_item_c_state_zh(struct pctx *c, struct buf *out)
{
	struct item_scratch *s = (struct item_scratch *)c->scratch;
	const struct machine *m = kind_of(c)->m;
	buf_json_str(out, machine_state_zh(m, machine_state(m, s->item)));
}

unsigned present_item_event_audience(struct pctx *c)
{
	return c->parent & (AUD_PUBLIC | AUD_OWNER | AUD_STAFF);
}

/* How a body field of a spec goes out. */
static enum pkind kind_of_param(enum ptype t)
{
	switch (t) {
	case P_STR:
	case P_TEXT: return PF_TEXT;
	case P_INT: return PF_INTEGER;
	case P_ID: return PF_IDENT;
	case P_BOOL: return PF_BOOL;
	case P_ENUM: return PF_STRING;
	case P_DATE: return PF_DAY;
	default: return PF_VALUE; /* P_IDS, P_OBJ: as recorded */
	}
}

void present_item_event_body(struct pctx *c, struct buf *out)
{
	const struct machine *m = ((const struct item_event_presenter *)c->p)->m;
	const char *name = row_text(c->row, "action");
	int a = name ? machine_action_parse(m, name) : -1;
	if (a < 0)
		return;
	for (const struct param *p = machine_action_body(m, a); p && p->name; p++) {
		int i = c->row->ops->find(c->row->impl, p->name);
		if (i < 0)
			continue;
		present_member(c, out, p->name);
		present_value(c, i, kind_of_param(p->type), out);
	}
}
