/* names.c — the name lookup of core's name tables (core/names.h). */
#include "core/names.h"
#include <string.h>

int names_find(const char *const *names, int n, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; (n < 0 || i < n) && names[i]; i++)
		if (names[i][0] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *names_at(const char *const *names, int v)
{
	for (int i = 0; v >= 0 && names[i]; i++)
		if (i == v)
			return names[i];
	return NULL;
}
