/* store_ingest.h — the store's side of talot ingest.
 *
 * For ingested sensor-days the store keeps, besides the rows every
 * sensor-day has (sensor_day and its rollups, written through the same
 * import as CSV rows, so that render, info and export read them
 * unchanged), the exact source sets (srcset.h):
 *   ingest_cell(day, sensor, proto, port, cc, accesses, sources, srcs)
 *                              per key: the counts and the source set
 *   ingest_day(day, sensor, excluded_packets, sources, srcs)
 *                              per sensor-day: its origin (a row here means
 *                              "ingested"; none means a CSV import), the
 *                              packets of excluded prefixes, and the union
 *                              of its sources over every key
 *   ingest_geoip(day, sensor, type, build)
 *                              the geolocation databases used for it
 *   ingest_input(sha256, name, bytes, format, packets, events, truncated, at)
 *                              every input ingested, by content hash
 * These tables come with schema 2, made by the first ingest into a store.
 *
 * A run is one transaction: store_ingest_begin() opens it, the cells of
 * each drain are merged into the stored sets (accesses add, sets union),
 * and store_ingest_commit() rewrites each touched sensor-day's rows from
 * its cells and commits.  Mixing: a sensor-day imported from CSV is never
 * combined with packets, and an ingested one never replaced by CSV. */
#ifndef TALOT_STORE_INGEST_H
#define TALOT_STORE_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

struct store_ingest;

struct store_ingest_cell {
	int32_t day;               /* YYYYMMDD */
	const char *sensor;
	uint8_t proto;             /* 1, 6, 17 */
	uint16_t port;
	char cc[3];
	int64_t accesses;
	const uint32_t *v4;        /* IPv4 sources, host order (any order) */
	size_t n4;
	const uint8_t (*v6)[16];   /* IPv6 sources, ascending, unique */
	size_t n6;
};

struct store_ingest_summary {
	struct import_summary import;   /* sensor-days written (replaced =
	                                 * combined with earlier runs), months */
};

/* Opens the run's transaction (and makes the ingest tables of a schema 1
 * store).  NULL with e set. */
struct store_ingest *store_ingest_begin(struct store *s, struct err *e);

/* Whether an input with this SHA-256 (64 hex digits) was ingested before,
 * in an earlier run or earlier in this one: 1 (its name and UTC time of
 * ingestion in name/at), 0 not, -1 error (e). */
int store_ingest_input_seen(struct store_ingest *in, const char *sha256,
    char *name, size_t namelen, int64_t *at, struct err *e);
/* Records an input of this run. */
bool store_ingest_input_add(struct store_ingest *in, const char *sha256,
    const char *name, int64_t bytes, const char *format, int64_t packets,
    int64_t events, bool truncated, struct err *e);

/* A sensor-day this run writes: checks the mixing rule (false with e
 * "YYYY-MM-DD, sensor NAME: … imported from CSV …") and records it. */
bool store_ingest_sensor_day(struct store_ingest *in, int32_t day,
    const char *sensor, struct err *e);
/* Merges one key's accesses and sources into the stored cell (the
 * sensor-day's union over its cells is written at commit). */
bool store_ingest_cell(struct store_ingest *in,
    const struct store_ingest_cell *c, struct err *e);
/* Adds a sensor-day's excluded packets and the database it was located
 * with. */
bool store_ingest_note(struct store_ingest *in, int32_t day,
    const char *sensor, int64_t excluded, const char *geoip_type,
    int64_t geoip_build, struct err *e);

/* Rewrites the rows of every sensor-day of the run from its cells and
 * commits.  false with e: nothing was written.  Free sum with
 * import_summary_finish(&sum->import). */
bool store_ingest_commit(struct store_ingest *in,
    struct store_ingest_summary *sum, struct err *e);
/* Rolls back (unless committed) and frees; NULL ok. */
void store_ingest_destroy(struct store_ingest *in);

/* ---- reading ---- */
struct store_ingest_geoip {
	char type[64];
	int64_t build;             /* UTC seconds */
};

struct store_ingest_month {
	int32_t month;             /* YYYYMM */
	int64_t sensor_days;       /* ingested sensor-days */
	int64_t unique_sources;    /* distinct over all of them */
	int64_t excluded;          /* packets of excluded prefixes */
	size_t ngeoip;
	struct store_ingest_geoip *geoip;   /* owned */
};

/* The months holding ingested sensor-days, ascending (none for a store
 * never ingested into).  Free with store_ingest_months_free(). */
bool store_ingest_months(struct store *s, struct store_ingest_month **out,
    size_t *n, struct err *e);
void store_ingest_months_free(struct store_ingest_month *v, size_t n);

/* Distinct sources of month yyyymm over its ingested sensor-days, and how
 * many sensor-days those are (0: none). */
bool store_ingest_month_unique(struct store *s, int32_t yyyymm,
    int64_t *unique, int64_t *sensor_days, struct err *e);

/* store_open() of a schema 2 store: the ingest tables are there. */
bool store_ingest_tables_check(struct store *s, struct err *e);

/* Verifies that every ingested sensor-day's rows equal its cells, and every
 * cell's and sensor-day's source count its set.  1 agree, 0 differ (e
 * names the first difference), -1 error. */
int store_ingest_check(struct store *s, int64_t *checked, struct err *e);

#endif
