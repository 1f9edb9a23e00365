/* proxy.c — trusted proxies (CIDR lists) and the client's address behind them (proxy.h).
 * Written by hand: the rule is a dozen lines (walk X-Forwarded-For from the right while the hop
 * is trusted) and inet_pton does the address syntax; no Debian library offers the rule itself. */
#include "web/proxy.h"
#include "base/mem.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int proxy_addr_parse(const char *s, size_t n, unsigned char out[16])
{
	char tmp[64];
	if (n == 0 || n >= sizeof tmp || memchr(s, 0, n))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	struct in_addr a4;
	if (inet_pton(AF_INET, tmp, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, tmp, out) == 1 ? 0 : -1;
}

static int is_v4(const unsigned char a[16])
{
	static const unsigned char pre[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return memcmp(a, pre, 12) == 0;
}

static int in_net(const struct proxy_net *net, const unsigned char a[16])
{
	int full = net->bits / 8, rest = net->bits % 8;
	if (memcmp(net->addr, a, (size_t)full) != 0)
		return 0;
	if (!rest)
		return 1;
	unsigned char m = (unsigned char)(0xff << (8 - rest));
	return (net->addr[full] & m) == (a[full] & m);
}

/* One CIDR entry s[0..n): address, optionally /prefix. */
static int parse_net(const char *s, size_t n, struct proxy_net *net)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	if (proxy_addr_parse(s, an, net->addr))
		return -1;
	int v4 = is_v4(net->addr), max = v4 ? 32 : 128, bits = max;
	if (slash) {
		const char *p = slash + 1, *end = s + n;
		if (p == end || end - p > 3 || (*p == '0' && end - p > 1))
			return -1;
		bits = 0;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			bits = bits * 10 + (*p - '0');
		}
		if (bits > max)
			return -1;
	}
	net->bits = v4 ? 96 + bits : bits;
	for (int i = net->bits; i < 128; i++) /* host bits must be zero */
		if (net->addr[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return 0;
}

int proxy_list_add(struct proxy_list *l, const char *text, struct qd_err *err)
{
	int n0 = l->n;
	const char *p = text;
	for (;;) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *a = p, *b = end;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		struct proxy_net net;
		if (parse_net(a, (size_t)(b - a), &net)) {
			l->n = n0;
			int shown = (int)(b - a > 60 ? 60 : b - a);
			return qd_fail(
			    err, QD_EINVAL, "trusted-proxy",
			    "受信任代理须为 IPv4 或 IPv6 地址或网段（如 "
			    "10.0.0.0/8、fd00::/8，主机位为零）：“%.*s”",
			    "a trusted proxy must be an IPv4 or IPv6 address or network (e.g. 10.0.0.0/8, "
			    "fd00::/8, host bits zero): '%.*s'",
			    shown, a, shown, a);
		}
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 4;
			l->nets = xrealloc(l->nets, (size_t)l->cap * sizeof *l->nets);
		}
		l->nets[l->n++] = net;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

void proxy_list_free(struct proxy_list *l)
{
	free(l->nets);
	l->nets = NULL;
	l->n = l->cap = 0;
}

static int trusted_bin(const struct proxy_list *l, const unsigned char a[16])
{
	for (int i = 0; i < l->n; i++)
		if (in_net(&l->nets[i], a))
			return 1;
	return 0;
}

int proxy_trusted(const struct proxy_list *l, const char *addr)
{
	unsigned char a[16];
	return addr && l->n && proxy_addr_parse(addr, strlen(addr), a) == 0 && trusted_bin(l, a);
}

static void addr_text(const unsigned char a[16], char *out, size_t n)
{
	if (!is_v4(a) || !inet_ntop(AF_INET, a + 12, out, (socklen_t)n))
		if (!inet_ntop(AF_INET6, a, out, (socklen_t)n))
			out[0] = 0;
}

/* Trim spaces and tabs around s[0..n). */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

int proxy_client(const struct proxy_list *l, const char *peer, const char *xff, const char *xrip, char *out,
                 size_t n)
{
	snprintf(out, n, "%s", peer ? peer : "");
	if (!proxy_trusted(l, peer))
		return 0;
	unsigned char a[16];
	if (xff && *xff) {
		/* From the right: every hop we trust vouches for the one before it; the first one we
		 * do not trust is the client.  A hop that is no address ends the walk: the client is the
		 * trusted hop that wrote it (what it forwarded cannot be believed). */
		size_t end = strlen(xff);
		int found = 0;
		for (;;) {
			size_t start = end;
			while (start > 0 && xff[start - 1] != ',')
				start--;
			const char *e = xff + start;
			size_t en = end - start;
			trim(&e, &en);
			if (proxy_addr_parse(e, en, a))
				break;
			addr_text(a, out, n);
			found = 1;
			if (!trusted_bin(l, a) || start == 0)
				break;
			end = start - 1;
		}
		return found;
	}
	if (xrip) {
		const char *e = xrip;
		size_t en = strlen(xrip);
		trim(&e, &en);
		if (proxy_addr_parse(e, en, a) == 0) {
			addr_text(a, out, n);
			return 1;
		}
	}
	return 0;
}
