/* store.c — see store.h: hands each call to the back-end that holds the
 * store, SQLite (store_sqlite.c) or ClickHouse (clickhouse.c).  Callers
 * never know which one they use. */
#include "store.h"

#include <string.h>

#include "store_backend.h"

#define CH(h) (store_kind_of(h) == STORE_KIND_CLICKHOUSE)

bool
store_is_clickhouse_url(const char *db)
{
	return strncmp(db, "clickhouse://", 13) == 0;
}

bool
store_ingest_supported(struct store *s, struct err *e)
{
	if (!CH(s))
		return true;
	return err_set(e, "%s: ingest into ClickHouse is not supported yet; insert raw events into raw_events instead (docs/clickhouse.md)",
	    store_path(s));
}

struct store *
store_open(const char *path, enum store_mode mode, struct err *e)
{
	if (store_is_clickhouse_url(path))
		return ch_store_open(path, mode, e);
	return sqlite_store_open(path, mode, e);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (CH(s))
		ch_store_close(s);
	else
		sqlite_store_close(s);
}

void
store_import_destroy(struct store_import *im)
{
	if (im == NULL)
		return;
	if (CH(im))
		ch_store_import_destroy(im);
	else
		sqlite_store_import_destroy(im);
}

void
store_snapshot_end(struct store *s)
{
	if (CH(s))
		ch_store_snapshot_end(s);
	else
		sqlite_store_snapshot_end(s);
}

bool
store_publish(struct store *s, struct err *e)
{
	if (CH(s))
		return ch_store_publish(s, e);
	return sqlite_store_publish(s, e);
}

const char *
store_path(const struct store *s)
{
	if (CH(s))
		return ch_store_path(s);
	return sqlite_store_path(s);
}

struct store_import *
store_import_begin(struct store *s, struct err *e)
{
	if (CH(s))
		return ch_store_import_begin(s, e);
	return sqlite_store_import_begin(s, e);
}

int
store_import_row(struct store_import *im, const struct csv_row *r,
    struct err *e)
{
	if (CH(im))
		return ch_store_import_row(im, r, e);
	return sqlite_store_import_row(im, r, e);
}

bool
store_import_commit(struct store_import *im, struct import_summary *sum,
    struct err *e)
{
	if (CH(im))
		return ch_store_import_commit(im, sum, e);
	return sqlite_store_import_commit(im, sum, e);
}

bool
store_months(struct store *s, struct store_month_info **out, size_t *n,
    struct err *e)
{
	if (CH(s))
		return ch_store_months(s, out, n, e);
	return sqlite_store_months(s, out, n, e);
}

bool
store_snapshot_begin(struct store *s, struct err *e)
{
	if (CH(s))
		return ch_store_snapshot_begin(s, e);
	return sqlite_store_snapshot_begin(s, e);
}

bool
store_month_data(struct store *s, month_t m, struct month_data *d,
    struct err *e)
{
	if (CH(s))
		return ch_store_month_data(s, m, d, e);
	return sqlite_store_month_data(s, m, d, e);
}

bool
store_month_input(struct store *s, month_t m, struct month_input *in,
    struct err *e)
{
	if (CH(s))
		return ch_store_month_input(s, m, NULL, 0, in, e);
	return sqlite_store_month_input(s, m, NULL, 0, in, e);
}

/* The same for every back-end: its month input and the notable ports'
 * days × countries, inside one read snapshot. */
bool
store_month_read(struct store *s, month_t m, const struct key *pins,
    size_t npins, struct month_input *in, struct err *e)
{
	struct key keys[MODEL_NOTABLE_MAX];
	size_t n;
	bool ok;

	memset(in, 0, sizeof(*in));
	if (!store_snapshot_begin(s, e))
		return false;
	ok = CH(s) ? ch_store_month_input(s, m, pins, npins, in, e) :
	    sqlite_store_month_input(s, m, pins, npins, in, e);
	if (ok) {
		n = model_notable_keys(in, pins, npins, keys);
		for (size_t i = 0; ok && i < n; i++) {
			in->notable_keys[i] = keys[i];
			in->nnotable = i + 1;
			ok = store_port_day_country(s, keys[i], m - 1, m,
			    &in->notable_rows[i], &in->notable_nrows[i], e);
		}
		if (!ok)
			month_input_finish(in);
	}
	store_snapshot_end(s);
	return ok;
}

bool
store_color_months(struct store *s, struct color_month **out, size_t *n,
    struct err *e)
{
	if (CH(s))
		return ch_store_color_months(s, out, n, e);
	return sqlite_store_color_months(s, out, n, e);
}

bool
store_month_sensors(struct store *s, month_t m, struct sensor_name **out,
    size_t *n, struct err *e)
{
	if (CH(s))
		return ch_store_month_sensors(s, m, out, n, e);
	return sqlite_store_month_sensors(s, m, out, n, e);
}

bool
store_port_day_country(struct store *s, struct key port, month_t from,
    month_t to, struct port_day_country **rows, size_t *n, struct err *e)
{
	if (CH(s))
		return ch_store_port_day_country(s, port, from, to, rows, n, e);
	return sqlite_store_port_day_country(s, port, from, to, rows, n, e);
}

int
store_check(struct store *s, struct store_check *out, struct err *e)
{
	if (CH(s))
		return ch_store_check(s, out, e);
	return sqlite_store_check(s, out, e);
}
