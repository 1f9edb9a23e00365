/* field.c — the table of field labels (core/field.h).  Sorted by name; looked up by bsearch. */
#include "core/field.h"
#include <stdlib.h>
#include <string.h>

struct label {
	const char *name, *zh;
};

/* Keep sorted by name (strcmp order): test_field checks it. */
static const struct label labels[] = {
	{"address", "详细地址"},
	{"all", "全部用户"},
	{"anonymous", "匿名"},
	{"category_id", "问题类别"},
	{"channel", "回访方式"},
	{"client", "客户端地址"},
	{"code", "动态验证码"},
	{"complete", "办结时限"},
	{"count", "统计总数"},
	{"date", "日期"},
	{"days", "延期天数"},
	{"description", "问题描述"},
	{"display_name", "显示姓名"},
	{"done", "刚完成的操作"},
	{"due_before", "截止日期"},
	{"exception", "特殊情况"},
	{"format", "导出格式"},
	{"from", "起始日期"},
	{"go", "下一步"},
	{"handler_id", "责任人"},
	{"household", "走访农户"},
	{"id_no", "身份证号"},
	{"immediate", "即知即办"},
	{"into", "合并到的问题"},
	{"kind", "类型"},
	{"label", "用途说明"},
	{"leader_id", "包保领导"},
	{"limit", "每页条数"},
	{"max_extensions", "可延期次数"},
	{"measures", "办理措施"},
	{"more", "再添一个问题"},
	{"n", "问题块数"},
	{"name", "名称"},
	{"next", "返回页面"},
	{"no_disclose", "不予公开"},
	{"note", "说明"},
	{"offset", "跳过条数"},
	{"on", "长辈模式"},
	{"outcome", "办结方式"},
	{"overdue", "逾期"},
	{"p", "刚登记的问题"},
	{"parent_id", "上级"},
	{"password", "密码"},
	{"peer_group", "排名分组"},
	{"phone", "电话"},
	{"problem_ids", "问题"},
	{"progress", "进度"},
	{"q", "搜索词"},
	{"reason", "理由"},
	{"reporter", "反映人"},
	{"reporter.address", "反映人详细地址"},
	{"reporter.id_no", "反映人身份证号"},
	{"reporter.name", "反映人姓名"},
	{"reporter.phone", "反映人电话"},
	{"reporter_phone", "反映人电话"},
	{"respond", "签收时限"},
	{"role", "角色"},
	{"satisfaction", "满意度"},
	{"scope", "令牌权限"},
	{"solved", "是否解决"},
	{"sort", "排序"},
	{"source", "来源"},
	{"state", "状态"},
	{"tier", "分类"},
	{"title", "标题"},
	{"to", "结束日期"},
	{"totp", "动态验证码"},
	{"unit_id", "单位"},
	{"unit_ids", "可交办单位"},
	{"urgency", "紧急程度"},
	{"user_id", "用户"},
	{"username", "用户名"},
	{"v", "版本"},
	{"visit", "走访记录"},
	{"visit_id", "走访记录"},
	{"visited_on", "走访日期"},
	{"year", "年份"},
};

static int cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct label *)e)->name);
}

const char *field_zh(const char *name)
{
	if (!name)
		return NULL;
	const struct label *l = bsearch(name, labels, sizeof labels / sizeof labels[0], sizeof labels[0], cmp);
	if (!l && name[0] == 'p' && name[1] >= '1' && name[1] <= '9') {
		/* a numbered block of a form (the visit form's problems: p2_phone): the field's own label,
		 * the page says which block */
		const char *s = name + 1;
		while (*s >= '0' && *s <= '9')
			s++;
		if (*s == '_' && s[1])
			return field_zh(s + 1);
	}
	return l ? l->zh : NULL;
}

const char *field_label_at(int i, const char **zh)
{
	if (i < 0 || (size_t)i >= sizeof labels / sizeof labels[0])
		return NULL;
	*zh = labels[i].zh;
	return labels[i].name;
}
