/* heads_webhook.h — `serve --heads-webhook URL`: each signed chain head POSTed as JSON to another
 * host (store/sign.h's line), from a thread of its own, retried with back-off, through a bounded
 * queue.  The signer (store/signer.h) hands heads to webhook_push. */
#ifndef QD_CLI_HEADS_WEBHOOK_H
#define QD_CLI_HEADS_WEBHOOK_H
#include "base/err.h"
#include "store/sign.h"

#define WEBHOOK_QUEUE 1024 /* heads waiting; past it the oldest is dropped, logged (a later head covers it)  \
	                    */
#define WEBHOOK_RETRY_MS 500       /* the first retry; doubling … */
#define WEBHOOK_RETRY_MAX_MS 60000 /* … up to a minute */
#define WEBHOOK_TIMEOUT_S 10       /* one POST */

struct webhook;

/* Start the sender for url (http:// or https://).  0 or -1 (a bad URL, no thread). */
int webhook_start(struct webhook **out, const char *url, struct qd_err *err);
/* Queue h (copied); never blocks the caller.  arg is the struct webhook (signer_opts.on_signed). */
void webhook_push(const struct signed_head *h, void *arg);
/* Stop: what is queued gets up to drain_ms to be sent, then the thread ends; w freed. */
void webhook_stop(struct webhook *w, int drain_ms);

#endif
