/* listprof.c — server CPU of one task-list page, in process and without HTTP: opens a database,
 * reads a user's grants, and runs store_task_list through the task list presenter N times,
 * reporting thread CPU per page (and the page's bytes).  What the HTTP figures of bench/run leave
 * out (the network, libmicrohttpd, auth) and what remains is SQLite stepping the query plus the
 * presenter.  Usage: listprof DB USER_ID [UNIT_PATH|-] [STATE|-] [N] */
#include "base/buf.h"
#include "base/date.h"
#include "base/mem.h"
#include "core/role.h"
#include "present/present.h"
#include "store/list.h"
#include "store/org.h"
#include "store/store.h"
#include "store/task.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct grant *g_grants;
static int g_ngrants;

static unsigned rights_on(const struct viewer *v, const char *path)
{
	return path ? grants_rights_on(g_grants, g_ngrants, path) : 0;
}

static int write_task(void *ctx, const struct row *row, struct buf *out)
{
	return present_write(present_task_list, ctx, row, 0, out);
}

static double cpu_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	mem_init();
	if (argc < 3) {
		fprintf(stderr, "usage: listprof DB USER_ID [UNIT_PATH|-] [STATE|-] [N]\n");
		return 2;
	}
	struct store *s;
	struct qd_err err;
	struct store_opts o = {.path = argv[1], .now = (int64_t)time(NULL) * 1000};
	if (store_open(&s, &o, &err)) {
		fprintf(stderr, "listprof: %s\n", err.en);
		return 1;
	}
	struct store_rd *rd = store_reader(s);
	g_ngrants = store_user_grants(rd, atoll(argv[2]), &g_grants);
	struct list_filter f = {.grants = g_grants, .ngrants = g_ngrants, .right = RIGHT_READ, .limit = 50};
	if (argc > 3 && strcmp(argv[3], "-"))
		f.unit_path = argv[3];
	if (argc > 4 && strcmp(argv[4], "-"))
		f.state = argv[4];
	int n = argc > 5 ? atoi(argv[5]) : 2000;
	date_format(date_china_day(o.now), f.today);
	struct viewer v = {atoll(argv[2]), grants_rights_any(g_grants, g_ngrants), rights_on, NULL,
			   date_china_day(o.now)};
	struct row_writer w = {&v, write_task};
	size_t bytes = 0;
	for (int pass = 0; pass < 2; pass++) { /* the first pass warms the caches */
		double t0 = cpu_us();
		for (int i = 0; i < n; i++) {
			struct buf out;
			buf_init(&out);
			int more = 0;
			int64_t total = -1;
			if (store_task_list(rd, &f, &w, &out, &more, &total)) {
				fprintf(stderr, "listprof: the list failed\n");
				return 1;
			}
			bytes = out.len;
			buf_free(&out);
		}
		if (pass)
			printf("list page: %.1f us CPU, %zu bytes (%d pages)\n", (cpu_us() - t0) / n, bytes, n);
	}
	free(g_grants);
	store_close(s);
	return 0;
}
