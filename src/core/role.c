/* role.c — the role → rights table and the roles' names and labels (the one vocabulary of roles:
 * the route table, the store and the presenters use these).  Changing who may do what starts here
 * (and in the task transition table, src/core/task.c); the authorization-matrix tests read both. */
#include "core/role.h"
#include "core/names.h"
#include <string.h>

const char *const role_names[ROLE__COUNT + 1] = {
	[ROLE_RESIDENT] = "resident",     [ROLE_GRID] = "grid",     [ROLE_HANDLER] = "handler",
	[ROLE_UNIT_HEAD] = "unit_head",   [ROLE_DISPATCHER] = "dispatcher", [ROLE_LEADER] = "leader",
	[ROLE_SUPERVISOR] = "supervisor", [ROLE_ANALYST] = "analyst", [ROLE_ADMIN] = "admin",
	[ROLE_SECURITY_ADMIN] = "security_admin", [ROLE_AUDIT_ADMIN] = "audit_admin",
	[ROLE_PII] = "pii",               [ROLE__COUNT] = NULL,
};

const char *const role_names_zh[ROLE__COUNT + 1] = {
	[ROLE_RESIDENT] = "群众",         [ROLE_GRID] = "网格员/村干部", [ROLE_HANDLER] = "承办人",
	[ROLE_UNIT_HEAD] = "第一责任人",  [ROLE_DISPATCHER] = "研判交办员", [ROLE_LEADER] = "包保领导",
	[ROLE_SUPERVISOR] = "督导组成员", [ROLE_ANALYST] = "数据分析员",  [ROLE_ADMIN] = "系统管理员",
	[ROLE_SECURITY_ADMIN] = "安全管理员", [ROLE_AUDIT_ADMIN] = "审计管理员",
	[ROLE_PII] = "个人信息查阅权",    [ROLE__COUNT] = NULL,
};

static const unsigned rights_of[ROLE__COUNT] = {
	[ROLE_RESIDENT] = RIGHT_OWN | RIGHT_PROBLEM_CREATE | RIGHT_FOLLOW_UP,
	[ROLE_GRID] = RIGHT_READ | RIGHT_VISIT | RIGHT_PROBLEM_CREATE | RIGHT_FOLLOW_UP,
	[ROLE_HANDLER] = RIGHT_READ | RIGHT_HANDLE,
	[ROLE_UNIT_HEAD] = RIGHT_READ | RIGHT_HANDLE,
	[ROLE_DISPATCHER] = RIGHT_READ | RIGHT_PROBLEM_CREATE | RIGHT_TRIAGE | RIGHT_EXTENSION |
			    RIGHT_FOLLOW_UP | RIGHT_SIGN_OFF | RIGHT_REOPEN,
	[ROLE_LEADER] = RIGHT_READ | RIGHT_EXTENSION,
	[ROLE_SUPERVISOR] = RIGHT_READ | RIGHT_FOLLOW_UP | RIGHT_SIGN_OFF | RIGHT_REOPEN | RIGHT_EXCEPTION,
	[ROLE_ANALYST] = RIGHT_READ,
	/* The three administrators: no right in common (等保2.0 separation of duties). */
	[ROLE_ADMIN] = RIGHT_READ | RIGHT_ADMIN,
	[ROLE_SECURITY_ADMIN] = RIGHT_GRANT,
	[ROLE_AUDIT_ADMIN] = RIGHT_AUDIT,
	[ROLE_PII] = RIGHT_PII,
};

unsigned role_rights(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? rights_of[r] : 0;
}

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? role_names[r] : NULL;
}

const char *role_name_zh(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? role_names_zh[r] : NULL;
}

int role_parse(const char *s)
{
	return names_find(role_names, ROLE__COUNT, s);
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
	case RIGHT_GRANT: return "grant";
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
