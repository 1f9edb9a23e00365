/* lang.c — the languages' code names (see lang.h). */
#include "core/lang.h"
#include "core/names.h"
#include <stddef.h>

const char *const lang_names[LANG__N + 1] = {[LANG_ZH] = "zh", [LANG_EN] = "en", [LANG__N] = NULL};

int lang_parse(const char *s)
{
	return names_find(lang_names, LANG__N, s);
}
