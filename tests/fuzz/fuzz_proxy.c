// clang-format off
// Built by `make fuzz` / `make fuzz-replay` (Makefile, into build-fuzz/).
// clang-format on
/* fuzz_proxy.c — libFuzzer target for the parsers of issue 9's HTTP edge: web/proxy.c (the
 * --trusted-proxy CIDR list, X-Forwarded-For / X-Real-IP) and router_target_check (the raw
 * request target).  The input is split at its first two NUL bytes into a CIDR list, an
 * X-Forwarded-For value and an X-Real-IP value (the whole input is also checked as a target).
 * Invariants (abort on violation):
 *   - no crash, leak or undefined behaviour;
 *   - proxy_list_add either succeeds, or fails naming "trusted-proxy" and leaves the list as it was;
 *   - what proxy_client writes is the peer, or an address that parses (proxy_addr_parse), is
 *     never trusted unless every hop was (then it is the left-most), and is at most 45 bytes;
 *     from an untrusted peer it is always the peer, whatever the headers say;
 *   - router_target_check accepts only a target starting with '/', without NUL, space, control or
 *     non-ASCII bytes, without "%00", and without a "." or ".." segment in its path. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "web/proxy.h"
#include "web/router.h"

static void check_target(const char *t)
{
	struct qd_err err;
	if (router_target_check(t, &err))
		return;
	if (t[0] != '/')
		abort();
	size_t n = strcspn(t, "?");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c <= 0x20 || c >= 0x7f)
			abort();
		if (c == '%' && t[i + 1] == '0' && t[i + 2] == '0')
			abort();
		if (c == '/' && t[i + 1] == '.' && (t[i + 2] == '/' || i + 2 == n || (t[i + 2] == '.' && (t[i + 3] == '/' || i + 3 == n))))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		mem_init();
		init = 1;
	}
	char *in = malloc(size + 3);
	memcpy(in, data, size);
	in[size] = in[size + 1] = in[size + 2] = 0;
	check_target(in);
	const char *cidr = in;
	const char *xff = cidr + strlen(cidr) + 1;
	if (xff > in + size)
		xff = in + size;
	const char *xrip = xff + strlen(xff) + 1;
	if (xrip > in + size + 1)
		xrip = in + size + 1;

	struct proxy_list l = {0};
	struct qd_err err;
	if (proxy_list_add(&l, "127.0.0.1", &err))
		abort();
	if (proxy_list_add(&l, cidr, &err)) {
		if (strcmp(err.field, "trusted-proxy") != 0 || l.n != 1)
			abort();
	}
	char out[64];
	const char *peers[] = {"127.0.0.1", "203.0.113.9"};
	for (int p = 0; p < 2; p++) {
		int from_header = proxy_client(&l, peers[p], *xff ? xff : NULL, *xrip ? xrip : NULL, out, sizeof out);
		if (strlen(out) > 45)
			abort();
		if (!proxy_trusted(&l, peers[p]) && (from_header || strcmp(out, peers[p]) != 0))
			abort();
		if (from_header) {
			unsigned char a[16];
			if (proxy_addr_parse(out, strlen(out), a))
				abort();
		} else if (strcmp(out, peers[p]) != 0 && !proxy_trusted(&l, out)) {
			abort(); /* not from a header: the peer or the trusted hop that wrote the garbage */
		}
	}
	proxy_list_free(&l);
	free(in);
	return 0;
}
