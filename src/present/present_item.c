/* present_item.c — the derived fields every machine kind's presenter shares (present_item.h). */
#include "present/present_item.h"

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
