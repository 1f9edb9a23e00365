/* demo_data.h — the demo's content, from the seed newspaper page (shared/seed/
 * jianli-news-2022-07.txt): units, people, and realistic problem texts.  Data only. */
#ifndef QD_DEMO_DATA_H
#define QD_DEMO_DATA_H
#include <stddef.h>

struct demo_unit {
	const char *name;
	const char *parent;     /* name of the parent unit; NULL for the county root */
	const char *kind;       /* county | township | department | company | village | community | group */
	const char *peer_group; /* "township", "department" or "" (villages, groups) */
};

struct demo_problem {
	const char *category;   /* one of 基础设施, 产业发展, 综合治理, 民生保障, 逐人逐项 */
	const char *text;       /* what the resident raised, 20–80 Chinese characters */
	const char *department; /* name of the county department best placed to handle it, or NULL
				   when the township handles it itself */
	const char *measures;   /* 办理措施: what the handling unit will do, 15–60 characters */
	int sensitive;          /* 1 = family, health or dispute matter: not for public disclosure */
};

struct demo_person {
	const char *name;       /* full Chinese name */
};

extern const struct demo_unit demo_units[];
extern const size_t demo_units_count;
extern const struct demo_problem demo_problems[];
extern const size_t demo_problems_count;
/* Staff names (public in their official role) and residents' names (personal data). */
extern const struct demo_person demo_staff[];
extern const size_t demo_staff_count;
extern const struct demo_person demo_residents[];
extern const size_t demo_residents_count;
/* Group (村民小组) names used under each village: 一组 … */
extern const char *const demo_groups[];
extern const size_t demo_groups_count;

#endif
