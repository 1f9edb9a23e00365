/* test_i18n.c — the catalogs name every code of core's vocabularies (web/i18n.h, vocab.txt): for
 * each table of src/core (task states, actions, problem states and sources, roles, unit kinds,
 * urgencies, tiers, outcomes, verdicts, channels, attempts, calendar days, audit kinds and
 * outcomes, token scopes) every code has a name in both catalogs, the Chinese one is core's own
 * label (one vocabulary: the catalog cannot drift from it), and the English one is not the Chinese;
 * and the lookups behave as documented: the 适老化 variant where there is one, the key itself
 * (never NULL) for a missing message. */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "base/log.h"
#include "base/mem.h"
#include "core/audit.h"
#include "core/calendar.h"
#include "core/problem.h"
#include "core/role.h"
#include "core/task.h"
#include "core/token.h"
#include "core/unit.h"
#include "web/i18n.h"
#include <stdio.h>
#include <string.h>

struct vocab {
	const char *name; /* the catalog's vocabulary: keys "<name>.<code>" */
	const char *const *codes, *const *zh;
};

static const struct vocab vocabs[] = {
    {"state", task_state_names, task_state_names_zh},
    {"state", problem_states, problem_states_zh},
    {"action", task_action_names, task_action_names_zh},
    {"role", role_names, role_names_zh},
    {"unit_kind", unit_kind_names, unit_kind_zh},
    {"urgency", urgency_names, urgency_names_zh},
    {"tier", tier_names, tier_names_zh},
    {"source", problem_sources, problem_sources_zh},
    {"problem_action", problem_actions, problem_actions_zh},
    {"outcome", outcome_names, outcome_names_zh},
    {"satisfaction", satisfaction_names, satisfaction_names_zh},
    {"channel", channel_names, channel_names_zh},
    {"attempt", attempt_outcome_names, attempt_outcome_names_zh},
    {"cal_kind", cal_kind_names, cal_kind_zh},
    {"audit_kind", audit_kind_names, audit_kind_names_zh},
    {"audit_outcome", audit_outcome_names, audit_outcome_names_zh},
    {"token_scope", token_scope_names, token_scope_zh},
};

static void test_every_code_named(void **state)
{
	(void)state;
	int bad = 0, named = 0;
	for (size_t v = 0; v < sizeof vocabs / sizeof vocabs[0]; v++) {
		const struct vocab *x = &vocabs[v];
		for (int i = 0; x->codes[i]; i++) {
			const char *code = x->codes[i];
			if (!*code) /* an enum's "unset" member has no name */
				continue;
			const char *zh = tr_code_find(LANG_ZH, 0, x->name, code);
			const char *en = tr_code_find(LANG_EN, 0, x->name, code);
			if (!zh || !en) {
				fprintf(stderr, "# %s.%s: no name in the %s catalog\n", x->name, code,
				        !zh ? "zh_CN" : "en");
				bad++;
				continue;
			}
			if (strcmp(zh, x->zh[i]) != 0) {
				fprintf(stderr, "# %s.%s: the catalog says %s, core says %s\n", x->name, code,
				        zh, x->zh[i]);
				bad++;
			}
			if (!strcmp(en, zh)) {
				fprintf(stderr, "# %s.%s: the English name is the Chinese one\n", x->name,
				        code);
				bad++;
			}
			named++;
		}
	}
	assert_int_equal(bad, 0);
	assert_true(named > 80);
}

static void test_lookups(void **state)
{
	(void)state;
	assert_string_equal(tr_lang(LANG_ZH, 0, "layout.elder_on"), "长辈模式");
	assert_string_equal(tr_lang(LANG_EN, 0, "layout.elder_on"), "Easy reading");
	/* 适老化: the plainer variant where there is one, the ordinary message where there is none */
	assert_string_equal(tr_lang(LANG_ZH, 1, "error.summary"), "有地方要改一下");
	assert_string_equal(tr_lang(LANG_ZH, 0, "error.summary"), "出现问题");
	assert_string_equal(tr_lang(LANG_ZH, 1, "layout.logout"), "退出登录");
	/* a missing key: the key itself, never NULL; an out-of-range language is Chinese */
	assert_string_equal(tr_lang(LANG_EN, 0, "nope.missing"), "nope.missing");
	assert_string_equal(tr_lang((enum lang)7, 0, "layout.logout"), "退出登录");
	assert_string_equal(tr_code_lang(LANG_EN, 0, "state", "in_progress"), "In progress");
	assert_string_equal(tr_code_lang(LANG_ZH, 1, "state", "in_progress"), "办理中");
	assert_string_equal(tr_code_lang(LANG_EN, 0, "state", "no_such_state"), "no_such_state");
	assert_null(tr_code_find(LANG_EN, 0, "state", "no_such_state"));
	/* a key that is a prefix of another, and one past the last */
	assert_false(tr_has(LANG_ZH, "layout"));
	assert_false(tr_has(LANG_ZH, "layout.site.x"));
	assert_false(tr_has(LANG_ZH, "zzzz.zzzz"));
	assert_false(tr_has(LANG_ZH, ""));
	assert_true(tr_has(LANG_EN, "layout.site"));
	assert_string_equal(lang_tag(LANG_ZH), "zh-CN");
	assert_string_equal(lang_tag(LANG_EN), "en");
}

int main(void)
{
	mem_init();
	log_set_level(LOG_ERROR); /* the missing keys above are logged as warnings */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_code_named),
	    cmocka_unit_test(test_lookups),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
