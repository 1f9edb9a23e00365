/* backoff.c — exponential back-off after repeated failures (see backoff.h). */
#include "core/backoff.h"

int64_t backoff_wait_ms(int64_t failures, int free_failures, int64_t cap_ms)
{
	if (failures <= free_failures)
		return 0;
	int64_t n = failures - free_failures - 1, ms = 1000;
	while (n-- > 0 && ms < cap_ms)
		ms *= 2;
	return ms < cap_ms ? ms : cap_ms;
}
