/* test_proxy.c — the trusted-proxy list and the client behind it (web/proxy.c), the raw request
 * target check (router_target_check), the per-key tally and the connection deadlines (conns.c,
 * with a real socket pair: a reaped connection's socket is shut down, a running one is not). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/mem.h"
#include "web/conns.h"
#include "web/proxy.h"
#include "web/router.h"
#include "web/tally.h"
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void test_cidr_good(void **st)
{
	(void)st;
	struct proxy_list l = {0};
	struct qd_err err;
	assert_int_equal(proxy_list_add(&l, "10.0.0.0/8, 127.0.0.1", &err), 0);
	assert_int_equal(proxy_list_add(&l, "fd00::/8,::1,192.168.1.128/25", &err), 0);
	assert_int_equal(l.n, 5);
	assert_true(proxy_trusted(&l, "10.1.2.3"));
	assert_true(proxy_trusted(&l, "127.0.0.1"));
	assert_false(proxy_trusted(&l, "127.0.0.2"));
	assert_true(proxy_trusted(&l, "fd12::1"));
	assert_false(proxy_trusted(&l, "fe80::1"));
	assert_true(proxy_trusted(&l, "::1"));
	assert_true(proxy_trusted(&l, "192.168.1.200"));
	assert_false(proxy_trusted(&l, "192.168.1.100"));
	assert_true(proxy_trusted(&l, "::ffff:10.0.0.1")); /* an IPv4 peer seen through an IPv6 socket */
	assert_false(proxy_trusted(&l, "11.0.0.1"));
	assert_false(proxy_trusted(&l, "garbage"));
	assert_false(proxy_trusted(&l, ""));
	proxy_list_free(&l);
	assert_int_equal(proxy_list_add(&l, "0.0.0.0/0", &err),
	                 0); /* everything: allowed, the operator's choice */
	assert_true(proxy_trusted(&l, "8.8.8.8"));
	assert_false(proxy_trusted(&l, "2001:db8::1")); /* an IPv4 /0 is not IPv6 */
	proxy_list_free(&l);
}

static void test_cidr_bad(void **st)
{
	(void)st;
	const char *bad[] = {"",
	                     ",",
	                     "10.0.0.0/8,,",
	                     "10.0.0.1/8",
	                     "10.0.0.0/33",
	                     "10.0.0.0/",
	                     "10.0.0.0/-1",
	                     "10.0.0.0/08",
	                     "10.0.0/8",
	                     "300.0.0.0",
	                     "10.0.0.0/8x",
	                     "::/129",
	                     "fe80::1/64",
	                     "1.2.3.4 5",
	                     "10.0.0.0 /8",
	                     "[::1]",
	                     "localhost",
	                     "1.2.3.4/1000",
	                     NULL};
	for (int i = 0; bad[i]; i++) {
		struct proxy_list l = {0};
		struct qd_err err;
		assert_int_equal(proxy_list_add(&l, "127.0.0.1", &err), 0);
		if (proxy_list_add(&l, bad[i], &err) != -1)
			fail_msg("accepted: '%s'", bad[i]);
		assert_string_equal(err.field, "trusted-proxy");
		assert_non_null(strstr(err.zh, "受信任代理"));
		assert_int_equal(l.n, 1); /* as it was */
		proxy_list_free(&l);
	}
}

static void test_client(void **st)
{
	(void)st;
	struct proxy_list l = {0};
	struct qd_err err;
	char out[64];
	assert_int_equal(proxy_list_add(&l, "127.0.0.1,10.0.0.0/24", &err), 0);
	/* untrusted peer: headers never read */
	assert_int_equal(proxy_client(&l, "203.0.113.5", "1.2.3.4", "5.6.7.8", out, sizeof out), 0);
	assert_string_equal(out, "203.0.113.5");
	/* trusted: the right-most untrusted hop */
	assert_int_equal(proxy_client(&l, "127.0.0.1", "1.1.1.1, 198.51.100.7", NULL, out, sizeof out), 1);
	assert_string_equal(out, "198.51.100.7");
	assert_int_equal(
	    proxy_client(&l, "127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.3", NULL, out, sizeof out), 1);
	assert_string_equal(out, "198.51.100.7");
	/* a client's own spoofed entry on the left is never reached */
	assert_int_equal(proxy_client(&l, "127.0.0.1", "10.0.0.9,198.51.100.7", NULL, out, sizeof out), 1);
	assert_string_equal(out, "198.51.100.7");
	/* every hop trusted: the left-most */
	assert_int_equal(proxy_client(&l, "127.0.0.1", "10.0.0.2 ,\t10.0.0.3", NULL, out, sizeof out), 1);
	assert_string_equal(out, "10.0.0.2");
	/* garbage where the client should be: the trusted hop that wrote it */
	assert_int_equal(proxy_client(&l, "127.0.0.1", "198.51.100.7, unknown", NULL, out, sizeof out), 0);
	assert_string_equal(out, "127.0.0.1");
	assert_int_equal(proxy_client(&l, "127.0.0.1", "garbage, 10.0.0.3", NULL, out, sizeof out), 1);
	assert_string_equal(out, "10.0.0.3");
	assert_int_equal(proxy_client(&l, "127.0.0.1", ",,,", NULL, out, sizeof out), 0);
	assert_string_equal(out, "127.0.0.1");
	/* IPv6, canonical text; IPv4-mapped written as IPv4 */
	assert_int_equal(proxy_client(&l, "127.0.0.1", "2001:DB8:0:0::1", NULL, out, sizeof out), 1);
	assert_string_equal(out, "2001:db8::1");
	assert_int_equal(proxy_client(&l, "127.0.0.1", "::ffff:198.51.100.9", NULL, out, sizeof out), 1);
	assert_string_equal(out, "198.51.100.9");
	/* X-Real-IP only without X-Forwarded-For */
	assert_int_equal(proxy_client(&l, "127.0.0.1", NULL, " 198.51.100.1 ", out, sizeof out), 1);
	assert_string_equal(out, "198.51.100.1");
	assert_int_equal(proxy_client(&l, "127.0.0.1", NULL, "nonsense", out, sizeof out), 0);
	assert_string_equal(out, "127.0.0.1");
	assert_int_equal(proxy_client(&l, "127.0.0.1", "198.51.100.2", "198.51.100.1", out, sizeof out), 1);
	assert_string_equal(out, "198.51.100.2");
	proxy_list_free(&l);
	/* no list: nothing is believed */
	assert_int_equal(proxy_client(&l, "127.0.0.1", "198.51.100.2", "198.51.100.1", out, sizeof out), 0);
	assert_string_equal(out, "127.0.0.1");
}

static void test_target(void **st)
{
	(void)st;
	struct qd_err err;
	const char *good[] = {"/",
	                      "/api/v1/tasks/1",
	                      "/api/v1/tasks?state=assigned&q=%E5%AD%97%00",
	                      "/api/v1/tasks/%31",
	                      "/a/..b/c.d",
	                      "/a/.../b",
	                      "/healthz",
	                      NULL};
	for (int i = 0; good[i]; i++)
		if (router_target_check(good[i], &err))
			fail_msg("refused: '%s'", good[i]);
	const char *bad[] = {"",
	                     "api",
	                     "/api/v1/tasks/1%00",
	                     "/api/v1/tasks/1/assign%00garbage",
	                     "/api/../x",
	                     "/api/./x",
	                     "/..",
	                     "/.",
	                     "/a/%2e%2e/b",
	                     "/a/%2E/b",
	                     "/a%2fb",
	                     "/a%2Fb",
	                     "/a%5cb",
	                     "/a\\b",
	                     "/a b",
	                     "/a\tb",
	                     "/a%",
	                     "/a%4",
	                     "/a%zz",
	                     "/a%25",
	                     "/a%7f",
	                     "/a%80",
	                     "/\xe5\xad\x97",
	                     "/a/..?x=1",
	                     "/a\x01",
	                     NULL};
	for (int i = 0; bad[i]; i++) {
		if (router_target_check(bad[i], &err) != -1)
			fail_msg("accepted: '%s'", bad[i]);
		assert_string_equal(err.field, "path");
	}
	assert_int_equal(router_target_check(NULL, &err), -1);
}

static void test_tally(void **st)
{
	(void)st;
	struct tally *t = tally_new();
	assert_int_equal(tally_take(t, "a", 2), 0);
	assert_int_equal(tally_take(t, "a", 2), 0);
	assert_int_equal(tally_take(t, "a", 2), -1);
	assert_int_equal(tally_take(t, "b", 2), 0);
	assert_int_equal(tally_get(t, "a"), 2);
	tally_give(t, "a");
	assert_int_equal(tally_take(t, "a", 2), 0);
	tally_give(t, "a");
	tally_give(t, "a");
	assert_int_equal(tally_get(t, "a"), 0);
	for (int i = 0; i < 5000; i++) /* no limit */
		assert_int_equal(tally_take(t, "c", 0), 0);
	assert_int_equal(tally_get(t, "c"), 5000);
	tally_free(t);
}

/* Is the peer of fd closed (EOF or error within ms)? */
static int closed_within(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	if (poll(&p, 1, ms) <= 0)
		return 0;
	char c;
	return read(fd, &c, 1) <= 0;
}

static void test_reaper(void **st)
{
	(void)st;
	struct conns_opts o = {.head_ms = 300, .request_ms = 700, .idle_ms = 500, .max_per_peer = 2};
	struct conns *cs = conns_new(&o);
	assert_int_equal(conns_start(cs), 0);
	int a[2], b[2], c[2], d[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, c), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, d), 0);
	struct conn *ca = conns_open(cs, a[0], "198.51.100.1", 0); /* stays in its head: reaped */
	struct conn *cb = conns_open(cs, b[0], "198.51.100.1", 0); /* running (suspended): never */
	assert_int_equal(conn_body(cs, cb), 0);
	assert_int_equal(conn_run(cb), 0);
	assert_false(conns_admit(cs, "198.51.100.1", 0)); /* two is the limit */
	assert_true(conns_admit(cs, "198.51.100.1", 1));  /* a trusted proxy is not held by it */
	assert_true(conns_admit(cs, "198.51.100.2", 0));
	struct conn *cc = conns_open(cs, c[0], "198.51.100.1", 0); /* raced past admit: shut at once */
	assert_true(closed_within(c[1], 200));
	struct conn *cd = conns_open(cs, d[0], "198.51.100.3", 0); /* a body: its deadline is the request's */
	assert_int_equal(conn_body(cs, cd), 0);
	assert_false(closed_within(a[1], 100));
	assert_true(closed_within(a[1], 1500));
	assert_int_equal(conn_body(cs, ca), -1); /* the connection's own thread learns it was reaped */
	assert_false(closed_within(d[1], 100));
	assert_true(closed_within(d[1], 1500));
	assert_false(closed_within(b[1], 300)); /* RUN: untouched */
	conn_idle(cs, cb);                      /* idle after its answer: the keep-alive wait */
	assert_true(closed_within(b[1], 1500));
	assert_true(conns_reaped(cs) >= 3);
	assert_true(conns_refused(cs) >= 2);
	conns_close(cs, ca);
	conns_close(cs, cb);
	conns_close(cs, cc);
	conns_close(cs, cd);
	assert_true(conns_admit(cs, "198.51.100.1", 0)); /* closed ones give their count back */
	conns_free(cs);
	for (int i = 0; i < 2; i++)
		close(a[i]), close(b[i]), close(c[i]), close(d[i]);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cidr_good), cmocka_unit_test(test_cidr_bad), cmocka_unit_test(test_client),
	    cmocka_unit_test(test_target),    cmocka_unit_test(test_tally),    cmocka_unit_test(test_reaper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
