/* role.c — the role → rights table.  Changing who may do what starts here (and in the task
 * transition table, src/core/task.c); the authorization-matrix tests read both. */
#include "core/role.h"
#include <string.h>

static const struct {
	const char *name, *zh;
	unsigned rights;
} roles[ROLE__COUNT] = {
	[ROLE_RESIDENT] = {"resident", "群众", RIGHT_OWN | RIGHT_PROBLEM_CREATE | RIGHT_FOLLOW_UP},
	[ROLE_GRID] = {"grid", "网格员/村干部",
		       RIGHT_READ | RIGHT_VISIT | RIGHT_PROBLEM_CREATE | RIGHT_FOLLOW_UP},
	[ROLE_HANDLER] = {"handler", "承办人", RIGHT_READ | RIGHT_HANDLE},
	[ROLE_UNIT_HEAD] = {"unit_head", "第一责任人", RIGHT_READ | RIGHT_HANDLE},
	[ROLE_DISPATCHER] = {"dispatcher", "研判交办员",
			     RIGHT_READ | RIGHT_PROBLEM_CREATE | RIGHT_TRIAGE | RIGHT_EXTENSION |
				     RIGHT_FOLLOW_UP | RIGHT_SIGN_OFF | RIGHT_REOPEN},
	[ROLE_LEADER] = {"leader", "包保领导", RIGHT_READ | RIGHT_EXTENSION},
	[ROLE_SUPERVISOR] = {"supervisor", "督导组成员",
			     RIGHT_READ | RIGHT_FOLLOW_UP | RIGHT_SIGN_OFF | RIGHT_REOPEN |
				     RIGHT_EXCEPTION},
	[ROLE_ANALYST] = {"analyst", "数据分析员", RIGHT_READ},
	[ROLE_ADMIN] = {"admin", "系统管理员", RIGHT_READ | RIGHT_ADMIN | RIGHT_AUDIT},
	[ROLE_PII] = {"pii", "个人信息查阅权", RIGHT_PII},
};

unsigned role_rights(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].rights : 0;
}

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].name : NULL;
}

const char *role_name_zh(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].zh : NULL;
}

int role_parse(const char *s)
{
	for (int i = 0; i < ROLE__COUNT; i++)
		if (s && strcmp(s, roles[i].name) == 0)
			return i;
	return -1;
}

const char *right_name(unsigned bit)
{
	switch (bit) {
	case RIGHT_READ: return "read";
	case RIGHT_PII: return "pii";
	case RIGHT_VISIT: return "visit";
	case RIGHT_PROBLEM_CREATE: return "problem_create";
	case RIGHT_TRIAGE: return "triage";
	case RIGHT_HANDLE: return "handle";
	case RIGHT_EXTENSION: return "extension";
	case RIGHT_FOLLOW_UP: return "follow_up";
	case RIGHT_SIGN_OFF: return "sign_off";
	case RIGHT_REOPEN: return "reopen";
	case RIGHT_EXCEPTION: return "exception";
	case RIGHT_ADMIN: return "admin";
	case RIGHT_AUDIT: return "audit";
	case RIGHT_OWN: return "own";
	}
	return "none";
}

unsigned grants_rights_on(const struct grant *g, int n, const char *path)
{
	unsigned r = 0;
	if (!path || !*path)
		return 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(g[i].path);
		if (l && strncmp(g[i].path, path, l) == 0)
			r |= role_rights(g[i].role);
	}
	return r;
}

unsigned grants_rights_any(const struct grant *g, int n)
{
	unsigned r = 0;
	for (int i = 0; i < n; i++)
		r |= role_rights(g[i].role);
	return r;
}
