/* present_item.h — what every machine kind's presenter shares (core/machine.h): the actions a
 * viewer may take on an item now, and its derived overdue, written from the machine's table.
 * A kind's presenter table names these as computed fields (present_task.c does for tasks). */
#ifndef QD_PRESENT_ITEM_H
#define QD_PRESENT_ITEM_H
#include "base/buf.h"
#include "core/machine.h"

/* Append the JSON array of the names of the actions actor may take on item now (machine_allowed);
 * [] for the anonymous public (actor NULL). */
void present_item_actions(struct buf *out, const struct machine *m, const void *item,
			  const struct machine_actor *actor);
/* Append true/false: the item is overdue on today (machine_overdue). */
void present_item_overdue(struct buf *out, const struct machine *m, const void *item, int32_t today);

#endif
