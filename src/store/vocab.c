/* vocab.c — the check that the names the store's SQL spells inline (store/vocab.h) are core's. */
#include "store/vocab.h"
#include "base/buf.h"
#include "core/calendar.h"
#include "core/problem.h"
#include "core/role.h"
#include "core/task.h"
#include <stdio.h>
#include <string.h>

int store_vocab_sql_names(const char *sql, const char *const *names, int n)
{
	const char *p = sql;
	int list = *p == '(';
	if (list)
		p++;
	else if (n != 1)
		return 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		if (i > 0 && *p++ != ',')
			return 0;
		if (*p != '\'' || strncmp(p + 1, names[i], l) != 0 || p[1 + l] != '\'')
			return 0;
		p += l + 2;
	}
	if (list && *p++ != ')')
		return 0;
	return *p == 0;
}

/* 1 when rank (SQL_TASK_STATE_RANK, SQL_PROBLEM_STATE_RANK) ranks the n states names of core by
 * their enum value, as "CASE <col> WHEN '<name>' THEN <value> … END", and nothing else. */
static int state_rank_ok(const char *rank, const char *col, const char *const *names, int n)
{
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "CASE %s", col); /* sql-ident: a fixed column name, compared with the SQL text, never run */
	for (int s = 0; s < n; s++)
		buf_printf(&b, " WHEN '%s' THEN %d", names[s], s); /* sql-ident: core's state code names, compared with the SQL text, never run */
	buf_puts(&b, " END");
	int ok = strcmp(b.p, rank) == 0;
	buf_free(&b);
	return ok;
}

int store_vocab_check(struct qd_err *err)
{
	const char *open[TS__COUNT];
	int n = 0;
	for (int s = 0; s < TS__COUNT; s++)
		if (task_is_open((enum task_state)s))
			open[n++] = task_state_name((enum task_state)s);
	const char *resident = role_name(ROLE_RESIDENT);
	const char *fresh = problem_state_name(PS_NEW);
	char ordinary[16];
	snprintf(ordinary, sizeof ordinary, "%d", CAL_ORDINARY);
	const char *bad = !store_vocab_sql_names(SQL_TASK_OPEN_STATES, open, n) ? "SQL_TASK_OPEN_STATES"
			  : !store_vocab_sql_names(SQL_ROLE_RESIDENT, &resident, 1) ? "SQL_ROLE_RESIDENT"
			  : !store_vocab_sql_names(SQL_PROBLEM_NEW, &fresh, 1)      ? "SQL_PROBLEM_NEW"
			  : strcmp(SQL_CAL_ORDINARY, ordinary) != 0               ? "SQL_CAL_ORDINARY"
			  : !state_rank_ok(SQL_TASK_STATE_RANK, "t.state", task_state_names, TS__COUNT)
			      ? "SQL_TASK_STATE_RANK"
			  : !state_rank_ok(SQL_PROBLEM_STATE_RANK, "p.state", problem_states, PS__COUNT)
			      ? "SQL_PROBLEM_STATE_RANK"
										  : NULL;
	if (bad)
		return qd_fail(err, QD_EINTERNAL, "", "内部错误：存储层 SQL 中的 %s 与核心名称表不一致",
			       "internal error: %s in the store's SQL differs from the core names", bad, bad);
	return 0;
}
