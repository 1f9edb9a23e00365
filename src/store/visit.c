/* visit.c — household visits in the store. */
#include "store/visit.h"
#include "store/db.h"
#include "store/org.h"

int store_visit_create(struct store_tx *tx, int64_t actor, int64_t unit_id, const char *visited_on,
		       const char *household, const char *note, int64_t *id, struct qd_err *err)
{
	struct unit u;
	if (store_unit_get(store_tx_db(tx), unit_id, &u, err))
		return -1;
	int64_t nid = store_next_id(tx, "visit");
	json_t *row = json_pack("{sI sI ss sI ss ss ss sI}", "id", (json_int_t)nid, "unit_id", (json_int_t)unit_id,
				"unit_path", u.path, "cadre_id", (json_int_t)actor, "visited_on", visited_on,
				"household", household ? household : "", "note", note ? note : "", "created_at",
				(json_int_t)store_tx_now(tx));
	json_t *p = json_pack("{s{so}}", "rows", "visit", row);
	int64_t seq = store_emit(tx, actor, "visit.create", "visit", nid, p, err);
	json_decref(p);
	if (seq < 0)
		return -1;
	*id = nid;
	return 0;
}

json_t *store_visit_list(sqlite3 *db, const struct list_filter *f, int *more)
{
	struct where w;
	where_init(&w);
	where_scope(&w, f, "v.unit_path", NULL);
	if (f->unit_path) {
		where_and(&w, "substr(v.unit_path, 1, length(?)) = ?");
		where_str(&w, f->unit_path);
		where_str(&w, f->unit_path);
	}
	struct buf sql;
	buf_init(&sql);
	buf_printf(&sql, "SELECT v.id, v.unit_id, n.name AS unit_name, v.cadre_id, u.display_name AS cadre_name, "
			 "v.visited_on, v.household, v.note, v.created_at FROM visit v JOIN unit n ON n.id=v.unit_id "
			 "JOIN user u ON u.id=v.cadre_id%s ORDER BY v.id DESC LIMIT ? OFFSET ?",
		   w.sql.p);
	json_t *arr = json_array();
	sqlite3_stmt *st = db_prepare(db, sql.p);
	*more = 0;
	if (st) {
		where_bind(&w, st, 1);
		db_bind_int(st, w.n + 1, f->limit + 1);
		db_bind_int(st, w.n + 2, f->offset);
		int n = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (n++ == f->limit) {
				*more = 1;
				break;
			}
			json_array_append_new(arr, db_row_json(st));
		}
		db_done(st);
	}
	buf_free(&sql);
	where_free(&w);
	return arr;
}
