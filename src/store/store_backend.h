/* store_backend.h — the back-ends behind store.h (private to src/store/).
 *
 * store.c dispatches every function of store.h to one back-end: SQLite
 * (store_sqlite.c, a file path) or ClickHouse (clickhouse.c, a
 * clickhouse:// URL).  Each back-end's `struct store` and
 * `struct store_import` start with an `enum store_kind`, so that the
 * dispatcher can tell them apart without knowing their insides.
 * The functions have the contracts of their store.h namesakes;
 * P_store_month_input() also gets the template's pinned notable ports,
 * whose counts a back-end that reduces M-1 and M must keep
 * (month_input.mix_given).
 */
#ifndef TALOT_STORE_BACKEND_H
#define TALOT_STORE_BACKEND_H

#include "store.h"

enum store_kind {
	STORE_KIND_SQLITE = 0,     /* what calloc gives: SQLite's default */
	STORE_KIND_CLICKHOUSE = 1,
};

/* The kind of a handle of either back-end. */
static inline enum store_kind
store_kind_of(const void *handle)
{
	return *(const enum store_kind *)handle;
}

/* True if db names a ClickHouse store (starts with "clickhouse://"). */
bool store_is_clickhouse_url(const char *db);

/* For the ingest functions (SQLite only for now): true for a SQLite store;
 * false with e set for a ClickHouse one ("URL: ingest into ClickHouse is
 * not supported yet; insert raw events into raw_events instead"). */
bool store_ingest_supported(struct store *s, struct err *e);

#define STORE_BACKEND_FUNCS(P) \
struct store *P##_store_open(const char *path, enum store_mode mode, \
    struct err *e); \
void P##_store_close(struct store *s); \
bool P##_store_publish(struct store *s, struct err *e); \
const char *P##_store_path(const struct store *s); \
struct store_import *P##_store_import_begin(struct store *s, struct err *e); \
int P##_store_import_row(struct store_import *im, const struct csv_row *r, \
    struct err *e); \
bool P##_store_import_commit(struct store_import *im, \
    struct import_summary *sum, struct err *e); \
void P##_store_import_destroy(struct store_import *im); \
bool P##_store_months(struct store *s, struct store_month_info **out, \
    size_t *n, struct err *e); \
bool P##_store_snapshot_begin(struct store *s, struct err *e); \
void P##_store_snapshot_end(struct store *s); \
bool P##_store_month_data(struct store *s, month_t m, struct month_data *d, \
    struct err *e); \
bool P##_store_month_input(struct store *s, month_t m, \
    const struct key *pins, size_t npins, struct month_input *in, \
    struct err *e); \
bool P##_store_color_months(struct store *s, struct color_month **out, \
    size_t *n, struct err *e); \
bool P##_store_month_sensors(struct store *s, month_t m, \
    struct sensor_name **out, size_t *n, struct err *e); \
bool P##_store_port_day_country(struct store *s, struct key port, \
    month_t from, month_t to, struct port_day_country **rows, size_t *n, \
    struct err *e); \
int P##_store_check(struct store *s, struct store_check *out, struct err *e);

STORE_BACKEND_FUNCS(sqlite)
STORE_BACKEND_FUNCS(ch)

#endif
