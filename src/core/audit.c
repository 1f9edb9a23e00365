/* audit.c — the audit log's kinds and outcomes (the one vocabulary: routes, store and CLI use
 * these) and which answered requests are recorded (audit.h). */
#include "core/audit.h"
#include "core/names.h"
#include "core/role.h"
#include <string.h>

const char *const audit_kind_names[AUDIT_KIND__COUNT + 1] = {
    [AUDIT_LOGIN] = "login", [AUDIT_DENIED] = "denied",   [AUDIT_WRITE] = "write",
    [AUDIT_GRANT] = "grant", [AUDIT_PII] = "pii",         [AUDIT_READ] = "audit",
    [AUDIT_HOST] = "host",   [AUDIT_DROPPED] = "dropped", [AUDIT_KIND__COUNT] = NULL,
};

const char *const audit_kind_names_zh[AUDIT_KIND__COUNT + 1] = {
    [AUDIT_LOGIN] = "登录",     [AUDIT_DENIED] = "拒绝访问",  [AUDIT_WRITE] = "状态变更",
    [AUDIT_GRANT] = "授权变更", [AUDIT_PII] = "个人信息查阅", [AUDIT_READ] = "审计日志查阅",
    [AUDIT_HOST] = "主机操作",  [AUDIT_DROPPED] = "丢弃汇总", [AUDIT_KIND__COUNT] = NULL,
};

const char *const audit_outcome_names[AUDIT_OUTCOME__COUNT + 1] = {
    [AUDIT_OK] = "ok", [AUDIT_REFUSED] = "denied", [AUDIT_FAILED] = "failed", [AUDIT_OUTCOME__COUNT] = NULL};
const char *const audit_outcome_names_zh[AUDIT_OUTCOME__COUNT + 1] = {
    [AUDIT_OK] = "成功", [AUDIT_REFUSED] = "拒绝", [AUDIT_FAILED] = "失败", [AUDIT_OUTCOME__COUNT] = NULL};

const char *const audit_format_names[3] = {"json", "csv", NULL};

int audit_kind_parse(const char *s)
{
	return names_find(audit_kind_names, AUDIT_KIND__COUNT, s);
}

int audit_outcome_parse(const char *s)
{
	return names_find(audit_outcome_names, AUDIT_OUTCOME__COUNT, s);
}

const char *audit_kind_name(enum audit_kind k)
{
	return names_at(audit_kind_names, (int)k);
}

const char *audit_outcome_name(enum audit_outcome o)
{
	return names_at(audit_outcome_names, (int)o);
}

int audit_kind_of(const char *method, unsigned status, unsigned route_rights, int login, int grant,
                  int pii_query)
{
	if (!status)
		return -1; /* never answered (the connection went away first) */
	if (login)
		return AUDIT_LOGIN;
	if (status == 401 || status == 403)
		return AUDIT_DENIED;
	if (route_rights & RIGHT_AUDIT)
		return AUDIT_READ;
	if ((route_rights & RIGHT_PII) || pii_query)
		return AUDIT_PII;
	if (grant)
		return AUDIT_GRANT;
	if (method && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return AUDIT_WRITE;
	return -1;
}

enum audit_outcome audit_outcome_of(unsigned status, int login)
{
	if (login && status >= 400)
		return AUDIT_FAILED;
	if (status == 401 || status == 403)
		return AUDIT_REFUSED;
	return status && status < 400 ? AUDIT_OK : AUDIT_FAILED;
}
