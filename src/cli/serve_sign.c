/* serve_sign.c — `qingdan serve`'s signed record (issue 9 §7): the options --sign-key,
 * --sign-every, --heads-file and --heads-webhook turned into a running signer
 * (store/signer.h) and webhook sender (cli/heads_webhook.h), and their stop in order.
 *
 * A server signs when its signing key exists: beside the personal-data key by default, where
 * init and demo create it, or --sign-key FILE.  A database made before the signed record (no
 * key file there) is served unsigned, with a warning; an explicit --sign-key, --heads-file or
 * --heads-webhook without a usable key is refused. */
#include "base/log.h"
#include "cli/cli.h"
#include "cli/heads_webhook.h"
#include "store/signer.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SERVE_SIGN_EVERY_S 60 /* the "at least every minute" */
#define SERVE_WEBHOOK_DRAIN_MS 5000

int serve_sign_start(const struct cli_opts *o, struct store *s, struct webhook **wh)
{
	*wh = NULL;
	if (o->sign_every < 0) {
		fprintf(
		    stderr,
		    "qingdan serve: --sign-every 应为 1 到 60 秒 (--sign-every must be 1 to 60 seconds)\n");
		return -1;
	}
	char *sk = cli_sign_key_path(o);
	int wanted = o->sign_key || o->heads_file || o->heads_webhook;
	if (!wanted && access(sk, F_OK) != 0) {
		log_warn(
		    "no signing key %s: chain heads are not signed (create one: docs/security.md §5)",
		    sk);
		fprintf(stderr,
		        "qingdan serve: 警告：没有签名密钥 %s，链头不签名 (warning: no signing key %s, chain "
		        "heads are "
		        "not signed)\n",
		        sk, sk);
		free(sk);
		return 0;
	}
	struct qd_err err;
	if (o->heads_webhook && webhook_start(wh, o->heads_webhook, &err)) {
		fprintf(stderr, "qingdan serve: %s\n", err.en);
		free(sk);
		return -1;
	}
	struct signer_opts so = {.key_path = sk,
	                         .every_s = o->sign_every ? o->sign_every : SERVE_SIGN_EVERY_S,
	                         .heads_file = o->heads_file,
	                         .on_signed = *wh ? webhook_push : NULL,
	                         .arg = *wh};
	int rc = signer_start(s, &so, &err);
	free(sk);
	if (rc) {
		fprintf(stderr, "qingdan serve: %s\n", err.en);
		webhook_stop(*wh, 0);
		*wh = NULL;
	}
	return rc;
}

void serve_sign_stop(struct store *s, struct webhook *wh)
{
	signer_stop(s);                           /* its last head goes to the webhook's queue … */
	webhook_stop(wh, SERVE_WEBHOOK_DRAIN_MS); /* … which gets a few seconds to deliver it */
}
