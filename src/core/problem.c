/* problem.c — problem states, sources and actions (names, labels, parsing); validation of phone and ID numbers. */
#include "core/problem.h"
#include "core/names.h"
#include "base/utf8.h"
#include <string.h>

const char *const problem_states[PS__COUNT + 1] = {
	[PS_NEW] = "new", [PS_ASSIGNED] = "assigned", [PS_MERGED] = "merged", [PS_DECLINED] = "declined",
	[PS__COUNT] = NULL};
const char *const problem_states_zh[PS__COUNT + 1] = {
	[PS_NEW] = "待研判", [PS_ASSIGNED] = "已交办", [PS_MERGED] = "已合并", [PS_DECLINED] = "不予受理",
	[PS__COUNT] = NULL};
const char *const problem_sources[PSRC__COUNT + 1] = {
	[PSRC_VISIT] = "visit",     [PSRC_WEB] = "web",       [PSRC_HOTLINE] = "hotline",
	[PSRC_MEETING] = "meeting", [PSRC_IMPORT] = "import", [PSRC__COUNT] = NULL};
const char *const problem_sources_zh[PSRC__COUNT + 1] = {
	[PSRC_VISIT] = "入户走访",   [PSRC_WEB] = "网上反映",   [PSRC_HOTLINE] = "热线电话",
	[PSRC_MEETING] = "会议收集", [PSRC_IMPORT] = "批量导入", [PSRC__COUNT] = NULL};
const char *const problem_sort_names[PSORT__COUNT + 1] = {
	[PSORT_NEWEST] = "newest", [PSORT_OLDEST] = "oldest", [PSORT_STATE] = "state", [PSORT__COUNT] = NULL};

const char *const problem_actions[PA__COUNT + 1] = {
	[PA_CLASSIFY] = "classify", [PA_MERGE] = "merge", [PA_DECLINE] = "decline", [PA_LINK] = "link",
	[PA__COUNT] = NULL};
const char *const problem_actions_zh[PA__COUNT + 1] = {
	[PA_CLASSIFY] = "研判分类", [PA_MERGE] = "合并为重复", [PA_DECLINE] = "不予受理", [PA_LINK] = "立项交办",
	[PA__COUNT] = NULL};

const char *problem_action_name(enum problem_action a)
{
	return (unsigned)a < PA__COUNT ? problem_actions[a] : NULL;
}

int problem_action_parse(const char *s)
{
	return names_find(problem_actions, PA__COUNT, s);
}

const char *problem_state_name(enum problem_state s)
{
	return (unsigned)s < PS__COUNT ? problem_states[s] : NULL;
}

const char *problem_source_name(enum problem_source s)
{
	return (unsigned)s < PSRC__COUNT ? problem_sources[s] : NULL;
}

int problem_state_parse(const char *s)
{
	return names_find(problem_states, PS__COUNT, s);
}

int problem_source_parse(const char *s)
{
	return names_find(problem_sources, PSRC__COUNT, s);
}

/* Digits of s (ASCII or full-width), skipping spaces, dashes and a leading '+'; -1 on others. */
static int digits(const char *s, char *out, int max)
{
	int n = 0;
	while (*s) {
		uint32_t cp;
		int len = utf8_decode(s, &cp);
		s += len;
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp = '0' + (cp - 0xFF10);
		if (cp >= '0' && cp <= '9') {
			if (n >= max)
				return -1;
			out[n++] = (char)cp;
		} else if (cp != ' ' && cp != '-' && cp != '+' && cp != 0xFF0B && cp != 0x3000) {
			return -1;
		}
	}
	out[n] = 0;
	return n;
}

int problem_phone_valid(const char *s)
{
	char d[32];
	if (!utf8_valid(s, strlen(s)))
		return 0;
	int n = digits(s, d, 30);
	if (n < 0)
		return 0;
	const char *p = d;
	if (n == 13 && strncmp(d, "86", 2) == 0) {
		p += 2;
		n -= 2;
	}
	if (n == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9')
		return 1;
	return p[0] == '0' && n >= 10 && n <= 12;
}

int problem_phone_key(const char *s, char out[16])
{
	char d[32];
	if (!s || !utf8_valid(s, strlen(s)) || !problem_phone_valid(s))
		return -1;
	int n = digits(s, d, 30);
	const char *p = d;
	if (n == 13 && strncmp(d, "86", 2) == 0) {
		p += 2;
		n -= 2;
	}
	memcpy(out, p, (size_t)n);
	out[n] = 0;
	return 0;
}

int problem_idno_valid(const char *s)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	if (strlen(s) != 18)
		return 0;
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * w[i];
	}
	char c = s[17] == 'x' ? 'X' : s[17];
	return check[sum % 11] == c;
}
