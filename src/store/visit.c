/* visit.c — household visits in the store. */
#include "store/visit.h"
#include "store/db.h"
#include "store/filter.h"
#include "store/internal.h"
#include "store/org.h"
#include "store/text.h"
#include "store/tx.h"

int store_visit_create(struct store_tx *tx, int64_t actor, int64_t unit_id, const char *visited_on,
		       const char *household, const char *note, int64_t *id, struct qd_err *err)
{
	struct unit u;
	if (store_unit_get(store_tx_rd(tx), unit_id, &u, err))
		return -1;
	int64_t nid = store_next_id(tx, "visit");
	json_t *row = json_pack("{sI sI ss sI ss so so sI}", "id", (json_int_t)nid, "unit_id", (json_int_t)unit_id,
				"unit_path", u.path, "cadre_id", (json_int_t)actor, "visited_on", visited_on,
				"household", text_seal(tx, household), "note", text_seal(tx, note), "created_at",
				(json_int_t)store_tx_now(tx));
	if (store_emit_row(tx, actor, "visit.create", "visit", nid, row, NULL, err))
		return -1;
	*id = nid;
	return 0;
}

#define VISIT_COLS                                                                                 \
	"SELECT v.id, v.unit_id, n.name AS unit_name, v.unit_path, v.cadre_id, u.display_name AS cadre_name, " \
	"v.visited_on, v.household, v.note, v.created_at FROM visit v JOIN unit n ON n.id=v.unit_id "  \
	"JOIN \"user\" u ON u.id=v.cadre_id"

json_t *store_visit_get(struct store_rd *rd, int64_t id)
{
	db_conn *db = rd->db;
	return db_get_row(db, VISIT_COLS " WHERE v.id=?", id);
}

json_t *store_visit_list(struct store_rd *rd, const struct list_filter *f, int *more, int64_t *total)
{
	db_conn *db = rd->db;
	struct where w;
	where_init(&w);
	where_scope(&w, f, "v.unit_path", NULL);
	if (f->unit_path) {
		where_subtree(&w, f->unit_path, "v.unit_path", NULL);
	}
	struct buf sql;
	buf_init(&sql);
	buf_printf(&sql, VISIT_COLS "%s ORDER BY v.id DESC LIMIT ? OFFSET ?", w.sql.p);
	json_t *arr = where_page(db, sql.p, &w, f, more);
	if (f->count && total) {
		buf_reset(&sql);
		buf_printf(&sql, "SELECT count(*) FROM visit v%s", w.sql.p); /* sql-ident: fixed fragments */
		*total = where_count(db, sql.p, &w);
	}
	buf_free(&sql);
	where_free(&w);
	return arr;
}
