/* sign.c — Ed25519 chain-head signatures (libsodium crypto_sign_detached), their key files and
 * their one-line JSON form (store/sign.h).  The signed message is a fixed text naming what the
 * signature vouches for, so a signature over one field cannot be read as over another:
 *   "qingdan signed head v1\n" seq "\n" hash-hex "\n" at "\n" key-id
 * The line is parsed by hand-checked rules over jansson (strict members and types): it is read
 * back from files and webhooks on other hosts, i.e. from anyone who could write there. */
#include "store/sign.h"
#include "base/buf.h"
#include "base/mem.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], char id[SIGN_KEY_ID_HEX + 1])
{
	sodium_bin2hex(id, SIGN_KEY_ID_HEX + 1, pk, SIGN_KEY_ID_HEX / 2);
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int sign_key_create(const char *path, struct qd_err *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	struct buf pub;
	buf_init(&pub);
	buf_printf(&pub, "%s.pub", path); /* fmt: a file name */
	int rc = -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, sk, sizeof sk) || fsync(fd)) {
		qd_fail(err, QD_EINTERNAL, "sign-key", "无法写入签名密钥文件 %s",
		        "cannot write signing key file %s", path, path);
		if (fd >= 0)
			unlink(path);
		goto out;
	}
	char hex[2 * crypto_sign_PUBLICKEYBYTES + 2];
	sodium_bin2hex(hex, sizeof hex - 1, pk, sizeof pk);
	hex[sizeof hex - 2] = '\n';
	hex[sizeof hex - 1] = 0;
	int pfd = open(pub.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (pfd < 0 || write_all(pfd, hex, strlen(hex)) || fsync(pfd)) {
		qd_fail(err, QD_EINTERNAL, "sign-key", "无法写入公钥文件 %s",
		        "cannot write public key file %s", pub.p, pub.p);
		unlink(path);
		unlink(pub.p);
	} else {
		rc = 0;
	}
	if (pfd >= 0)
		close(pfd);
out:
	if (fd >= 0)
		close(fd);
	sodium_memzero(sk, sizeof sk);
	buf_free(&pub);
	return rc;
}

int sign_key_load(const char *path, struct sign_key *k, struct qd_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return qd_fail(err, QD_ENOTFOUND, "sign-key", "无法读取签名密钥文件 %s",
		               "cannot read signing key file %s", path, path);
	unsigned char extra;
	ssize_t n = read(fd, k->sk, sizeof k->sk);
	ssize_t more = read(fd, &extra, 1);
	close(fd);
	if (n != (ssize_t)sizeof k->sk || more != 0) {
		sign_key_wipe(k);
		return qd_fail(err, QD_EINVAL, "sign-key", "签名密钥文件 %s 已损坏（应为 %d 字节）",
		               "signing key file %s is damaged (it must hold %d bytes)", path,
		               (int)sizeof k->sk, path, (int)sizeof k->sk);
	}
	crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
	key_id(k->pk, k->id);
	return 0;
}

void sign_key_wipe(struct sign_key *k)
{
	sodium_memzero(k, sizeof *k);
}

char *sign_key_default(const char *db, const char *key_path)
{
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s.sign", key_path ? key_path : db); /* fmt: a file name */
	return b.p;
}

static int hex_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* n hex digits of s into out (n/2 bytes): only lowercase, exactly n. */
static int hex_exact(const char *s, size_t slen, unsigned char *out, size_t n)
{
	if (slen != n || !hex_lower(s, n))
		return -1;
	size_t got = 0;
	return sodium_hex2bin(out, n / 2, s, n, NULL, &got, NULL) == 0 && got == n / 2 ? 0 : -1;
}

int sign_pub_parse(const char *line, size_t n, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                   struct qd_err *err)
{
	size_t b = 0;
	while (b < n && (line[b] == ' ' || line[b] == '\t' || line[b] == '\r'))
		b++;
	while (n > b && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
		n--;
	if (b == n || line[b] == '#')
		return 0;
	if (hex_exact(line + b, n - b, pk, (size_t)2 * crypto_sign_PUBLICKEYBYTES))
		return qd_fail(err, QD_EINVAL, "sign-pub", "公钥应为 64 个小写十六进制字符",
		               "a public key is 64 lowercase hex digits");
	return 1;
}

int sign_pubs_load(const char *path, struct sign_pubs *p, struct qd_err *err)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return qd_fail(err, QD_ENOTFOUND, "sign-pub", "无法读取公钥文件 %s",
		               "cannot read public key file %s", path, path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int no = 0, rc = 0, found = 0;
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		no++;
		if (len && line[len - 1] == '\n')
			len--;
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		int got = sign_pub_parse(line, (size_t)len, pk, err);
		if (got < 0) {
			rc = qd_fail(err, QD_EINVAL, "sign-pub",
			             "公钥文件 %s 第 %d 行：应为 64 个小写十六进制字符",
			             "public key file %s line %d: a key is 64 lowercase hex digits", path, no,
			             path, no);
		} else if (got) {
			if (p->n == p->cap) {
				p->cap = p->cap ? 2 * p->cap : 4;
				p->pk = xrealloc(p->pk, (size_t)p->cap * sizeof *p->pk);
			}
			memcpy(p->pk[p->n++], pk, sizeof pk);
			found++;
		}
	}
	free(line);
	fclose(f);
	if (!rc && !found)
		rc = qd_fail(err, QD_EINVAL, "sign-pub", "公钥文件 %s 中没有公钥",
		             "public key file %s holds no key", path, path);
	return rc;
}

void sign_pubs_free(struct sign_pubs *p)
{
	free(p->pk);
	memset(p, 0, sizeof *p);
}

/* The text a signature is over (a fixed buffer: every part has a bounded length). */
static size_t head_message(const struct signed_head *h, char out[256])
{
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, h->hash, sizeof h->hash);
	int n = snprintf(out, 256, "qingdan signed head v1\n%lld\n%s\n%lld\n%s", (long long)h->seq, hex,
	                 (long long)h->at, h->key);
	return n > 0 && n < 256 ? (size_t)n : 0;
}

void sign_head(const struct sign_key *k, struct signed_head *h)
{
	memcpy(h->key, k->id, sizeof h->key);
	char m[256];
	size_t n = head_message(h, m);
	crypto_sign_detached(h->sig, NULL, (const unsigned char *)m, n, k->sk);
}

int sign_head_verify(const struct sign_pubs *p, const struct signed_head *h)
{
	char m[256];
	size_t n = head_message(h, m);
	for (int i = 0; n && i < p->n; i++) {
		char id[SIGN_KEY_ID_HEX + 1];
		key_id(p->pk[i], id);
		if (!strcmp(id, h->key) &&
		    crypto_sign_verify_detached(h->sig, (const unsigned char *)m, n, p->pk[i]) == 0)
			return 1;
	}
	return 0;
}

char *sign_head_format(const struct signed_head *h)
{
	char hash[65], sig[2 * crypto_sign_BYTES + 1];
	sodium_bin2hex(hash, sizeof hash, h->hash, sizeof h->hash);
	sodium_bin2hex(sig, sizeof sig, h->sig, sizeof h->sig);
	struct buf b;
	buf_init(&b);
	/* every value is digits or hex: nothing to escape */
	/* fmt: hex digests and a key id of hex digits */
	buf_printf(&b, "{\"v\":1,\"seq\":%lld,\"hash\":\"%s\",\"at\":%lld,\"key\":\"%s\",\"sig\":\"%s\"}",
	           (long long)h->seq, hash, (long long)h->at, h->key, sig);
	return b.p;
}

static int hex_member(json_t *o, const char *name, unsigned char *out, size_t digits, struct qd_err *err)
{
	json_t *v = json_object_get(o, name);
	if (!json_is_string(v) || hex_exact(json_string_value(v), json_string_length(v), out, digits))
		return qd_fail(err, QD_EINVAL, name, "%s 应为 %d 个小写十六进制字符",
		               "%s must be %d lowercase hex digits", name, (int)digits, name, (int)digits);
	return 0;
}

static int int_member(json_t *o, const char *name, int64_t min, int64_t *out, struct qd_err *err)
{
	json_t *v = json_object_get(o, name);
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return qd_fail(err, QD_EINVAL, name, "%s 应为不小于 %lld 的整数",
		               "%s must be an integer ≥ %lld", name, (long long)min, name, (long long)min);
	*out = json_integer_value(v);
	return 0;
}

int sign_head_parse(const char *line, size_t n, struct signed_head *h, struct qd_err *err)
{
	memset(h, 0, sizeof *h);
	if (n > SIGN_LINE_MAX)
		return qd_fail(err, QD_ETOOBIG, "head", "签名链头一行超过 %d 字节",
		               "a signed head's line is over %d bytes", SIGN_LINE_MAX, SIGN_LINE_MAX);
	json_error_t je;
	json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	int rc = -1;
	int64_t v = 0;
	if (!json_is_object(o)) {
		qd_fail(err, QD_EINVAL, "head", "签名链头应为一个 JSON 对象",
		        "a signed head must be one JSON object");
		goto out;
	}
	static const char *const members[] = {"v", "seq", "hash", "at", "key", "sig", NULL};
	const char *name;
	json_t *val;
	json_object_foreach(o, name, val)
	{
		int known = 0;
		for (int i = 0; members[i]; i++)
			known |= !strcmp(members[i], name);
		if (!known) {
			qd_fail(err, QD_EINVAL, "head", "签名链头有未知成员",
			        "a signed head has an unknown member");
			goto out;
		}
	}
	if (int_member(o, "v", 1, &v, err) ||
	    (v != 1 && qd_fail(err, QD_EINVAL, "v", "v 应为 1", "v must be 1")) ||
	    int_member(o, "seq", 1, &h->seq, err) || int_member(o, "at", 0, &h->at, err) ||
	    hex_member(o, "hash", h->hash, 64, err))
		goto out;
	unsigned char id[SIGN_KEY_ID_HEX / 2];
	if (hex_member(o, "key", id, SIGN_KEY_ID_HEX, err) ||
	    hex_member(o, "sig", h->sig, (size_t)2 * crypto_sign_BYTES, err))
		goto out;
	memcpy(h->key, json_string_value(json_object_get(o, "key")), SIGN_KEY_ID_HEX + 1);
	rc = 0;
out:
	json_decref(o);
	return rc;
}
