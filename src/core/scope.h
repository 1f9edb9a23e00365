/* scope.h — scope decisions, pure: what a caller's grants give over a unit path, the outermost
 * subtrees a right is granted on, and who may see an item.  Paths are the store's unit paths
 * ("/1/5/23/"): a grant on a unit covers its subtree, i.e. every path it is a prefix of.
 *
 * The same decisions serve every place that makes them: the web layer before it reads an item,
 * the store's commands on the writer thread (against the item as it is now), and the store's
 * list queries, which turn scope_subtrees() into string ranges of SQL (store/filter.c).  The
 * role → rights table itself is core/role.c. */
#ifndef QD_SCOPE_H
#define QD_SCOPE_H
#include "core/role.h"
#include <stdint.h>

/* Who asks: the user and the grants they hold (borrowed). */
struct scope {
	int64_t user_id;
	const struct grant *grants;
	int ngrants;
};

/* Rights the grants give over the unit at path (grants_rights_on); NULL or "" → 0. */
unsigned scope_rights_on(const struct scope *s, const char *path);
/* Rights over an item that lies under two units (a task: where it came from, where it is
 * handled): the union of both; either path may be NULL. */
unsigned scope_rights_item(const struct scope *s, const char *origin_path, const char *unit_path);
/* Rights of all grants regardless of scope (what the caller may do somewhere). */
unsigned scope_rights_any(const struct scope *s);
/* 1 when the caller is a resident and nothing more (the own right without the read right):
 * they see and follow only what they submitted, and may submit for any unit. */
int scope_own_only(const struct scope *s);
/* 1 when the caller administers the whole county: the admin right on a root unit ("/N/").
 * County-wide settings (categories, the calendar, urgency limits) need it. */
int scope_county_admin(const struct scope *s);
/* The outermost subtrees the right is granted on: the paths of the grants carrying right, with
 * every path inside another left out (and duplicates), in grant order, into out[0..max)
 * (borrowed from the grants).  Returns the count, or -1 when more than max would be needed
 * (max ≥ ngrants always suffices).  0: the right is granted nowhere. */
int scope_subtrees(const struct grant *g, int n, unsigned right, const char **out, int max);
/* Who may see a problem under unit_path created by created_by: the read right over its unit,
 * or a resident (the own right) who submitted it. */
int scope_sees_problem(const struct scope *s, const char *unit_path, int64_t created_by);
/* Who may see a task: the read right over its origin or its handling unit, or a resident who
 * submitted one of the problems it gathers (their creators: creators[0..n), may be 0). */
int scope_sees_task(const struct scope *s, const char *origin_path, const char *unit_path,
		    const int64_t *creators, int n);
/* Who may see a visit under unit_path: the read right over its unit. */
int scope_sees_visit(const struct scope *s, const char *unit_path);

/* --- intake and assignment (issue 9) --------------------------------------------------------- */

/* 1 when a resident may file a problem for a unit of this kind (enum unit_kind): where people
 * live — a village, an urban community (社区, the village of a town) or a villagers' group.  Not a
 * township, a department or the county: a resident reports where the problem is, and the
 * dispatchers decide who handles it. */
int scope_resident_files_for(int unit_kind);
/* 1 when a unit of this kind may be a hand-off unit (a county-level department or company a
 * dispatcher may hand tasks to outside their own subtree); never a township. */
int scope_handoff_kind(int unit_kind);
/* The default hand-off units, before an administrator sets them: the departments and companies
 * directly under the county (kind, and the unit's path one level under a root: "/1/7/"). */
int scope_handoff_default(int unit_kind, const char *path);
/* May the caller assign a task to the unit at target_path?  Inside a subtree where they hold the
 * triage right (a county dispatcher: anywhere), or to one of the hand-off units, whose paths are
 * handoff[0..n) — so a township dispatcher reaches their township and the county departments,
 * never another township. */
int scope_may_assign(const struct scope *s, const char *target_path, const char *const *handoff, int n);
/* The rules of a grant or a revocation (the security administrator's, SPEC §2), asked by the web
 * layer's callers and again on the writer (store/write.c) against the users as they are now:
 *   GRANT_SELF          no one changes their own grants (s->user_id == target_user);
 *   GRANT_UNIT_OUTSIDE  the grant's unit must lie in a subtree where s holds RIGHT_GRANT;
 *   GRANT_USER_OUTSIDE  so must the target user's own unit: a township's security administrator
 *                       touches only the township's people, whatever unit the grant names;
 *   GRANT_PEER          a role carrying RIGHT_GRANT itself (security_admin) only on a unit
 *                       strictly inside the granter's subtree: no one makes an equal of
 *                       themselves over the web (a county's second security administrator is
 *                       made on the host: qingdan user grant / qingdan admin restore).
 * Every other role (the personal-data right and the system and audit administrators included)
 * is covered by RIGHT_GRANT over the unit: conferring roles within a subtree is that right's
 * whole meaning, and the subtree, not the role, is its limit. */
enum grant_verdict { GRANT_OK, GRANT_SELF, GRANT_UNIT_OUTSIDE, GRANT_USER_OUTSIDE, GRANT_PEER };
enum grant_verdict scope_grant_check(const struct scope *s, int64_t target_user, const char *target_unit_path,
				     enum role role, const char *unit_path);
/* 1 when s holds right over the unit a user belongs to (user_unit_path): a township's system
 * administrator (RIGHT_ADMIN) or security administrator (RIGHT_GRANT: unlock) touches only the
 * township's users. */
int scope_user_managed(const struct scope *s, unsigned right, const char *user_unit_path);

#endif
