/* unit.h — units of the organisation (县、乡镇、部门、村、组 …): the kinds a unit may be, their
 * code names and Chinese labels.  Pure.  The unit tree itself (ids, paths) lives in the store
 * (store/org.c); what a kind allows is decided where it is used.
 *
 * The names are the one vocabulary for unit kinds: the route table (web/routes.c) accepts
 * exactly unit_kind_names, the store checks a unit's kind with unit_kind_parse, and
 * docs/openapi.yaml lists the same values (tests/api/test_openapi.py compares). */
#ifndef QD_UNIT_H
#define QD_UNIT_H

enum unit_kind {
	UNIT_COUNTY,      /* 县（市） */
	UNIT_TOWNSHIP,    /* 乡镇（街道、管理区） */
	UNIT_DEPARTMENT,  /* 县直部门 */
	UNIT_COMPANY,     /* 企业（供电、供水 …） */
	UNIT_VILLAGE,     /* 村 */
	UNIT_COMMUNITY,   /* 社区 */
	UNIT_GROUP,       /* 村民小组 */
	UNIT_GRID,        /* 网格 */
	UNIT_SUPERVISION, /* 巡回指导组 */
	UNIT_KIND__COUNT
};

/* Code names ("township") indexed by enum unit_kind, NULL-terminated (usable as a route
 * parameter's enum list); and the Chinese labels, indexed the same way. */
extern const char *const unit_kind_names[UNIT_KIND__COUNT + 1];
extern const char *const unit_kind_zh[UNIT_KIND__COUNT + 1];

/* The code name of k; NULL when k is out of range.  Static storage. */
const char *unit_kind_name(enum unit_kind k);
/* The Chinese label of k; NULL when k is out of range.  Static storage. */
const char *unit_kind_label_zh(enum unit_kind k);
/* The kind named s; -1 when s is NULL or no kind's name. */
int unit_kind_parse(const char *s);

#endif
