/* test_sign.c — the signed record's pieces (store/sign.h, store/signer.h): key files, signing and
 * verifying, the head's line and its parser's refusals (naming the member), the .pub file, and
 * the signer on a SQLite store signing on demand (store_sign_head_now) into chain_sig and the
 * heads file. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/date.h"
#include "base/mem.h"
#include "store/sign.h"
#include "store/signer.h"
#include "store/tx.h"
#include "tmpdb.h"

static void paths(const struct tmpdb *t, char sk[160], char pub[170], char heads[170])
{
	snprintf(sk, 160, "%s.sign", t->path);
	snprintf(pub, 170, "%s.sign.pub", t->path);
	snprintf(heads, 170, "%s/heads.jsonl", t->dir);
}

static void test_keys_and_signatures(void **state)
{
	(void)state;
	struct tmpdb t;
	assert_int_equal(tmpdb_make(&t, "sign"), 0);
	char sk[160], pub[170], heads[170];
	paths(&t, sk, pub, heads);
	struct qd_err err;
	assert_int_equal(sign_key_create(sk, &err), 0);
	struct stat st;
	assert_int_equal(stat(sk, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, crypto_sign_SECRETKEYBYTES);
	assert_int_equal(sign_key_create(sk, &err), -1); /* never overwritten */
	struct sign_key k;
	assert_int_equal(sign_key_load(sk, &k, &err), 0);
	struct sign_pubs p = {0};
	assert_int_equal(sign_pubs_load(pub, &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_memory_equal(p.pk[0], k.pk, sizeof k.pk);

	struct signed_head h = {.seq = 42, .at = 1700000000000};
	memset(h.hash, 0xab, sizeof h.hash);
	sign_head(&k, &h);
	assert_string_equal(h.key, k.id);
	assert_true(sign_head_verify(&p, &h));
	char *line = sign_head_format(&h);
	struct signed_head back;
	assert_int_equal(sign_head_parse(line, strlen(line), &back, &err), 0);
	assert_memory_equal(&back, &h, sizeof h);
	free(line);
	h.seq = 43; /* every signed field counts */
	assert_false(sign_head_verify(&p, &h));
	h.seq = 42;
	h.at++;
	assert_false(sign_head_verify(&p, &h));
	h.at--;
	h.hash[31] ^= 1;
	assert_false(sign_head_verify(&p, &h));
	h.hash[31] ^= 1;
	assert_true(sign_head_verify(&p, &h));
	struct sign_pubs none = {0};
	assert_false(sign_head_verify(&none, &h));

	/* a damaged key file is refused */
	FILE *f = fopen(sk, "ab");
	fputc(0, f);
	fclose(f);
	assert_int_equal(sign_key_load(sk, &k, &err), -1);
	assert_string_equal(err.field, "sign-key");

	/* a .pub file of two keys (a rotation) with a comment; a malformed line names its number */
	f = fopen(pub, "a");
	fprintf(f, "# the next key\n%s\n",
	        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	fclose(f);
	sign_pubs_free(&p);
	assert_int_equal(sign_pubs_load(pub, &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_true(sign_head_verify(&p, &h));
	f = fopen(pub, "a");
	fprintf(f, "00112233\n");
	fclose(f);
	sign_pubs_free(&p);
	assert_int_equal(sign_pubs_load(pub, &p, &err), -1);
	assert_non_null(strstr(err.en, "line 4"));
	sign_pubs_free(&p);
	sign_key_wipe(&k);
	unlink(sk);
	unlink(pub);
	assert_int_equal(tmpdb_remove(&t), 0);
}

static void test_parse_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *line, *field;
	} bad[] = {
	    {"", "head"},
	    {"[]", "head"},
	    {"{\"v\":1}", "seq"},
	    {"{\"v\":2,\"seq\":1}", "v"},
	    {"{\"v\":1,\"seq\":0,\"at\":0}", "seq"},
	    {"{\"v\":1,\"seq\":1,\"at\":-5}", "at"},
	    {"{\"v\":1,\"seq\":1,\"at\":5,\"hash\":\"AB\"}", "hash"},
	    {"{\"v\":1,\"seq\":1,\"at\":5,\"hash\":\"abab\",\"x\":1}", "head"},
	    {"{\"v\":1,\"seq\":1,\"seq\":2}", "head"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct signed_head h;
		struct qd_err err = {0};
		assert_int_equal(sign_head_parse(bad[i].line, strlen(bad[i].line), &h, &err), -1);
		assert_string_equal(err.field, bad[i].field);
		assert_true(err.zh[0] && err.en[0]);
	}
	char big[SIGN_LINE_MAX + 2];
	memset(big, ' ', sizeof big);
	struct signed_head h;
	struct qd_err err;
	assert_int_equal(sign_head_parse(big, sizeof big, &h, &err), -1);
	assert_int_equal(err.code, QD_ETOOBIG);
}

static int cmd_seed(struct store_tx *tx, void *arg, struct qd_err *err)
{
	(void)arg;
	return store_org_seed(tx, err);
}

static void test_signer_on_demand(void **state)
{
	(void)state;
	struct tmpdb t;
	assert_int_equal(tmpdb_make(&t, "signer"), 0);
	char sk[160], pub[170], heads[170];
	paths(&t, sk, pub, heads);
	struct qd_err err;
	struct store_opts o = {.path = t.path, .create = 1, .now = clock_now_ms()};
	struct store *s = NULL;
	assert_int_equal(store_open(&s, &o, &err), 0);
	assert_int_equal(sign_key_create(sk, &err), 0);
	struct signed_head h;
	assert_int_equal(store_sign_head_now(s, &h, &err), -1); /* no signer yet */
	struct signer_opts so = {.key_path = sk, .every_s = 61};
	assert_int_equal(signer_start(s, &so, &err), -1);
	assert_string_equal(err.field, "sign-every");
	so.every_s = 60; /* the schedule stays out of the way: only the demands sign */
	so.heads_file = heads;
	assert_int_equal(signer_start(s, &so, &err), 0);
	assert_int_equal(store_run(s, clock_now_ms(), cmd_seed, NULL, &err), 0);
	assert_int_equal(store_sign_head_now(s, &h, &err), 0);
	struct sign_pubs p = {0};
	assert_int_equal(sign_pubs_load(pub, &p, &err), 0);
	assert_true(sign_head_verify(&p, &h));
	assert_true(h.seq >= 1);
	struct signed_head again;
	assert_int_equal(store_sign_head_now(s, &again, &err), 0); /* unmoved: the same signature */
	assert_memory_equal(&again, &h, sizeof h);
	signer_stop(s);
	store_close(s);
	/* the heads file holds that head once, as its line */
	FILE *f = fopen(heads, "r");
	assert_non_null(f);
	char buf[2048];
	assert_non_null(fgets(buf, sizeof buf, f));
	assert_null(fgets(buf + 1024, 1024, f));
	fclose(f);
	struct signed_head read;
	assert_int_equal(sign_head_parse(buf, strcspn(buf, "\n"), &read, &err), 0);
	assert_memory_equal(&read, &h, sizeof h);
	sign_pubs_free(&p);
	unlink(heads);
	unlink(sk);
	unlink(pub);
	assert_int_equal(tmpdb_remove(&t), 0);
}

int main(void)
{
	mem_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_and_signatures),
	    cmocka_unit_test(test_parse_refusals),
	    cmocka_unit_test(test_signer_on_demand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
