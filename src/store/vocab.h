/* vocab.h — the places where the store's SQL spells a core name inline, and their check.
 *
 * Names are written into the store from the core tables (core/task.h, core/role.h,
 * core/calendar.h, core/problem.h, core/unit.h): state, tier, role and kind columns hold exactly
 * those names.  A few queries compare with a name inside the SQL text itself, where a constant
 * keeps the statement fixed (prepared once, cached) and lets SQLite pick the index:
 * those constants are these macros, used by store/task.c, store/org.c and store/problem.c, and nowhere spelled
 * again.  store_vocab_check() compares each with core; store_open runs it (a drifted build
 * refuses to open a database) and tests/unit/test_vocab.c runs it too. */
#ifndef QD_STORE_VOCAB_H
#define QD_STORE_VOCAB_H
#include "base/err.h"

/* The open task states (core: task_is_open), in enum order, as an SQL list. */
#define SQL_TASK_OPEN_STATES "('assigned','in_progress','extension_requested')"
/* The rank of a task's state in enum order (core: task_state_names), for a list sorted by
 * state: "CASE t.state WHEN 'pending' THEN 0 … END". */
#define SQL_TASK_STATE_RANK                                                                        \
	"CASE t.state WHEN 'pending' THEN 0 WHEN 'assigned' THEN 1 WHEN 'in_progress' THEN 2 "        \
	"WHEN 'extension_requested' THEN 3 WHEN 'completed' THEN 4 WHEN 'signed_off' THEN 5 END"
/* The rank of a problem's state in enum order (core: problem_states), for the problem list
 * sorted by state: "CASE p.state WHEN 'new' THEN 0 … END". */
#define SQL_PROBLEM_STATE_RANK                                                                     \
	"CASE p.state WHEN 'new' THEN 0 WHEN 'assigned' THEN 1 WHEN 'merged' THEN 2 "                \
	"WHEN 'declined' THEN 3 END"
/* The resident role (core: role_name(ROLE_RESIDENT)), as an SQL string. */
#define SQL_ROLE_RESIDENT "'resident'"
/* The new problem state (core: problem_state_name(PS_NEW)), as an SQL string: the index of
 * migration 10 (problem_new_near) is partial on it, and SQLite uses a partial index only for a
 * query that spells its condition. */
#define SQL_PROBLEM_NEW "'new'"
/* The ordinary day kind (core: CAL_ORDINARY), as stored in calendar_day.kind. */
#define SQL_CAL_ORDINARY "0"

/* 0 when every macro above says what core says; -1 with err (QD_EINTERNAL) naming the first
 * that does not. */
int store_vocab_check(struct qd_err *err);
/* 1 when sql is an SQL list "('a','b')" of exactly the names names[0..n-1] in that order (or,
 * with n == 1, also the single string "'a'"); else 0.  The comparison store_vocab_check makes. */
int store_vocab_sql_names(const char *sql, const char *const *names, int n);

#endif
