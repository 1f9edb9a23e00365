/* export_csv.h — the one exporter of list views (tasks today; problems, visits and the ledger
 * next): columns and rows already written by an entity's presenter in, a CSV file for Excel out.
 * It knows nothing of tasks: a list view hands it its columns (the member of a presented row, the
 * heading in the reader's language, and how a value reads) and the presented rows.  The ledger
 * issue adds an XLSX writer over the same struct export_col.
 *
 * The file: UTF-8 with a byte-order mark (Excel opens it as UTF-8, not GBK), CRLF line ends,
 * every field quoted ("" for a quote inside), and a text cell that a spreadsheet would take for a
 * formula — one starting with = + - @, a tab or a CR — written with a leading apostrophe, so a
 * title "=1+1" stays text (OWASP's CSV injection advice). */
#ifndef QD_WEB_EXPORT_CSV_H
#define QD_WEB_EXPORT_CSV_H
#include "base/buf.h"
#include <jansson.h>

struct export_col {
	const char *key;    /* the member of a presented row (a JSON object) */
	const char *header; /* the column's heading: display text, in the reader's language */
	/* The cell's text for the row's value (value may be NULL: no member or null), or NULL for the
	 * default: a string as it is, an integer in decimal, null as an empty cell, true/false as
	 * yes_no[1]/yes_no[0] of export_csv.  The text returned lives at least until the next call. */
	const char *(*text)(const void *ctx, const json_t *row, const json_t *value);
};

/* Append the CSV of rows (a JSON array of presented rows; borrowed) under the ncols columns to
 * out: the BOM, the heading line, one line per row.  ctx goes to each column's text function;
 * yes_no names false and true in the reader's language (NULL: "false", "true"). */
void export_csv(struct buf *out, const struct export_col *cols, int ncols, const json_t *rows,
                const void *ctx, const char *const yes_no[2]);
/* Append one quoted CSV field for text s (NULL: an empty field), neutralised as above. */
void export_csv_cell(struct buf *out, const char *s);

#endif
