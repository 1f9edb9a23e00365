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
	return s->actor.rights_any & RIGHT_READ ? AUD_STAFF : 0;
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
