/* store.h — the store.  Two back-ends implement it, chosen by the name
 * given to store_open(): SQLite (store_sqlite.c, a file path; described
 * below) and ClickHouse (clickhouse.c, a clickhouse:// URL; see
 * docs/clickhouse.md).  Callers never know which one they hold.
 *
 * SQLite schema (user_version 1, application_id 'TALO'):
 *   sensor(id, name)
 *   sensor_day(day, sensor, cells, accesses, sources)       one per observed sensor-day
 *   detail(day, sensor, proto, port, cc, accesses, sources)  the imported rows
 *   day_port, day_country, port_day_country, month_port, month_country
 *                                                            rollups kept in step
 *   month_port_by_accesses, month_port_by_sources            indexes for the colours
 *                                                            (made when opened for writing)
 * Days are stored as YYYYMMDD integers, months as YYYYMM.  Rendering reads
 * only sensor_day and the rollups, by primary-key ranges.
 */
#ifndef TALOT_STORE_H
#define TALOT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "err.h"
#include "model.h"

/* 1: the CSV store; 2: a store talot ingest wrote into (store_ingest.h:
 * the ingest tables).  A schema 1 store becomes 2 at its first ingest
 * only, so a store never ingested into stays readable by older talots. */
#define STORE_SCHEMA_VERSION 2

struct store;

enum store_mode {
	STORE_READ,    /* must exist; read only */
	STORE_WRITE,   /* created (or initialised if empty) when missing */
	STORE_CREATE,  /* must not exist: made in a private folder next to
	                  it and put in place by store_publish() */
};

/* Opens path.  A file that is not a talot store, is corrupt, or has a newer
 * schema is refused with e set ("FILE: not a talot store …") and is not
 * modified.  Returns an owned handle; close with store_close(). */
struct store *store_open(const char *path, enum store_mode mode,
    struct err *e);
/* Closes s.  A STORE_CREATE store not published is removed: what this
 * process alone created, never a file of the same name someone else put
 * in place meanwhile. */
void store_close(struct store *s);
/* For a STORE_CREATE store after its import committed: closes the
 * database and links it to its path, never replacing a file that
 * appeared there meanwhile ("created by another process").  Then only
 * store_close() may be called.  true (and does nothing) for other modes. */
bool store_publish(struct store *s, struct err *e);
const char *store_path(const struct store *s);

/* ---- import: one transaction ---- */
struct store_import;

struct import_summary {
	int64_t rows;              /* data rows (markers included) */
	int64_t sensor_days;       /* sensor-days written */
	int64_t replaced;          /* of which replaced stored ones */
	size_t nmonths;
	int32_t *months;           /* YYYYMM touched, ascending; owned */
};

struct store_import *store_import_begin(struct store *s, struct err *e);
/* Adds a validated row.  Returns 1 if stored, 0 for a data error in the row
 * (message in e, without place: the caller prefixes FILE:LINE), -1 for a
 * fatal store error (e set). */
int store_import_row(struct store_import *im, const struct csv_row *r,
    struct err *e);
/* Writes rollups and commits.  false with e set: nothing was written.
 * On success *sum is filled; free it with import_summary_finish(). */
bool store_import_commit(struct store_import *im, struct import_summary *sum,
    struct err *e);
/* Frees the months of a summary; a zeroed summary is fine. */
void import_summary_finish(struct import_summary *sum);
/* Rolls back and frees; NULL ok.  Also frees after a commit. */
void store_import_destroy(struct store_import *im);

/* ---- reading ---- */
struct store_month_info {
	int32_t month;            /* YYYYMM */
	int sensors;
	int64_t sensor_days;
	int64_t accesses, sources;
	int first_day, last_day;  /* YYYYMMDD of first/last observed */
};

/* All months with data, ascending.  *out is malloc'd. */
bool store_months(struct store *s, struct store_month_info **out, size_t *n,
    struct err *e);

/* A read snapshot: everything read between begin and end sees one state of
 * the store, even while an import commits. */
bool store_snapshot_begin(struct store *s, struct err *e);
void store_snapshot_end(struct store *s);

/* One month's totals, sensors per day and monthly port/country sums. */
bool store_month_data(struct store *s, month_t m, struct month_data *d,
    struct err *e);
/* Frees what store_month_data allocated. */
void month_data_finish(struct month_data *d);

/* Fills in for month M (six months M-5..M and M's daily rollups). */
bool store_month_input(struct store *s, month_t m, struct month_input *in,
    struct err *e);
/* Everything month M's bulletin needs, read in one pass inside one read
 * snapshot: store_month_input() and the per-day-country rows of the
 * notable ports (model_notable_keys() with the pins) over M-1..M. */
bool store_month_read(struct store *s, month_t m, const struct key *pins,
    size_t npins, struct month_input *in, struct err *e);
/* Every month of the store, ascending, with its top MODEL_TOP ports and
 * countries by accesses and by sources (the keys its monthly figures show),
 * for the store-wide colours (colors.h).  A few index reads per month.
 * *out malloc'd (NULL when the store is empty). */
bool store_color_months(struct store *s, struct color_month **out,
    size_t *n, struct err *e);
/* Names of the sensors observed in month m (at least one sensor-day),
 * sorted by name; *out malloc'd (NULL with *n 0 when none). */
bool store_month_sensors(struct store *s, month_t m, struct sensor_name **out,
    size_t *n, struct err *e);
/* Per day × country of one port over months from..to.  *rows malloc'd. */
bool store_port_day_country(struct store *s, struct key port, month_t from,
    month_t to, struct port_day_country **rows, size_t *n, struct err *e);

/* ---- checking ---- */
struct store_check {
	int64_t sensor_days, days, months;   /* rows checked */
};

/* Verifies, in one snapshot, that each sensor-day's totals equal its rows
 * and that day_rollup, month_port and month_country equal the sums of the
 * sensor-days' rows.  1: they agree; 0: they differ, e names the first
 * difference ("TABLE WHEN, KEY: ..."); -1: an error (e set). */
int store_check(struct store *s, struct store_check *out, struct err *e);

#endif
