/* clickhouse.c — the ClickHouse back-end of store.h, over the HTTP
 * interface (ch_http.h).  The schema is sql/clickhouse-schema.sql (made
 * here on a single server) or sql/clickhouse-cluster.sql (checked here);
 * docs/clickhouse.md explains it.
 *
 * Atomic imports: every row an import writes carries its import id, and
 * readers read only the ids listed in `imports`, whose row for an import
 * is its last write (the commit record).  A read snapshot is the list of
 * committed ids read once at its start.  A re-imported sensor-day is
 * replaced by writing its live rows negated, then its new rows, under the
 * new import's id: the rollups' sums net out.  Raw events (raw_cells) are
 * always visible.
 *
 * Each month's colour lists are kept in month_top, written by an import
 * before its commit record under a basis (count, wrapping sum and largest
 * id of the imports with sensor_day rows in the month); a reader uses a
 * month's stored lists only under its own basis, and computes the others.
 *
 * The reads fill the same structures as the SQLite back-end, in the same
 * orders, so that a bulletin rendered from either is byte-identical.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "ch_http.h"
#include "ch_schema.h"
#include "pack.h"
#include "store_backend.h"

#define CH_SCHEMA_VERSION 2
#define CH_TIMEOUT_DEFAULT 300      /* s, TALOT_CLICKHOUSE_TIMEOUT */
#define CH_FLUSH_ROWS 100000        /* detail rows per INSERT */
#define CH_DAY_MAX 21051231         /* ClickHouse's Date ends in 2105 */

struct store {
	enum store_kind kind;       /* STORE_KIND_CLICKHOUSE: first */
	struct ch_conn *c;
	char name[sizeof(((struct ch_url *)0)->shown)];
	bool writable;
	bool in_snapshot;
	struct ch_buf snap;         /* committed import ids, "0,ID,..." */
	bool has_top;               /* table month_top is there (schema 2) */
};

static const char *const ch_tables[] = { "imports", "detail", "sensor_day",
	"day_port", "day_country", "port_day_country", "month_port",
	"month_country", "raw_events", "raw_cells", "talot_schema" };
#define NTABLES (sizeof(ch_tables) / sizeof(*ch_tables))

/* ---- queries ---- */

/* Runs sql (a SELECT without FORMAT) and parses its ncols columns. */
static bool
query(struct store *s, const char *sql, size_t ncols, struct ch_table *t,
    struct err *e)
{
	struct ch_buf q = { 0 }, out = { 0 };
	struct err pe = { "" };
	bool ok;

	memset(t, 0, sizeof(*t));
	if (!ch_buf_printf(&q, "%s FORMAT TabSeparated", sql)) {
		ch_buf_free(&q);
		return err_set(e, "out of memory");
	}
	ok = ch_exec(s->c, q.p, NULL, 0, &out, e);
	ch_buf_free(&q);
	if (ok && !ch_tsv_parse(out.p ? out.p : "", out.len, ncols, t, &pe))
		ok = err_set(e, "%s: a malformed answer from the server (%s)",
		    s->name, pe.msg);
	ch_buf_free(&out);
	return ok;
}

static bool
exec_sql(struct store *s, const char *sql, struct err *e)
{
	return ch_exec(s->c, sql, NULL, 0, NULL, e);
}

static bool
cell_i64(struct store *s, const struct ch_table *t, size_t r, size_t col,
    int64_t *v, struct err *e)
{
	if (!ch_parse_i64(ch_cell(t, r, col), v))
		return err_set(e, "%s: a malformed answer from the server (row %zu: not an integer)",
		    s->name, r + 1);
	return true;
}

/* The ids of the committed imports as "0,ID,..." (0: raw events). */
static bool
ids_load(struct store *s, struct ch_buf *ids, struct err *e)
{
	struct ch_table t;
	bool ok = true;

	ids->len = 0;
	if (!ch_buf_add(ids, "0", 1))
		return err_set(e, "out of memory");
	if (!query(s, "SELECT DISTINCT import_id FROM imports ORDER BY import_id",
	    1, &t, e))
		return false;
	for (size_t i = 0; ok && i < t.nrows; i++) {
		int64_t v;

		ok = cell_i64(s, &t, i, 0, &v, e) &&
		    (ch_buf_printf(ids, ",%s", ch_cell(&t, i, 0)) ||
		    err_set(e, "out of memory"));
	}
	ch_table_free(&t);
	return ok;
}

/* The committed ids a read sees: the snapshot's, or the current ones. */
static const char *
ids_now(struct store *s, struct ch_buf *tmp, struct err *e)
{
	if (s->in_snapshot)
		return s->snap.p;
	return ids_load(s, tmp, e) ? tmp->p : NULL;
}

static void
day_text(int32_t d, char buf[16])
{
	snprintf(buf, 16, "%04d-%02d-%02d", d / 10000 % 10000, d / 100 % 100,
	    d % 100);
}

static int32_t
yyyymm(month_t m)
{
	return month_year(m) * 100 + month_mon(m);
}

/* The raw cells of days from..to (YYYYMMDD) as talot's rows, columns day,
 * sensor, proto, port, country, a, s; cond: more conditions or "". */
static bool
raw_sql(struct ch_buf *b, int32_t from, int32_t to, const char *cond)
{
	char f[16], t[16];

	day_text(from, f);
	day_text(to, t);
	return ch_buf_printf(b, "SELECT day, sensor, proto, port, country,"
	    " countMerge(accesses) AS a, uniqExactMerge(sources) AS s"
	    " FROM raw_cells WHERE day BETWEEN '%s' AND '%s'%s"
	    " GROUP BY day, sensor, proto, port, country", f, t, cond);
}

enum src { SRC_DETAIL, SRC_SD, SRC_DP, SRC_DC, SRC_PDC, SRC_MP, SRC_MC };

static const struct {
	const char *table, *keys;
	bool month;
} srcs[] = {
	[SRC_DETAIL] = { "detail", "day, sensor, proto, port, country", false },
	[SRC_SD] = { "sensor_day", "day, sensor", false },
	[SRC_DP] = { "day_port", "day, proto, port", false },
	[SRC_DC] = { "day_country", "day, country", false },
	[SRC_PDC] = { "port_day_country", "day, proto, port, country", false },
	[SRC_MP] = { "month_port", "month, proto, port", true },
	[SRC_MC] = { "month_country", "month, country", true },
};

/* Appends "(rows of src over days from..to)" as a subquery: the committed
 * imports' rows and the raw cells', columns KEYS, [days,] accesses,
 * sources (not yet summed). */
static bool
src_sql(struct ch_buf *b, enum src k, int32_t from, int32_t to,
    const char *ids, const char *cond)
{
	char f[16], t[16];
	bool ok;

	day_text(from, f);
	day_text(to, t);
	ok = ch_buf_printf(b, "(SELECT %s,%s accesses, sources FROM %s WHERE ",
	    srcs[k].keys, k == SRC_SD ? " days," : "", srcs[k].table);
	if (srcs[k].month)
		ok = ok && ch_buf_printf(b, "month BETWEEN %d AND %d",
		    from / 100, to / 100);
	else
		ok = ok && ch_buf_printf(b, "day BETWEEN '%s' AND '%s'", f, t);
	ok = ok && ch_buf_printf(b, " AND import_id IN (%s)%s UNION ALL ", ids,
	    cond);
	if (k == SRC_SD)
		ok = ok && ch_buf_printf(b, "SELECT day, sensor, toInt64(1),"
		    " toInt64(sum(a)), toInt64(sum(s)) FROM (");
	else
		ok = ok && ch_buf_printf(b, "SELECT %s%s, toInt64(a), toInt64(s)"
		    " FROM (", srcs[k].month ? "toYYYYMM(day) AS month, " : "",
		    srcs[k].month ? srcs[k].keys + 7 : srcs[k].keys);
	ok = ok && raw_sql(b, from, to, cond);
	ok = ok && ch_buf_printf(b, ")%s)", k == SRC_SD ?
	    " GROUP BY day, sensor" : "");
	return ok;
}

/* Appends the live sensor-days of days from..to: day, sensor, d, a, s. */
static bool
live_sd_sql(struct ch_buf *b, int32_t from, int32_t to, const char *ids)
{
	return ch_buf_printf(b, "(SELECT day, sensor, sum(days) AS d,"
	    " sum(accesses) AS a, sum(sources) AS s FROM ") &&
	    src_sql(b, SRC_SD, from, to, ids, "") &&
	    ch_buf_printf(b, " GROUP BY day, sensor HAVING d > 0)");
}

/* ---- opening ---- */

static bool
schema_create(struct store *s, struct err *e)
{
	for (size_t i = 0; ch_schema_v1[i] != NULL; i++)
		if (!exec_sql(s, ch_schema_v1[i], e))
			return false;
	return true;
}

/* 1: the schema is there; 0: the database has no talot table; -1 error. */
static int
schema_check(struct store *s, struct err *e)
{
	struct ch_table t;
	bool have[NTABLES] = { false };
	size_t nhave = 0;
	int64_t ver, rows;
	bool single;

	if (!query(s, "SELECT name FROM system.tables WHERE database ="
	    " currentDatabase()", 1, &t, e))
		return -1;
	s->has_top = false;
	for (size_t i = 0; i < t.nrows; i++) {
		if (strcmp(ch_cell(&t, i, 0), "month_top") == 0)
			s->has_top = true;
		for (size_t k = 0; k < NTABLES; k++)
			if (strcmp(ch_cell(&t, i, 0), ch_tables[k]) == 0 &&
			    !have[k]) {
				have[k] = true;
				nhave++;
			}
	}
	ch_table_free(&t);
	if (nhave == 0)
		return 0;
	if (!have[NTABLES - 1])
		return err_set(e, "%s: no talot schema version (table talot_schema is missing): an incomplete schema; see docs/clickhouse.md",
		    s->name), -1;
	if (!query(s, "SELECT toInt64(count()), toInt64(max(version)),"
	    " any(kind) FROM talot_schema", 3, &t, e))
		return -1;
	if (t.nrows != 1 || !cell_i64(s, &t, 0, 0, &rows, e) ||
	    !cell_i64(s, &t, 0, 1, &ver, e)) {
		ch_table_free(&t);
		return e->msg[0] ? -1 : (err_set(e,
		    "%s: a malformed answer from the server", s->name), -1);
	}
	single = strcmp(ch_cell(&t, 0, 2), "single") == 0;
	ch_table_free(&t);
	if (rows == 0)
		return 0;   /* an unfinished creation: made again */
	if (ver > CH_SCHEMA_VERSION)
		return err_set(e, "%s: made by a newer talot (ClickHouse schema %lld, this talot knows %d); upgrade talot",
		    s->name, (long long)ver, CH_SCHEMA_VERSION), -1;
	if (ver < 1)
		return err_set(e, "%s: the store is damaged (schema version %lld)",
		    s->name, (long long)ver), -1;
	for (size_t k = 0; k < NTABLES; k++)
		if (!have[k])
			return err_set(e, "%s: the talot schema is incomplete (table %s is missing); create it with sql/clickhouse-schema.sql, or on a cluster sql/clickhouse-cluster.sql on every server (docs/clickhouse.md)",
			    s->name, ch_tables[k]), -1;
	/* schema 1 had no month_top: a single server's store gets it when
	 * opened for writing; else every month's colours are computed */
	if (ver < 2 && !s->has_top && s->writable && single) {
		for (size_t i = 0; ch_schema_v1[i] != NULL; i++)
			if (strstr(ch_schema_v1[i], "EXISTS month_top (") != NULL &&
			    !exec_sql(s, ch_schema_v1[i], e))
				return -1;
		if (!exec_sql(s, "INSERT INTO talot_schema VALUES (2, 'single')",
		    e))
			return -1;
		s->has_top = true;
	}
	return 1;
}

struct store *
ch_store_open(const char *path, enum store_mode mode, struct err *e)
{
	struct ch_url u;
	struct store *s;
	const char *pw, *to;
	long timeout = CH_TIMEOUT_DEFAULT;
	int rc;

	if (!ch_url_parse(path, &u, e))
		return NULL;
	pw = getenv("TALOT_CLICKHOUSE_PASSWORD");
	if (u.password[0] == '\0' && pw != NULL) {
		if (strlen(pw) >= sizeof(u.password)) {
			err_set(e, "%s: TALOT_CLICKHOUSE_PASSWORD is too long",
			    u.shown);
			return NULL;
		}
		snprintf(u.password, sizeof(u.password), "%s", pw);
	}
	to = getenv("TALOT_CLICKHOUSE_TIMEOUT");
	if (to != NULL && *to) {
		char *end;
		long v = strtol(to, &end, 10);

		if (*end != '\0' || v < 1 || v > 86400) {
			err_set(e, "TALOT_CLICKHOUSE_TIMEOUT: '%s' is not a number of seconds (1..86400)",
			    to);
			return NULL;
		}
		timeout = v;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	s->kind = STORE_KIND_CLICKHOUSE;
	snprintf(s->name, sizeof(s->name), "%s", u.shown);
	s->writable = mode != STORE_READ;
	s->c = ch_conn_open(&u, timeout, e);
	memset(u.password, 0, sizeof(u.password));
	if (s->c == NULL)
		goto fail;
	/* reachable, authenticated, and the database exists? */
	{
		struct ch_buf q = { 0 }, out = { 0 };
		bool ok = ch_buf_printf(&q, "SELECT count() FROM system.databases"
		    " WHERE name = '%s' FORMAT TabSeparated", u.database);

		ok = ok ? ch_exec_nodb(s->c, q.p, &out, e) :
		    err_set(e, "out of memory");
		if (ok && (out.len != 2 || out.p[0] != '1'))
			ok = err_set(e, "%s: wrong database: the server has no database %s (make it with CREATE DATABASE %s)",
			    s->name, u.database, u.database);
		ch_buf_free(&q);
		ch_buf_free(&out);
		if (!ok)
			goto fail;
	}
	rc = schema_check(s, e);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		if (!s->writable) {
			err_set(e, "%s: no talot store in this database (an import into a single server makes one; for a cluster see docs/clickhouse.md)",
			    s->name);
			goto fail;
		}
		if (!schema_create(s, e) || (rc = schema_check(s, e)) < 0)
			goto fail;
		if (rc == 0) {
			err_set(e, "%s: the schema could not be made", s->name);
			goto fail;
		}
	}
	return s;
fail:
	ch_store_close(s);
	return NULL;
}

void
ch_store_close(struct store *s)
{
	if (s == NULL)
		return;
	ch_conn_close(s->c);
	ch_buf_free(&s->snap);
	free(s);
}

bool
ch_store_publish(struct store *s, struct err *e)
{
	(void)s;
	(void)e;
	return true;   /* an import is published by its commit */
}

const char *
ch_store_path(const struct store *s)
{
	return s->name;
}

bool
ch_store_snapshot_begin(struct store *s, struct err *e)
{
	if (!ids_load(s, &s->snap, e))
		return false;
	s->in_snapshot = true;
	return true;
}

void
ch_store_snapshot_end(struct store *s)
{
	s->in_snapshot = false;
}

/* ---- import ---- */

enum { SD_MARKER = 1, SD_TRAFFIC = 2, SD_LIVE = 4 };

struct sdrec {
	int32_t day;
	uint8_t flags;
	int64_t a, s;
	char sensor[CSV_SENSOR_MAX + 1];
};

struct store_import {
	enum store_kind kind;       /* STORE_KIND_CLICKHOUSE: first */
	struct store *s;
	uint64_t id;
	char idtext[24];
	struct ch_buf rows;         /* detail rows not yet sent */
	size_t npending;
	struct sdrec *sds;
	size_t nsds, capsds;
	uint32_t *sdh;              /* open addressing: index in sds + 1 */
	size_t capsdh;
	uint64_t *cells;            /* set of sd index << 28 | cell, +1 */
	size_t ncells, capcells;
	int64_t rows_seen, replaced;
	int32_t dmin, dmax;
	bool committed;
};

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	return x ^ (x >> 33);
}

static uint64_t
sd_hash(int32_t day, const char *sensor)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ (uint64_t)day;

	for (; *sensor; sensor++)
		h = (h ^ (unsigned char)*sensor) * UINT64_C(1099511628211);
	return mix(h);
}

static bool
sdh_grow(struct store_import *im)
{
	size_t cap = im->capsdh ? im->capsdh * 2 : 1024;
	uint32_t *h = calloc(cap, sizeof(*h));

	if (h == NULL)
		return false;
	for (size_t i = 0; i < im->nsds; i++) {
		size_t j = sd_hash(im->sds[i].day, im->sds[i].sensor) &
		    (cap - 1);

		while (h[j] != 0)
			j = (j + 1) & (cap - 1);
		h[j] = (uint32_t)(i + 1);
	}
	free(im->sdh);
	im->sdh = h;
	im->capsdh = cap;
	return true;
}

/* Index of (day, sensor) in sds; add: made when missing.  -1: absent (or
 * out of memory with e set). */
static int64_t
sd_find(struct store_import *im, int32_t day, const char *sensor, bool add,
    struct err *e)
{
	size_t j;

	if (im->capsdh == 0 && !sdh_grow(im))
		return err_set(e, "out of memory"), -1;
	j = sd_hash(day, sensor) & (im->capsdh - 1);
	for (; im->sdh[j] != 0; j = (j + 1) & (im->capsdh - 1)) {
		struct sdrec *r = &im->sds[im->sdh[j] - 1];

		if (r->day == day && strcmp(r->sensor, sensor) == 0)
			return im->sdh[j] - 1;
	}
	if (!add)
		return -1;
	if (im->nsds >= UINT32_MAX - 1 || im->nsds >= (UINT64_C(1) << 35))
		return err_set(e, "%s: too many sensor-days in one import",
		    im->s->name), -1;
	if (im->nsds == im->capsds) {
		size_t cap = im->capsds ? im->capsds * 2 : 256;
		void *p = realloc(im->sds, cap * sizeof(*im->sds));

		if (p == NULL)
			return err_set(e, "out of memory"), -1;
		im->sds = p;
		im->capsds = cap;
	}
	memset(&im->sds[im->nsds], 0, sizeof(*im->sds));
	im->sds[im->nsds].day = day;
	snprintf(im->sds[im->nsds].sensor, sizeof(im->sds->sensor), "%s",
	    sensor);
	im->sdh[j] = (uint32_t)(im->nsds + 1);
	im->nsds++;
	if (im->nsds * 2 > im->capsdh && !sdh_grow(im))
		return err_set(e, "out of memory"), -1;
	return (int64_t)im->nsds - 1;
}

/* Adds key to the set of cells; 1 new, 0 seen, -1 out of memory. */
static int
cell_add(struct store_import *im, uint64_t key)
{
	size_t j;

	if (im->ncells * 2 >= im->capcells) {
		size_t cap = im->capcells ? im->capcells * 2 : 4096;
		uint64_t *v = calloc(cap, sizeof(*v));

		if (v == NULL)
			return -1;
		for (size_t i = 0; i < im->capcells; i++) {
			if (im->cells[i] == 0)
				continue;
			j = mix(im->cells[i]) & (cap - 1);
			while (v[j] != 0)
				j = (j + 1) & (cap - 1);
			v[j] = im->cells[i];
		}
		free(im->cells);
		im->cells = v;
		im->capcells = cap;
	}
	key++;
	for (j = mix(key) & (im->capcells - 1); im->cells[j] != 0;
	    j = (j + 1) & (im->capcells - 1))
		if (im->cells[j] == key)
			return 0;
	im->cells[j] = key;
	im->ncells++;
	return 1;
}

struct store_import *
ch_store_import_begin(struct store *s, struct err *e)
{
	struct store_import *im;
	struct timespec ts;
	uint16_t rnd = 0;

	if (!s->writable) {
		err_set(e, "%s: opened read-only", s->name);
		return NULL;
	}
	im = calloc(1, sizeof(*im));
	if (im == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	im->kind = STORE_KIND_CLICKHOUSE;
	im->s = s;
	im->dmin = INT32_MAX;
	/* unique without coordination: microseconds and 12 random bits */
	clock_gettime(CLOCK_REALTIME, &ts);
	if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		rnd = (uint16_t)ts.tv_nsec;
	im->id = ((uint64_t)ts.tv_sec * 1000000 +
	    (uint64_t)ts.tv_nsec / 1000) << 12 | (rnd & 0xfff);
	snprintf(im->idtext, sizeof(im->idtext), "%llu",
	    (unsigned long long)im->id);
	return im;
}

static bool
flush_rows(struct store_import *im, struct err *e)
{
	bool ok;

	if (im->npending == 0)
		return true;
	ok = ch_exec(im->s->c, "INSERT INTO detail (import_id, day, sensor,"
	    " proto, port, country, accesses, sources) FORMAT TabSeparated",
	    im->rows.p, im->rows.len, NULL, e);
	im->rows.len = 0;
	im->npending = 0;
	return ok;
}

static bool
row_text(struct ch_buf *b, const char *id, int32_t day, const char *sensor,
    unsigned proto, unsigned port, const char *cc, int64_t a, int64_t s)
{
	char d[16];

	day_text(day, d);
	return ch_buf_printf(b, "%s\t%s\t", id, d) && ch_buf_tsv(b, sensor) &&
	    ch_buf_printf(b, "\t%u\t%u\t%s\t%lld\t%lld\n", proto, port, cc,
	    (long long)a, (long long)s);
}

int
ch_store_import_row(struct store_import *im, const struct csv_row *r,
    struct err *e)
{
	char ds[16];
	struct sdrec *sd;
	int64_t idx;
	uint64_t key;
	int rc;

	if (r->day > CH_DAY_MAX) {
		day_text(r->day, ds);
		err_set(e, "%s is after 2105-12-31, the last day a ClickHouse Date holds",
		    ds);
		return 0;
	}
	idx = sd_find(im, r->day, r->sensor, true, e);
	if (idx < 0)
		return -1;
	sd = &im->sds[idx];
	im->rows_seen++;
	day_text(r->day, ds);
	if (r->marker) {
		if (sd->flags & SD_MARKER) {
			err_set(e, "duplicate '*' row for %s on %s", r->sensor, ds);
			return 0;
		}
		if (sd->flags & SD_TRAFFIC) {
			err_set(e, "'*' row for %s on %s, which has traffic rows",
			    r->sensor, ds);
			return 0;
		}
		sd->flags |= SD_MARKER;
		goto days;
	}
	if (sd->flags & SD_MARKER) {
		err_set(e, "traffic row for %s on %s, which has a '*' row",
		    r->sensor, ds);
		return 0;
	}
	key = (uint64_t)idx << 28 | ((uint64_t)pack_proto_code(r->proto) << 16 |
	    r->port) << 10 | (unsigned)((r->cc[0] - 'A') * 26 + (r->cc[1] - 'A'));
	rc = cell_add(im, key);
	if (rc < 0)
		return err_set(e, "out of memory"), -1;
	if (rc == 0) {
		err_set(e, "duplicate key: %s,%s,%s,%u,%s appears twice in this import",
		    ds, r->sensor, csv_proto_name(r->proto), r->port, r->cc);
		return 0;
	}
	sd->flags |= SD_TRAFFIC;
	sd->a += r->accesses;
	sd->s += r->sources;
	if (!row_text(&im->rows, im->idtext, r->day, r->sensor, r->proto,
	    r->port, r->cc, r->accesses, r->sources))
		return err_set(e, "out of memory"), -1;
	if (++im->npending >= CH_FLUSH_ROWS && !flush_rows(im, e))
		return -1;
days:
	if (r->day < im->dmin)
		im->dmin = r->day;
	if (r->day > im->dmax)
		im->dmax = r->day;
	return 1;
}

static int
i32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* YYYYMMDD of a "YYYY-MM-DD" or YYYYMMDD cell; -1 if neither. */
static int32_t
cell_day(const char *p)
{
	int64_t v;

	if (strlen(p) == 10 && p[4] == '-' && p[7] == '-') {
		char b[9] = { p[0], p[1], p[2], p[3], p[5], p[6], p[8], p[9],
			'\0' };

		return ch_parse_i64(b, &v) ? (int32_t)v : -1;
	}
	if (!ch_parse_i64(p, &v) || v < 19700101 || v > 99991231)
		return -1;
	return (int32_t)v;
}

/* Writes the negation of the live rows of this import's sensor-days that
 * the store already holds (replacement), under this import's id. */
static bool
negate_replaced(struct store_import *im, const char *ids, struct err *e)
{
	struct store *s = im->s;
	struct ch_buf q = { 0 }, body = { 0 };
	struct ch_table t;
	bool ok;
	size_t nlive = 0;

	/* the live sensor-days in the import's range */
	ok = ch_buf_printf(&q, "SELECT toYYYYMMDD(day), sensor, d, a, s FROM ") &&
	    live_sd_sql(&q, im->dmin, im->dmax, ids);
	if (!ok) {
		ch_buf_free(&q);
		return err_set(e, "out of memory");
	}
	ok = query(s, q.p, 5, &t, e);
	ch_buf_free(&q);
	if (!ok)
		return false;
	for (size_t i = 0; ok && i < t.nrows; i++) {
		int32_t day = cell_day(ch_cell(&t, i, 0));
		int64_t idx = day < 0 ? -1 : sd_find(im, day, ch_cell(&t, i, 1),
		    false, e);
		int64_t a, so;

		if (idx < 0)
			continue;
		if (!cell_i64(s, &t, i, 3, &a, e) || !cell_i64(s, &t, i, 4, &so, e)) {
			ok = false;
			break;
		}
		im->sds[idx].flags |= SD_LIVE;
		nlive++;
		if (!row_text(&body, im->idtext, day, ch_cell(&t, i, 1), 0, 0,
		    "", 0, 0))
			ok = err_set(e, "out of memory");
		/* sensor_day row: id, day, sensor, days, accesses, sources */
		body.len -= strlen("\t0\t0\t\t0\t0\n");
		ok = ok && ch_buf_printf(&body, "\t-1\t%lld\t%lld\n",
		    (long long)-a, (long long)-so);
	}
	ch_table_free(&t);
	im->replaced = (int64_t)nlive;
	if (!ok || nlive == 0) {
		ch_buf_free(&body);
		return ok;
	}
	ok = ch_exec(s->c, "INSERT INTO sensor_day (import_id, day, sensor,"
	    " days, accesses, sources) FORMAT TabSeparated", body.p, body.len,
	    NULL, e);
	ch_buf_free(&body);
	if (!ok)
		return false;
	/* their live detail rows, negated */
	ok = ch_buf_printf(&q, "SELECT toYYYYMMDD(day), sensor, proto, port,"
	    " country, sum(accesses) AS a, sum(sources) AS s FROM ") &&
	    src_sql(&q, SRC_DETAIL, im->dmin, im->dmax, ids, "") &&
	    ch_buf_printf(&q, " GROUP BY day, sensor, proto, port, country"
	    " HAVING a <> 0 OR s <> 0");
	if (!ok) {
		ch_buf_free(&q);
		return err_set(e, "out of memory");
	}
	ok = query(s, q.p, 7, &t, e);
	ch_buf_free(&q);
	for (size_t i = 0; ok && i < t.nrows; i++) {
		int32_t day = cell_day(ch_cell(&t, i, 0));
		int64_t idx = day < 0 ? -1 : sd_find(im, day, ch_cell(&t, i, 1),
		    false, e);
		int64_t proto, port, a, so;

		if (idx < 0 || !(im->sds[idx].flags & SD_LIVE))
			continue;
		if (!cell_i64(s, &t, i, 2, &proto, e) ||
		    !cell_i64(s, &t, i, 3, &port, e) ||
		    !cell_i64(s, &t, i, 5, &a, e) ||
		    !cell_i64(s, &t, i, 6, &so, e)) {
			ok = false;
			break;
		}
		if (strlen(ch_cell(&t, i, 4)) != 2 || proto < 0 || proto > 255 ||
		    port < 0 || port > 65535) {
			ok = err_set(e, "%s: the store is damaged (table detail: a bad key)",
			    s->name);
			break;
		}
		if (!row_text(&im->rows, im->idtext, day, ch_cell(&t, i, 1),
		    (unsigned)proto, (unsigned)port, ch_cell(&t, i, 4), -a, -so))
			ok = err_set(e, "out of memory");
		else if (++im->npending >= CH_FLUSH_ROWS && !flush_rows(im, e))
			ok = false;
	}
	ch_table_free(&t);
	return ok && flush_rows(im, e);
}

static bool tops_write(struct store *s, const char *ids, const char *id,
    const int32_t *ym, size_t nm, struct err *e);

bool
ch_store_import_commit(struct store_import *im, struct import_summary *sum,
    struct err *e)
{
	struct store *s = im->s;
	struct ch_buf ids = { 0 }, body = { 0 }, q = { 0 };
	int32_t *months = NULL;
	size_t nm = 0;
	bool ok;

	memset(sum, 0, sizeof(*sum));
	if (!flush_rows(im, e))
		return false;
	ok = ids_load(s, &ids, e);
	if (ok && im->nsds > 0)
		ok = negate_replaced(im, ids.p, e);
	/* this import's sensor-days */
	for (size_t i = 0; ok && i < im->nsds; i++) {
		const struct sdrec *r = &im->sds[i];
		char d[16];

		day_text(r->day, d);
		ok = (ch_buf_printf(&body, "%s\t%s\t", im->idtext, d) &&
		    ch_buf_tsv(&body, r->sensor) &&
		    ch_buf_printf(&body, "\t1\t%lld\t%lld\n", (long long)r->a,
		    (long long)r->s)) || err_set(e, "out of memory");
	}
	if (ok && body.len > 0)
		ok = ch_exec(s->c, "INSERT INTO sensor_day (import_id, day,"
		    " sensor, days, accesses, sources) FORMAT TabSeparated",
		    body.p, body.len, NULL, e);
	ch_buf_free(&body);
	if (ok && im->nsds > 0 &&
	    (months = malloc(im->nsds * sizeof(*months))) == NULL)
		ok = err_set(e, "out of memory");
	for (size_t i = 0; ok && i < im->nsds; i++)
		months[i] = im->sds[i].day / 100;
	if (ok && im->nsds > 0)
		qsort(months, im->nsds, sizeof(*months), i32_cmp);
	for (size_t i = 0; ok && i < im->nsds; i++)
		if (nm == 0 || months[nm - 1] != months[i])
			months[nm++] = months[i];
	/* the months' top lists, then the commit record: from here on
	 * readers see the import */
	if (ok && s->has_top)
		ok = tops_write(s, ids.p, im->idtext, months, nm, e);
	ch_buf_free(&ids);
	if (ok) {
		ok = ch_buf_printf(&q, "INSERT INTO imports (import_id, committed)"
		    " VALUES (%s, now())", im->idtext) ||
		    err_set(e, "out of memory");
		ok = ok && exec_sql(s, q.p, e);
		ch_buf_free(&q);
	}
	if (!ok) {
		free(months);
		return false;
	}
	im->committed = true;
	sum->rows = im->rows_seen;
	sum->sensor_days = (int64_t)im->nsds;
	sum->replaced = im->replaced;
	sum->nmonths = nm;
	sum->months = months;
	return true;
}

void
ch_store_import_destroy(struct store_import *im)
{
	if (im == NULL)
		return;
	/* rows of an import never committed stay invisible (no commit
	 * record); docs/clickhouse.md says how to remove them */
	ch_buf_free(&im->rows);
	free(im->sds);
	free(im->sdh);
	free(im->cells);
	free(im);
}

/* ---- reading ---- */

/* Runs the query built in q (freed) into t. */
static bool
run(struct store *s, struct ch_buf *q, bool built, size_t ncols,
    struct ch_table *t, struct err *e)
{
	bool ok;

	memset(t, 0, sizeof(*t));
	if (!built) {
		ch_buf_free(q);
		return err_set(e, "out of memory");
	}
	ok = query(s, q->p, ncols, t, e);
	ch_buf_free(q);
	return ok;
}

static bool
counts_ok(struct store *s, const char *table, struct counts *c,
    struct err *e)
{
	if (c->accesses < 0 || c->sources < 0)
		return err_set(e, "%s: the store is damaged (table %s: a negative count)",
		    s->name, table);
	if (c->sources > c->accesses)
		return err_set(e, "%s: the store is damaged (table %s: more sources than accesses)",
		    s->name, table);
	return true;
}

static bool
cc_ok(struct store *s, const char *t, char cc[3], struct err *e)
{
	if (strlen(t) != 2 || t[0] < 'A' || t[0] > 'Z' || t[1] < 'A' ||
	    t[1] > 'Z')
		return err_set(e, "%s: the store is damaged (a bad country code)",
		    s->name);
	memcpy(cc, t, 3);
	return true;
}

static bool
port_ok(struct store *s, int64_t proto, int64_t port, struct err *e)
{
	if ((proto != 1 && proto != 6 && proto != 17) || port < 0 ||
	    port > 65535 || (proto == 1 && port > 255))
		return err_set(e, "%s: the store is damaged (protocol %lld port %lld out of range)",
		    s->name, (long long)proto, (long long)port);
	return true;
}

bool
ch_store_months(struct store *s, struct store_month_info **out, size_t *n,
    struct err *e)
{
	struct ch_buf tmp = { 0 }, q = { 0 };
	struct ch_table t;
	const char *ids = ids_now(s, &tmp, e);
	struct store_month_info *v = NULL;
	bool ok;

	*out = NULL;
	*n = 0;
	if (ids == NULL)
		return false;
	ok = run(s, &q, ch_buf_printf(&q, "SELECT toYYYYMM(day) AS m,"
	    " uniqExact(sensor), count(), sum(a), sum(s), toYYYYMMDD(min(day)),"
	    " toYYYYMMDD(max(day)) FROM ") &&
	    live_sd_sql(&q, 19700101, CH_DAY_MAX, ids) &&
	    ch_buf_printf(&q, " GROUP BY m ORDER BY m"), 7, &t, e);
	ch_buf_free(&tmp);
	if (!ok)
		return false;
	if (t.nrows > 0 && (v = calloc(t.nrows, sizeof(*v))) == NULL) {
		ch_table_free(&t);
		return err_set(e, "out of memory");
	}
	for (size_t i = 0; ok && i < t.nrows; i++) {
		int64_t x[7];

		for (int k = 0; ok && k < 7; k++)
			ok = cell_i64(s, &t, i, (size_t)k, &x[k], e);
		if (ok && (x[3] < 0 || x[4] < 0 || x[4] > x[3]))
			ok = err_set(e, "%s: the store is damaged (table sensor_day: counts out of range in month %lld)",
			    s->name, (long long)x[0]);
		if (!ok)
			break;
		v[i].month = (int32_t)x[0];
		v[i].sensors = (int)x[1];
		v[i].sensor_days = x[2];
		v[i].accesses = x[3];
		v[i].sources = x[4];
		v[i].first_day = (int)x[5];
		v[i].last_day = (int)x[6];
	}
	if (!ok) {
		free(v);
		ch_table_free(&t);
		return false;
	}
	*out = v;
	*n = t.nrows;
	ch_table_free(&t);
	return true;
}

static int32_t
first_day(month_t m)
{
	return yyyymm(m) * 100 + 1;
}

static int32_t
last_day(month_t m)
{
	return yyyymm(m) * 100 + month_days(m);   /* a real date */
}

/* The key of row r of an answer whose columns 1..3 are k, proto, port:
 * the port when k is 1, その他 (KEY_OTHER: ports summed on the server)
 * when k is 0. */
static bool
kept_key(struct store *s, const struct ch_table *t, size_t r, struct key *k,
    struct err *e)
{
	int64_t kept, proto, port;

	if (!cell_i64(s, t, r, 1, &kept, e) || !cell_i64(s, t, r, 2, &proto, e) ||
	    !cell_i64(s, t, r, 3, &port, e) ||
	    (kept != 0 && !port_ok(s, proto, port, e)))
		return false;
	*k = kept ? key_port((int)proto, (int)port) : key_other();
	return true;
}

/* The key and counts of row r of an answer whose column 0 is a month or
 * a day, then the key (k, proto, port when kept; proto, port for ports;
 * a country otherwise), then accesses and sources; table names the
 * rollup in messages. */
static bool
row_cell(struct store *s, const struct ch_table *t, size_t r, bool kept,
    bool ports, const char *table, struct key *k, struct counts *c,
    struct err *e)
{
	size_t nk = kept ? 3 : ports ? 2 : 1;
	int64_t proto, port;

	if (kept) {
		if (!kept_key(s, t, r, k, e))
			return false;
	} else if (ports) {
		if (!cell_i64(s, t, r, 1, &proto, e) ||
		    !cell_i64(s, t, r, 2, &port, e) ||
		    !port_ok(s, proto, port, e))
			return false;
		*k = key_port((int)proto, (int)port);
	} else {
		k->kind = KEY_COUNTRY;
		if (!cc_ok(s, ch_cell(t, r, 1), k->cc, e))
			return false;
	}
	return cell_i64(s, t, r, nk + 1, &c->accesses, e) &&
	    cell_i64(s, t, r, nk + 2, &c->sources, e) &&
	    counts_ok(s, table, c, e);
}

/* A port as one UInt32 (proto << 16 | port): ClickHouse groups by one
 * integer about twice as fast as by the pair (proto, port), which it
 * hashes as a composite key (18.16, 131,072 ports: 0.08 s against 0.17 s
 * over six months of a 100-million-row store). */
#define PORT_KEY "bitOr(bitShiftLeft(toUInt32(proto), 16), port)"

/* What lesser_summed_sql() reduces months M-5..M with.  In: the pins,
 * and lower bounds of the MODEL_TOP-th largest sums (0: none), which only
 * spare the server sorting every port's sums: a bound too high leaves
 * fewer than MODEL_TOP sums above it, the threshold is then 0 and every
 * port is kept.  Out: the traffic mix of M-1 against M when it was
 * computed on the server (month_input.mix_given). */
enum { BOUND_SIX_A, BOUND_SIX_S, BOUND_CUR_A, BOUND_CUR_S, BOUND_PREV_A,
	BOUNDS };
struct ch_reduce {
	const struct key *pins;
	size_t npins;
	int64_t bound[BOUNDS];
	bool given;
	double overlap;
	bool changed;
};

/* Appends a port key as PORT_KEY's value ("393239" for 6/445). */
static bool
pk_text(struct ch_buf *b, bool first, const struct key *k)
{
	return ch_buf_printf(b, "%s%lu", first ? "" : ",",
	    (unsigned long)k->proto << 16 | k->port);
}

/* Appends the month_port rows of months m0..m0+nm-1 as month, k,
 * proto, port, a, s: the ports the model can use one by one (k = 1), and
 * every other port's cells summed into one row a month (k = 0, port 0).
 *   - In every month: the ports whose sums over all nm months reach the
 *     MODEL_TOP-th largest by accesses or by sources (ties included):
 *     the six months' top keys (six_build()).
 *   - With mix (months M-5..M, full = nm - 2): also the ports of M's top
 *     MODEL_TOP by accesses and by sources and of M-1's by accesses (ties
 *     included), the pins, and every port whose rise in rate from M-1 to M
 *     could make it notable (cur_rate - prev_rate >= MODEL_NOTABLE_MIN_SHARE
 *     of M's rate, with a margin; at most about 1,000 such ports, as their
 *     rates sum to at most M's), each with its counts in both months; the
 *     traffic mix is computed on the server into *mix.  When the mix is
 *     within 10^-6 of one half (where the server's rounded sum could
 *     decide otherwise than the model's exact one), or without mix, the
 *     months from index full on come whole (k = 1) and the model computes
 *     the mix itself.
 * That is all the model makes of the months, and a telescope's month has
 * 100,000 ports or more: the render reads about a hundred rows a month. */
static bool
lesser_summed_sql(struct store *s, struct ch_buf *q, month_t m0, int nm,
    int full, const char *ids, const struct month_data *d,
    struct ch_reduce *red, struct err *e)
{
	struct ch_buf src = { 0 }, t1 = { 0 }, m2 = { 0 };
	struct ch_table t;
	int64_t va = 0, vs = 0, vca = 0, vcs = 0, vpa = 0;
	double fa = 0, fs = 0, overlap = 0;
	char whole[32];
	bool ok, reduce = red != NULL && nm >= 2 && full == nm - 2;
	const struct month_data *dp = reduce ? &d[nm - 2] : NULL;
	const struct month_data *dc = reduce ? &d[nm - 1] : NULL;
	int yp = reduce ? (int)yyyymm(m0 + nm - 2) : 0;
	int yc = reduce ? (int)yyyymm(m0 + nm - 1) : 0;
	bool with_mix = reduce && dp->total.accesses > 0 &&
	    dc->total.accesses > 0;
	int64_t b[BOUNDS] = { 0 };

	if (red != NULL) {
		memcpy(b, red->bound, sizeof(b));
		red->given = red->changed = false;
		red->overlap = 0;
	}
	ok = src_sql(&src, SRC_MP, first_day(m0), last_day(m0 + nm - 1), ids,
	    "");
	if (!ok) {
		ch_buf_free(&src);
		return err_set(e, "out of memory");
	}
	/* the thresholds (0 when fewer than MODEL_TOP ports: then every
	 * port with a positive sum qualifies), and the largest sums, as
	 * floating point: past 2^62 the server's sums could wrap where the
	 * model's saturate, and every port is read instead; with mix, M's
	 * and M-1's thresholds and the mix, from the same pass */
	ok = ch_buf_printf(&t1, "SELECT"
	    " arrayReverseSort(groupArrayIf(a, a >= %lld))[%d],"
	    " arrayReverseSort(groupArrayIf(s, s >= %lld))[%d], max(fa), max(fs)",
	    (long long)b[BOUND_SIX_A], MODEL_TOP, (long long)b[BOUND_SIX_S],
	    MODEL_TOP);
	if (ok && reduce)
		ok = ch_buf_printf(&t1,
		    ", arrayReverseSort(groupArrayIf(ac, ac >= %lld))[%d],"
		    " arrayReverseSort(groupArrayIf(sc, sc >= %lld))[%d],"
		    " arrayReverseSort(groupArrayIf(ap, ap >= %lld))[%d]",
		    (long long)b[BOUND_CUR_A], MODEL_TOP,
		    (long long)b[BOUND_CUR_S], MODEL_TOP,
		    (long long)b[BOUND_PREV_A], MODEL_TOP) &&
		    (with_mix ? ch_buf_printf(&t1,
		    ", sum(least(ap / %lld, ac / %lld))",
		    (long long)dp->total.accesses,
		    (long long)dc->total.accesses) :
		    ch_buf_printf(&t1, ", toFloat64(0)"));
	ok = ok && ch_buf_printf(&t1, " FROM (SELECT sum(accesses) AS a,"
	    " sum(sources) AS s, sum(toFloat64(accesses)) AS fa,"
	    " sum(toFloat64(sources)) AS fs");
	if (ok && reduce)
		ok = ch_buf_printf(&t1, ", sumIf(accesses, month = %d) AS ap,"
		    " sumIf(accesses, month = %d) AS ac,"
		    " sumIf(sources, month = %d) AS sc", yp, yc, yc);
	ok = ok && ch_buf_printf(&t1, " FROM %s GROUP BY " PORT_KEY ")", src.p);
	if (!ok) {
		ch_buf_free(&src);
		ch_buf_free(&t1);
		return err_set(e, "out of memory");
	}
	ok = run(s, &t1, true, reduce ? 8 : 4, &t, e);
	ok = ok && t.nrows == 1 && cell_i64(s, &t, 0, 0, &va, e) &&
	    cell_i64(s, &t, 0, 1, &vs, e) && (!reduce ||
	    (cell_i64(s, &t, 0, 4, &vca, e) && cell_i64(s, &t, 0, 5, &vcs, e) &&
	    cell_i64(s, &t, 0, 6, &vpa, e)));
	if (ok) {
		char *end;

		fa = strtod(ch_cell(&t, 0, 2), NULL);
		fs = strtod(ch_cell(&t, 0, 3), NULL);
		if (reduce) {
			overlap = strtod(ch_cell(&t, 0, 7), &end);
			ok = *end == '\0' && overlap >= 0 && overlap < 2;
		}
	}
	ch_table_free(&t);
	if (!ok) {
		ch_buf_free(&src);
		return e->msg[0] ? false : err_set(e,
		    "%s: a malformed answer from the server (thresholds)",
		    s->name);
	}
	if (!(fa < 0x1p62 && fs < 0x1p62))
		full = 0;
	if (reduce && (full == 0 ||
	    (with_mix && fabs(overlap - MODEL_MIX_CHANGED) < 1e-6)))
		reduce = false;
	if (reduce) {
		red->given = true;
		red->overlap = overlap > 1.0 ? 1.0 : overlap;
		red->changed = with_mix && overlap < MODEL_MIX_CHANGED;
		/* M-1's and M's kept ports (see above) */
		ok = ch_buf_printf(&m2, " OR (sumIf(accesses, month = %d) >= %lld"
		    " AND sumIf(accesses, month = %d) > 0)"
		    " OR (sumIf(sources, month = %d) >= %lld"
		    " AND sumIf(sources, month = %d) > 0)"
		    " OR (sumIf(accesses, month = %d) >= %lld"
		    " AND sumIf(accesses, month = %d) > 0)",
		    yc, (long long)vca, yc, yc, (long long)vcs, yc,
		    yp, (long long)vpa, yp);
		/* (no notable port without sensor-days in M) */
		if (ok && dc->sensor_days > 0)
			ok = ch_buf_printf(&m2, " OR (sumIf(accesses, month = %d)"
			    " > 0 AND sumIf(accesses, month = %d) / %lld", yc, yc,
			    (long long)dc->sensor_days);
		if (ok && dc->sensor_days > 0 && dp->sensor_days > 0)
			ok = ch_buf_printf(&m2, " - sumIf(accesses, month = %d) / %lld",
			    yp, (long long)dp->sensor_days);
		if (ok && dc->sensor_days > 0)
			ok = ch_buf_printf(&m2, " >= %.17g * (%lld / %lld) * 0.999999)",
			    MODEL_NOTABLE_MIN_SHARE, (long long)dc->total.accesses,
			    (long long)dc->sensor_days);
		for (size_t i = 0; ok && i < red->npins; i++)
			ok = (i > 0 || ch_buf_printf(&m2, " OR pk IN (")) &&
			    pk_text(&m2, i == 0, &red->pins[i]) &&
			    (i + 1 < red->npins || ch_buf_printf(&m2, ")"));
	}
	/* the months from index full on whole, unless reduced */
	if (reduce)
		whole[0] = '\0';
	else
		snprintf(whole, sizeof(whole), "month >= %d OR ",
		    (int)yyyymm(m0 + full));
	/* kp: 0 for the summed rows, else 2^24 + the port's key */
	ok = ok && ch_buf_printf(q, "SELECT month, k,"
	    " bitAnd(bitShiftRight(kp, 16), 255) AS pr, bitAnd(kp, 65535) AS po,"
	    " sum(accesses) AS a, sum(sources) AS s FROM (SELECT month,"
	    " accesses, sources, " PORT_KEY " AS pk, %spk IN"
	    " (SELECT " PORT_KEY " AS pk FROM %s GROUP BY pk HAVING"
	    " (sum(accesses) >= %lld AND sum(accesses) > 0) OR"
	    " (sum(sources) >= %lld AND sum(sources) > 0)%s) AS k,"
	    " if(k, bitOr(pk, 16777216), 0) AS kp FROM %s)"
	    " GROUP BY month, kp, k HAVING a <> 0 OR s <> 0"
	    " ORDER BY month, k, pr, po", whole, src.p, (long long)va,
	    (long long)vs, m2.p ? m2.p : "", src.p);
	if (!ok && !e->msg[0])
		err_set(e, "out of memory");
	ch_buf_free(&src);
	ch_buf_free(&m2);
	return ok;
}

/* Monthly sums per port (ports) or per country of months m0..m0+nm-1
 * into d[k].ports / d[k].countries, ascending by key; for ports, the
 * months before index full come reduced (lesser_summed_sql()). */
static bool
load_month_cells(struct store *s, month_t m0, int nm, bool ports, int full,
    const char *ids, struct ch_reduce *red, struct month_data *d,
    struct err *e)
{
	struct ch_buf q = { 0 };
	struct ch_table t;
	const char *keys = ports ? "proto, port" : "country";
	size_t nk = ports ? 2 : 1, start = 0;
	bool ok, summed = ports && full > 0;

	if (summed) {
		ok = lesser_summed_sql(s, &q, m0, nm, full, ids, d, red, e) &&
		    run(s, &q, true, 6, &t, e);
	} else
		ok = run(s, &q, ch_buf_printf(&q, "SELECT month, %s,"
		    " sum(accesses) AS a, sum(sources) AS s FROM ", keys) &&
		    src_sql(&q, ports ? SRC_MP : SRC_MC, first_day(m0),
		    last_day(m0 + nm - 1), ids, "") &&
		    ch_buf_printf(&q, " GROUP BY month, %s HAVING a <> 0 OR"
		    " s <> 0 ORDER BY month, %s", keys, keys), nk + 3, &t, e);
	if (!ok) {
		ch_buf_free(&q);
		return false;
	}
	while (ok && start < t.nrows) {
		int64_t ym, x;
		size_t end = start, n;
		int k;
		struct cell *v;

		ok = cell_i64(s, &t, start, 0, &ym, e);
		while (ok && end < t.nrows && cell_i64(s, &t, end, 0, &x, e) &&
		    x == ym)
			end++;
		if (!ok || e->msg[0])
			break;
		for (k = 0; k < nm && yyyymm(m0 + k) != ym; k++)
			;
		if (k == nm) {
			ok = err_set(e, "%s: a malformed answer from the server (month %lld)",
			    s->name, (long long)ym);
			break;
		}
		n = end - start;
		if ((v = calloc(n, sizeof(*v))) == NULL) {
			ok = err_set(e, "out of memory");
			break;
		}
		if (ports) {
			d[k].ports = v;
			d[k].nports = n;
		} else {
			d[k].countries = v;
			d[k].ncountries = n;
		}
		for (size_t i = 0; ok && i < n; i++)
			ok = row_cell(s, &t, start + i, summed, ports,
			    ports ? "month_port" : "month_country", &v[i].key,
			    &v[i].c, e);
		start = end;
	}
	ch_table_free(&t);
	return ok && !e->msg[0];
}

/* Months m0..m0+nm-1 into d[0..nm-1] in four queries (the months before
 * index full and, with mix, the last two reduced: lesser_summed_sql()),
 * and the last month's totals per day into last_days[1..31] unless NULL.
 * On failure the caller frees d with month_data_finish(). */
static bool
load_months(struct store *s, month_t m0, int nm, int full, const char *ids,
    struct ch_reduce *red, struct month_data *d, struct counts last_days[32],
    struct err *e)
{
	struct ch_buf q = { 0 };
	struct ch_table t;
	bool ok;

	for (int k = 0; k < nm; k++) {
		memset(&d[k], 0, sizeof(d[k]));
		d[k].month = m0 + k;
	}
	ok = run(s, &q, ch_buf_printf(&q, "SELECT toYYYYMMDD(day), count(),"
	    " sum(a), sum(s) FROM ") &&
	    live_sd_sql(&q, first_day(m0), last_day(m0 + nm - 1), ids) &&
	    ch_buf_printf(&q, " GROUP BY day ORDER BY day"), 4, &t, e);
	if (!ok)
		return false;
	for (size_t i = 0; ok && i < t.nrows; i++) {
		int64_t day, cnt;
		struct counts c;
		struct month_data *md;
		month_t m;

		ok = cell_i64(s, &t, i, 0, &day, e) &&
		    cell_i64(s, &t, i, 1, &cnt, e) &&
		    cell_i64(s, &t, i, 2, &c.accesses, e) &&
		    cell_i64(s, &t, i, 3, &c.sources, e) &&
		    counts_ok(s, "sensor_day", &c, e);
		if (!ok)
			break;
		m = month_make((int)(day / 10000), (int)(day / 100 % 100));
		if (m < m0 || m >= m0 + nm || day % 100 < 1 || day % 100 > 31) {
			ok = err_set(e, "%s: a malformed answer from the server (day %lld)",
			    s->name, (long long)day);
			break;
		}
		md = &d[m - m0];
		md->sensors_per_day[day % 100] = (int)cnt;
		if (last_days != NULL && m == m0 + nm - 1)
			last_days[day % 100] = c;
		md->sensor_days += cnt;
		if (__builtin_add_overflow(md->total.accesses, c.accesses,
		    &md->total.accesses) ||
		    __builtin_add_overflow(md->total.sources, c.sources,
		    &md->total.sources))
			ok = err_set(e, "%s: counts too large in %04d-%02d",
			    s->name, month_year(m), month_mon(m));
	}
	ch_table_free(&t);
	if (!ok)
		return false;
	ok = run(s, &q, ch_buf_printf(&q, "SELECT toYYYYMM(day) AS mo,"
	    " uniqExact(sensor) FROM ") &&
	    live_sd_sql(&q, first_day(m0), last_day(m0 + nm - 1), ids) &&
	    ch_buf_printf(&q, " GROUP BY mo"), 2, &t, e);
	if (!ok)
		return false;
	for (size_t i = 0; ok && i < t.nrows; i++) {
		int64_t ym, v;
		int k;

		ok = cell_i64(s, &t, i, 0, &ym, e) && cell_i64(s, &t, i, 1, &v, e);
		for (k = 0; ok && k < nm && yyyymm(m0 + k) != ym; k++)
			;
		if (ok && k == nm)
			ok = err_set(e, "%s: a malformed answer from the server (month %lld)",
			    s->name, (long long)ym);
		if (ok)
			d[k].sensors = (int)v;
	}
	ch_table_free(&t);
	if (!ok || !load_month_cells(s, m0, nm, true, full, ids, red, d, e) ||
	    !load_month_cells(s, m0, nm, false, 0, ids, NULL, d, e))
		return false;
	/* the monthly rollups add up to the sensor-days' totals */
	for (int m = 0; m < nm; m++)
		for (int k = 0; k < 2; k++) {
			const struct cell *c = k == 0 ? d[m].ports : d[m].countries;
			size_t n = k == 0 ? d[m].nports : d[m].ncountries;
			int64_t a = 0, so = 0;
			bool over = false;

			for (size_t i = 0; i < n; i++)
				over = over ||
				    __builtin_add_overflow(a, c[i].c.accesses, &a) ||
				    __builtin_add_overflow(so, c[i].c.sources, &so);
			if (over || a != d[m].total.accesses ||
			    so != d[m].total.sources)
				return err_set(e, "%s: the store is damaged (table %s: %04d-%02d does not add up to the sensor-days' totals; 'talot info --check' tells more)",
				    s->name, k == 0 ? "month_port" : "month_country",
				    month_year(m0 + m), month_mon(m0 + m));
		}
	return true;
}

/* The k-th largest positive value of ms among d's port cells, or 1 when
 * fewer are positive (every positive one then qualifies). */
static int64_t
kth_value(const struct month_data *d, bool acc, size_t k)
{
	int64_t best[MODEL_TOP];
	size_t n = 0;

	if (k > MODEL_TOP)
		k = MODEL_TOP;
	for (size_t i = 0; i < d->nports; i++) {
		int64_t v = acc ? d->ports[i].c.accesses : d->ports[i].c.sources;
		size_t j;

		/* (a reduced month's その他 cell is not a port) */
		if (d->ports[i].key.kind != KEY_PORT || v <= 0 ||
		    (n == k && v <= best[n - 1]))
			continue;
		j = n < k ? n++ : n - 1;
		while (j > 0 && best[j - 1] < v) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = v;
	}
	return n == k && k > 0 ? best[k - 1] : 1;
}

/* Appends "(proto,port),..." of the ports of month cur that can be in the
 * model's top MODEL_TOP by accesses or by sources (every tie at the
 * boundary included); returns how many, or -1 when out of memory. */
static long
top_ports_sql(struct ch_buf *b, const struct month_data *cur)
{
	int64_t va = kth_value(cur, true, MODEL_TOP);
	int64_t vs = kth_value(cur, false, MODEL_TOP);
	long n = 0;

	for (size_t i = 0; i < cur->nports; i++) {
		const struct cell *c = &cur->ports[i];

		if (c->key.kind != KEY_PORT || !((c->c.accesses > 0 &&
		    c->c.accesses >= va) || (c->c.sources > 0 &&
		    c->c.sources >= vs)))
			continue;
		if (!ch_buf_printf(b, "%s(%d,%d)", n ? "," : "", c->key.proto,
		    c->key.port))
			return -1;
		n++;
	}
	return n;
}

/* A month's days x ports (ports) or x countries.  With cur (month M's
 * port cells, read before) and days (M's totals per day, from the
 * sensor-days), only the ports that can be in the model's top lists are
 * read, from day_port's primary key, and every other port's cells of a
 * day come as one その他 cell (KEY_OTHER): the day's total less the kept
 * ports' (every port of a day adds up to its sensor-days' totals: 'talot
 * info --check'), which is all the model makes of them
 * (breakdown_build() sums a key's day before dividing).  So a render reads
 * about 12 rows a day, not one per port: a telescope's month has tens of
 * thousands of ports a day. */
static bool
load_days(struct store *s, month_t m, bool ports, const char *ids,
    const struct month_data *cur, const struct counts *days,
    struct day_cell **out, size_t *n, struct err *e)
{
	struct ch_buf q = { 0 }, keep = { 0 };
	struct ch_table t = { 0 };
	size_t nk = ports ? 2 : 1, nout = 0, cap;
	long nkeep = -2;
	bool ok = true;
	struct counts kept[32];

	*out = NULL;
	*n = 0;
	if (ports && cur != NULL && days != NULL &&
	    (nkeep = top_ports_sql(&keep, cur)) < 0) {
		ch_buf_free(&keep);
		return err_set(e, "out of memory");
	}
	if (nkeep > 0) {
		struct ch_buf cond = { 0 };

		/* the kept ports only, in day_port and in the raw cells */
		ok = ch_buf_printf(&cond, " AND (proto, port) IN (%s)", keep.p) &&
		    ch_buf_printf(&q, "SELECT toYYYYMMDD(day) AS d, proto,"
		    " port, sum(accesses) AS a, sum(sources) AS s FROM ") &&
		    src_sql(&q, SRC_DP, first_day(m), last_day(m), ids, cond.p) &&
		    ch_buf_printf(&q, " GROUP BY d, proto, port HAVING a <> 0 OR"
		    " s <> 0 ORDER BY d, proto, port");
		ch_buf_free(&cond);
		ok = ok ? run(s, &q, true, nk + 3, &t, e) :
		    err_set(e, "out of memory");
	} else if (nkeep < 0)
		ok = run(s, &q, ch_buf_printf(&q, "SELECT toYYYYMMDD(day), %s,"
		    " sum(accesses) AS a, sum(sources) AS s FROM ",
		    ports ? "proto, port" : "country") &&
		    src_sql(&q, ports ? SRC_DP : SRC_DC, first_day(m),
		    last_day(m), ids, "") && ch_buf_printf(&q, " GROUP BY day,"
		    " %s HAVING a <> 0 OR s <> 0 ORDER BY day, %s",
		    ports ? "proto, port" : "country",
		    ports ? "proto, port" : "country"), nk + 3, &t, e);
	ch_buf_free(&keep);
	if (!ok)
		return false;
	/* the rows read, and with kept ports one その他 cell a day */
	cap = t.nrows + (nkeep >= 0 ? 31 : 0);
	if (cap > 0 && (*out = calloc(cap, sizeof(**out))) == NULL) {
		ch_table_free(&t);
		return err_set(e, "out of memory");
	}
	memset(kept, 0, sizeof(kept));
	for (size_t i = 0; ok && i < t.nrows; i++) {
		struct day_cell *c = &(*out)[nout];
		int64_t day;

		ok = cell_i64(s, &t, i, 0, &day, e);
		if (ok && (day / 100 != yyyymm(m) || day % 100 < 1 ||
		    day % 100 > 31))
			ok = err_set(e, "%s: a malformed answer from the server (day %lld)",
			    s->name, (long long)day);
		if (!ok)
			break;
		c->day = (int)(day % 100);
		ok = row_cell(s, &t, i, false, ports,
		    ports ? "day_port" : "day_country", &c->key, &c->c, e);
		if (ok && nkeep >= 0 &&
		    (__builtin_add_overflow(kept[c->day].accesses, c->c.accesses,
		    &kept[c->day].accesses) ||
		    __builtin_add_overflow(kept[c->day].sources, c->c.sources,
		    &kept[c->day].sources)))
			ok = err_set(e, "%s: counts too large in %04d-%02d",
			    s->name, month_year(m), month_mon(m));
		nout++;
	}
	ch_table_free(&t);
	for (int d = 1; ok && nkeep >= 0 && d <= 31; d++) {
		struct day_cell *c;
		struct counts o;

		o.accesses = days[d].accesses - kept[d].accesses;
		o.sources = days[d].sources - kept[d].sources;
		if (o.accesses < 0 || o.sources < 0) {
			ok = err_set(e, "%s: the store is damaged (table day_port: %04d-%02d-%02d does not add up to the sensor-days' totals; 'talot info --check' tells more)",
			    s->name, month_year(m), month_mon(m), d);
			break;
		}
		if (o.accesses == 0 && o.sources == 0)
			continue;
		c = &(*out)[nout++];
		c->day = d;
		c->key = key_other();
		c->c = o;
	}
	*n = nout;
	if (!ok) {
		free(*out);
		*out = NULL;
		*n = 0;
		return false;
	}
	return true;
}

bool
ch_store_month_data(struct store *s, month_t m, struct month_data *d,
    struct err *e)
{
	struct ch_buf tmp = { 0 };
	const char *ids;
	bool ok;

	e->msg[0] = '\0';
	memset(d, 0, sizeof(*d));
	ids = ids_now(s, &tmp, e);
	ok = ids != NULL && load_months(s, m, 1, 0, ids, NULL, d, NULL, e);
	ch_buf_free(&tmp);
	if (!ok)
		month_data_finish(d);
	return ok;
}

/* Lower bounds of the MODEL_TOP-th largest port sums of M-5..M (struct
 * ch_reduce) from the months' top lists: the tenth of a month's list by
 * accesses, for M and M-1; for the six months' sums, the largest of the
 * six months' tenths (the ten ports of a month's list have six-month
 * sums at least their month's). */
static void
reduce_bounds(struct ch_reduce *r, const struct color_month *cm, size_t n,
    month_t m)
{
	memset(r->bound, 0, sizeof(r->bound));
	for (size_t i = 0; i < n; i++) {
		const struct color_month *c = &cm[i];
		int64_t va = 0, vs = 0;

		if (c->month < m - (MODEL_MONTHS - 1) || c->month > m)
			continue;
		if (c->n[COLOR_PORTS_ACC] == MODEL_TOP)
			va = c->top[COLOR_PORTS_ACC][MODEL_TOP - 1].c.accesses;
		if (c->n[COLOR_PORTS_SRC] == MODEL_TOP)
			vs = c->top[COLOR_PORTS_SRC][MODEL_TOP - 1].c.sources;
		if (va > r->bound[BOUND_SIX_A])
			r->bound[BOUND_SIX_A] = va;
		if (vs > r->bound[BOUND_SIX_S])
			r->bound[BOUND_SIX_S] = vs;
		if (c->month == m) {
			r->bound[BOUND_CUR_A] = va;
			r->bound[BOUND_CUR_S] = vs;
		} else if (c->month == m - 1)
			r->bound[BOUND_PREV_A] = va;
	}
}

bool
ch_store_month_input(struct store *s, month_t m, const struct key *pins,
    size_t npins, struct month_input *in, struct err *e)
{
	struct ch_buf tmp = { 0 };
	struct ch_reduce red;
	struct counts days[32];
	const char *ids;

	memset(in, 0, sizeof(*in));
	in->month = m;
	e->msg[0] = '\0';
	/* the top lists first: they bound the thresholds below (this reads
	 * the snapshot's ids, or the current ones, itself) */
	if (!ch_store_color_months(s, &in->color_months, &in->ncolor_months, e))
		goto fail;
	ids = ids_now(s, &tmp, e);
	if (ids == NULL)
		goto fail;
	/* M-1 and M reduced to the ports the model uses one by one, with the
	 * traffic mix computed on the server (month_input.mix_given) */
	memset(&red, 0, sizeof(red));
	red.pins = pins;
	red.npins = npins;
	reduce_bounds(&red, in->color_months, in->ncolor_months, m);
	memset(days, 0, sizeof(days));
	if (!load_months(s, m - (MODEL_MONTHS - 1), MODEL_MONTHS,
	    MODEL_MONTHS - 2, ids, &red, in->six, days, e))
		goto fail;
	in->mix_given = red.given;
	in->mix_overlap = red.overlap;
	in->mix_changed = red.changed;
	if (!load_days(s, m, true, ids, &in->six[MODEL_MONTHS - 1], days,
	    &in->day_ports, &in->nday_ports, e) ||
	    !load_days(s, m, false, ids, NULL, NULL, &in->day_countries,
	    &in->nday_countries, e))
		goto fail;
	ch_buf_free(&tmp);
	/* these read the snapshot's ids (or the current ones) themselves */
	if (!ch_store_month_sensors(s, m - 1, &in->sensor_names[0],
	    &in->nsensor_names[0], e) ||
	    !ch_store_month_sensors(s, m, &in->sensor_names[1],
	    &in->nsensor_names[1], e))
		goto fail;
	return true;
fail:
	ch_buf_free(&tmp);
	month_input_finish(in);
	return false;
}

bool
ch_store_port_day_country(struct store *s, struct key port, month_t from,
    month_t to, struct port_day_country **rows, size_t *n, struct err *e)
{
	struct ch_buf tmp = { 0 }, q = { 0 };
	struct ch_table t;
	const char *ids = ids_now(s, &tmp, e);
	struct port_day_country *v = NULL;
	char cond[64];
	bool ok;

	*rows = NULL;
	*n = 0;
	if (ids == NULL)
		return false;
	snprintf(cond, sizeof(cond), " AND proto = %u AND port = %u",
	    (unsigned)port.proto, (unsigned)port.port);
	ok = run(s, &q, ch_buf_printf(&q, "SELECT toYYYYMMDD(day), country,"
	    " sum(accesses) AS a, sum(sources) AS s FROM ") &&
	    src_sql(&q, SRC_PDC, first_day(from), last_day(to), ids, cond) &&
	    ch_buf_printf(&q, " GROUP BY day, country HAVING a <> 0 OR s <> 0"
	    " ORDER BY day, country"), 4, &t, e);
	ch_buf_free(&tmp);
	if (!ok)
		return false;
	if (t.nrows > 0 && (v = calloc(t.nrows, sizeof(*v))) == NULL) {
		ch_table_free(&t);
		return err_set(e, "out of memory");
	}
	for (size_t i = 0; ok && i < t.nrows; i++) {
		int64_t day;

		ok = cell_i64(s, &t, i, 0, &day, e) &&
		    cc_ok(s, ch_cell(&t, i, 1), v[i].cc, e) &&
		    cell_i64(s, &t, i, 2, &v[i].c.accesses, e) &&
		    cell_i64(s, &t, i, 3, &v[i].c.sources, e);
		if (ok && (day < 19700101 || day > CH_DAY_MAX ||
		    day % 100 < 1 || day % 100 > 31))
			ok = err_set(e, "%s: a malformed answer from the server (day %lld)",
			    s->name, (long long)day);
		if (ok) {
			v[i].month = month_make((int)(day / 10000),
			    (int)(day / 100 % 100));
			v[i].day = (int)(day % 100);
		}
	}
	*n = t.nrows;
	ch_table_free(&t);
	if (!ok) {
		free(v);
		*n = 0;
		return false;
	}
	*rows = v;
	return true;
}

/* ---- colours: month_top (docs/clickhouse.md, "Top lists") ---- */

static const char *const color_keys[COLOR_LISTS] = {
	"proto, port", "proto, port", "country", "country" };

static int32_t
ym_day(int64_t ym, bool last)
{
	month_t m = month_make((int)(ym / 100), (int)(ym % 100));

	return last ? last_day(m) : first_day(m);
}

/* Appends the basis of every month with sensor-days in days from..to under
 * ids: m, n (imports), idsum (their ids' wrapping sum), idmax. */
static bool
basis_sql(struct ch_buf *b, int32_t from, int32_t to, const char *ids)
{
	char f[16], t[16];

	day_text(from, f);
	day_text(to, t);
	return ch_buf_printf(b, "SELECT m, toUInt64(count()), sum(import_id),"
	    " max(import_id) FROM (SELECT DISTINCT toUInt32(toYYYYMM(day)) AS m,"
	    " import_id FROM sensor_day WHERE day BETWEEN '%s' AND '%s' AND"
	    " import_id IN (%s)) GROUP BY m ORDER BY m", f, t, ids);
}

/* Appends list l's top keys computed from the rollups over days from..to,
 * of the months in mlist ("M,M,..."; NULL: all): month, keys, a, s in the
 * SQLite store's order (value descending, then the keys). */
static bool
top_sql(struct ch_buf *q, int l, const char *ids, int32_t from, int32_t to,
    const char *mlist)
{
	bool ports = l < COLOR_CC_ACC;
	bool acc = l == COLOR_PORTS_ACC || l == COLOR_CC_ACC;

	return ch_buf_printf(q, "SELECT month, %s, a, s FROM"
	    " (SELECT month, %s, sum(accesses) AS a, sum(sources) AS s"
	    " FROM ", color_keys[l], color_keys[l]) &&
	    src_sql(q, ports ? SRC_MP : SRC_MC, from, to, ids, "") &&
	    ch_buf_printf(q, " GROUP BY month, %s HAVING %s > 0)%s%s%s"
	    " ORDER BY month, %s DESC, %s LIMIT %d BY month", color_keys[l],
	    acc ? "a" : "s", mlist ? " WHERE month IN (" : "",
	    mlist ? mlist : "", mlist ? ")" : "", acc ? "a" : "s",
	    color_keys[l], MODEL_TOP);
}

static bool
ym_in(const int64_t *v, size_t n, int64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* Writes the top lists of the months in ym[0..nm) (YYYYMM, ascending) as
 * the committed imports ids and this import (id) give them, with their
 * basis; before the commit record, so that a failure leaves no trace a
 * reader uses. */
static bool
tops_write(struct store *s, const char *ids, const char *id,
    const int32_t *ym, size_t nm, struct err *e)
{
	struct ch_buf all = { 0 }, q = { 0 }, body = { 0 }, ml = { 0 };
	struct ch_table b, t[COLOR_LISTS];
	int32_t from, to;
	bool ok;
	int l;

	if (nm == 0)
		return true;
	memset(t, 0, sizeof(t));
	memset(&b, 0, sizeof(b));
	from = ym_day(ym[0], false);
	to = ym_day(ym[nm - 1], true);
	ok = ch_buf_printf(&all, "%s,%s", ids, id);
	for (size_t i = 0; ok && i < nm; i++)
		ok = ch_buf_printf(&ml, "%s%d", i ? "," : "", (int)ym[i]);
	if (!ok) {
		ch_buf_free(&all);
		ch_buf_free(&ml);
		return err_set(e, "out of memory");
	}
	ok = run(s, &q, basis_sql(&q, from, to, all.p), 4, &b, e);
	for (l = 0; ok && l < COLOR_LISTS; l++)
		ok = run(s, &q, top_sql(&q, l, all.p, from, to, ml.p),
		    l < COLOR_CC_ACC ? 5 : 4, &t[l], e);
	ch_buf_free(&all);
	ch_buf_free(&ml);
	/* month, n, idsum, idmax, list, proto, port, country, a, s */
	for (size_t i = 0; ok && i < b.nrows; i++) {
		const char *m = ch_cell(&b, i, 0);
		int64_t x;

		if (!cell_i64(s, &b, i, 0, &x, e)) {
			ok = false;
			break;
		}
		{
			int32_t y = (int32_t)x;
			bool want = false;

			for (size_t k = 0; k < nm; k++)
				want = want || ym[k] == y;
			if (!want)
				continue;
		}
		ok = ch_buf_printf(&body, "%s\t%s\t%s\t%s\t0\t0\t0\t\t0\t0\n", m,
		    ch_cell(&b, i, 1), ch_cell(&b, i, 2), ch_cell(&b, i, 3));
		for (l = 0; ok && l < COLOR_LISTS; l++) {
			bool ports = l < COLOR_CC_ACC;

			for (size_t r = 0; ok && r < t[l].nrows; r++) {
				if (strcmp(ch_cell(&t[l], r, 0), m) != 0)
					continue;
				ok = ch_buf_printf(&body, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n",
				    m, ch_cell(&b, i, 1), ch_cell(&b, i, 2),
				    ch_cell(&b, i, 3), l + 1,
				    ports ? ch_cell(&t[l], r, 1) : "0",
				    ports ? ch_cell(&t[l], r, 2) : "0",
				    ports ? "" : ch_cell(&t[l], r, 1),
				    ch_cell(&t[l], r, ports ? 3 : 2),
				    ch_cell(&t[l], r, ports ? 4 : 3));
			}
		}
		if (!ok)
			err_set(e, "out of memory");
	}
	ch_table_free(&b);
	for (l = 0; l < COLOR_LISTS; l++)
		ch_table_free(&t[l]);
	if (ok && body.len > 0)
		ok = ch_exec(s->c, "INSERT INTO month_top (month, n, idsum, idmax,"
		    " list, proto, port, country, accesses, sources)"
		    " FORMAT TabSeparated", body.p, body.len, NULL, e);
	ch_buf_free(&body);
	return ok;
}

bool
ch_store_color_months(struct store *s, struct color_month **out, size_t *n,
    struct err *e)
{
	struct ch_buf tmp = { 0 }, q = { 0 }, valid = { 0 }, ml = { 0 };
	struct ch_table t[COLOR_LISTS], b, vt, rt;
	const char *ids = ids_now(s, &tmp, e);
	struct color_month *v = NULL;
	size_t len = 0, cap = 0, at[COLOR_LISTS] = { 0 };
	int64_t *good = NULL, *miss = NULL;
	size_t ngood = 0, nmiss = 0;
	bool ok = ids != NULL, all = !s->has_top;
	int l;

	*out = NULL;
	*n = 0;
	memset(t, 0, sizeof(t));
	memset(&b, 0, sizeof(b));
	memset(&vt, 0, sizeof(vt));
	memset(&rt, 0, sizeof(rt));
	/* the months whose stored top lists have this read's basis (and no
	 * raw events) are read; the other months are computed */
	if (ok && !all) {
		struct ch_buf tu = { 0 };

		ok = run(s, &q, basis_sql(&q, 19700101, CH_DAY_MAX, ids), 4, &b,
		    e) && run(s, &q, ch_buf_printf(&q, "SELECT DISTINCT"
		    " toUInt32(toYYYYMM(day)) FROM raw_cells"), 1, &rt, e);
		ok = ok && ch_buf_printf(&tu, "(0,0,0,0)");
		for (size_t i = 0; ok && i < b.nrows; i++)
			ok = ch_buf_printf(&tu, ",(%s,%s,%s,%s)", ch_cell(&b, i, 0),
			    ch_cell(&b, i, 1), ch_cell(&b, i, 2), ch_cell(&b, i, 3));
		ok = ok && run(s, &q, ch_buf_printf(&q, "SELECT DISTINCT month"
		    " FROM month_top WHERE list = 0 AND (month, n, idsum, idmax)"
		    " IN (%s) ORDER BY month", tu.p ? tu.p : ""), 1, &vt, e);
		ch_buf_free(&tu);
		if (ok && ((good = calloc(b.nrows + 1, sizeof(*good))) == NULL ||
		    (miss = calloc(b.nrows + rt.nrows + 1, sizeof(*miss))) == NULL))
			ok = err_set(e, "out of memory");
		for (size_t i = 0; ok && i < vt.nrows; i++) {
			int64_t x;

			ok = cell_i64(s, &vt, i, 0, &x, e);
			if (ok && !ym_in(good, ngood, x) && ngood < b.nrows)
				good[ngood++] = x;
		}
		for (size_t i = 0; ok && i < rt.nrows; i++) {
			int64_t x;

			ok = cell_i64(s, &rt, i, 0, &x, e);
			if (ok && !ym_in(miss, nmiss, x))
				miss[nmiss++] = x;
		}
		for (size_t i = 0; ok && i < b.nrows; i++) {
			int64_t x;

			ok = cell_i64(s, &b, i, 0, &x, e);
			if (ok && !ym_in(good, ngood, x) && !ym_in(miss, nmiss, x))
				miss[nmiss++] = x;
		}
		ok = ok && ch_buf_printf(&valid, "(0,0,0,0)");
		for (size_t i = 0; ok && i < b.nrows; i++) {
			int64_t x;

			ok = cell_i64(s, &b, i, 0, &x, e);
			if (ok && ym_in(good, ngood, x) && !ym_in(miss, nmiss, x))
				ok = ch_buf_printf(&valid, ",(%s,%s,%s,%s)",
				    ch_cell(&b, i, 0), ch_cell(&b, i, 1),
				    ch_cell(&b, i, 2), ch_cell(&b, i, 3));
		}
		for (size_t i = 0; ok && i < nmiss; i++)
			ok = ch_buf_printf(&ml, "%s%lld", i ? "," : "",
			    (long long)miss[i]);
		if (!ok && !e->msg[0])
			err_set(e, "out of memory");
	}
	for (l = 0; ok && l < COLOR_LISTS; l++) {
		bool ports = l < COLOR_CC_ACC;
		bool acc = l == COLOR_PORTS_ACC || l == COLOR_CC_ACC;
		int64_t lo = INT64_MAX, hi = 0;

		if (all) {
			ok = run(s, &q, top_sql(&q, l, ids, 19700101, CH_DAY_MAX,
			    NULL), ports ? 5 : 4, &t[l], e);
			continue;
		}
		for (size_t i = 0; i < nmiss; i++) {
			lo = miss[i] < lo ? miss[i] : lo;
			hi = miss[i] > hi ? miss[i] : hi;
		}
		if (nmiss > 0 && (lo < 197001 || hi > 210512 || lo % 100 < 1 ||
		    hi % 100 > 12 || lo % 100 > 12 || hi % 100 < 1)) {
			ok = err_set(e, "%s: the store is damaged (a month out of range)",
			    s->name);
			break;
		}
		ok = run(s, &q, ch_buf_printf(&q, "SELECT month, %s, a, s FROM"
		    " (SELECT month, %s, a, s FROM (SELECT DISTINCT month, %s,"
		    " accesses AS a, sources AS s FROM month_top WHERE list = %d"
		    " AND (month, n, idsum, idmax) IN (%s))", color_keys[l],
		    color_keys[l], color_keys[l], l + 1, valid.p) &&
		    (nmiss == 0 || (ch_buf_printf(&q, " UNION ALL SELECT month,"
		    " %s, a, s FROM (", color_keys[l]) &&
		    top_sql(&q, l, ids, ym_day(lo, false), ym_day(hi, true),
		    ml.p) && ch_buf_printf(&q, ")"))) &&
		    ch_buf_printf(&q, ") ORDER BY month, %s DESC, %s",
		    acc ? "a" : "s", color_keys[l]), ports ? 5 : 4, &t[l], e);
	}
	ch_table_free(&b);
	ch_table_free(&vt);
	ch_table_free(&rt);
	ch_buf_free(&valid);
	ch_buf_free(&ml);
	free(good);
	free(miss);
	ch_buf_free(&tmp);
	/* merge the four lists, month by month (all ascending) */
	while (ok) {
		int64_t next = INT64_MAX, x;
		struct color_month *cm;

		for (l = 0; ok && l < COLOR_LISTS; l++)
			if (at[l] < t[l].nrows) {
				ok = cell_i64(s, &t[l], at[l], 0, &x, e);
				if (ok && x < next)
					next = x;
			}
		if (!ok || next == INT64_MAX)
			break;
		if (next / 100 < 1970 || next / 100 > 9999 || next % 100 < 1 ||
		    next % 100 > 12) {
			ok = err_set(e, "%s: the store is damaged (a month out of range)",
			    s->name);
			break;
		}
		if (len == cap) {
			size_t nc = cap ? cap * 2 : 32;
			void *p = realloc(v, nc * sizeof(*v));

			if (p == NULL) {
				ok = err_set(e, "out of memory");
				break;
			}
			v = p;
			cap = nc;
		}
		cm = &v[len++];
		memset(cm, 0, sizeof(*cm));
		cm->month = month_make((int)(next / 100), (int)(next % 100));
		for (l = 0; ok && l < COLOR_LISTS; l++) {
			bool ports = l < COLOR_CC_ACC;
			size_t nk = ports ? 2 : 1;

			while (ok && at[l] < t[l].nrows &&
			    cell_i64(s, &t[l], at[l], 0, &x, e) && x == next) {
				struct cell *c = &cm->top[l][cm->n[l]];
				int64_t proto, port;

				if (cm->n[l] >= MODEL_TOP) {
					ok = err_set(e, "%s: a malformed answer from the server (too many keys)",
					    s->name);
					break;
				}
				if (ports) {
					ok = cell_i64(s, &t[l], at[l], 1, &proto, e) &&
					    cell_i64(s, &t[l], at[l], 2, &port, e) &&
					    port_ok(s, proto, port, e);
					if (ok)
						c->key = key_port((int)proto,
						    (int)port);
				} else {
					c->key.kind = KEY_COUNTRY;
					ok = cc_ok(s, ch_cell(&t[l], at[l], 1),
					    c->key.cc, e);
				}
				ok = ok && cell_i64(s, &t[l], at[l], nk + 1,
				    &c->c.accesses, e) && cell_i64(s, &t[l],
				    at[l], nk + 2, &c->c.sources, e) &&
				    counts_ok(s, ports ? "month_port" :
				    "month_country", &c->c, e);
				cm->n[l]++;
				at[l]++;
			}
			if (ok && e->msg[0])
				ok = false;
		}
	}
	for (l = 0; l < COLOR_LISTS; l++)
		ch_table_free(&t[l]);
	if (!ok) {
		free(v);
		return false;
	}
	*out = v;
	*n = len;
	return true;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sensor_name *)a)->name,
	    ((const struct sensor_name *)b)->name);
}

bool
ch_store_month_sensors(struct store *s, month_t m, struct sensor_name **out,
    size_t *n, struct err *e)
{
	struct ch_buf tmp = { 0 }, q = { 0 };
	struct ch_table t;
	const char *ids = ids_now(s, &tmp, e);
	struct sensor_name *v = NULL;
	bool ok;

	*out = NULL;
	*n = 0;
	if (ids == NULL)
		return false;
	ok = run(s, &q, ch_buf_printf(&q, "SELECT DISTINCT sensor FROM ") &&
	    live_sd_sql(&q, first_day(m), last_day(m), ids), 1, &t, e);
	ch_buf_free(&tmp);
	if (!ok)
		return false;
	if (t.nrows > 0 && (v = calloc(t.nrows, sizeof(*v))) == NULL) {
		ch_table_free(&t);
		return err_set(e, "out of memory");
	}
	for (size_t i = 0; i < t.nrows; i++)
		snprintf(v[i].name, sizeof(v[i].name), "%s", ch_cell(&t, i, 0));
	if (t.nrows > 1)
		qsort(v, t.nrows, sizeof(*v), name_cmp);
	*out = v;
	*n = t.nrows;
	ch_table_free(&t);
	return true;
}

/* ---- checking ---- */

/* Compares two answers of the same columns row by row; 1 equal, 0 not
 * (e names the first difference), -1 error. */
static int
same_rows(struct store *s, const char *what, struct ch_buf *qa,
    struct ch_buf *qb, bool built, size_t ncols, int64_t *nrows,
    struct err *e)
{
	struct ch_table a, b;
	int res = 1;

	if (!run(s, qa, built, ncols, &a, e)) {
		ch_buf_free(qb);
		return -1;
	}
	if (!run(s, qb, true, ncols, &b, e)) {
		ch_table_free(&a);
		return -1;
	}
	for (size_t i = 0; res == 1 && i < a.nrows && i < b.nrows; i++)
		for (size_t k = 0; k < ncols; k++)
			if (strcmp(ch_cell(&a, i, k), ch_cell(&b, i, k)) != 0) {
				res = 0;
				err_set(e, "%s, row %zu: %s differs (%s, against %s)",
				    what, i + 1, ch_cell(&a, i, 0), ch_cell(&a, i, k),
				    ch_cell(&b, i, k));
				break;
			}
	if (res == 1 && a.nrows != b.nrows) {
		res = 0;
		err_set(e, "%s: %zu rows, against %zu", what, a.nrows, b.nrows);
	}
	*nrows = (int64_t)a.nrows;
	ch_table_free(&a);
	ch_table_free(&b);
	return res;
}

int
ch_store_check(struct store *s, struct store_check *out, struct err *e)
{
	/* each rollup against the detail rows, summed the same way */
	static const struct {
		const char *what, *keys, *sel;
		enum src src;
		bool month;
	} cmp[] = {
		{ "sensor_day", "day, sensor", "day, sensor", SRC_SD, false },
		{ "day_port", "day, proto, port", "day, proto, port", SRC_DP, false },
		{ "day_country", "day, country", "day, country", SRC_DC, false },
		{ "port_day_country", "day, proto, port, country",
		    "day, proto, port, country", SRC_PDC, false },
		{ "month_port", "month, proto, port",
		    "toYYYYMM(day) AS month, proto, port", SRC_MP, true },
		{ "month_country", "month, country",
		    "toYYYYMM(day) AS month, country", SRC_MC, true },
	};
	int res = 1;
	int64_t nrows;

	memset(out, 0, sizeof(*out));
	if (!ch_store_snapshot_begin(s, e))
		return -1;
	for (size_t i = 0; res == 1 && i < sizeof(cmp) / sizeof(*cmp); i++) {
		struct ch_buf qa = { 0 }, qb = { 0 };
		size_t nk = 1;
		bool built;

		for (const char *p = cmp[i].keys; *p; p++)
			nk += *p == ',';
		built = ch_buf_printf(&qa, "SELECT %s, sum(accesses) AS a,"
		    " sum(sources) AS s FROM ", cmp[i].keys) &&
		    src_sql(&qa, cmp[i].src, 19700101, CH_DAY_MAX, s->snap.p, "") &&
		    ch_buf_printf(&qa, " GROUP BY %s HAVING a <> 0 OR s <> 0"
		    " ORDER BY %s", cmp[i].keys, cmp[i].keys) &&
		    ch_buf_printf(&qb, "SELECT %s, sum(accesses) AS a,"
		    " sum(sources) AS s FROM (SELECT %s, accesses, sources FROM ",
		    cmp[i].keys, cmp[i].sel) &&
		    src_sql(&qb, SRC_DETAIL, 19700101, CH_DAY_MAX, s->snap.p, "") &&
		    ch_buf_printf(&qb, ") GROUP BY %s HAVING a <> 0 OR s <> 0"
		    " ORDER BY %s", cmp[i].keys, cmp[i].keys);
		res = same_rows(s, cmp[i].what, &qa, &qb, built, nk + 2, &nrows,
		    e);
		if (res == 1 && i == 0) {
			struct ch_buf q = { 0 };
			struct ch_table t;

			/* sensor-days (markers too), days and months */
			if (!run(s, &q, ch_buf_printf(&q, "SELECT count(),"
			    " uniqExact(day), uniqExact(toYYYYMM(day)) FROM ") &&
			    live_sd_sql(&q, 19700101, CH_DAY_MAX, s->snap.p), 3,
			    &t, e))
				res = -1;
			else {
				if (t.nrows != 1 ||
				    !cell_i64(s, &t, 0, 0, &out->sensor_days, e) ||
				    !cell_i64(s, &t, 0, 1, &out->days, e) ||
				    !cell_i64(s, &t, 0, 2, &out->months, e))
					res = -1;
				ch_table_free(&t);
			}
		}
	}
	ch_store_snapshot_end(s);
	if (res < 0 && !e->msg[0])
		err_set(e, "%s: a malformed answer from the server", s->name);
	return res;
}
