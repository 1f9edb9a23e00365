/* audit.h — the vocabulary of the audit log (等保2.0 安全审计) and the one decision of which
 * answered requests it records.  Pure: the log itself is store/audit.c, its hook web/api_audit.c.
 *
 * A request is recorded when it changes state (any method but GET), is refused as unauthenticated
 * or forbidden (401, 403), is a login (success or failure), reads personal data (a route needing
 * RIGHT_PII, or a lookup by phone) or reads the audit log itself.  Other successful reads are
 * not: they change nothing and reveal only masked data. */
#ifndef QD_CORE_AUDIT_H
#define QD_CORE_AUDIT_H

enum audit_kind {
	AUDIT_LOGIN,   /* 登录: POST /login, ok or failed */
	AUDIT_DENIED,  /* 拒绝访问: 401 or 403 on any route */
	AUDIT_WRITE,   /* 状态变更: a POST (or any method but GET) */
	AUDIT_GRANT,   /* 授权变更: grant, revoke, unlock */
	AUDIT_PII,     /* 个人信息查阅: an audited read of personal data */
	AUDIT_READ,    /* 审计日志查阅: a read of this log */
	AUDIT_HOST,    /* 主机操作: a command on the host (qingdan admin restore) */
	AUDIT_DROPPED, /* 丢弃汇总: entries lost to a full queue, counted in one row */
	AUDIT_KIND__COUNT
};

enum audit_outcome { AUDIT_OK, AUDIT_REFUSED, AUDIT_FAILED, AUDIT_OUTCOME__COUNT };

/* NULL-terminated code names and Chinese labels, indexed by the enums. */
extern const char *const audit_kind_names[AUDIT_KIND__COUNT + 1];
extern const char *const audit_kind_names_zh[AUDIT_KIND__COUNT + 1];
extern const char *const audit_outcome_names[AUDIT_OUTCOME__COUNT + 1]; /* ok denied failed */
extern const char *const audit_outcome_names_zh[AUDIT_OUTCOME__COUNT + 1];
/* The export formats of GET /audit: json, csv. */
extern const char *const audit_format_names[3];
int audit_kind_parse(const char *s);
int audit_outcome_parse(const char *s);
const char *audit_kind_name(enum audit_kind k);
const char *audit_outcome_name(enum audit_outcome o);

/* What an answered request is, for the log: route_rights are the rights its route needs
 * (core/role.h), login/grant say the route is the login or one of the grant routes, pii_query
 * that it asked by personal data (reporter_phone).  -1: not recorded. */
int audit_kind_of(const char *method, unsigned status, unsigned route_rights, int login, int grant,
                  int pii_query);
/* ok (< 400), denied (401, 403), failed (any other status) — and a login refused is failed,
 * whatever its status (a wrong password answers 401). */
enum audit_outcome audit_outcome_of(unsigned status, int login);

#endif
