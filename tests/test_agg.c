/* test_agg.c — exact counting of ingested events (src/ingest/agg.c) and
 * the store's ingest tables (src/store/store_ingest.c, srcset.c).
 *
 * Events are made here from a seeded generator; the expected accesses and
 * distinct sources per key, per sensor-day and per month are computed here
 * by brute force (sort and count), independently of agg.c's pair buffer
 * and of the store's bitmaps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "csv.h"
#include "err.h"
#include "srcset.h"
#include "store.h"
#include "store_ingest.h"

static char tmpdir[256];

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/talot-test-agg-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown_dir(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
tpath(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

/* ---- events ---- */

struct ev {
	int32_t day;
	uint32_t sensor;
	uint8_t proto;
	uint16_t port;
	char cc[3];
	int family;
	uint8_t src[16];
};

static uint64_t rng_state;

static uint32_t
rnd(void)
{
	rng_state = rng_state * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return (uint32_t)(rng_state >> 33);
}

static const char *const names[] = { "s01", "s02", "s03" };

/* n events over days 20240530..20240602, 3 sensors, a few ports and
 * countries, sources drawn from a pool (so that they repeat), a tenth
 * IPv6. */
static struct ev *
make_events(size_t n, uint64_t seed)
{
	static const int32_t days[] = { 20240530, 20240531, 20240601,
		20240602 };
	static const uint16_t ports[] = { 23, 445, 8, 53, 3389 };
	static const char *const ccs[] = { "CN", "US", "JP", "ZZ" };
	struct ev *v = calloc(n, sizeof(*v));

	rng_state = seed;
	for (size_t i = 0; i < n; i++) {
		uint32_t s = rnd() % 5000;

		v[i].day = days[rnd() % 4];
		v[i].sensor = rnd() % 3;
		v[i].port = ports[rnd() % 5];
		v[i].proto = v[i].port == 8 ? 1 : v[i].port == 53 ? 17 : 6;
		memcpy(v[i].cc, ccs[s % 4], 3);
		if (s % 10 == 0) {
			v[i].family = 6;
			v[i].src[0] = 0x20;
			v[i].src[1] = 0x01;
			v[i].src[15] = (uint8_t)s;
			v[i].src[14] = (uint8_t)(s >> 8);
		} else {
			/* spread over the whole space, some in one /16 */
			uint32_t a = s % 3 == 0 ? 0x0a000000u + s :
			    s * 2654435761u;

			v[i].family = 4;
			v[i].src[0] = (uint8_t)(a >> 24);
			v[i].src[1] = (uint8_t)(a >> 16);
			v[i].src[2] = (uint8_t)(a >> 8);
			v[i].src[3] = (uint8_t)a;
		}
	}
	return v;
}

/* ---- the expectation, by brute force ---- */

struct row {
	char key[64];        /* "20240530 s01 6 23 CN" or "20240530 s01" */
	uint8_t src[17];     /* family + address */
};

static int
row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	return c ? c : memcmp(a->src, b->src, 17);
}

/* "KEY accesses sources" lines, sorted, for level 0 (cell), 1 (sensor-day)
 * or 2 (month) */
static char *
expect(const struct ev *v, size_t n, int level)
{
	struct row *r = calloc(n, sizeof(*r));
	char *out = calloc(1, n * 64 + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (level == 0)
			snprintf(r[i].key, sizeof(r[i].key), "%d %s %d %d %s",
			    v[i].day, names[v[i].sensor], v[i].proto,
			    v[i].port, v[i].cc);
		else if (level == 1)
			snprintf(r[i].key, sizeof(r[i].key), "%d %s", v[i].day,
			    names[v[i].sensor]);
		else
			snprintf(r[i].key, sizeof(r[i].key), "%d",
			    v[i].day / 100);
		r[i].src[0] = (uint8_t)v[i].family;
		memcpy(r[i].src + 1, v[i].src, 16);
	}
	qsort(r, n, sizeof(*r), row_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i, d = 0;

		for (; j < n && strcmp(r[j].key, r[i].key) == 0; j++)
			if (j == i || memcmp(r[j].src, r[j - 1].src, 17) != 0)
				d++;
		o += sprintf(o, "%s %zu %zu\n", r[i].key, j - i, d);
		i = j;
	}
	free(r);
	return out;
}

/* Sorts the lines of buf in place (byte order). */
static int
line_cmp(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static char *
sorted_lines(char *buf)
{
	size_t n = 0, len = strlen(buf);
	char **v = malloc((len + 1) * sizeof(*v)), *out = malloc(len + 2), *o;

	for (char *p = buf; *p;) {
		char *nl = strchr(p, '\n');

		v[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	qsort(v, n, sizeof(*v), line_cmp);
	o = out;
	for (size_t i = 0; i < n; i++)
		o += sprintf(o, "%s\n", v[i]);
	*o = '\0';
	free(v);
	free(buf);
	return out;
}

/* ---- agg alone ---- */

struct got {
	char *buf;
	size_t len;
	int32_t last_day;
	uint32_t last_sensor;
	uint64_t last_cell;
	bool ordered;
};

static bool
collect(void *ctx, const struct agg_cell *c, struct err *e)
{
	struct got *g = ctx;
	uint64_t cell = (uint64_t)c->proto << 32 | (uint64_t)c->port << 10 |
	    ((uint64_t)(c->cc[0] - 'A') * 26 + (uint64_t)(c->cc[1] - 'A'));

	(void)e;
	/* each key once, ascending, sources sorted and unique */
	for (size_t i = 1; i < c->n4; i++)
		assert_true(c->v4[i - 1] < c->v4[i]);
	for (size_t i = 1; i < c->n6; i++)
		assert_true(memcmp(c->v6[i - 1], c->v6[i], 16) < 0);
	if (g->len > 0 && (c->day < g->last_day || (c->day == g->last_day &&
	    (c->sensor < g->last_sensor || (c->sensor == g->last_sensor &&
	    cell <= g->last_cell)))))
		g->ordered = false;
	g->last_day = c->day;
	g->last_sensor = c->sensor;
	g->last_cell = cell;
	g->buf = realloc(g->buf, g->len + 128);
	g->len += (size_t)sprintf(g->buf + g->len, "%d %s %d %d %s %lld %zu\n",
	    c->day, names[c->sensor], c->proto, c->port, c->cc,
	    (long long)c->accesses, c->n4 + c->n6);
	return true;
}

/* A key drained twice (the buffer filled in between) appears twice:
 * sum accesses, union sources — here the test only checks what one drain
 * gives, with buffers large enough. */
static void
test_agg_exact(void **state)
{
	size_t n = 20000;
	struct ev *v = make_events(n, 7);
	struct agg *a = agg_create(0, 0);
	struct got g = { NULL, 0, 0, 0, 0, true };
	struct err e = { "" };
	char *want = sorted_lines(expect(v, n, 0));

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_true(agg_add(a, v[i].day, v[i].sensor, v[i].proto,
		    v[i].port, v[i].cc, v[i].family, v[i].src));
	assert_false(agg_full(a));
	assert_true(agg_drain(a, collect, &g, &e));
	assert_true(g.ordered);
	g.buf = realloc(g.buf, g.len + 1);
	g.buf[g.len] = '\0';
	g.buf = sorted_lines(g.buf);
	assert_string_equal(g.buf, want);
	/* a drain forgets the keys */
	free(g.buf);
	memset(&g, 0, sizeof(g));
	assert_true(agg_drain(a, collect, &g, &e));
	assert_int_equal(g.len, 0);
	free(g.buf);
	free(want);
	free(v);
	agg_destroy(a);
}

static void
test_agg_full(void **state)
{
	struct agg *a = agg_create(16, 4);
	uint8_t src[16] = { 10, 0, 0, 1 };
	size_t n;
	const struct agg_sensor_day *sd;

	(void)state;
	for (int k = 0; k < 4; k++)
		assert_true(agg_add(a, 20240601, 0, 6, (uint16_t)k, "CN", 4,
		    src));
	assert_true(agg_full(a));    /* 4 keys */
	assert_false(agg_add(a, 20240601, 0, 6, 9, "CN", 4, src));
	assert_true(agg_exclude(a, 20240602, 1));
	sd = agg_sensor_days(a, &n);
	assert_int_equal(n, 2);
	assert_int_equal(sd[0].events, 4);
	assert_int_equal(sd[1].excluded, 1);
	assert_int_equal(sd[1].events, 0);
	agg_destroy(a);
}

/* ---- srcset ---- */

static void
test_srcset(void **state)
{
	struct srcset a, b;
	uint32_t v4a[] = { 5, 1, 70000, 1u << 31 }, v4b[] = { 1, 2, 70000 };
	uint8_t v6a[2][16] = { { 0x20, 1 }, { 0x20, 2 } },
	    v6b[2][16] = { { 0x20, 2 }, { 0x20, 3 } };
	uint8_t *blob, bad[8] = { 1, 20, 0 };
	size_t len;

	(void)state;
	srcset_init(&a);
	srcset_init(&b);
	assert_int_equal(srcset_count(&a), 0);
	assert_true(srcset_add(&a, v4a, 4, (const uint8_t (*)[16])v6a, 2));
	assert_int_equal(srcset_count(&a), 6);
	blob = srcset_encode(&a, &len);
	assert_non_null(blob);
	assert_true(srcset_add(&b, v4b, 3, (const uint8_t (*)[16])v6b, 2));
	assert_true(srcset_add_blob(&b, blob, len));
	/* {1,2,5,70000,2^31} and {20 01, 20 02, 20 03} */
	assert_int_equal(srcset_count(&b), 8);
	free(blob);
	/* malformed blobs are refused */
	assert_false(srcset_add_blob(&b, bad, sizeof(bad)));
	assert_false(srcset_add_blob(&b, bad, 0));
	bad[0] = 9;
	assert_false(srcset_add_blob(&b, bad, 2));
	assert_int_equal(srcset_count(&b), 8);
	srcset_finish(&a);
	srcset_finish(&b);
}

/* ---- through the store ---- */

struct run {
	struct store_ingest *in;
};

static bool
to_store(void *ctx, const struct agg_cell *c, struct err *e)
{
	struct run *r = ctx;
	struct store_ingest_cell sc;

	memset(&sc, 0, sizeof(sc));
	sc.day = c->day;
	sc.sensor = names[c->sensor];
	sc.proto = c->proto;
	sc.port = c->port;
	memcpy(sc.cc, c->cc, 3);
	sc.accesses = c->accesses;
	sc.v4 = c->v4;
	sc.n4 = c->n4;
	sc.v6 = c->v6;
	sc.n6 = c->n6;
	return store_ingest_cell(r->in, &sc, e);
}

/* Ingests v[0..n) in one run with a pair buffer of max_pairs; commit or
 * not. */
static bool
ingest(const char *db, const struct ev *v, size_t n, size_t max_pairs,
    bool commit, struct err *e)
{
	struct store *s = store_open(db, STORE_WRITE, e);
	struct store_ingest *in = s ? store_ingest_begin(s, e) : NULL;
	struct agg *a = agg_create(max_pairs, 0);
	struct run r = { in };
	struct store_ingest_summary sum;
	const struct agg_sensor_day *sd;
	size_t nsd, seen = 0;
	bool ok = in != NULL;

	for (size_t i = 0; ok && i < n; i++) {
		if (agg_full(a))
			ok = agg_drain(a, to_store, &r, e);
		ok = ok && agg_add(a, v[i].day, v[i].sensor, v[i].proto,
		    v[i].port, v[i].cc, v[i].family, v[i].src);
		if (ok && agg_nsensor_days(a) > seen) {
			sd = agg_sensor_days(a, &nsd);
			ok = store_ingest_sensor_day(in, sd[seen].day,
			    names[sd[seen].sensor], e);
			seen++;
		}
	}
	ok = ok && agg_drain(a, to_store, &r, e);
	sd = agg_sensor_days(a, &nsd);
	for (size_t i = 0; ok && i < nsd; i++)
		ok = store_ingest_note(in, sd[i].day, names[sd[i].sensor],
		    sd[i].excluded, "Test-Country", 1717200000, e);
	if (ok && commit) {
		ok = store_ingest_commit(in, &sum, e);
		if (ok)
			import_summary_finish(&sum.import);
	}
	store_ingest_destroy(in);
	agg_destroy(a);
	store_close(s);
	return ok;
}

/* The store's sensor-day rows as "DAY SENSOR accesses sources" lines, and
 * every cell of detail as "DAY SENSOR PROTO PORT CC accesses sources",
 * read with the sqlite3 shell of the test. */
static char *
dump(const char *db, const char *sql)
{
	char cmd[1024];
	FILE *p;
	char *buf = calloc(1, 1 << 22);
	size_t n;

	snprintf(cmd, sizeof(cmd), "sqlite3 -list -separator ' ' '%s' \"%s\"",
	    db, sql);
	p = popen(cmd, "r");
	n = fread(buf, 1, (1 << 22) - 1, p);
	buf[n] = '\0';
	pclose(p);
	return buf;
}

static const char cells_sql[] =
    "SELECT c.day, s.name, c.proto, c.port, c.cc, c.accesses, c.sources"
    " FROM ingest_cell c JOIN sensor s ON s.id=c.sensor"
    " ORDER BY c.day, s.name, c.proto, c.port, c.cc";
static const char days_sql[] =
    "SELECT d.day, s.name, sd.accesses, d.sources FROM ingest_day d"
    " JOIN sensor s ON s.id=d.sensor JOIN sensor_day sd"
    " ON sd.day=d.day AND sd.sensor=d.sensor ORDER BY d.day, s.name";

static void
test_store_runs(void **state)
{
	size_t n = 30000;
	struct ev *v = make_events(n, 11);
	struct err e = { "" };
	const char *one = tpath("one.db"), *many = tpath("many.db");
	char *want_cells = sorted_lines(expect(v, n, 0)),
	    *want_days = sorted_lines(expect(v, n, 1)),
	    *want_months = expect(v, n, 2);
	char *c1, *c2, *d1;
	struct store *s;
	struct store_ingest_month *m;
	size_t nm;
	int64_t checked;

	(void)state;
	/* one run, and the same events in five runs with tiny buffers (many
	 * drains per run) */
	assert_true(ingest(one, v, n, 0, true, &e));
	for (int k = 0; k < 5; k++)
		assert_true(ingest(many, v + k * (n / 5), n / 5, 333, true, &e));
	c1 = sorted_lines(dump(one, cells_sql));
	c2 = sorted_lines(dump(many, cells_sql));
	assert_string_equal(c1, want_cells);
	assert_string_equal(c2, want_cells);
	d1 = sorted_lines(dump(many, days_sql));
	assert_string_equal(d1, want_days);
	free(c1);
	free(c2);
	free(d1);
	/* the month's unique sources */
	s = store_open(many, STORE_READ, &e);
	assert_non_null(s);
	assert_true(store_ingest_months(s, &m, &nm, &e));
	assert_int_equal(nm, 2);
	{
		char got[256];

		snprintf(got, sizeof(got), "%d %lld %lld\n%d %lld %lld\n",
		    m[0].month, 0LL, (long long)m[0].unique_sources,
		    m[1].month, 0LL, (long long)m[1].unique_sources);
		/* the accesses column of the expectation is not read here */
		{
			char w[256];
			int m0, m1;
			long long a0, a1, u0, u1;

			assert_int_equal(sscanf(want_months, "%d %lld %lld\n%d %lld %lld",
			    &m0, &a0, &u0, &m1, &a1, &u1), 6);
			snprintf(w, sizeof(w), "%d 0 %lld\n%d 0 %lld\n", m0, u0,
			    m1, u1);
			assert_string_equal(got, w);
		}
	}
	assert_string_equal(m[0].geoip[0].type, "Test-Country");
	assert_int_equal(m[0].sensor_days, 6);
	store_ingest_months_free(m, nm);
	assert_int_equal(store_ingest_check(s, &checked, &e), 1);
	assert_int_equal(checked, 12);
	{
		struct store_check sc;

		assert_int_equal(store_check(s, &sc, &e), 1);
	}
	store_close(s);
	free(want_cells);
	free(want_days);
	free(want_months);
	free(v);
}

/* A run that fails before its commit leaves the store as it was. */
static void
test_store_failed_run(void **state)
{
	size_t n = 5000;
	struct ev *v = make_events(n, 3);
	struct err e = { "" };
	const char *db = tpath("fail.db");
	char *before, *after;

	(void)state;
	assert_true(ingest(db, v, n / 2, 0, true, &e));
	before = dump(db, cells_sql);
	assert_true(ingest(db, v + n / 2, n / 2, 100, false, &e));
	after = dump(db, cells_sql);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(v);
}

/* CSV and ingest never meet in one sensor-day, in either order. */
static void
test_mixing(void **state)
{
	const char *db = tpath("mix.db");
	struct err e = { "" };
	struct store *s;
	struct store_import *im;
	struct csv_row row;
	struct import_summary sum;
	struct ev ev[1];

	(void)state;
	memset(&row, 0, sizeof(row));
	row.day = 20240601;
	snprintf(row.sensor, sizeof(row.sensor), "s01");
	row.proto = 6;
	row.port = 23;
	memcpy(row.cc, "CN", 3);
	row.accesses = 3;
	row.sources = 1;
	s = store_open(db, STORE_WRITE, &e);
	im = store_import_begin(s, &e);
	assert_int_equal(store_import_row(im, &row, &e), 1);
	assert_true(store_import_commit(im, &sum, &e));
	import_summary_finish(&sum);
	store_import_destroy(im);
	store_close(s);
	/* packets for the CSV sensor-day: refused */
	memset(ev, 0, sizeof(ev));
	ev[0].day = 20240601;
	ev[0].sensor = 0;
	ev[0].proto = 6;
	ev[0].port = 23;
	memcpy(ev[0].cc, "CN", 3);
	ev[0].family = 4;
	ev[0].src[0] = 1;
	assert_false(ingest(db, ev, 1, 0, true, &e));
	assert_non_null(strstr(e.msg, "2024-06-01, sensor s01"));
	assert_non_null(strstr(e.msg, "CSV"));
	/* another sensor-day: fine; then CSV for it: refused */
	ev[0].day = 20240602;
	assert_true(ingest(db, ev, 1, 0, true, &e));
	s = store_open(db, STORE_WRITE, &e);
	im = store_import_begin(s, &e);
	row.day = 20240602;
	assert_int_equal(store_import_row(im, &row, &e), 0);
	assert_non_null(strstr(e.msg, "ingested from packets"));
	store_import_destroy(im);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agg_exact),
		cmocka_unit_test(test_agg_full),
		cmocka_unit_test(test_srcset),
		cmocka_unit_test(test_store_runs),
		cmocka_unit_test(test_store_failed_run),
		cmocka_unit_test(test_mixing),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
