/* test_similar.c — unit tests for core/similar (the likely duplicates' measure): the demo's
 * problems retold in other words score at or above SIMILAR_THRESHOLD, different problems of one
 * village below it, and what the set leaves out (punctuation, masks, case, full-width forms). */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "core/similar.h"

/* Pairs of one matter told twice (the first from the demo data, the second retold shorter). */
static const char *const same[][2] = {
    {"村部门口到小学这一段路没有路灯，晚上学生放学和老人散步都看不清路。",
     "小学到村部那段路没有路灯，晚上太黑看不清路，学生放学不安全。"},
    {"自来水有时发黄还有异味，家里老人不敢直接喝，希望有人来检测一下水质。",
     "家里自来水发黄，有异味，请来检测水质。"},
    {"二组路边的电线杆倾斜严重，电线离地面很低，怕放学的小孩碰到出危险。",
     "二组那根电线杆歪了，电线很低，小孩放学容易碰到。"},
    {"老街下水道堵塞，一下大雨门口积水没过脚踝，污水倒灌进屋。", "老街的下水道堵了，下雨积水，污水倒灌。"},
    {"通村公路的桥头跳车严重，桥下涵洞被雨水冲出一个大洞，晚上看不见。",
     "桥头跳车，涵洞冲出大洞，晚上危险。"},
    {"村文化广场地面开裂，健身器材坏了好几件一直没人修。", "文化广场的健身器材坏了没人修，地面也裂了。"},
};

/* Different problems of one unit in the demo data, the highest-scoring such pairs among its 777. */
static const char *const other[][2] = {
    {"家里残疾人的两项补贴今年一直没到账，不知道是什么原因。",
     "种粮补贴今年到账晚了，金额也和去年不一样，想问个清楚。"},
    {"失业了想参加技能培训，听说有补贴，不知道怎么报名。",
     "兴华智慧农场附近的农户想加入合作社，不知道怎么入股和分红。"},
    {"楼里的人都从楼上拉线给电动车充电，飞线到处都是，很容易起火。",
     "渡口码头的台阶破损，早上赶集的人多，很容易滑倒落水。"},
    {"老旧小区的楼道灯坏了好几年，晚上上下楼只能打手电，老人摔过好几次。",
     "村文化广场地面开裂，健身器材坏了好几件一直没人修。"},
};

static void test_retold_is_similar(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		int s = similar_texts(same[i][0], same[i][1]);
		if (s < SIMILAR_THRESHOLD)
			fail_msg("pair %zu scores %d < %d", i, s, SIMILAR_THRESHOLD);
		assert_int_equal(s, similar_texts(same[i][1], same[i][0])); /* symmetric */
	}
}

static void test_different_is_not(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		int s = similar_texts(other[i][0], other[i][1]);
		if (s >= SIMILAR_THRESHOLD)
			fail_msg("pair %zu scores %d >= %d", i, s, SIMILAR_THRESHOLD);
	}
}

static void test_what_counts(void **state)
{
	(void)state;
	assert_int_equal(similar_texts("路灯坏了", "路灯坏了"), 100);
	/* punctuation, spaces and the masks' stars do not count; digits do */
	assert_int_equal(similar_texts("路灯，坏了！", "路灯 坏了"), 100);
	assert_int_equal(similar_texts("电话138****1234", "电话1381234"), 100);
	/* ASCII case and full-width forms fold */
	assert_int_equal(similar_texts("ABC路灯", "ａｂｃ路灯"), 100);
	/* nothing in common; nothing at all */
	assert_int_equal(similar_texts("路灯坏了", "水管爆了"), 0);
	assert_int_equal(similar_texts("", ""), 0);
	assert_int_equal(similar_texts(NULL, "路灯"), 0);
	assert_int_equal(similar_texts("，。！", "路灯"), 0);
	/* one character: that character alone */
	assert_int_equal(similar_texts("灯", "灯"), 100);
	assert_int_equal(similar_texts("灯", "水"), 0);
	/* a repeated bigram counts once: {路灯, 灯路} vs {路灯} */
	assert_int_equal(similar_texts("路灯路灯", "路灯"), 50);
	/* half of the union shared: {ab, bc, cd} ∩ {bc, cd, de} = 2 of 4 */
	assert_int_equal(similar_texts("abcd", "bcde"), 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_retold_is_similar),
	    cmocka_unit_test(test_different_is_not),
	    cmocka_unit_test(test_what_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
