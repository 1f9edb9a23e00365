/* test_html.c — html_printf (web/html.h), the one HTML writer: what each conversion writes.  %h and
 * %a escape every one of & < > " ' (and %a drops control bytes); %u percent-encodes UTF-8 Chinese
 * text; %j inside a script block can neither close it (</script>, <!--) nor break JavaScript
 * (U+2028/2029) and parses back as JSON to the very input; integers at their extremes; %% and
 * literal runs; NULL arguments; an unknown conversion aborts (in a child process); and a few
 * hundred random strings whose %h output holds no < > " ' and no & that does not start an entity,
 * and unescapes to the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the four it needs */

#include "web/html.h"
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* What html_printf(fmt, …) wrote, as a new string (free it). */
static char *out(const char *fmt, ...)
{
	struct buf b;
	buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.p ? buf_take(&b) : strdup("");
}

#define EXPECT(want, ...)                                                                                    \
	do {                                                                                                 \
		char *got_ = out(__VA_ARGS__);                                                               \
		assert_string_equal(got_, want);                                                             \
		free(got_);                                                                                  \
	} while (0)

static void test_text(void **state)
{
	EXPECT("&amp;", "%h", "&");
	EXPECT("&lt;", "%h", "<");
	EXPECT("&gt;", "%h", ">");
	EXPECT("&quot;", "%h", "\"");
	EXPECT("&#39;", "%h", "'");
	EXPECT("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;amp; &quot;q&quot;</p>", "<p>%h</p>",
	       "<script>alert('x')</script> &amp; \"q\"");
	EXPECT("<b>张三 · 城关镇</b>", "<b>%h</b>", "张三 · 城关镇"); /* UTF-8 as it is */
	EXPECT("", "%h", "");
}

static void test_attribute(void **state)
{
	EXPECT("<a title=\"&amp;&lt;&gt;&quot;&#39;\">", "<a title=\"%a\">", "&<>\"'");
	/* control bytes (tab, newline, CR, 0x01, 0x1f, DEL) are dropped, the rest kept */
	EXPECT("<i title=\"abcdef\">", "<i title=\"%a\">",
	       "a\tb\nc\rd\x01\x1f"
	       "e\x7f"
	       "f");
	EXPECT("<i title=\"乡&quot; onmouseover=&quot;x\">", "<i title=\"%a\">", "乡\" onmouseover=\"x");
}

static void test_url(void **state)
{
	/* 县 is E5 8E BF, 城 E5 9F 8E */
	EXPECT("/tasks?unit=%E5%8E%BF%E5%9F%8E", "/tasks?unit=%u", "县城");
	EXPECT("a%20b%2Fc%3Fd%3De%26f%23g%25%2B%22%3C%3E%27", "%u", "a b/c?d=e&f#g%+\"<>'");
	EXPECT("AZaz09-_.~", "%u", "AZaz09-_.~"); /* unreserved: as they are */
	EXPECT("%0A", "%u%u", "\n", "");          /* nothing for the empty string */
}

/* %j's output in a script block: no way out of the block, and back as JSON it is the input. */
static void json_round_trip(const char *in)
{
	char *got = out("<script type=\"application/json\">%j</script>", in);
	const char *open = "<script type=\"application/json\">", *close = "</script>";
	size_t n = strlen(got), no = strlen(open), nc = strlen(close);
	assert_true(n >= no + nc);
	assert_memory_equal(got, open, no);
	assert_string_equal(got + n - nc, close);
	char *body = strndup(got + no, n - no - nc);
	for (const unsigned char *u = (const unsigned char *)body; *u; u++) {
		assert_true(*u >= 0x20);                          /* no raw control byte */
		assert_true(*u != '<' && *u != '>' && *u != '&'); /* no </script>, <!--, --> or entity */
		if (*u == 0xe2 && u[1] == 0x80)
			assert_true(u[2] != 0xa8 && u[2] != 0xa9); /* no raw U+2028 / U+2029 */
	}
	json_error_t e;
	json_t *v = json_loads(body, JSON_DECODE_ANY, &e);
	assert_non_null(v);
	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), in);
	json_decref(v);
	free(body);
	free(got);
}

static void test_json(void **state)
{
	json_round_trip("</script><script>alert(1)</script>");
	json_round_trip("<!-- a comment --> and </SCRIPT >");
	json_round_trip("line\xe2\x80\xa8sep\xe2\x80\xa9para");
	json_round_trip("\"quoted\" 'single' back\\slash \\u0041 /");
	json_round_trip("\x01\x02\t\n\r\x1f\x7f end");
	json_round_trip("张三 & 李四 > 王五 < 赵六");
	json_round_trip("");
	EXPECT("\"\\u003c/script\\u003e\"", "%j", "</script>");
	EXPECT("\"a\\u2028b\\u2029c\"", "%j",
	       "a\xe2\x80\xa8"
	       "b\xe2\x80\xa9"
	       "c");
	EXPECT("\"\\u0026\"", "%j", "&");
}

static void test_integers(void **state)
{
	EXPECT("0 -1 42", "%d %d %d", 0, -1, 42);
	char want[200];
	snprintf(want, sizeof want, "%d %d", INT_MIN, INT_MAX);
	EXPECT(want, "%d %d", INT_MIN, INT_MAX);
	snprintf(want, sizeof want, "%ld %ld", LONG_MIN, LONG_MAX);
	EXPECT(want, "%ld %ld", LONG_MIN, LONG_MAX);
	EXPECT("-9223372036854775808 9223372036854775807 -1", "%lld %lld %lld", (long long)INT64_MIN,
	       (long long)INT64_MAX, -1LL);
	snprintf(want, sizeof want, "%zu %zu %zu", (size_t)0, (size_t)7, SIZE_MAX);
	EXPECT(want, "%zu %zu %zu", (size_t)0, (size_t)7, SIZE_MAX);
	EXPECT("<td>12</td><td>-3</td>", "<td>%d</td><td>%lld</td>", 12, -3LL);
}

static void test_literal_runs(void **state)
{
	EXPECT("", "");
	EXPECT("100%", "100%%");
	EXPECT("% a%b %", "%% a%%b %%");
	EXPECT("<p>城关镇 第 3 项 (50%)</p>", "<p>城关镇 第 %d 项 (%d%%)</p>", 3, 50);
	EXPECT("<a href=\"/tasks/7\">x&amp;y</a>", "<a href=\"/tasks/%lld\">%h</a>", 7LL, "x&y");
}

static void test_null(void **state)
{
	EXPECT("[][][]null", "[%h][%a][%u]%j", (const char *)NULL, (const char *)NULL, (const char *)NULL,
	       (const char *)NULL);
}

/* html_printf with fmt in a child process: whether it was killed by SIGABRT. */
static int aborts(const char *fmt)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2); /* the log line of the refusal */
		struct buf b;
		buf_init(&b);
		html_printf(&b, fmt, "x", 1, 2);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

static void test_unknown_aborts(void **state)
{
	const char *bad[] = {"%s",  "<p>%x</p>", "%",   "tail %", "%l", "%lx",
	                     "%zd", "%5h",       "%-d", "%i",     "%c", "%S"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (!aborts(bad[i]))
			fail_msg("html_printf(\"%s\") did not abort", bad[i]);
	}
	assert_false(aborts("<p>%h %%</p>")); /* and a good one does not */
}

/* xorshift64: a fixed sequence, so a failure can be replayed */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* s with the five entities of %h turned back into their characters; NULL if an & starts none. */
static char *unescape(const char *s)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
	char *o = malloc(strlen(s) + 1), *w = o;
	while (*s) {
		if (*s != '&') {
			*w++ = *s++;
			continue;
		}
		size_t k = 0;
		while (k < sizeof ents / sizeof ents[0] && strncmp(s, ents[k].ent, strlen(ents[k].ent)))
			k++;
		if (k == sizeof ents / sizeof ents[0]) {
			free(o);
			return NULL;
		}
		*w++ = ents[k].c;
		s += strlen(ents[k].ent);
	}
	*w = 0;
	return o;
}

static void test_random_text(void **state)
{
	static const char *const pieces[] = {
	    "&",   "<",     ">",   "\"",   "'",  ";",    "#",  "a",  "Z",         "0",    " ", "/", "=",
	    "amp", "&amp;", "&lt", "&#39", "县", "张三", "\t", "\n", "</script>", "<!--", "%", "\\"};
	const size_t np = sizeof pieces / sizeof pieces[0];
	for (int n = 0; n < 500; n++) {
		char in[512] = "";
		size_t len = rnd() % 24;
		for (size_t i = 0; i < len; i++)
			strcat(in, pieces[rnd() % np]);
		char *h = out("%h", in);
		for (const char *p = h; *p; p++)
			if (*p == '<' || *p == '>' || *p == '"' || *p == '\'')
				fail_msg("%%h of \"%s\" wrote a raw %c: %s", in, *p, h);
		char *back = unescape(h);
		if (!back)
			fail_msg("%%h of \"%s\" wrote an & that starts no entity: %s", in, h);
		assert_string_equal(back, in);
		free(back);
		char *a = out("%a", in);
		for (const unsigned char *p = (const unsigned char *)a; *p; p++)
			if (*p == '<' || *p == '>' || *p == '"' || *p == '\'' || *p < 0x20 || *p == 0x7f)
				fail_msg("%%a of \"%s\" wrote a raw byte 0x%02x: %s", in, *p, a);
		assert_non_null(back = unescape(a));
		free(back);
		free(a);
		free(h);
		json_round_trip(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text),        cmocka_unit_test(test_attribute),
	    cmocka_unit_test(test_url),         cmocka_unit_test(test_json),
	    cmocka_unit_test(test_integers),    cmocka_unit_test(test_literal_runs),
	    cmocka_unit_test(test_null),        cmocka_unit_test(test_unknown_aborts),
	    cmocka_unit_test(test_random_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
