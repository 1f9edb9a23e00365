/* spec_fixture.h — the working-day calendar as shipped and the SPEC's deadline limits, literally
 * (urgent: respond in 1, done in 3 working days; normal: 2, 15; complex: 2, 30 and one
 * extension), for the unit tests of machines that compute deadlines (test_task, test_machine).
 * Header-only, like tmpdb.h: each test program is one .c file; use spec_setup / spec_teardown as
 * the cmocka group's setup and teardown. */
#ifndef QD_TESTS_SPEC_FIXTURE_H
#define QD_TESTS_SPEC_FIXTURE_H
#include "core/calendar.h"
#include "core/task.h"

static struct calendar *cal;
static struct urgency_limit limits[URG__COUNT];

static int spec_setup(void **state)
{
	(void)state;
	size_t n;
	const struct cal_day *days = calendar_shipped(&n);
	cal = calendar_new(days, n);
	limits[URG_URGENT] = (struct urgency_limit){1, 3, 0};
	limits[URG_NORMAL] = (struct urgency_limit){2, 15, 0};
	limits[URG_COMPLEX] = (struct urgency_limit){2, 30, 1};
	return cal ? 0 : -1;
}

static int spec_teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

#endif
