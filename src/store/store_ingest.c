/* store_ingest.c — see store_ingest.h.  SQL of the ingest tables; the rows
 * every sensor-day has are written by store.c's import. */
#include "store_ingest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "srcset.h"
#include "store_backend.h"
#include "store_internal.h"

static const char *const ingest_schema[] = {
	"CREATE TABLE ingest_day(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
	" excluded_packets INTEGER NOT NULL, sources INTEGER NOT NULL,"
	" srcs BLOB NOT NULL, PRIMARY KEY(day, sensor))",
	"CREATE TABLE ingest_cell(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
	" proto INTEGER NOT NULL, port INTEGER NOT NULL, cc TEXT NOT NULL,"
	" accesses INTEGER NOT NULL, sources INTEGER NOT NULL,"
	" srcs BLOB NOT NULL, PRIMARY KEY(day, sensor, proto, port, cc))",
	"CREATE TABLE ingest_geoip(day INTEGER NOT NULL, sensor INTEGER NOT NULL,"
	" type TEXT NOT NULL, build INTEGER NOT NULL,"
	" PRIMARY KEY(day, sensor, type, build)) WITHOUT ROWID",
	"CREATE TABLE ingest_input(sha256 TEXT NOT NULL PRIMARY KEY,"
	" name TEXT NOT NULL, bytes INTEGER NOT NULL, format TEXT NOT NULL,"
	" packets INTEGER NOT NULL, events INTEGER NOT NULL,"
	" truncated INTEGER NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID",
};

static const char *const ingest_tables[] = { "ingest_day", "ingest_cell",
	"ingest_geoip", "ingest_input" };

struct sdref {
	int32_t day;
	int64_t sid;
	size_t name;               /* index in names */
};

struct store_ingest {
	struct store *s;
	sqlite3 *db;
	struct store_import *im;   /* holds the transaction */
	bool made_tables;
	sqlite3_stmt *ins_sensor, *get_cell, *put_cell, *get_day, *put_day,
	    *note_day, *put_geoip, *get_input, *put_input, *has_sd, *has_ing,
	    *cells_of;
	/* sensors named in this run */
	char **names;
	int64_t *ids;
	size_t nnames, capnames, last;
	/* sensor-days of this run */
	struct sdref *sds;
	size_t nsds, capsds;
	sqlite3_stmt *srcs_of;
};

static bool
fail(struct store_ingest *in, struct err *e, const char *what)
{
	return store_sqlite_fail(in->s, e, what);
}

static sqlite3_stmt *
prep(struct store_ingest *in, const char *sql, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(in->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		fail(in, e, "preparing the ingest");
		return NULL;
	}
	return st;
}

static bool
step_done(struct store_ingest *in, sqlite3_stmt *st, struct err *e,
    const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(in, e, what);
	return true;
}

static bool
exec(struct store_ingest *in, const char *sql, struct err *e)
{
	if (sqlite3_exec(in->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(in, e, "making the ingest tables");
	return true;
}

static const char *
day_str(int32_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d / 10000, d / 100 % 100,
	    d % 100);
	return buf;
}

bool
store_ingest_tables_check(struct store *s, struct err *e)
{
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type='table' AND name=?", -1, &st, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, e, "reading the schema");
	for (size_t i = 0; i < sizeof(ingest_tables) / sizeof(*ingest_tables);
	    i++) {
		int rc, n;

		sqlite3_bind_text(st, 1, ingest_tables[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		n = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW) {
			sqlite3_finalize(st);
			return store_sqlite_fail(s, e, "reading the schema");
		}
		if (n != 1) {
			sqlite3_finalize(st);
			return err_set(e, "%s: the store is damaged (table %s is missing)",
			    store_path(s), ingest_tables[i]);
		}
	}
	sqlite3_finalize(st);
	return true;
}

struct store_ingest *
store_ingest_begin(struct store *s, struct err *e)
{
	struct store_ingest *in;

	if (!store_ingest_supported(s, e))
		return NULL;
	if ((in = calloc(1, sizeof(*in))) == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	in->s = s;
	in->db = store_sqlite_db(s);
	if ((in->im = store_import_begin(s, e)) == NULL)
		goto fail;
	store_import_for_ingest(in->im);
	if (store_sqlite_version(s) < 2) {
		/* schema 1 -> 2, in this run's transaction */
		for (size_t i = 0; i < sizeof(ingest_schema) /
		    sizeof(*ingest_schema); i++)
			if (!exec(in, ingest_schema[i], e))
				goto fail;
		if (!exec(in, "PRAGMA user_version=2", e))
			goto fail;
		in->made_tables = true;
	}
	if ((in->ins_sensor = prep(in,
	    "INSERT INTO sensor(name) VALUES(?) ON CONFLICT(name) DO UPDATE"
	    " SET name=excluded.name RETURNING id", e)) == NULL ||
	    (in->get_cell = prep(in,
	    "SELECT accesses, srcs FROM ingest_cell WHERE day=? AND sensor=?"
	    " AND proto=? AND port=? AND cc=?", e)) == NULL ||
	    (in->put_cell = prep(in,
	    "INSERT OR REPLACE INTO ingest_cell(day, sensor, proto, port, cc,"
	    " accesses, sources, srcs) VALUES(?,?,?,?,?,?,?,?)", e)) == NULL ||
	    (in->get_day = prep(in,
	    "SELECT srcs FROM ingest_day WHERE day=? AND sensor=?", e)) == NULL ||
	    (in->put_day = prep(in,
	    "INSERT INTO ingest_day(day, sensor, excluded_packets, sources, srcs)"
	    " VALUES(?1,?2,0,?3,?4) ON CONFLICT(day, sensor) DO UPDATE"
	    " SET sources=?3, srcs=?4", e)) == NULL ||
	    (in->note_day = prep(in,
	    "INSERT INTO ingest_day(day, sensor, excluded_packets, sources, srcs)"
	    " VALUES(?1,?2,?3,0,x'0100') ON CONFLICT(day, sensor) DO UPDATE"
	    " SET excluded_packets=excluded_packets+?3", e)) == NULL ||
	    (in->put_geoip = prep(in,
	    "INSERT OR IGNORE INTO ingest_geoip(day, sensor, type, build)"
	    " VALUES(?,?,?,?)", e)) == NULL ||
	    (in->get_input = prep(in,
	    "SELECT name, at FROM ingest_input WHERE sha256=?", e)) == NULL ||
	    (in->put_input = prep(in,
	    "INSERT INTO ingest_input(sha256, name, bytes, format, packets,"
	    " events, truncated, at) VALUES(?,?,?,?,?,?,?,?)", e)) == NULL ||
	    (in->has_sd = prep(in,
	    "SELECT 1 FROM sensor_day WHERE day=? AND sensor=?", e)) == NULL ||
	    (in->has_ing = prep(in,
	    "SELECT 1 FROM ingest_day WHERE day=? AND sensor=?", e)) == NULL ||
	    (in->cells_of = prep(in,
	    "SELECT proto, port, cc, accesses, sources FROM ingest_cell"
	    " WHERE day=? AND sensor=? ORDER BY proto, port, cc", e)) == NULL ||
	    (in->srcs_of = prep(in,
	    "SELECT srcs FROM ingest_cell WHERE day=? AND sensor=?", e)) == NULL)
		goto fail;
	return in;
fail:
	store_ingest_destroy(in);
	return NULL;
}

void
store_ingest_destroy(struct store_ingest *in)
{
	if (in == NULL)
		return;
	sqlite3_finalize(in->ins_sensor);
	sqlite3_finalize(in->get_cell);
	sqlite3_finalize(in->put_cell);
	sqlite3_finalize(in->get_day);
	sqlite3_finalize(in->put_day);
	sqlite3_finalize(in->note_day);
	sqlite3_finalize(in->put_geoip);
	sqlite3_finalize(in->get_input);
	sqlite3_finalize(in->put_input);
	sqlite3_finalize(in->has_sd);
	sqlite3_finalize(in->has_ing);
	sqlite3_finalize(in->cells_of);
	store_import_destroy(in->im);   /* rolls back unless committed */
	sqlite3_finalize(in->srcs_of);
	for (size_t i = 0; i < in->nnames; i++)
		free(in->names[i]);
	free(in->names);
	free(in->ids);
	free(in->sds);
	free(in);
}

int
store_ingest_input_seen(struct store_ingest *in, const char *sha256,
    char *name, size_t namelen, int64_t *at, struct err *e)
{
	int rc;

	sqlite3_bind_text(in->get_input, 1, sha256, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(in->get_input);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(in->get_input, 0);

		snprintf(name, namelen, "%s", t ? (const char *)t : "");
		*at = sqlite3_column_int64(in->get_input, 1);
	}
	sqlite3_reset(in->get_input);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(in, e, "reading the inputs ingested"), -1;
	return rc == SQLITE_ROW;
}

bool
store_ingest_input_add(struct store_ingest *in, const char *sha256,
    const char *name, int64_t bytes, const char *format, int64_t packets,
    int64_t events, bool truncated, struct err *e)
{
	sqlite3_stmt *st = in->put_input;

	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, bytes);
	sqlite3_bind_text(st, 4, format, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, packets);
	sqlite3_bind_int64(st, 6, events);
	sqlite3_bind_int(st, 7, truncated);
	sqlite3_bind_int64(st, 8, (int64_t)time(NULL));
	return step_done(in, st, e, "recording an input");
}

/* The id of sensor name (added when new) and its index in names; -1. */
static int64_t
sensor_id(struct store_ingest *in, const char *name, size_t *idx,
    struct err *e)
{
	int64_t id;

	if (in->last < in->nnames && strcmp(in->names[in->last], name) == 0) {
		*idx = in->last;
		return in->ids[in->last];
	}
	for (size_t i = 0; i < in->nnames; i++)
		if (strcmp(in->names[i], name) == 0) {
			*idx = in->last = i;
			return in->ids[i];
		}
	if (in->nnames == in->capnames) {
		size_t ncap = in->capnames ? in->capnames * 2 : 16;
		void *nn = realloc(in->names, ncap * sizeof(*in->names)), *ni;

		if (nn == NULL)
			return err_set(e, "out of memory"), -1;
		in->names = nn;
		ni = realloc(in->ids, ncap * sizeof(*in->ids));
		if (ni == NULL)
			return err_set(e, "out of memory"), -1;
		in->ids = ni;
		in->capnames = ncap;
	}
	sqlite3_bind_text(in->ins_sensor, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(in->ins_sensor) != SQLITE_ROW) {
		sqlite3_reset(in->ins_sensor);
		return fail(in, e, "adding a sensor"), -1;
	}
	id = sqlite3_column_int64(in->ins_sensor, 0);
	sqlite3_reset(in->ins_sensor);
	if ((in->names[in->nnames] = strdup(name)) == NULL)
		return err_set(e, "out of memory"), -1;
	in->ids[in->nnames] = id;
	*idx = in->last = in->nnames++;
	return id;
}

/* 1 if (day, sid) has a row in the table of st, 0 not, -1 error. */
static int
has_row(struct store_ingest *in, sqlite3_stmt *st, int32_t day, int64_t sid,
    struct err *e)
{
	int rc;

	sqlite3_bind_int(st, 1, day);
	sqlite3_bind_int64(st, 2, sid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(in, e, "reading a sensor-day"), -1;
	return rc == SQLITE_ROW;
}

bool
store_ingest_sensor_day(struct store_ingest *in, int32_t day,
    const char *sensor, struct err *e)
{
	char ds[16];
	size_t idx;
	int64_t sid = sensor_id(in, sensor, &idx, e);
	int sd, ing;

	if (sid < 0)
		return false;
	for (size_t i = in->nsds; i-- > 0 && i + 64 >= in->nsds;)
		if (in->sds[i].day == day && in->sds[i].sid == sid)
			return true;
	if ((sd = has_row(in, in->has_sd, day, sid, e)) < 0 ||
	    (ing = has_row(in, in->has_ing, day, sid, e)) < 0)
		return false;
	if (sd && !ing)
		return err_set(e, "%s, sensor %s: the store holds this sensor-day from a CSV import; talot ingest does not combine packets with imported counts: keep CSV and ingested data in separate stores",
		    day_str(day, ds, sizeof(ds)), sensor);
	if (in->nsds == in->capsds) {
		size_t ncap = in->capsds ? in->capsds * 2 : 64;
		void *n = realloc(in->sds, ncap * sizeof(*in->sds));

		if (n == NULL)
			return err_set(e, "out of memory");
		in->sds = n;
		in->capsds = ncap;
	}
	in->sds[in->nsds].day = day;
	in->sds[in->nsds].sid = sid;
	in->sds[in->nsds].name = idx;
	in->nsds++;
	return true;
}

/* Writes the union of a sensor-day's sources over all its cells (at
 * commit, once per sensor-day: the drains need not hold it). */
static bool
day_union(struct store_ingest *in, int32_t day, int64_t sid, struct err *e)
{
	sqlite3_stmt *st = in->srcs_of;
	struct srcset set;
	uint8_t *b = NULL;
	size_t len;
	bool ok = true;
	int rc;

	srcset_init(&set);
	sqlite3_bind_int(st, 1, day);
	sqlite3_bind_int64(st, 2, sid);
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (!srcset_add_blob(&set, sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0)))
			ok = errno == ENOMEM ? err_set(e, "out of memory") :
			    err_set(e, "%s: the store is damaged (table ingest_cell: a source set does not decode)",
			    store_path(in->s));
	if (ok && rc != SQLITE_DONE)
		ok = fail(in, e, "reading a sensor-day's sources");
	sqlite3_reset(st);
	if (ok && (b = srcset_encode(&set, &len)) == NULL)
		ok = err_set(e, "out of memory");
	if (ok) {
		st = in->put_day;
		sqlite3_bind_int(st, 1, day);
		sqlite3_bind_int64(st, 2, sid);
		sqlite3_bind_int64(st, 3, srcset_count(&set));
		sqlite3_bind_blob64(st, 4, b, len, free);
		ok = step_done(in, st, e, "writing a sensor-day's sources");
		sqlite3_clear_bindings(st);
	}
	srcset_finish(&set);
	return ok;
}

bool
store_ingest_cell(struct store_ingest *in, const struct store_ingest_cell *c,
    struct err *e)
{
	sqlite3_stmt *st = in->get_cell;
	int64_t acc = c->accesses, sid, count = 0;
	size_t idx, len = 0;
	uint8_t *b = NULL;
	bool ok = true;
	int rc;

	if ((sid = sensor_id(in, c->sensor, &idx, e)) < 0)
		return false;
	sqlite3_bind_int(st, 1, c->day);
	sqlite3_bind_int64(st, 2, sid);
	sqlite3_bind_int(st, 3, c->proto);
	sqlite3_bind_int(st, 4, c->port);
	sqlite3_bind_text(st, 5, c->cc, 2, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		/* the stored set and the new sources merged as sorted arrays,
		 * straight into the new blob */
		if (__builtin_add_overflow(acc, sqlite3_column_int64(st, 0),
		    &acc))
			ok = err_set(e, "counts too large: a sum exceeds 2^63");
		else if ((b = srcset_merge_blob(sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1), c->v4, c->n4, c->v6,
		    c->n6, &len, &count)) == NULL)
			ok = errno == ENOMEM ? err_set(e, "out of memory") :
			    err_set(e, "%s: the store is damaged (table ingest_cell: a source set does not decode)",
			    store_path(in->s));
	} else if (rc != SQLITE_DONE)
		ok = fail(in, e, "reading a cell's sources");
	sqlite3_reset(st);
	if (ok && b == NULL && (b = srcset_merge_blob(NULL, 0, c->v4, c->n4,
	    c->v6, c->n6, &len, &count)) == NULL)
		ok = err_set(e, "out of memory");
	if (ok) {
		st = in->put_cell;
		sqlite3_bind_int(st, 1, c->day);
		sqlite3_bind_int64(st, 2, sid);
		sqlite3_bind_int(st, 3, c->proto);
		sqlite3_bind_int(st, 4, c->port);
		sqlite3_bind_text(st, 5, c->cc, 2, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 6, acc);
		sqlite3_bind_int64(st, 7, count);
		sqlite3_bind_blob64(st, 8, b, len, free);
		ok = step_done(in, st, e, "writing a cell's sources");
		sqlite3_clear_bindings(st);
	}
	return ok;
}

bool
store_ingest_note(struct store_ingest *in, int32_t day, const char *sensor,
    int64_t excluded, const char *geoip_type, int64_t geoip_build,
    struct err *e)
{
	size_t idx;
	int64_t sid = sensor_id(in, sensor, &idx, e);
	bool ok;

	if (sid < 0)
		return false;
	sqlite3_bind_int(in->note_day, 1, day);
	sqlite3_bind_int64(in->note_day, 2, sid);
	sqlite3_bind_int64(in->note_day, 3, excluded);
	if (!step_done(in, in->note_day, e, "recording a sensor-day"))
		return false;
	sqlite3_bind_int(in->put_geoip, 1, day);
	sqlite3_bind_int64(in->put_geoip, 2, sid);
	sqlite3_bind_text(in->put_geoip, 3, geoip_type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(in->put_geoip, 4, geoip_build);
	ok = step_done(in, in->put_geoip, e, "recording a sensor-day");
	return ok;
}

static int
sdref_cmp(const void *pa, const void *pb)
{
	const struct sdref *a = pa, *b = pb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return (a->sid > b->sid) - (a->sid < b->sid);
}

/* Feeds the cells of one sensor-day to the import (which replaces its
 * rows and keeps the rollups in step). */
static bool
rewrite_sensor_day(struct store_ingest *in, const struct sdref *r,
    struct err *e)
{
	sqlite3_stmt *st = in->cells_of;
	struct csv_row row;
	bool any = false, ok = true;
	int rc;

	memset(&row, 0, sizeof(row));
	row.day = r->day;
	snprintf(row.sensor, sizeof(row.sensor), "%s", in->names[r->name]);
	sqlite3_bind_int(st, 1, r->day);
	sqlite3_bind_int64(st, 2, r->sid);
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *cc = sqlite3_column_text(st, 2);
		struct err re = { "" };

		row.marker = false;
		row.proto = (uint8_t)sqlite3_column_int(st, 0);
		row.port = (uint16_t)sqlite3_column_int(st, 1);
		snprintf(row.cc, sizeof(row.cc), "%s",
		    cc ? (const char *)cc : "ZZ");
		row.accesses = sqlite3_column_int64(st, 3);
		row.sources = sqlite3_column_int64(st, 4);
		if (store_import_row(in->im, &row, &re) != 1)
			ok = err_set(e, "%s", re.msg);
		any = true;
	}
	if (ok && rc != SQLITE_DONE)
		ok = fail(in, e, "reading a sensor-day's cells");
	sqlite3_reset(st);
	if (ok && !any) {
		/* every packet excluded: observed, no traffic counted */
		struct err re = { "" };

		row.marker = true;
		if (store_import_row(in->im, &row, &re) != 1)
			ok = err_set(e, "%s", re.msg);
	}
	return ok;
}

bool
store_ingest_commit(struct store_ingest *in, struct store_ingest_summary *sum,
    struct err *e)
{
	memset(sum, 0, sizeof(*sum));
	if (in->nsds > 1)
		qsort(in->sds, in->nsds, sizeof(*in->sds), sdref_cmp);
	for (size_t i = 0; i < in->nsds; i++) {
		if (i > 0 && sdref_cmp(&in->sds[i - 1], &in->sds[i]) == 0)
			continue;
		if (!day_union(in, in->sds[i].day, in->sds[i].sid, e) ||
		    !rewrite_sensor_day(in, &in->sds[i], e))
			return false;
	}
	if (!store_import_commit(in->im, &sum->import, e))
		return false;
	if (in->made_tables)
		store_sqlite_set_version(in->s, 2);
	return true;
}

/* ---- reading ---- */

void
store_ingest_months_free(struct store_ingest_month *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].geoip);
	free(v);
}

/* Unions the srcs column 1 of st's rows (column 0 the day) for month ym
 * while they belong to it. */
static bool
union_blob(struct store *s, sqlite3_stmt *st, int col, struct srcset *set,
    struct err *e)
{
	if (!srcset_add_blob(set, sqlite3_column_blob(st, col),
	    (size_t)sqlite3_column_bytes(st, col)))
		return errno == ENOMEM ? err_set(e, "out of memory") :
		    err_set(e, "%s: the store is damaged (table ingest_day: a source set does not decode)",
		    store_path(s));
	return true;
}

bool
store_ingest_month_unique(struct store *s, int32_t yyyymm, int64_t *unique,
    int64_t *sensor_days, struct err *e)
{
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *st = NULL;
	struct srcset set;
	bool ok = true;
	int rc;

	*unique = 0;
	*sensor_days = 0;
	if (store_sqlite_version(s) < 2)
		return true;
	if (sqlite3_prepare_v2(db, "SELECT day, srcs FROM ingest_day"
	    " WHERE day BETWEEN ? AND ?", -1, &st, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, e, "reading the ingested sources");
	sqlite3_bind_int(st, 1, yyyymm * 100 + 1);
	sqlite3_bind_int(st, 2, yyyymm * 100 + 31);
	srcset_init(&set);
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ok = union_blob(s, st, 1, &set, e);
		(*sensor_days)++;
	}
	if (ok && rc != SQLITE_DONE)
		ok = store_sqlite_fail(s, e, "reading the ingested sources");
	sqlite3_finalize(st);
	*unique = srcset_count(&set);
	srcset_finish(&set);
	return ok;
}

bool
store_ingest_months(struct store *s, struct store_ingest_month **out,
    size_t *n, struct err *e)
{
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *st = NULL, *gs = NULL;
	struct store_ingest_month *v = NULL;
	size_t len = 0, cap = 0;
	struct srcset set;
	bool ok = true;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sqlite_version(s) < 2)
		return true;
	if (sqlite3_prepare_v2(db, "SELECT day, srcs, excluded_packets"
	    " FROM ingest_day ORDER BY day", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT DISTINCT type, build FROM ingest_geoip"
	    " WHERE day BETWEEN ? AND ? ORDER BY type, build", -1, &gs,
	    NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_sqlite_fail(s, e, "reading the ingested months");
	}
	srcset_init(&set);
	for (;;) {
		int32_t month;

		rc = sqlite3_step(st);
		month = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) / 100 : 0;
		if (len > 0 && (rc != SQLITE_ROW || month != v[len - 1].month)) {
			v[len - 1].unique_sources = srcset_count(&set);
			srcset_finish(&set);
		}
		if (rc != SQLITE_ROW)
			break;
		if (len == 0 || month != v[len - 1].month) {
			if (len == cap) {
				size_t ncap = cap ? cap * 2 : 16;
				void *nv = realloc(v, ncap * sizeof(*v));

				if (nv == NULL) {
					ok = err_set(e, "out of memory");
					break;
				}
				v = nv;
				cap = ncap;
			}
			memset(&v[len], 0, sizeof(*v));
			v[len++].month = month;
		}
		v[len - 1].sensor_days++;
		v[len - 1].excluded += sqlite3_column_int64(st, 2);
		if (!(ok = union_blob(s, st, 1, &set, e)))
			break;
	}
	srcset_finish(&set);
	if (ok && rc != SQLITE_DONE)
		ok = store_sqlite_fail(s, e, "reading the ingested months");
	for (size_t i = 0; ok && i < len; i++) {
		size_t gcap = 0;

		sqlite3_bind_int(gs, 1, v[i].month * 100 + 1);
		sqlite3_bind_int(gs, 2, v[i].month * 100 + 31);
		while (ok && (rc = sqlite3_step(gs)) == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(gs, 0);

			if (v[i].ngeoip == gcap) {
				size_t ncap = gcap ? gcap * 2 : 4;
				void *nv = realloc(v[i].geoip,
				    ncap * sizeof(*v[i].geoip));

				if (nv == NULL) {
					ok = err_set(e, "out of memory");
					break;
				}
				v[i].geoip = nv;
				gcap = ncap;
			}
			snprintf(v[i].geoip[v[i].ngeoip].type,
			    sizeof(v[i].geoip[0].type), "%s",
			    t ? (const char *)t : "");
			v[i].geoip[v[i].ngeoip++].build =
			    sqlite3_column_int64(gs, 1);
		}
		if (ok && rc != SQLITE_DONE)
			ok = store_sqlite_fail(s, e, "reading the geolocation record");
		sqlite3_reset(gs);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(gs);
	if (!ok) {
		store_ingest_months_free(v, len);
		return false;
	}
	*out = v;
	*n = len;
	return true;
}

int
store_ingest_check(struct store *s, int64_t *checked, struct err *e)
{
	sqlite3 *db = store_sqlite_db(s);
	sqlite3_stmt *st = NULL;
	char ds[16];
	int rc, res = 1;

	*checked = 0;
	if (store_sqlite_version(s) < 2)
		return 1;
	/* every cell's and sensor-day's count is the size of its set */
	for (int t = 0; res == 1 && t < 2; t++) {
		if (sqlite3_prepare_v2(db, t == 0 ?
		    "SELECT day, sources, srcs, sensor FROM ingest_cell" :
		    "SELECT day, sources, srcs, sensor FROM ingest_day", -1, &st,
		    NULL) != SQLITE_OK)
			return store_sqlite_fail(s, e, "reading the ingest tables"),
			    -1;
		while (res == 1 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct srcset set;

			srcset_init(&set);
			if (!union_blob(s, st, 2, &set, e))
				res = -1;
			else if (srcset_count(&set) != sqlite3_column_int64(st, 1))
				res = (err_set(e, "%s %s, sensor %lld: %lld sources, but its set holds %lld",
				    t == 0 ? "ingest_cell" : "ingest_day",
				    day_str(sqlite3_column_int(st, 0), ds,
				    sizeof(ds)), (long long)sqlite3_column_int64(st, 3),
				    (long long)sqlite3_column_int64(st, 1),
				    (long long)srcset_count(&set)), 0);
			srcset_finish(&set);
			if (t == 1)
				(*checked)++;
		}
		if (res == 1 && rc != SQLITE_DONE)
			res = (store_sqlite_fail(s, e, "reading the ingest tables"), -1);
		sqlite3_finalize(st);
	}
	if (res != 1)
		return res;
	/* every ingested sensor-day's totals equal the sums of its cells */
	if (sqlite3_prepare_v2(db,
	    "SELECT d.day, d.sensor, sd.accesses, sd.sources, sd.cells,"
	    " (SELECT coalesce(sum(accesses), 0) FROM ingest_cell c"
	    "  WHERE c.day=d.day AND c.sensor=d.sensor),"
	    " (SELECT coalesce(sum(sources), 0) FROM ingest_cell c"
	    "  WHERE c.day=d.day AND c.sensor=d.sensor),"
	    " (SELECT count(*) FROM ingest_cell c"
	    "  WHERE c.day=d.day AND c.sensor=d.sensor)"
	    " FROM ingest_day d LEFT JOIN sensor_day sd"
	    " ON sd.day=d.day AND sd.sensor=d.sensor", -1, &st,
	    NULL) != SQLITE_OK)
		return store_sqlite_fail(s, e, "reading the ingest tables"), -1;
	while (res == 1 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 2) == SQLITE_NULL ||
		    sqlite3_column_int64(st, 2) != sqlite3_column_int64(st, 5) ||
		    sqlite3_column_int64(st, 3) != sqlite3_column_int64(st, 6) ||
		    sqlite3_column_int64(st, 4) != sqlite3_column_int64(st, 7))
			res = (err_set(e, "ingest_cell %s, sensor %lld: the cells sum to %lld accesses, %lld sources in %lld cells, but sensor_day holds %s accesses, %s sources in %s cells",
			    day_str(sqlite3_column_int(st, 0), ds, sizeof(ds)),
			    (long long)sqlite3_column_int64(st, 1),
			    (long long)sqlite3_column_int64(st, 5),
			    (long long)sqlite3_column_int64(st, 6),
			    (long long)sqlite3_column_int64(st, 7),
			    sqlite3_column_type(st, 2) == SQLITE_NULL ? "no" :
			    (const char *)sqlite3_column_text(st, 2),
			    sqlite3_column_type(st, 2) == SQLITE_NULL ? "no" :
			    (const char *)sqlite3_column_text(st, 3),
			    sqlite3_column_type(st, 2) == SQLITE_NULL ? "no" :
			    (const char *)sqlite3_column_text(st, 4)), 0);
	}
	if (res == 1 && rc != SQLITE_DONE)
		res = (store_sqlite_fail(s, e, "reading the ingest tables"), -1);
	sqlite3_finalize(st);
	return res;
}
