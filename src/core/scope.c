/* scope.c — scope decisions over grants and unit paths (see scope.h).  Pure; the role → rights
 * table is core/role.c. */
#include "core/scope.h"
#include "core/unit.h"
#include <string.h>

unsigned scope_rights_on(const struct scope *s, const char *path)
{
	return grants_rights_on(s->grants, s->ngrants, path);
}

unsigned scope_rights_item(const struct scope *s, const char *origin_path, const char *unit_path)
{
	return scope_rights_on(s, origin_path) | scope_rights_on(s, unit_path);
}

unsigned scope_rights_any(const struct scope *s)
{
	return grants_rights_any(s->grants, s->ngrants);
}

int scope_own_only(const struct scope *s)
{
	unsigned r = scope_rights_any(s);
	return !(r & RIGHT_READ) && (r & RIGHT_OWN);
}

/* "/N/": one segment. */
static int is_root(const char *p)
{
	size_t l = strlen(p);
	return l >= 3 && p[0] == '/' && p[l - 1] == '/' && strchr(p + 1, '/') == p + l - 1;
}

int scope_county_admin(const struct scope *s)
{
	for (int i = 0; i < s->ngrants; i++)
		if ((role_rights(s->grants[i].role) & RIGHT_ADMIN) && is_root(s->grants[i].path))
			return 1;
	return 0;
}

/* 1 when path lies in the subtree of top (top is a prefix of path). */
static int within(const char *path, const char *top)
{
	return strncmp(path, top, strlen(top)) == 0;
}

int scope_subtrees(const struct grant *g, int n, unsigned right, const char **out, int max)
{
	int np = 0;
	for (int i = 0; i < n; i++) {
		const char *p = g[i].path;
		if (!(role_rights(g[i].role) & right) || !*p)
			continue;
		int covered = 0;
		for (int j = 0; j < np; j++)
			if (within(p, out[j]))
				covered = 1;
		if (covered)
			continue;
		/* p may hold some already kept: they go, p takes the first one's place. */
		int k = 0, placed = 0;
		for (int j = 0; j < np; j++) {
			if (within(out[j], p)) {
				if (!placed)
					out[k++] = p;
				placed = 1;
			} else {
				out[k++] = out[j];
			}
		}
		np = k;
		if (placed)
			continue;
		if (np == max)
			return -1;
		out[np++] = p;
	}
	return np;
}

int scope_sees_problem(const struct scope *s, const char *unit_path, int64_t created_by)
{
	if (scope_rights_on(s, unit_path) & RIGHT_READ)
		return 1;
	return (scope_rights_any(s) & RIGHT_OWN) && s->user_id && created_by == s->user_id;
}

int scope_sees_task(const struct scope *s, const char *origin_path, const char *unit_path,
		    const int64_t *creators, int n)
{
	if (scope_rights_item(s, origin_path, unit_path) & RIGHT_READ)
		return 1;
	if (!(scope_rights_any(s) & RIGHT_OWN) || !s->user_id)
		return 0;
	for (int i = 0; i < n; i++)
		if (creators[i] == s->user_id)
			return 1;
	return 0;
}

int scope_sees_visit(const struct scope *s, const char *unit_path)
{
	return (scope_rights_on(s, unit_path) & RIGHT_READ) != 0;
}

int scope_resident_files_for(int unit_kind)
{
	return unit_kind == UNIT_VILLAGE || unit_kind == UNIT_COMMUNITY || unit_kind == UNIT_GROUP;
}

int scope_handoff_kind(int unit_kind)
{
	return unit_kind == UNIT_DEPARTMENT || unit_kind == UNIT_COMPANY;
}

/* Segments of a path: "/1/" is 1, "/1/7/" 2. */
static int depth(const char *p)
{
	int n = 0;
	for (; *p; p++)
		n += *p == '/';
	return n > 0 ? n - 1 : 0;
}

int scope_handoff_default(int unit_kind, const char *path)
{
	return scope_handoff_kind(unit_kind) && path && path[0] == '/' && depth(path) == 2;
}

int scope_may_assign(const struct scope *s, const char *target_path, const char *const *handoff, int n)
{
	if (!target_path || !*target_path)
		return 0;
	if (scope_rights_on(s, target_path) & RIGHT_TRIAGE)
		return 1;
	for (int i = 0; i < n; i++)
		if (handoff[i] && strcmp(handoff[i], target_path) == 0)
			return 1;
	return 0;
}
/* --- the rules of the security administrator's grants (scope.h: scope_grant_check) ---------- */

/* 1 when a grant carrying right lies on a strict ancestor of path (its path a shorter prefix). */
static int right_above(const struct scope *s, unsigned right, const char *path)
{
	size_t pl = strlen(path);
	for (int i = 0; i < s->ngrants; i++) {
		size_t l = strlen(s->grants[i].path);
		if ((role_rights(s->grants[i].role) & right) && l && l < pl && strncmp(s->grants[i].path, path, l) == 0)
			return 1;
	}
	return 0;
}

enum grant_verdict scope_grant_check(const struct scope *s, int64_t target_user, const char *target_unit_path,
				     enum role role, const char *unit_path)
{
	if (s->user_id && target_user == s->user_id)
		return GRANT_SELF;
	if (!unit_path || !*unit_path || !(scope_rights_on(s, unit_path) & RIGHT_GRANT))
		return GRANT_UNIT_OUTSIDE;
	if (!target_unit_path || !*target_unit_path || !(scope_rights_on(s, target_unit_path) & RIGHT_GRANT))
		return GRANT_USER_OUTSIDE;
	if ((role_rights(role) & RIGHT_GRANT) && !right_above(s, RIGHT_GRANT, unit_path))
		return GRANT_PEER;
	return GRANT_OK;
}

int scope_user_managed(const struct scope *s, unsigned right, const char *user_unit_path)
{
	return user_unit_path && *user_unit_path && (scope_rights_on(s, user_unit_path) & right) != 0;
}
