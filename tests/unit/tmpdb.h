/* tmpdb.h — a unit test's database in a temporary directory of its own: make the directory,
 * name the database in it, and remove both again (with the WAL, shared-memory, journal and key
 * files SQLite and the store leave beside it), saying so when something is left.  Header-only:
 * each test program is one .c file linked with the library. */
#ifndef QD_TESTS_TMPDB_H
#define QD_TESTS_TMPDB_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct tmpdb {
	char dir[64];   /* /tmp/qd-test-<tag>-XXXXXX */
	char path[128]; /* dir/qd.db */
};

/* Make the directory (tag names the test in its name) and the database's path in it; 0 or -1. */
static inline int tmpdb_make(struct tmpdb *t, const char *tag)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/qd-test-%s-XXXXXX", tag);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof t->path, "%s/qd.db", t->dir);
	return 0;
}

/* Remove the database at path and the files beside it (a missing file is fine). */
static inline void tmpdb_unlink(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", ".key", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* Remove t's database and its directory; -1 (and a TAP comment naming the directory) when
 * something else was left in it. */
static inline int tmpdb_remove(struct tmpdb *t)
{
	tmpdb_unlink(t->path);
	if (rmdir(t->dir) != 0) {
		fprintf(stderr, "# leftover files in %s\n", t->dir);
		return -1;
	}
	return 0;
}

#endif
