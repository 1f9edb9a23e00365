/* flow.c — the pages' flow words (core/flow.h). */
#include "core/flow.h"
#include <stddef.h>

const char *const triage_steps[] = {"details", "people", "check", "confirm", NULL};
const char *const admin_done_names[] = {"unit",  "user",   "category", "day",   "limits", "handoff",
                                        "grant", "revoke", "unlock",   "token", NULL};
