/* proxy.h — trusted proxies and the client's address behind them.  A request's client is the
 * socket's peer, unless the peer is a configured trusted proxy (serve --trusted-proxy CIDR): then
 * it is the right-most address of X-Forwarded-For that is not itself a trusted proxy (or, without
 * that header, X-Real-IP).  A header from an untrusted peer is never read.  Pure string work: the
 * server (server.c) hands in the peer and the header values. */
#ifndef QD_WEB_PROXY_H
#define QD_WEB_PROXY_H
#include "base/err.h"
#include <stddef.h>

/* One network: 16 bytes (IPv4 as ::ffff:a.b.c.d, so the two families never mix) and a prefix. */
struct proxy_net {
	unsigned char addr[16];
	int bits; /* 0..128, counted over the 16 bytes (an IPv4 /24 is 96 + 24) */
};

struct proxy_list {
	struct proxy_net *nets; /* owned; grows as networks are added */
	int n, cap;
};

/* Parse a comma-separated list of CIDRs ("10.0.0.0/8, 127.0.0.1, fd00::/8"; an address alone is
 * one host) and append them to l.  A bad entry fails naming the field "trusted-proxy" and the
 * entry, and leaves l as it was.  Host bits set (10.0.0.1/8) are refused: say what you mean. */
int proxy_list_add(struct proxy_list *l, const char *text, struct qd_err *err);
void proxy_list_free(struct proxy_list *l);
/* Parse one address (IPv4 dotted quad or IPv6 text, nothing around it) into 16 bytes; 0 or -1. */
int proxy_addr_parse(const char *s, size_t n, unsigned char out[16]);
/* Is the address (text) inside one of l's networks?  Unparseable text is never trusted. */
int proxy_trusted(const struct proxy_list *l, const char *addr);
/* The client of a request from peer (the socket's address, as text) carrying the given
 * X-Forwarded-For (all its header lines joined with ",", or NULL) and X-Real-IP (or NULL): written
 * to out (canonical text, at most n bytes, n >= 46).  Returns 1 when it came from a header, 0 when
 * it is the peer itself. */
int proxy_client(const struct proxy_list *l, const char *peer, const char *xff, const char *xrip, char *out,
                 size_t n);

#endif
