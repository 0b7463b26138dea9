/* test_store.c — the SQLite store: import transactions, rollups, reading,
 * and refusing files that are not (or no longer) talot stores.
 *
 * What the store hands back is compared, as sorted text, with the same
 * figures computed here from the rows the test imported (the sensor-day is
 * the unit of replacement, SPEC §3).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "err.h"
#include "model.h"
#include "store.h"

#define PE15 INT64_C(1000000000000000)

/* ---- temp dir ---- */

static char tmpdir[256];
static char dbpath[300];  /* tmpdir/t.db */

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/talot-test-store-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/t.db", tmpdir);
	return 0;
}

static int
teardown_dir(void **state)
{
	char cmd[300];

	(void)state;
	chmod(tmpdir, 0700);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
tpath(const char *name)
{
	static char buf[32][512];
	static int k;

	k = (k + 1) % 32;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t r = fread(buf + n, 1, cap - n, f);

		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void
spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static bool
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* ---- rows ---- */

static struct csv_row
R(int32_t day, const char *sensor, int proto, int port, const char *cc,
    int64_t a, int64_t s)
{
	struct csv_row r;

	memset(&r, 0, sizeof(r));
	r.day = day;
	snprintf(r.sensor, sizeof(r.sensor), "%s", sensor);
	r.proto = (uint8_t)proto;
	r.port = (uint16_t)port;
	snprintf(r.cc, sizeof(r.cc), "%s", cc);
	r.accesses = a;
	r.sources = s;
	return r;
}

static struct csv_row
MK(int32_t day, const char *sensor)
{
	struct csv_row r;

	memset(&r, 0, sizeof(r));
	r.day = day;
	snprintf(r.sensor, sizeof(r.sensor), "%s", sensor);
	r.marker = true;
	return r;
}

enum { IMP_OK = 1, IMP_ROW = 0, IMP_FATAL = -1, IMP_COMMIT = -2,
	IMP_BEGIN = -3, IMP_OPEN = -4 };

/* Imports rows into db in one transaction.  Returns IMP_*; msg gets the
 * first error. */
static int
import_rows(const char *db, const struct csv_row *rows, size_t n,
    struct import_summary *sum, char *msg, size_t msglen)
{
	struct err e = { "" };
	struct store *s = store_open(db, STORE_WRITE, &e);
	struct store_import *im;
	struct import_summary dummy;
	int res = IMP_OK;

	if (msg != NULL)
		msg[0] = '\0';
	if (sum == NULL)
		sum = &dummy;
	if (s == NULL) {
		if (msg != NULL)
			snprintf(msg, msglen, "%s", e.msg);
		return IMP_OPEN;
	}
	im = store_import_begin(s, &e);
	if (im == NULL) {
		res = IMP_BEGIN;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = store_import_row(im, &rows[i], &e);

		if (rc == 1)
			continue;
		res = rc == 0 ? IMP_ROW : IMP_FATAL;
		break;
	}
	if (res == IMP_OK) {
		/* the months kept in a buffer of the test's, so that callers
		 * need not free them */
		static int32_t months[4096];
		struct import_summary got;

		if (!store_import_commit(im, &got, &e))
			res = IMP_COMMIT;
		else {
			assert_true(got.nmonths <= 4096);
			if (got.nmonths > 0)
				memcpy(months, got.months,
				    got.nmonths * sizeof(*months));
			*sum = got;
			sum->months = months;
			import_summary_finish(&got);
		}
	}
	store_import_destroy(im);
out:
	if (res != IMP_OK && msg != NULL)
		snprintf(msg, msglen, "%s", e.msg);
	store_close(s);
	return res;
}

static void
import_ok(const char *db, const struct csv_row *rows, size_t n,
    struct import_summary *sum)
{
	char msg[ERR_MSG_MAX];
	int rc = import_rows(db, rows, n, sum, msg, sizeof(msg));

	if (rc != IMP_OK)
		fail_msg("import failed (%d): %s", rc, msg);
}

/* ---- dumps: the store's answers and the expected ones as sorted text ---- */

struct lines {
	char **v;
	size_t n, cap;
};

static void
lines_add(struct lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
lines_add(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	l->v[l->n] = strdup(buf);
	assert_non_null(l->v[l->n]);
	l->n++;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts, joins and frees the lines. */
static char *
lines_join(struct lines *l)
{
	size_t total = 1, o = 0;
	char *out;

	if (l->n > 0)
		qsort(l->v, l->n, sizeof(*l->v), strp_cmp);
	for (size_t i = 0; i < l->n; i++)
		total += strlen(l->v[i]) + 1;
	out = malloc(total);
	assert_non_null(out);
	for (size_t i = 0; i < l->n; i++) {
		size_t k = strlen(l->v[i]);

		memcpy(out + o, l->v[i], k);
		o += k;
		out[o++] = '\n';
		free(l->v[i]);
	}
	out[o] = '\0';
	free(l->v);
	memset(l, 0, sizeof(*l));
	return out;
}

static char *
store_dump_open(struct store *s)
{
	struct lines l = { 0 };
	struct store_month_info *mi = NULL;
	size_t nm = 0;
	struct err e = { "" };

	if (!store_months(s, &mi, &nm, &e))
		fail_msg("store_months: %s", e.msg);
	for (size_t i = 0; i < nm; i++) {
		month_t m = month_make(mi[i].month / 100, mi[i].month % 100);
		struct month_data d;
		struct month_input in;

		lines_add(&l, "M %06d sensors=%d N=%lld A=%lld S=%lld first=%d last=%d",
		    (int)mi[i].month, mi[i].sensors,
		    (long long)mi[i].sensor_days, (long long)mi[i].accesses,
		    (long long)mi[i].sources, mi[i].first_day, mi[i].last_day);
		if (!store_month_data(s, m, &d, &e))
			fail_msg("store_month_data: %s", e.msg);
		assert_int_equal(d.month, m);
		lines_add(&l, "D %06d N=%lld sensors=%d A=%lld S=%lld",
		    (int)mi[i].month, (long long)d.sensor_days, d.sensors,
		    (long long)d.total.accesses, (long long)d.total.sources);
		for (int day = 1; day <= 31; day++)
			if (d.sensors_per_day[day] != 0)
				lines_add(&l, "SPD %06d%02d %d", (int)mi[i].month, day,
				    d.sensors_per_day[day]);
		assert_int_equal(d.sensors_per_day[0], 0);
		for (size_t k = 0; k < d.nports; k++) {
			struct port_day_country *pr = NULL;
			size_t np = 0;

			assert_int_equal(d.ports[k].key.kind, KEY_PORT);
			lines_add(&l, "MP %06d %d/%d a=%lld s=%lld", (int)mi[i].month,
			    d.ports[k].key.proto, d.ports[k].key.port,
			    (long long)d.ports[k].c.accesses,
			    (long long)d.ports[k].c.sources);
			if (!store_port_day_country(s, d.ports[k].key, m, m, &pr,
			    &np, &e))
				fail_msg("store_port_day_country: %s", e.msg);
			for (size_t j = 0; j < np; j++) {
				assert_int_equal(pr[j].month, m);
				if (j > 0)
					assert_true(pr[j].day >= pr[j - 1].day);
				lines_add(&l, "PDC %d/%d %06d%02d %s a=%lld s=%lld",
				    d.ports[k].key.proto, d.ports[k].key.port,
				    (int)mi[i].month, pr[j].day, pr[j].cc,
				    (long long)pr[j].c.accesses,
				    (long long)pr[j].c.sources);
			}
			free(pr);
		}
		for (size_t k = 0; k < d.ncountries; k++) {
			assert_int_equal(d.countries[k].key.kind, KEY_COUNTRY);
			lines_add(&l, "MC %06d %s a=%lld s=%lld", (int)mi[i].month,
			    d.countries[k].key.cc,
			    (long long)d.countries[k].c.accesses,
			    (long long)d.countries[k].c.sources);
		}
		if (!store_month_input(s, m, &in, &e))
			fail_msg("store_month_input: %s", e.msg);
		assert_int_equal(in.month, m);
		/* six[5] is M itself */
		assert_int_equal(in.six[5].sensor_days, d.sensor_days);
		assert_int_equal(in.six[5].total.accesses, d.total.accesses);
		assert_int_equal(in.six[5].total.sources, d.total.sources);
		assert_int_equal(in.six[5].nports, d.nports);
		assert_int_equal(in.six[5].ncountries, d.ncountries);
		for (int k = 0; k < MODEL_MONTHS; k++)
			assert_int_equal(in.six[k].month, m - 5 + k);
		for (size_t k = 0; k < in.nday_ports; k++) {
			const struct day_cell *c = &in.day_ports[k];

			assert_true(c->day >= 1 && c->day <= 31);
			lines_add(&l, "DP %06d%02d %d/%d a=%lld s=%lld",
			    (int)mi[i].month, c->day, c->key.proto, c->key.port,
			    (long long)c->c.accesses, (long long)c->c.sources);
		}
		for (size_t k = 0; k < in.nday_countries; k++) {
			const struct day_cell *c = &in.day_countries[k];

			lines_add(&l, "DC %06d%02d %s a=%lld s=%lld",
			    (int)mi[i].month, c->day, c->key.cc,
			    (long long)c->c.accesses, (long long)c->c.sources);
		}
		month_input_finish(&in);
		month_data_finish(&d);
	}
	free(mi);
	return lines_join(&l);
}

static char *
store_dump(const char *db)
{
	struct err e = { "" };
	struct store *s = store_open(db, STORE_READ, &e);
	char *out;

	if (s == NULL)
		fail_msg("store_open(READ): %s", e.msg);
	out = store_dump_open(s);
	store_close(s);
	return out;
}

/* The expected figures of a set of rows (the store's content). */
struct ent {
	char key[96];
	int64_t a, s;
};

struct agg {
	struct ent *v;
	size_t n, cap;
};

static void
agg_add(struct agg *g, int64_t a, int64_t s, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
agg_add(struct agg *g, int64_t a, int64_t s, const char *fmt, ...)
{
	va_list ap;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
		assert_non_null(g->v);
	}
	va_start(ap, fmt);
	vsnprintf(g->v[g->n].key, sizeof(g->v[g->n].key), fmt, ap);
	va_end(ap);
	g->v[g->n].a = a;
	g->v[g->n].s = s;
	g->n++;
}

static int
ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->key, ((const struct ent *)b)->key);
}

/* Sorts and sums equal keys. */
static void
agg_merge(struct agg *g)
{
	size_t o = 0;

	if (g->n == 0)
		return;
	qsort(g->v, g->n, sizeof(*g->v), ent_cmp);
	for (size_t i = 0; i < g->n; i++) {
		if (o > 0 && strcmp(g->v[o - 1].key, g->v[i].key) == 0) {
			g->v[o - 1].a += g->v[i].a;
			g->v[o - 1].s += g->v[i].s;
		} else
			g->v[o++] = g->v[i];
	}
	g->n = o;
}

struct mstat {
	int32_t month;
	int sensors;
	int64_t n, a, s;
	int32_t first, last;
	int spd[32];
};

static char *
expect_dump(const struct csv_row *rows, size_t n)
{
	struct agg sd = { 0 }, ms = { 0 }, tr = { 0 };
	struct mstat *mv = NULL;
	size_t nm = 0;
	struct lines l = { 0 };

	for (size_t i = 0; i < n; i++) {
		const struct csv_row *r = &rows[i];
		int32_t mo = r->day / 100;

		agg_add(&sd, r->accesses, r->sources, "%08d %s", (int)r->day,
		    r->sensor);
		agg_add(&ms, 0, 0, "%06d %s", (int)mo, r->sensor);
		if (r->marker)
			continue;
		agg_add(&tr, r->accesses, r->sources, "MP %06d %d/%d", (int)mo,
		    r->proto, r->port);
		agg_add(&tr, r->accesses, r->sources, "MC %06d %s", (int)mo, r->cc);
		agg_add(&tr, r->accesses, r->sources, "DP %08d %d/%d",
		    (int)r->day, r->proto, r->port);
		agg_add(&tr, r->accesses, r->sources, "DC %08d %s", (int)r->day,
		    r->cc);
		agg_add(&tr, r->accesses, r->sources, "PDC %d/%d %08d %s",
		    r->proto, r->port, (int)r->day, r->cc);
	}
	agg_merge(&sd);
	agg_merge(&ms);
	agg_merge(&tr);
	for (size_t i = 0; i < sd.n; i++) {
		int32_t day = (int32_t)atol(sd.v[i].key), mo = day / 100;
		size_t k;

		for (k = 0; k < nm && mv[k].month != mo; k++)
			;
		if (k == nm) {
			mv = realloc(mv, (nm + 1) * sizeof(*mv));
			assert_non_null(mv);
			memset(&mv[nm], 0, sizeof(*mv));
			mv[nm].month = mo;
			mv[nm].first = day;
			mv[nm].last = day;
			nm++;
		}
		mv[k].n++;
		mv[k].a += sd.v[i].a;
		mv[k].s += sd.v[i].s;
		if (day < mv[k].first)
			mv[k].first = day;
		if (day > mv[k].last)
			mv[k].last = day;
		mv[k].spd[day % 100]++;
	}
	for (size_t i = 0; i < ms.n; i++) {
		int32_t mo = (int32_t)atol(ms.v[i].key);

		for (size_t k = 0; k < nm; k++)
			if (mv[k].month == mo)
				mv[k].sensors++;
	}
	for (size_t k = 0; k < nm; k++) {
		lines_add(&l, "M %06d sensors=%d N=%lld A=%lld S=%lld first=%d last=%d",
		    (int)mv[k].month, mv[k].sensors, (long long)mv[k].n,
		    (long long)mv[k].a, (long long)mv[k].s, (int)mv[k].first,
		    (int)mv[k].last);
		lines_add(&l, "D %06d N=%lld sensors=%d A=%lld S=%lld",
		    (int)mv[k].month, (long long)mv[k].n, mv[k].sensors,
		    (long long)mv[k].a, (long long)mv[k].s);
		for (int d = 1; d <= 31; d++)
			if (mv[k].spd[d])
				lines_add(&l, "SPD %06d%02d %d", (int)mv[k].month, d,
				    mv[k].spd[d]);
	}
	for (size_t i = 0; i < tr.n; i++)
		lines_add(&l, "%s a=%lld s=%lld", tr.v[i].key,
		    (long long)tr.v[i].a, (long long)tr.v[i].s);
	free(sd.v);
	free(ms.v);
	free(tr.v);
	free(mv);
	return lines_join(&l);
}

/* Fails with the first differing line, not two megabytes of text. */
static void
same_text(const char *got, const char *want, const char *what)
{
	const char *g = got, *w = want;
	size_t line = 1;

	while (*g != '\0' && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	if (*g == '\0' && *w == '\0')
		return;
	while (g > got && g[-1] != '\n')
		g--;
	while (w > want && w[-1] != '\n')
		w--;
	fail_msg("%s: line %zu differs:\n  got:  %.*s\n  want: %.*s", what,
	    line, (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"), w);
}

/* store_check (talot info --check) on db: the rollups agree. */
static void
rollups_agree(const char *db)
{
	struct err e = { "" };
	struct store *s = store_open(db, STORE_READ, &e);
	struct store_check c;
	int rc;

	if (s == NULL)
		fail_msg("store_open(READ): %s", e.msg);
	rc = store_check(s, &c, &e);
	store_close(s);
	if (rc != 1)
		fail_msg("store_check: %d: %s", rc, e.msg);
}

static void
check_store(const char *db, const struct csv_row *rows, size_t n)
{
	char *got = store_dump(db), *want = expect_dump(rows, n);

	same_text(got, want, "store vs rows");
	free(got);
	free(want);
	rollups_agree(db);
}

/* The store's content after importing batch over state: every sensor-day
 * in batch replaces what state holds for it. */
static struct csv_row *
apply(struct csv_row *state, size_t *n, const struct csv_row *batch,
    size_t nb)
{
	size_t o = 0;

	for (size_t i = 0; i < *n; i++) {
		bool hit = false;

		for (size_t k = 0; k < nb && !hit; k++)
			hit = batch[k].day == state[i].day &&
			    strcmp(batch[k].sensor, state[i].sensor) == 0;
		if (!hit)
			state[o++] = state[i];
	}
	state = realloc(state, (o + nb) * sizeof(*state));
	assert_non_null(state);
	memcpy(state + o, batch, nb * sizeof(*batch));
	*n = o + nb;
	return state;
}

/* ---- a data set ---- */

static const struct csv_row base_rows[] = {
	/* May 2007 */
	{ 20070531, "s01", false, 6, 135, "CN", 100, 30 },
	{ 20070531, "s01", false, 6, 445, "CN", 50, 10 },
	{ 20070531, "s01", false, 17, 1026, "JP", 7, 3 },
	{ 20070531, "s02", false, 6, 135, "US", 9, 9 },
	{ 20070530, "s03", true, 0, 0, "", 0, 0 },
	/* June 2007 */
	{ 20070604, "s01", false, 6, 135, "CN", 120, 31 },
	{ 20070604, "s01", false, 6, 135, "JP", 20, 5 },
	{ 20070604, "s01", false, 1, 8, "JP", 5, 2 },
	{ 20070604, "s01", false, 17, 1026, "CN", 40, 20 },
	{ 20070604, "s01", false, 17, 1027, "ZZ", 1, 1 },
	{ 20070604, "s02", false, 6, 135, "CN", 11, 3 },
	{ 20070604, "s02", false, 6, 0, "KR", 2, 2 },
	{ 20070604, "s02", false, 17, 65535, "TW", 4, 1 },
	{ 20070605, "s07", true, 0, 0, "", 0, 0 },
	{ 20070605, "s01", false, 6, 135, "CN", 130, 33 },
	{ 20070605, "s01", false, 1, 0, "US", 3, 3 },
	{ 20070605, "s01", false, 1, 255, "US", 1, 1 },
	{ 20070630, "s02", false, 6, 445, "CN", 17, 4 },
	{ 20070630, "s02", false, 6, 445, "US", 1, 1 },
	{ 20070630, "s01", false, 6, 445, "CN", PE15, PE15 },
};
#define NBASE (sizeof(base_rows) / sizeof(*base_rows))

static void
make_store(const char *db, size_t extra)
{
	struct csv_row *rows = malloc((NBASE + extra) * sizeof(*rows));

	assert_non_null(rows);
	memcpy(rows, base_rows, sizeof(base_rows));
	for (size_t i = 0; i < extra; i++)
		rows[NBASE + i] = R(20070401 + (int32_t)(i % 30),
		    i % 3 == 0 ? "x1" : i % 3 == 1 ? "x2" : "x3", 6,
		    (int)(i % 5000), i % 2 ? "DE" : "FR", (int64_t)i + 1, 1);
	import_ok(db, rows, NBASE + extra, NULL);
	free(rows);
}

/* ---- tests ---- */

static void
test_round_trip(void **state)
{
	const char *db = dbpath;
	struct import_summary sum;
	struct store_month_info *mi = NULL;
	size_t nm = 0;
	struct err e = { "" };
	struct store *s;
	struct month_data d;

	(void)state;
	import_ok(db, base_rows, NBASE, &sum);
	assert_int_equal(sum.rows, NBASE);
	assert_int_equal(sum.sensor_days, 9);
	assert_int_equal(sum.replaced, 0);
	assert_int_equal(sum.nmonths, 2);
	assert_int_equal(sum.months[0], 200705);
	assert_int_equal(sum.months[1], 200706);
	check_store(db, base_rows, NBASE);

	/* a few figures by hand, independent of the expected-dump code */
	s = store_open(db, STORE_READ, &e);
	assert_non_null(s);
	assert_string_equal(store_path(s), db);
	assert_true(store_months(s, &mi, &nm, &e));
	assert_int_equal(nm, 2);
	assert_int_equal(mi[0].month, 200705);
	assert_int_equal(mi[0].sensors, 3);
	assert_int_equal(mi[0].sensor_days, 3);
	assert_int_equal(mi[0].accesses, 166);
	assert_int_equal(mi[0].sources, 52);
	assert_int_equal(mi[0].first_day, 20070530);
	assert_int_equal(mi[0].last_day, 20070531);
	assert_int_equal(mi[1].month, 200706);
	assert_int_equal(mi[1].sensors, 3);
	assert_int_equal(mi[1].sensor_days, 6);
	assert_int_equal(mi[1].accesses, 120 + 20 + 5 + 40 + 1 + 11 + 2 + 4 +
	    130 + 3 + 1 + 17 + 1 + PE15);
	assert_int_equal(mi[1].sources, 31 + 5 + 2 + 20 + 1 + 3 + 2 + 1 + 33 +
	    3 + 1 + 4 + 1 + PE15);
	assert_int_equal(mi[1].first_day, 20070604);
	assert_int_equal(mi[1].last_day, 20070630);
	free(mi);

	assert_true(store_month_data(s, month_make(2007, 6), &d, &e));
	assert_int_equal(d.sensor_days, 6);
	assert_int_equal(d.sensors, 3);
	assert_int_equal(d.sensors_per_day[4], 2);
	assert_int_equal(d.sensors_per_day[5], 2);
	assert_int_equal(d.sensors_per_day[6], 0);
	assert_int_equal(d.sensors_per_day[30], 2);
	for (size_t i = 0; i < d.nports; i++)
		if (d.ports[i].key.proto == 6 && d.ports[i].key.port == 135) {
			assert_int_equal(d.ports[i].c.accesses, 120 + 20 + 11 + 130);
			assert_int_equal(d.ports[i].c.sources, 31 + 5 + 3 + 33);
		}
	assert_int_equal(d.nports, 9);      /* 135,445,0/tcp 1026,1027,65535/udp 8,0,255/icmp */
	assert_int_equal(d.ncountries, 6);  /* CN JP ZZ KR TW US */
	month_data_finish(&d);
	month_data_finish(&d);              /* twice is harmless */

	/* a month without data */
	assert_true(store_month_data(s, month_make(2007, 7), &d, &e));
	assert_int_equal(d.sensor_days, 0);
	assert_int_equal(d.nports, 0);
	assert_int_equal(d.ncountries, 0);
	assert_int_equal(d.total.accesses, 0);
	month_data_finish(&d);
	store_close(s);
	store_close(NULL);
}

static void
test_port_day_country_range(void **state)
{
	const char *db = dbpath;
	struct store *s;
	struct err e = { "" };
	struct port_day_country *v = NULL;
	size_t n = 0;
	int64_t a = 0;

	(void)state;
	import_ok(db, base_rows, NBASE, NULL);
	s = store_open(db, STORE_READ, &e);
	assert_non_null(s);
	assert_true(store_port_day_country(s, key_port(6, 135),
	    month_make(2007, 5), month_make(2007, 6), &v, &n, &e));
	assert_int_equal(n, 5);  /* 05-31 CN, US; 06-04 CN, JP; 06-05 CN */
	assert_int_equal(v[0].month, month_make(2007, 5));
	assert_int_equal(v[0].day, 31);
	for (size_t i = 0; i < n; i++) {
		a += v[i].c.accesses;
		if (i > 0)
			assert_true(v[i].month > v[i - 1].month ||
			    (v[i].month == v[i - 1].month && v[i].day >= v[i - 1].day));
	}
	assert_int_equal(a, 100 + 9 + 120 + 11 + 20 + 130);
	assert_int_equal(v[n - 1].month, month_make(2007, 6));
	assert_int_equal(v[n - 1].day, 5);
	free(v);

	/* a port nobody hit */
	v = NULL;
	assert_true(store_port_day_country(s, key_port(6, 9999),
	    month_make(2007, 1), month_make(2007, 12), &v, &n, &e));
	assert_int_equal(n, 0);
	free(v);
	/* udp 135 is not tcp 135 */
	v = NULL;
	assert_true(store_port_day_country(s, key_port(17, 135),
	    month_make(2007, 1), month_make(2007, 12), &v, &n, &e));
	assert_int_equal(n, 0);
	free(v);
	store_close(s);
}

static void
test_reimport_idempotent(void **state)
{
	const char *db = dbpath;
	struct import_summary sum;
	char *first, *again;

	(void)state;
	import_ok(db, base_rows, NBASE, &sum);
	first = store_dump(db);
	import_ok(db, base_rows, NBASE, &sum);
	assert_int_equal(sum.rows, NBASE);
	assert_int_equal(sum.sensor_days, 9);
	assert_int_equal(sum.replaced, 9);
	again = store_dump(db);
	same_text(again, first, "after re-import");
	free(again);
	/* and a third time, checking against the rows */
	import_ok(db, base_rows, NBASE, &sum);
	assert_int_equal(sum.replaced, 9);
	check_store(db, base_rows, NBASE);
	free(first);
}

static void
test_zero_count_rows_reimport(void **state)
{
	/* A row with 0 accesses and 0 sources is valid (SPEC §3: counts
	 * >= 0).  Importing the same file again must not change what the
	 * store answers. */
	const struct csv_row rows[] = {
		R(20070604, "s01", 6, 135, "CN", 10, 2),
		R(20070604, "s01", 6, 80, "JP", 0, 0),
	};
	const char *db = dbpath;
	char *first, *again;

	(void)state;
	import_ok(db, rows, 2, NULL);
	first = store_dump(db);
	import_ok(db, rows, 2, NULL);
	again = store_dump(db);
	same_text(again, first, "zero-count row, after re-import");
	free(first);
	free(again);
}

static void
test_replace_sensor_day(void **state)
{
	const char *db = dbpath;
	struct csv_row *st = NULL;
	size_t n = 0;
	struct import_summary sum;
	/* replaces 06-04/s01 (fewer ports, a new port, changed counts),
	 * 06-05/s07 (marker -> traffic), 06-05/s01 (traffic -> marker),
	 * 05-31/s02 (different country), adds 06-06/s09 */
	const struct csv_row batch[] = {
		R(20070604, "s01", 6, 135, "CN", 60, 20),
		R(20070604, "s01", 6, 3389, "RU", 8, 8),
		R(20070605, "s07", 6, 135, "CN", 4, 4),
		R(20070605, "s07", 17, 1026, "CN", 40, 40),
		MK(20070605, "s01"),
		R(20070531, "s02", 6, 135, "BR", 9, 2),
		R(20070606, "s09", 6, 22, "NL", 1, 1),
	};
	const struct csv_row batch2[] = {
		/* everything on 06-04/s01 back to one row; 06-30/s01 loses
		 * its 10^15 row */
		R(20070604, "s01", 6, 135, "CN", 1, 1),
		MK(20070630, "s01"),
	};

	(void)state;
	st = apply(st, &n, base_rows, NBASE);
	import_ok(db, base_rows, NBASE, NULL);
	check_store(db, st, n);

	import_ok(db, batch, sizeof(batch) / sizeof(*batch), &sum);
	st = apply(st, &n, batch, sizeof(batch) / sizeof(*batch));
	assert_int_equal(sum.rows, 7);
	assert_int_equal(sum.sensor_days, 5);
	assert_int_equal(sum.replaced, 4);
	check_store(db, st, n);

	import_ok(db, batch2, 2, &sum);
	st = apply(st, &n, batch2, 2);
	assert_int_equal(sum.sensor_days, 2);
	assert_int_equal(sum.replaced, 2);
	check_store(db, st, n);
	free(st);
}

static void
test_replace_random(void **state)
{
	/* many rounds of random replacements against the model */
	const char *db = dbpath;
	struct csv_row *st = NULL, batch[400];
	size_t n = 0;
	static const char *const ccs[] = { "CN", "US", "JP", "KR", "ZZ", "AA" };
	static const char *const sensors[] = { "a", "b", "c", "d" };
	static const int protos[] = { 1, 6, 17 };
	uint64_t x = 88172645463325252ull;

	(void)state;
	for (int round = 0; round < 12; round++) {
		size_t nb = 0;
		int ndays = 1 + round % 4;

		for (int k = 0; k < ndays; k++) {
			int32_t day = (round % 2 ? 20070600 : 20070500) + 1 +
			    (int32_t)((x >> 7) % 28);
			const char *sen = sensors[(x >> 13) % 4];
			int nrow;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* skip a sensor-day already in this batch */
			bool dup = false;
			for (size_t j = 0; j < nb; j++)
				dup = dup || (batch[j].day == day &&
				    strcmp(batch[j].sensor, sen) == 0);
			if (dup)
				continue;
			nrow = (int)((x >> 21) % 40);
			if (nrow == 0) {
				batch[nb++] = MK(day, sen);
				continue;
			}
			for (int j = 0; j < nrow; j++) {
				int64_t a, s;

				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				a = 1 + (int64_t)(x % 1000);
				s = 1 + (int64_t)((x >> 20) % (uint64_t)a);
				/* distinct (proto, port, cc) in a sensor-day:
				 * port = j */
				batch[nb++] = R(day, sen, protos[(x >> 40) % 3], j,
				    ccs[(x >> 50) % 6], a, s);
			}
		}
		import_ok(db, batch, nb, NULL);
		st = apply(st, &n, batch, nb);
		check_store(db, st, n);
	}
	free(st);
}

static void
test_marker_only(void **state)
{
	const struct csv_row rows[] = { MK(20070605, "s07") };
	const char *db = dbpath;
	struct import_summary sum;
	struct store *s;
	struct err e = { "" };
	struct month_data d;

	(void)state;
	import_ok(db, rows, 1, &sum);
	assert_int_equal(sum.rows, 1);
	assert_int_equal(sum.sensor_days, 1);
	assert_int_equal(sum.nmonths, 1);
	assert_int_equal(sum.months[0], 200706);
	check_store(db, rows, 1);
	s = store_open(db, STORE_READ, &e);
	assert_non_null(s);
	assert_true(store_month_data(s, month_make(2007, 6), &d, &e));
	assert_int_equal(d.sensor_days, 1);
	assert_int_equal(d.sensors, 1);
	assert_int_equal(d.sensors_per_day[5], 1);
	assert_int_equal(d.total.accesses, 0);
	assert_int_equal(d.total.sources, 0);
	assert_int_equal(d.nports, 0);
	assert_int_equal(d.ncountries, 0);
	month_data_finish(&d);
	store_close(s);
}

static void
test_row_errors(void **state)
{
	const char *db = dbpath;
	char msg[ERR_MSG_MAX];
	char *before;
	const struct csv_row dup[] = {
		R(20070604, "s01", 6, 135, "CN", 1, 1),
		R(20070604, "s01", 6, 135, "CN", 2, 2),
	};
	const struct csv_row mk_then_row[] = {
		MK(20070604, "s01"),
		R(20070604, "s01", 6, 135, "CN", 1, 1),
	};
	const struct csv_row row_then_mk[] = {
		R(20070604, "s01", 6, 135, "CN", 1, 1),
		MK(20070604, "s01"),
	};
	const struct csv_row mk_twice[] = {
		MK(20070604, "s01"),
		MK(20070604, "s01"),
	};
	const struct csv_row not_dup[] = {
		R(20070604, "s01", 6, 135, "CN", 1, 1),
		R(20070604, "s01", 17, 135, "CN", 1, 1),
		R(20070604, "s01", 6, 135, "JP", 1, 1),
		R(20070604, "s02", 6, 135, "CN", 1, 1),
		R(20070605, "s01", 6, 135, "CN", 1, 1),
		R(20070604, "s01", 1, 135, "CN", 1, 1),
	};

	(void)state;
	import_ok(db, base_rows, NBASE, NULL);
	before = store_dump(db);
	assert_int_equal(import_rows(db, dup, 2, NULL, msg, sizeof(msg)),
	    IMP_ROW);
	assert_non_null(strstr(msg, "duplicate"));
	assert_non_null(strstr(msg, "2007-06-04"));
	assert_non_null(strstr(msg, "s01"));
	assert_non_null(strstr(msg, "135"));
	assert_int_equal(import_rows(db, mk_then_row, 2, NULL, msg, sizeof(msg)),
	    IMP_ROW);
	assert_non_null(strstr(msg, "'*'"));
	assert_int_equal(import_rows(db, row_then_mk, 2, NULL, msg, sizeof(msg)),
	    IMP_ROW);
	assert_non_null(strstr(msg, "'*'"));
	assert_int_equal(import_rows(db, mk_twice, 2, NULL, msg, sizeof(msg)),
	    IMP_ROW);
	assert_non_null(strstr(msg, "'*'"));
	{
		char *after = store_dump(db);

		same_text(after, before, "after refused imports");
		free(after);
	}
	free(before);
	import_ok(db, not_dup, sizeof(not_dup) / sizeof(*not_dup), NULL);
}

static void
test_destroy_without_commit(void **state)
{
	const char *db = dbpath;
	struct err e = { "" };
	struct store *s;
	struct store_import *im;
	char *before, *after, *b1, *b2;
	size_t l1, l2;
	const struct csv_row batch[] = {
		R(20070604, "s01", 6, 135, "CN", 1, 1),   /* replaces */
		R(20070620, "new", 6, 135, "CN", 5, 5),   /* adds a sensor */
		MK(20070531, "s01"),
	};

	(void)state;
	make_store(db, 3000);
	before = store_dump(db);
	b1 = slurp(db, &l1);
	assert_non_null(b1);

	s = store_open(db, STORE_WRITE, &e);
	assert_non_null(s);
	im = store_import_begin(s, &e);
	assert_non_null(im);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(store_import_row(im, &batch[i], &e), 1);
	store_import_destroy(im);
	store_import_destroy(NULL);
	/* the handle is usable again */
	im = store_import_begin(s, &e);
	assert_non_null(im);
	store_import_destroy(im);
	store_close(s);

	after = store_dump(db);
	same_text(after, before, "after destroy without commit");
	b2 = slurp(db, &l2);
	assert_non_null(b2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(b1);
	free(b2);
	free(before);
	free(after);
}

static void
test_commit_then_destroy(void **state)
{
	const char *db = dbpath;
	struct err e = { "" };
	struct store *s;
	struct store_import *im;
	struct import_summary sum;

	(void)state;
	s = store_open(db, STORE_WRITE, &e);
	assert_non_null(s);
	im = store_import_begin(s, &e);
	assert_non_null(im);
	for (size_t i = 0; i < NBASE; i++)
		assert_int_equal(store_import_row(im, &base_rows[i], &e), 1);
	assert_true(store_import_commit(im, &sum, &e));
	import_summary_finish(&sum);
	store_import_destroy(im);   /* after commit: frees, keeps the data */
	store_close(s);
	check_store(db, base_rows, NBASE);
}

static void
test_read_only_handle(void **state)
{
	const char *db = dbpath;
	struct err e = { "" };
	struct store *s;
	char *b1, *b2;
	size_t l1, l2;

	(void)state;
	make_store(db, 0);
	b1 = slurp(db, &l1);
	s = store_open(db, STORE_READ, &e);
	assert_non_null(s);
	e.msg[0] = '\0';
	assert_null(store_import_begin(s, &e));
	assert_non_null(strstr(e.msg, db));
	store_close(s);
	b2 = slurp(db, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(b1);
	free(b2);
}

static void
test_snapshot(void **state)
{
	const char *db = dbpath;
	struct err e = { "" };
	struct store *r;
	char *before, *during, *after;
	const struct csv_row batch[] = {
		R(20070604, "s01", 6, 135, "CN", 1, 1),
		R(20070611, "s05", 6, 135, "CN", 1000, 10),
	};

	(void)state;
	make_store(db, 100);
	r = store_open(db, STORE_READ, &e);
	assert_non_null(r);
	before = store_dump_open(r);
	assert_true(store_snapshot_begin(r, &e));
	import_ok(db, batch, 2, NULL);
	during = store_dump_open(r);
	same_text(during, before, "inside a snapshot, after a commit");
	store_snapshot_end(r);
	store_snapshot_end(r);          /* twice is harmless */
	after = store_dump_open(r);
	if (strcmp(after, before) == 0)
		fail_msg("the import is not seen after the snapshot ends");
	free(after);
	after = store_dump(db);
	free(before);
	before = store_dump_open(r);
	same_text(before, after, "a reader and a fresh reader");
	store_close(r);
	free(before);
	free(during);
	free(after);
}

static void
test_many_sensors_and_months(void **state)
{
	const char *db = dbpath;
	size_t n = 0;
	struct csv_row *rows = malloc(3000 * sizeof(*rows));
	struct import_summary sum;
	char name[CSV_SENSOR_MAX + 1];

	(void)state;
	assert_non_null(rows);
	/* 150 sensors (more than one allocation of names), one with a 64
	 * character name, over 14 months across a year boundary */
	for (int i = 0; i < 150; i++) {
		int mon = i % 14;
		int y = 2006 + (mon + 5) / 12, mm = (mon + 5) % 12 + 1;

		if (i == 149) {
			memset(name, 'Z', CSV_SENSOR_MAX);
			name[CSV_SENSOR_MAX] = '\0';
		} else
			snprintf(name, sizeof(name), "sensor-%03d.x_y", i);
		rows[n++] = R(y * 10000 + mm * 100 + 1 + i % 28, name, 6, 445,
		    "CN", i + 1, 1);
		rows[n++] = R(y * 10000 + mm * 100 + 1 + i % 28, name, 17, 445,
		    "CN", 2, 2);
		rows[n++] = MK(y * 10000 + mm * 100 + 2 + i % 27, name);
	}
	import_ok(db, rows, n, &sum);
	assert_int_equal(sum.rows, (int64_t)n);
	assert_int_equal(sum.sensor_days, 300);
	assert_int_equal(sum.nmonths, 14);
	for (size_t i = 1; i < sum.nmonths; i++)
		assert_true(sum.months[i] > sum.months[i - 1]);
	assert_int_equal(sum.months[0], 200606);
	assert_int_equal(sum.months[13], 200707);
	check_store(db, rows, n);
	free(rows);
}

/* ---- files that are not stores ---- */

/* Opening path must fail, in both modes, naming the file; its bytes must
 * stay as they were.  want (may be NULL) is a word of the message. */
static void
refused_file(const char *path, const char *want)
{
	size_t l1, l2;
	char *b1 = slurp(path, &l1), *b2;
	struct err e;
	struct store *s;

	assert_non_null(b1);
	for (int mode = 0; mode < 2; mode++) {
		memset(&e, 0, sizeof(e));
		s = store_open(path, mode ? STORE_WRITE : STORE_READ, &e);
		if (s != NULL) {
			/* A damaged file may open: it must then fail when read
			 * (and, writing, when imported into). */
			struct store_month_info *mi = NULL;
			size_t nm = 0;
			bool ok = store_months(s, &mi, &nm, &e);

			for (size_t i = 0; ok && i < nm; i++) {
				struct month_input in;

				ok = store_month_input(s, month_make(mi[i].month / 100,
				    mi[i].month % 100), &in, &e);
				if (ok)
					month_input_finish(&in);
			}
			free(mi);
			if (ok && mode == 1) {
				struct store_import *im = store_import_begin(s, &e);
				struct import_summary sum;

				ok = im != NULL;
				for (size_t i = 0; ok && i < NBASE; i++)
					ok = store_import_row(im, &base_rows[i], &e) == 1;
				if (ok)
					ok = store_import_commit(im, &sum, &e);
				if (ok)
					import_summary_finish(&sum);
				store_import_destroy(im);
			}
			store_close(s);
			if (ok)
				fail_msg("%s: accepted in %s mode", path,
				    mode ? "write" : "read");
		}
		if (strstr(e.msg, path) == NULL)
			fail_msg("%s: message does not name the file: '%s'", path,
			    e.msg);
		if (want != NULL && strstr(e.msg, want) == NULL)
			fail_msg("%s: message '%s' does not say '%s'", path, e.msg,
			    want);
		b2 = slurp(path, &l2);
		assert_non_null(b2);
		if (l1 != l2 || memcmp(b1, b2, l1) != 0)
			fail_msg("%s: file changed by a refused %s open", path,
			    mode ? "write" : "read");
		free(b2);
	}
	free(b1);
}

static void
fill_random(unsigned char *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
}

static void
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void
test_refuse_random_bytes(void **state)
{
	unsigned char buf[8192];

	(void)state;
	fill_random(buf, sizeof(buf), 42);
	spit(tpath("random.db"), buf, sizeof(buf));
	refused_file(tpath("random.db"), "not a talot store");
	spit(tpath("short.db"), "SQLite", 6);
	refused_file(tpath("short.db"), "not a talot store");
	{
		static const char text[] = CSV_HEADER
		    "\n2007-06-04,s01,tcp,135,CN,1,1\n";

		spit(tpath("text.db"), text, sizeof(text) - 1);
	}
	refused_file(tpath("text.db"), "not a talot store");
	/* an SQLite magic followed by garbage */
	memcpy(buf, "SQLite format 3", 16);
	spit(tpath("magic.db"), buf, sizeof(buf));
	refused_file(tpath("magic.db"), NULL);
	/* exactly the 100-byte header length, zeros after the magic */
	memset(buf, 0, 100);
	memcpy(buf, "SQLite format 3", 16);
	spit(tpath("hdr100.db"), buf, 100);
	refused_file(tpath("hdr100.db"), NULL);
}

static void
test_refuse_real_header_then_garbage(void **state)
{
	const char *db = tpath("real.db");
	size_t len;
	unsigned char *b;

	(void)state;
	make_store(db, 2000);
	b = (unsigned char *)slurp(db, &len);
	assert_non_null(b);
	assert_true(len > 8192);
	/* keep the talot header (application id, user_version), garble the
	 * rest of page 1 and everything after */
	fill_random(b + 100, len - 100, 7);
	spit(tpath("garbled.db"), b, len);
	refused_file(tpath("garbled.db"), "damaged");
	free(b);
}

static void
test_refuse_truncated(void **state)
{
	const char *db = tpath("real.db");
	size_t len;
	char *b;

	(void)state;
	make_store(db, 6000);
	b = slurp(db, &len);
	assert_non_null(b);
	assert_true(len > 65536);
	spit(tpath("half.db"), b, len / 2);
	refused_file(tpath("half.db"), "damaged");
	spit(tpath("page1.db"), b, 4096);
	refused_file(tpath("page1.db"), "damaged");
	spit(tpath("odd.db"), b, 5000);
	refused_file(tpath("odd.db"), NULL);
	spit(tpath("50.db"), b, 50);
	refused_file(tpath("50.db"), "not a talot store");
	free(b);
}

static void
test_refuse_foreign_sqlite(void **state)
{
	(void)state;
	sh("sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'",
	    tpath("foreign.db"));
	refused_file(tpath("foreign.db"), "not a talot store");
	/* a foreign file with our table names but no application id */
	sh("sqlite3 '%s' 'CREATE TABLE sensor(id INTEGER PRIMARY KEY, name TEXT);'",
	    tpath("foreign2.db"));
	refused_file(tpath("foreign2.db"), "not a talot store");
	/* another application's id */
	sh("sqlite3 '%s' 'PRAGMA application_id=1234; CREATE TABLE t(x);'",
	    tpath("foreign3.db"));
	refused_file(tpath("foreign3.db"), "not a talot store");
	/* only a user_version, no tables */
	sh("sqlite3 '%s' 'PRAGMA user_version=3;'", tpath("foreign4.db"));
	refused_file(tpath("foreign4.db"), NULL);
}

static void
test_refuse_newer_and_damaged_schema(void **state)
{
	const char *db = dbpath;
	const char *db2 = tpath("t2.db");

	(void)state;
	make_store(db, 10);
	sh("sqlite3 '%s' 'PRAGMA user_version=9'", db);
	refused_file(db, "newer");
	{
		struct err e = { "" };

		assert_null(store_open(db, STORE_READ, &e));
		assert_non_null(strstr(e.msg, "9"));
	}
	make_store(db2, 10);
	sh("sqlite3 '%s' 'DROP TABLE month_port'", db2);
	refused_file(db2, "month_port");
	make_store(tpath("t3.db"), 10);
	sh("sqlite3 '%s' 'PRAGMA user_version=0'", tpath("t3.db"));
	refused_file(tpath("t3.db"), "damaged");
}

static void
test_store_paths(void **state)
{
	struct err e = { "" };
	struct store *s;
	const char *missing = tpath("missing.db");
	char deep[512];

	(void)state;
	/* reading a missing file: refused, not created */
	assert_null(store_open(missing, STORE_READ, &e));
	assert_non_null(strstr(e.msg, missing));
	assert_false(exists(missing));

	/* an empty path: SQLite would make a temporary database */
	e.msg[0] = '\0';
	assert_null(store_open("", STORE_WRITE, &e));
	assert_non_null(strstr(e.msg, "empty"));
	assert_null(store_open("", STORE_READ, &e));

	/* writing under a folder that does not exist */
	snprintf(deep, sizeof(deep), "%s/no/such/dir/t.db", tmpdir);
	e.msg[0] = '\0';
	assert_null(store_open(deep, STORE_WRITE, &e));
	assert_non_null(strstr(e.msg, deep));
	assert_null(store_open(deep, STORE_READ, &e));
	assert_non_null(strstr(e.msg, deep));

	/* a directory is not a store */
	e.msg[0] = '\0';
	assert_null(store_open(tmpdir, STORE_WRITE, &e));
	assert_non_null(strstr(e.msg, tmpdir));
	assert_null(store_open(tmpdir, STORE_READ, &e));

	/* a file where a folder should be */
	spit(tpath("plain"), "x", 1);
	snprintf(deep, sizeof(deep), "%s/plain/t.db", tmpdir);
	e.msg[0] = '\0';
	assert_null(store_open(deep, STORE_WRITE, &e));
	assert_non_null(strstr(e.msg, deep));

	/* an empty file is initialised for writing */
	spit(tpath("empty.db"), "", 0);
	s = store_open(tpath("empty.db"), STORE_WRITE, &e);
	if (s == NULL)
		fail_msg("empty file: %s", e.msg);
	store_close(s);
	s = store_open(tpath("empty.db"), STORE_READ, &e);
	assert_non_null(s);
	store_close(s);

	/* a fresh store reads as empty */
	s = store_open(tpath("fresh.db"), STORE_WRITE, &e);
	assert_non_null(s);
	store_close(s);
	{
		char *d = store_dump(tpath("fresh.db"));

		assert_string_equal(d, "");
		free(d);
	}

	/* a read-only folder: root is not stopped by modes */
	if (geteuid() != 0) {
		char ro[512], f[600];

		snprintf(ro, sizeof(ro), "%s/ro", tmpdir);
		assert_int_equal(mkdir(ro, 0500), 0);
		snprintf(f, sizeof(f), "%s/t.db", ro);
		e.msg[0] = '\0';
		assert_null(store_open(f, STORE_WRITE, &e));
		assert_non_null(strstr(e.msg, f));
		assert_false(exists(f));
		chmod(ro, 0700);
	}
}

/* ---- counts near 2^63 ---- */

static void
expect_refused_unchanged(const char *db, const struct csv_row *rows,
    size_t n, const char *what)
{
	char *before = store_dump(db), *after;
	size_t l1, l2;
	char *b1 = slurp(db, &l1), *b2;
	char msg[ERR_MSG_MAX];
	int rc = import_rows(db, rows, n, NULL, msg, sizeof(msg));

	if (rc == IMP_OK)
		fail_msg("%s: accepted", what);
	if (strstr(msg, "too large") == NULL && strstr(msg, "2^63") == NULL)
		fail_msg("%s: unexpected message '%s'", what, msg);
	after = store_dump(db);
	same_text(after, before, what);
	b2 = slurp(db, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(before);
	free(after);
	free(b1);
	free(b2);
}

static void
test_huge_counts(void **state)
{
	const char *db = dbpath;
	size_t n = 10000;
	struct csv_row *rows = malloc(n * sizeof(*rows));
	static const char *const ccs[] = { "CN", "US", "JP", "KR", "TW", "DE",
		"FR", "BR", "RU", "NL", "GB", "IN", "ZZ" };

	(void)state;
	assert_non_null(rows);
	make_store(db, 10);

	/* one sensor-day: 10,000 ports at 10^15 each = 10^19 > 2^63 */
	for (size_t i = 0; i < n; i++)
		rows[i] = R(20070610, "big", 6, (int)i, ccs[i % 13], PE15, 1);
	expect_refused_unchanged(db, rows, n, "sensor-day sum over 2^63");

	/* one port over a month: 10,000 sensor-days */
	for (size_t i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "b%zu", i / 30);
		rows[i] = R(20070601 + (int32_t)(i % 30), name, 6, 445,
		    ccs[i % 13], PE15, PE15);
	}
	expect_refused_unchanged(db, rows, n, "month-port sum over 2^63");

	/* one country over a month, spread over ports */
	for (size_t i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%zu", i / 300);
		rows[i] = R(20070601 + (int32_t)(i % 30), name, 6,
		    (int)(i % 10000), "CN", PE15, 1);
	}
	expect_refused_unchanged(db, rows, n, "month-country sum over 2^63");

	/* every port, country, day and sensor-day stays below 2^63, but the
	 * month's total A(M) is 10^19 */
	for (size_t i = 0; i < n; i++) {
		char name[16], cc[3];

		snprintf(name, sizeof(name), "d%zu", i / 300);
		cc[0] = (char)('A' + i % 26);
		cc[1] = (char)('A' + (i / 26) % 26);
		cc[2] = '\0';
		rows[i] = R(20070601 + (int32_t)(i % 30), name, 6,
		    (int)(i % 10000), cc, PE15, 1);
	}
	expect_refused_unchanged(db, rows, n, "monthly total over 2^63");
	free(rows);
}

static void
test_huge_counts_two_imports(void **state)
{
	/* 5×10^18 on 445/tcp in June, then 5×10^18 more on other
	 * sensor-days: the second import is refused, the first stays */
	const char *db = dbpath;
	size_t n = 5000;
	struct csv_row *rows = malloc(n * sizeof(*rows));

	(void)state;
	assert_non_null(rows);
	for (size_t i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "e%zu", i / 30);
		rows[i] = R(20070601 + (int32_t)(i % 30), name, 6, 445, "CN", PE15,
		    PE15);
	}
	import_ok(db, rows, n, NULL);
	check_store(db, rows, n);
	for (size_t i = 0; i < n; i++)
		rows[i].sensor[0] = 'f';
	expect_refused_unchanged(db, rows, n, "second import over 2^63");
	free(rows);
}

/* ---- import order and scale (issue 15, item 12) ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
import_timed(const char *db, const struct csv_row *rows, size_t n)
{
	double t0 = now_s();

	import_ok(db, rows, n, NULL);
	return now_s() - t0;
}

static const char *const ccs[] = { "CN", "US", "JP", "KR", "TW", "DE", "FR",
	"BR", "RU", "IN" };

enum { ORD_DAYS = 3, ORD_SENSORS = 12, ORD_PORTS = 400, ORD_CCS = 10,
	ORD_ROWS = ORD_DAYS * ORD_SENSORS * ORD_PORTS * ORD_CCS };

/* Row i of the order test in file order: day, sensor, port, country. */
static struct csv_row
ord_row(size_t i)
{
	size_t cc = i % ORD_CCS, port = i / ORD_CCS % ORD_PORTS,
	    sen = i / (ORD_CCS * ORD_PORTS) % ORD_SENSORS,
	    day = i / (ORD_CCS * ORD_PORTS * ORD_SENSORS);
	char name[16];

	snprintf(name, sizeof(name), "s%02zu", sen);
	return R(20070601 + (int32_t)day, name, port % 3 == 0 ? 17 : 6,
	    (int)(port * 37 % 65536), ccs[cc], (int64_t)(i % 1000 + 10),
	    (int64_t)(i % 7 + 1));
}

static void
test_import_order_independent(void **state)
{
	struct csv_row *file = malloc(ORD_ROWS * sizeof(*file)),
	    *inter = malloc(ORD_ROWS * sizeof(*inter)),
	    *shuf = malloc(ORD_ROWS * sizeof(*shuf));
	char *d1, *d2, *d3, *d4;
	double tf, ti, ts;
	size_t k = 0;
	uint64_t x = 12345;

	(void)state;
	assert_non_null(file);
	assert_non_null(inter);
	assert_non_null(shuf);
	/* more rows than one flush holds (FLUSH_AT in store.c), so that
	 * sensor-days are written, then continued after a flush */
	assert_true(ORD_ROWS > (1 << 17));
	for (size_t i = 0; i < ORD_ROWS; i++)
		file[i] = shuf[i] = ord_row(i);
	/* interleaved: by day, port, country, then sensor (as an aggregation
	 * engine's GROUP BY ... ORDER BY would give) */
	for (size_t day = 0; day < ORD_DAYS; day++)
		for (size_t p = 0; p < ORD_PORTS * ORD_CCS; p++)
			for (size_t sen = 0; sen < ORD_SENSORS; sen++)
				inter[k++] = ord_row(((day * ORD_SENSORS + sen) *
				    ORD_PORTS * ORD_CCS) + p);
	assert_int_equal(k, ORD_ROWS);
	for (size_t i = ORD_ROWS - 1; i > 0; i--) {
		size_t j;
		struct csv_row t;

		x = x * UINT64_C(6364136223846793005) + 1442695040888963407u;
		j = (size_t)(x >> 33) % (i + 1);
		t = shuf[i];
		shuf[i] = shuf[j];
		shuf[j] = t;
	}
	tf = import_timed(tpath("file.db"), file, ORD_ROWS);
	ti = import_timed(tpath("inter.db"), inter, ORD_ROWS);
	ts = import_timed(tpath("shuf.db"), shuf, ORD_ROWS);
	/* the same rows again, interleaved, replace every sensor-day */
	import_ok(tpath("file.db"), inter, ORD_ROWS, NULL);
	d1 = store_dump(tpath("file.db"));
	d2 = store_dump(tpath("inter.db"));
	d3 = store_dump(tpath("shuf.db"));
	import_ok(tpath("one.db"), file, ORD_ROWS / 2, NULL);
	import_ok(tpath("one.db"), file + ORD_ROWS / 2, ORD_ROWS / 2, NULL);
	d4 = store_dump(tpath("one.db"));
	assert_string_equal(d1, d2);
	assert_string_equal(d1, d3);
	assert_string_equal(d1, d4);
	rollups_agree(tpath("file.db"));
	rollups_agree(tpath("inter.db"));
	rollups_agree(tpath("shuf.db"));
	/* linear in any order: was ×100 slower interleaved (quadratic) */
	if (ti > 4 * tf + 2 || ts > 4 * tf + 2)
		fail_msg("import time depends on row order: file order %.2f s, "
		    "interleaved %.2f s, shuffled %.2f s", tf, ti, ts);
	free(d1);
	free(d2);
	free(d3);
	free(d4);
	free(file);
	free(inter);
	free(shuf);
}

/* A duplicate key whose first row was written in an earlier flush. */
static void
test_duplicate_across_flush(void **state)
{
	size_t n = (1 << 17) + 2000, k = 0;
	struct csv_row *rows = malloc(n * sizeof(*rows));
	char msg[ERR_MSG_MAX];
	int rc;

	(void)state;
	assert_non_null(rows);
	rows[k++] = R(20070601, "dup", 6, 80, "JP", 5, 1);
	while (k < n - 1) {
		char name[16];

		snprintf(name, sizeof(name), "f%zu", k % 50);
		rows[k] = R(20070602, name, 6, (int)(k / 50 % 65536),
		    ccs[k / 50 / 65536], 1, 1);
		k++;
	}
	rows[k++] = R(20070601, "dup", 6, 80, "JP", 7, 1);
	rc = import_rows(dbpath, rows, n, NULL, msg, sizeof(msg));
	assert_true(rc == IMP_FATAL || rc == IMP_ROW || rc == IMP_COMMIT);
	if (strstr(msg, "duplicate key: 2007-06-01,dup,tcp,80,JP") == NULL)
		fail_msg("unexpected message: %s", msg);
	free(rows);
}

static void
test_many_sensors_fast(void **state)
{
	size_t n = 100000;
	struct csv_row *rows = malloc(n * sizeof(*rows)),
	    *one = malloc(n * sizeof(*one));
	struct import_summary sum;
	double tmany, tone;

	(void)state;
	assert_non_null(rows);
	assert_non_null(one);
	for (size_t i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "s%06zu", i);
		rows[i] = R(20070601, name, 6, 80, "JP", 3, 1);
		one[i] = R(20070601, "s", 6, (int)(i % 65536),
		    i < 65536 ? "JP" : "CN", 3, 1);
	}
	tone = import_timed(tpath("one.db"), one, n);
	{
		double t0 = now_s();

		import_ok(dbpath, rows, n, &sum);
		tmany = now_s() - t0;
	}
	assert_int_equal(sum.sensor_days, (int64_t)n);
	/* was 22 s: a linear search of the sensor names */
	if (tmany > 10 * tone + 2)
		fail_msg("100,000 sensors: %.2f s, one sensor: %.2f s", tmany,
		    tone);
	free(rows);
	free(one);
}

/* The monthly rollups are flushed on their own, apart from the sensor-days
 * and the daily rollups: more (month, port) keys than one flush holds
 * (FLUSH_AT in store.c), in shuffled order, then one sensor replaced on
 * every day by a second import (whose subtractions alone overflow a flush).
 * Every monthly sum must equal the one computed here from the rows. */
enum { MF_PORTS = 24000, MF_MONTHS = 3 };

static int64_t
mf_accesses(int pass, size_t m, size_t sen, int proto, size_t port)
{
	return pass == 1 ? (int64_t)(1 + port % 97 + m + sen + (proto == 17)) :
	    (int64_t)(2 + port % 89);
}

static void
mf_shuffle(struct csv_row *v, size_t n, uint64_t x)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j;
		struct csv_row t;

		x = x * UINT64_C(6364136223846793005) + 1442695040888963407u;
		j = (size_t)(x >> 33) % (i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void
test_month_rollups_flushed_apart(void **state)
{
	size_t n1 = MF_MONTHS * 2 * 2 * MF_PORTS, n2 = MF_MONTHS * 2 * (MF_PORTS / 2);
	struct csv_row *r1 = malloc(n1 * sizeof(*r1)), *r2 = malloc(n2 * sizeof(*r2));
	int64_t (*want)[2][MF_PORTS][2] = calloc(MF_MONTHS, sizeof(*want));
	size_t k1 = 0, k2 = 0;
	struct err e = { "" };
	struct store *s;

	(void)state;
	assert_non_null(r1);
	assert_non_null(r2);
	assert_non_null(want);
	for (size_t m = 0; m < MF_MONTHS; m++)
		for (int pi = 0; pi < 2; pi++)
			for (size_t port = 0; port < MF_PORTS; port++) {
				int proto = pi ? 17 : 6;
				int32_t day = 20070105 + (int32_t)m * 100;

				for (size_t sen = 0; sen < 2; sen++) {
					int64_t a = mf_accesses(1, m, sen, proto, port);

					r1[k1++] = R(day, sen ? "b" : "a", proto,
					    (int)port, "JP", a, 1 + a / 3);
					if (sen == 1) {   /* b stays */
						want[m][pi][port][0] += a;
						want[m][pi][port][1] += 1 + a / 3;
					}
				}
				if (port < MF_PORTS / 2) {  /* a is replaced */
					int64_t a = mf_accesses(2, m, 0, proto, port);

					r2[k2++] = R(day, "a", proto, (int)port, "CN",
					    a, 1);
					want[m][pi][port][0] += a;
					want[m][pi][port][1] += 1;
				}
			}
	assert_int_equal(k1, n1);
	assert_int_equal(k2, n2);
	/* more monthly keys than one flush: the months are flushed mid-import */
	assert_true(MF_MONTHS * 2 * MF_PORTS > (1 << 16));
	mf_shuffle(r1, n1, 777);
	mf_shuffle(r2, n2, 4242);
	import_ok(dbpath, r1, n1, NULL);
	rollups_agree(dbpath);
	import_ok(dbpath, r2, n2, NULL);
	rollups_agree(dbpath);

	s = store_open(dbpath, STORE_READ, &e);
	if (s == NULL)
		fail_msg("store_open(READ): %s", e.msg);
	for (size_t m = 0; m < MF_MONTHS; m++) {
		struct month_data d;
		size_t seen = 0;

		if (!store_month_data(s, month_make(2007, 1 + (int)m), &d, &e))
			fail_msg("store_month_data: %s", e.msg);
		for (size_t i = 0; i < d.nports; i++) {
			const struct cell *c = &d.ports[i];
			int pi = c->key.proto == 17;

			assert_true(c->key.proto == 6 || c->key.proto == 17);
			assert_true(c->key.port < MF_PORTS);
			if (c->c.accesses != want[m][pi][c->key.port][0] ||
			    c->c.sources != want[m][pi][c->key.port][1])
				fail_msg("2007-%02zu %d/%d: a=%lld s=%lld, want a=%lld s=%lld",
				    m + 1, c->key.proto, c->key.port,
				    (long long)c->c.accesses, (long long)c->c.sources,
				    (long long)want[m][pi][c->key.port][0],
				    (long long)want[m][pi][c->key.port][1]);
			seen++;
		}
		assert_int_equal(seen, 2 * MF_PORTS);
		assert_int_equal(d.ncountries, 2);
		month_data_finish(&d);
	}
	store_close(s);
	free(want);
	free(r1);
	free(r2);
}

/* More months than the 240 the summary once held (issue 15, item 8). */
static void
test_many_months_summary(void **state)
{
	struct csv_row rows[300];
	struct import_summary sum;

	(void)state;
	for (int i = 0; i < 300; i++)
		rows[i] = R((1990 + i / 12) * 10000 + (i % 12 + 1) * 100 + 1,
		    "s1", 6, 80, "JP", 1, 1);
	import_ok(dbpath, rows, 300, &sum);
	assert_int_equal(sum.nmonths, 300);
	assert_int_equal(sum.months[0], 199001);
	assert_int_equal(sum.months[299], 201412);
	for (size_t i = 1; i < sum.nmonths; i++)
		assert_true(sum.months[i] > sum.months[i - 1]);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_port_day_country_range),
		T(test_reimport_idempotent),
		T(test_zero_count_rows_reimport),
		T(test_replace_sensor_day),
		T(test_replace_random),
		T(test_marker_only),
		T(test_row_errors),
		T(test_destroy_without_commit),
		T(test_commit_then_destroy),
		T(test_read_only_handle),
		T(test_snapshot),
		T(test_many_sensors_and_months),
		T(test_refuse_random_bytes),
		T(test_refuse_real_header_then_garbage),
		T(test_refuse_truncated),
		T(test_refuse_foreign_sqlite),
		T(test_refuse_newer_and_damaged_schema),
		T(test_store_paths),
		T(test_huge_counts),
		T(test_huge_counts_two_imports),
		T(test_import_order_independent),
		T(test_duplicate_across_flush),
		T(test_many_sensors_fast),
		T(test_many_months_summary),
		T(test_month_rollups_flushed_apart),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
