/* unit.c — the kinds of unit: code names and Chinese labels (see unit.h). */
#include "core/unit.h"
#include "core/names.h"
#include <string.h>

const char *const unit_kind_names[UNIT_KIND__COUNT + 1] = {
	[UNIT_COUNTY] = "county",         [UNIT_TOWNSHIP] = "township", [UNIT_DEPARTMENT] = "department",
	[UNIT_COMPANY] = "company",       [UNIT_VILLAGE] = "village",   [UNIT_COMMUNITY] = "community",
	[UNIT_GROUP] = "group",           [UNIT_GRID] = "grid",         [UNIT_SUPERVISION] = "supervision",
	[UNIT_KIND__COUNT] = NULL,
};

const char *const unit_kind_zh[UNIT_KIND__COUNT + 1] = {
	[UNIT_COUNTY] = "县（市）",   [UNIT_TOWNSHIP] = "乡镇", [UNIT_DEPARTMENT] = "部门",
	[UNIT_COMPANY] = "企业",     [UNIT_VILLAGE] = "村",   [UNIT_COMMUNITY] = "社区",
	[UNIT_GROUP] = "村民小组",   [UNIT_GRID] = "网格",    [UNIT_SUPERVISION] = "巡回指导组",
	[UNIT_KIND__COUNT] = NULL,
};

const char *unit_kind_name(enum unit_kind k)
{
	return (unsigned)k < UNIT_KIND__COUNT ? unit_kind_names[k] : NULL;
}

const char *unit_kind_label_zh(enum unit_kind k)
{
	return (unsigned)k < UNIT_KIND__COUNT ? unit_kind_zh[k] : NULL;
}

int unit_kind_parse(const char *s)
{
	return names_find(unit_kind_names, UNIT_KIND__COUNT, s);
}
