/* export_csv.c — list views as CSV for Excel (web/export_csv.h).  Hand-written: RFC 4180's
 * quoting and the formula guard are a few lines, and a CSV library would not know the guard. */
#include "web/export_csv.h"
#include <stdio.h>
#include <string.h>

void export_csv_cell(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	if (s && *s && strchr("=+-@\t\r", *s))
		buf_putc(out, '\''); /* a spreadsheet formula (or a cell that starts as one): text */
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

static const char *default_text(const json_t *v, const char *const yes_no[2], char *num, size_t n)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(num, n, "%lld", (long long)json_integer_value(v));
		return num;
	}
	if (json_is_boolean(v))
		return yes_no ? yes_no[json_is_true(v)] : json_is_true(v) ? "true" : "false";
	return NULL; /* null, absent; arrays and objects are no cell (a column names a scalar member) */
}

void export_csv(struct buf *out, const struct export_col *cols, int ncols, const json_t *rows,
                const void *ctx, const char *const yes_no[2])
{
	buf_puts(out, "\xEF\xBB\xBF");
	for (int c = 0; c < ncols; c++) {
		if (c)
			buf_putc(out, ',');
		export_csv_cell(out, cols[c].header);
	}
	buf_puts(out, "\r\n");
	size_t i;
	const json_t *row;
	json_array_foreach(rows, i, row)
	{
		for (int c = 0; c < ncols; c++) {
			const json_t *v = json_object_get(row, cols[c].key);
			char num[32];
			if (c)
				buf_putc(out, ',');
			export_csv_cell(out, cols[c].text ? cols[c].text(ctx, row, v)
			                                  : default_text(v, yes_no, num, sizeof num));
		}
		buf_puts(out, "\r\n");
	}
}
