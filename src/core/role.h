/* role.h — roles, rights and the role → rights table (SPEC §2).  Pure.
 *
 * A user holds grants: (role, unit).  A grant gives the role's rights over the unit's subtree.
 * The personal-data right is never part of a role: it is its own grant, "pii", given explicitly
 * by a security administrator, and every read it allows is audited.
 *
 * The three administrators of 等保2.0 level 3 hold disjoint rights (separation of duties):
 * the system administrator (admin: units, users, categories, calendar, settings), the security
 * administrator (security_admin: roles and grants, the personal-data right, unlocking accounts)
 * and the audit administrator (audit_admin: reads the audit log, changes nothing). */
#ifndef QD_ROLE_H
#define QD_ROLE_H

enum role {
	ROLE_RESIDENT,
	ROLE_GRID,       /* 网格员 / 村干部 */
	ROLE_HANDLER,    /* 承办人 */
	ROLE_UNIT_HEAD,  /* 第一责任人 */
	ROLE_DISPATCHER, /* 研判交办 */
	ROLE_LEADER,     /* 包保领导 */
	ROLE_SUPERVISOR, /* 巡回指导组成员 */
	ROLE_ANALYST,    /* 只读统计 */
	ROLE_ADMIN,      /* 系统管理员 */
	ROLE_SECURITY_ADMIN, /* 安全管理员 */
	ROLE_AUDIT_ADMIN,    /* 审计管理员 */
	ROLE_PII,        /* not a role: the explicit personal-data right, granted on its own */
	ROLE__COUNT
};

enum right {
	RIGHT_READ = 1u << 0,           /* read problems, tasks, visits in scope (masked) */
	RIGHT_PII = 1u << 1,            /* read residents' personal data in full (audited) */
	RIGHT_VISIT = 1u << 2,          /* log household visits */
	RIGHT_PROBLEM_CREATE = 1u << 3, /* log problems */
	RIGHT_TRIAGE = 1u << 4,         /* make tasks, assign, merge and decline problems */
	RIGHT_HANDLE = 1u << 5,         /* accept, return, progress, ask extension, complete */
	RIGHT_EXTENSION = 1u << 6,      /* approve or deny an extension */
	RIGHT_FOLLOW_UP = 1u << 7,      /* record the resident's verdict */
	RIGHT_SIGN_OFF = 1u << 8,       /* sign off (销号) */
	RIGHT_REOPEN = 1u << 9,         /* reopen (重办) */
	RIGHT_EXCEPTION = 1u << 10,     /* sign off on a documented exception */
	RIGHT_ADMIN = 1u << 11,         /* users, units, categories, calendar, settings */
	RIGHT_AUDIT = 1u << 12,         /* read the audit log (and nothing else) */
	RIGHT_OWN = 1u << 13,           /* resident: submit and follow own items only */
	RIGHT_GRANT = 1u << 14,         /* grant and revoke roles and the personal-data right, unlock accounts */
	RIGHT__LAST = RIGHT_GRANT,      /* the highest bit: loops over every right stop here */
};

/* One grant of a user: a role over a unit's subtree. */
struct grant {
	enum role role;
	long long unit_id;
	char path[128]; /* the unit's path, "/1/5/" */
};

/* Rights (bitmask) the grants give over the unit at path (a grant on an ancestor or the unit
 * itself covers it).  path NULL or "" → 0. */
unsigned grants_rights_on(const struct grant *g, int n, const char *path);
/* Rights of all grants regardless of scope (what the user may do somewhere). */
unsigned grants_rights_any(const struct grant *g, int n);

/* Rights a role confers (bitmask of enum right). */
unsigned role_rights(enum role r);
/* The one vocabulary of roles: code names ("dispatcher") indexed by enum role, NULL-terminated
 * (a grant's role in the route table is one of these), and their Chinese labels. */
extern const char *const role_names[ROLE__COUNT + 1];
extern const char *const role_names_zh[ROLE__COUNT + 1];
/* "dispatcher" etc.; NULL for out-of-range. */
const char *role_name(enum role r);
const char *role_name_zh(enum role r);
/* Parse a role code name; -1 if unknown. */
int role_parse(const char *s);
const char *right_name(unsigned right_bit);

#endif
