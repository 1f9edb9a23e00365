/* deadline.c — the deadline block's rules (core/deadline.h), the same for every kind of item. */
#include "core/deadline.h"

void deadline_default_limits(struct urgency_limit out[URG__COUNT])
{
	out[URG_URGENT] = (struct urgency_limit){1, 3, 0};
	out[URG_NORMAL] = (struct urgency_limit){2, 15, 0};
	out[URG_COMPLEX] = (struct urgency_limit){2, 30, 1};
}

void deadline_start(struct deadline *d, const struct calendar *cal, int32_t today, const struct urgency_limit *l)
{
	d->assigned_on = today;
	d->respond_by = calendar_add_workdays(cal, today, l->respond);
	d->deadline = calendar_add_workdays(cal, today, l->complete);
	d->max_extensions = l->max_extensions;
	d->responded_on = 0;
}

int deadline_overdue(const struct deadline *d, int open, int done, int32_t today)
{
	if (!d->deadline)
		return 0;
	if (open)
		return today > d->deadline;
	if (done)
		return d->completed_on > d->deadline;
	return 0;
}

int deadline_responded_in_time(const struct deadline *d)
{
	return d->respond_by && d->responded_on && d->responded_on <= d->respond_by;
}

int deadline_completed_on_time(const struct deadline *d)
{
	return d->deadline && d->completed_on && d->completed_on <= d->deadline;
}

int deadline_extension_left(const struct deadline *d)
{
	return d->extensions_used < d->max_extensions;
}
