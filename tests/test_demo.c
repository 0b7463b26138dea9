/* test_demo.c — the sample data set against the seed bulletin's figures.
 *
 * Everything is recomputed here from the CSV text that demo_write_csv()
 * writes, with a parser of the test's own: no talot module but demo.c is
 * trusted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "err.h"

#define NMONTHS 6
#define NSENSORS 10
#define NPROTOS 3              /* icmp, tcp, udp: sorted by name */
#define PORT_SLOTS (NPROTOS * 65536)

enum { P_ICMP, P_TCP, P_UDP };

static const int mdays[NMONTHS] = { 31, 28, 31, 30, 31, 30 };

struct row {
	int mon;               /* 1..6 */
	int day;
	int sensor;            /* 1..10 */
	int proto;             /* P_*, -1 for the marker row */
	int port;              /* -1 for the marker row */
	char cc[3];            /* "" for the marker row */
	int64_t acc;
	int64_t src;
};

/* The parsed data set and what the tests derive from it, built once. */
static struct {
	char *text;            /* the CSV, NUL-terminated */
	size_t len;
	struct row *rows;
	size_t nrows;
	bool seen[NMONTHS][32][NSENSORS + 1];   /* observed sensor-days */
	int64_t n[NMONTHS], a[NMONTHS], s[NMONTHS];
	int64_t *port_acc[NMONTHS];             /* PORT_SLOTS each */
	int64_t *june_cn;                       /* June CN accesses by port */
	bool country[NMONTHS][26 * 26];
	int64_t country_acc[NMONTHS][26 * 26];
	int64_t sensor_acc[NSENSORS + 1];
} ds;

static char *
csv_capture(size_t *len)
{
	FILE *f = tmpfile();
	struct err e = { { 0 } };
	char *buf;
	long size;

	assert_non_null(f);
	assert_true(demo_write_csv(f, &e));
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static bool
parse_int(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;

	if (len == 0 || len > 12)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Parses one line (without its newline) into r; false if malformed. */
static bool
parse_line(const char *line, size_t len, struct row *r)
{
	const char *f[7];
	size_t fl[7];
	size_t nf = 0, start = 0;
	int64_t v;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == ',') {
			if (nf == 7)
				return false;
			f[nf] = line + start;
			fl[nf] = i - start;
			nf++;
			start = i + 1;
		}
	}
	if (nf != 7)
		return false;
	/* day: 2007-MM-DD */
	if (fl[0] != 10 || strncmp(f[0], "2007-", 5) != 0 || f[0][7] != '-')
		return false;
	if (!parse_int(f[0] + 5, 2, &v) || v < 1 || v > NMONTHS)
		return false;
	r->mon = (int)v;
	if (!parse_int(f[0] + 8, 2, &v) || v < 1 || v > mdays[r->mon - 1])
		return false;
	r->day = (int)v;
	/* sensor: s01..s10 */
	if (fl[1] != 3 || f[1][0] != 's' || !parse_int(f[1] + 1, 2, &v) ||
	    v < 1 || v > NSENSORS)
		return false;
	r->sensor = (int)v;
	if (!parse_int(f[5], fl[5], &r->acc) ||
	    !parse_int(f[6], fl[6], &r->src))
		return false;
	if (fl[2] == 1 && f[2][0] == '*') {
		if (fl[3] != 1 || f[3][0] != '*' || fl[4] != 1 ||
		    f[4][0] != '*' || r->acc != 0 || r->src != 0)
			return false;
		r->proto = -1;
		r->port = -1;
		r->cc[0] = '\0';
		return true;
	}
	if (fl[2] == 4 && strncmp(f[2], "icmp", 4) == 0)
		r->proto = P_ICMP;
	else if (fl[2] == 3 && strncmp(f[2], "tcp", 3) == 0)
		r->proto = P_TCP;
	else if (fl[2] == 3 && strncmp(f[2], "udp", 3) == 0)
		r->proto = P_UDP;
	else
		return false;
	if (!parse_int(f[3], fl[3], &v) ||
	    v > (r->proto == P_ICMP ? 255 : 65535))
		return false;
	if (fl[3] > 1 && f[3][0] == '0')
		return false;
	r->port = (int)v;
	if (fl[4] != 2 || f[4][0] < 'A' || f[4][0] > 'Z' || f[4][1] < 'A' ||
	    f[4][1] > 'Z')
		return false;
	r->cc[0] = f[4][0];
	r->cc[1] = f[4][1];
	r->cc[2] = '\0';
	/* every traffic row carries traffic */
	return r->acc >= 1 && r->src >= 1 && r->src <= r->acc;
}

static int
row_cmp(const struct row *a, const struct row *b)
{
	if (a->mon != b->mon)
		return a->mon - b->mon;
	if (a->day != b->day)
		return a->day - b->day;
	if (a->sensor != b->sensor)
		return a->sensor - b->sensor;
	if (a->proto != b->proto)
		return a->proto - b->proto;
	if (a->port != b->port)
		return a->port - b->port;
	return strcmp(a->cc, b->cc);
}

static int
slot(int proto, int port)
{
	return proto * 65536 + port;
}

static int
cc_index(const char *cc)
{
	return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static int
group_setup(void **state)
{
	const char *header = "day,sensor,proto,port,country,accesses,sources\n";
	size_t cap = 1 << 16;
	const char *p, *end;

	(void)state;
	memset(&ds, 0, sizeof(ds));
	ds.text = csv_capture(&ds.len);
	assert_true(strncmp(ds.text, header, strlen(header)) == 0);
	assert_int_equal(strlen(ds.text), ds.len);   /* no NUL inside */
	assert_true(ds.text[ds.len - 1] == '\n');
	for (int m = 0; m < NMONTHS; m++) {
		ds.port_acc[m] = calloc(PORT_SLOTS, sizeof(int64_t));
		assert_non_null(ds.port_acc[m]);
	}
	ds.june_cn = calloc(PORT_SLOTS, sizeof(int64_t));
	assert_non_null(ds.june_cn);
	ds.rows = malloc(cap * sizeof(*ds.rows));
	assert_non_null(ds.rows);

	p = ds.text + strlen(header);
	end = ds.text + ds.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct row *r;
		int mi;

		assert_non_null(nl);
		if (ds.nrows == cap) {
			cap *= 2;
			ds.rows = realloc(ds.rows, cap * sizeof(*ds.rows));
			assert_non_null(ds.rows);
		}
		r = &ds.rows[ds.nrows];
		if (!parse_line(p, (size_t)(nl - p), r))
			fail_msg("bad row %zu: %.*s", ds.nrows + 2,
			    (int)(nl - p), p);
		if (ds.nrows > 0 && row_cmp(&ds.rows[ds.nrows - 1], r) >= 0)
			fail_msg("row %zu out of order or duplicate: %.*s",
			    ds.nrows + 2, (int)(nl - p), p);
		mi = r->mon - 1;
		if (!ds.seen[mi][r->day][r->sensor]) {
			ds.seen[mi][r->day][r->sensor] = true;
			ds.n[mi]++;
		}
		ds.a[mi] += r->acc;
		ds.s[mi] += r->src;
		ds.sensor_acc[r->sensor] += r->acc;
		if (r->proto >= 0) {
			int ci = cc_index(r->cc);

			ds.port_acc[mi][slot(r->proto, r->port)] += r->acc;
			ds.country[mi][ci] = true;
			ds.country_acc[mi][ci] += r->acc;
			if (mi == 5 && strcmp(r->cc, "CN") == 0)
				ds.june_cn[slot(r->proto, r->port)] += r->acc;
		}
		ds.nrows++;
		p = nl + 1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	free(ds.text);
	free(ds.rows);
	for (int m = 0; m < NMONTHS; m++)
		free(ds.port_acc[m]);
	free(ds.june_cn);
	return 0;
}

static int64_t
div_round(int64_t a, int64_t b)
{
	return (2 * a + b) / (2 * b);
}

/* The port with the most accesses in month mi, skipping those in skip[]. */
static int
port_top(int mi, const int *skip, size_t nskip)
{
	int best = -1;

	for (int k = 0; k < PORT_SLOTS; k++) {
		bool skipped = false;

		for (size_t i = 0; i < nskip; i++)
			skipped = skipped || skip[i] == k;
		if (skipped || ds.port_acc[mi][k] == 0)
			continue;
		if (best < 0 || ds.port_acc[mi][k] > ds.port_acc[mi][best])
			best = k;
	}
	return best;
}

/* ---- tests --------------------------------------------------------------- */

static void
test_rows_valid(void **state)
{
	size_t markers = 0;
	size_t sensor_days = 0;

	(void)state;
	/* validity, order and uniqueness were checked row by row in setup */
	for (size_t i = 0; i < ds.nrows; i++) {
		const struct row *r = &ds.rows[i];

		if (r->proto < 0) {
			markers++;
			assert_int_equal(r->mon, 1);
			assert_int_equal(r->day, 27);
			assert_int_equal(r->sensor, 8);
			/* a marker is the only row of its sensor-day */
			assert_true(i == 0 || ds.rows[i - 1].day != r->day ||
			    ds.rows[i - 1].sensor != r->sensor);
			assert_true(i + 1 == ds.nrows ||
			    ds.rows[i + 1].day != r->day ||
			    ds.rows[i + 1].sensor != r->sensor);
		}
	}
	assert_int_equal(markers, 1);
	for (int m = 0; m < NMONTHS; m++)
		sensor_days += (size_t)ds.n[m];
	assert_true(ds.nrows >= 150000);
	assert_true(ds.nrows <= 600000);
	/* roughly 100–300 rows per sensor-day */
	assert_true(ds.nrows / sensor_days >= 100);
	assert_true(ds.nrows / sensor_days <= 300);
}

static void
test_coverage(void **state)
{
	static const int64_t n_expected[NMONTHS] = {
		310, 280, 308, 300, 310, 270,
	};

	(void)state;
	for (int m = 0; m < NMONTHS; m++) {
		assert_int_equal(ds.n[m], n_expected[m]);
		for (int d = 1; d <= mdays[m]; d++)
			for (int s = 1; s <= NSENSORS; s++) {
				bool expect = true;

				if (m == 5 && d <= 3)
					expect = false;    /* maintenance */
				if (m == 2 && s == 7 && (d == 14 || d == 15))
					expect = false;    /* s07 outage */
				assert_int_equal(ds.seen[m][d][s], expect);
			}
	}
}

static void
test_june_figures(void **state)
{
	(void)state;
	assert_int_equal(ds.n[5], 270);
	assert_int_equal(ds.a[5], 293252);
	assert_int_equal(div_round(ds.a[5], ds.n[5]), 1086);
	assert_int_equal(div_round(ds.s[5], ds.n[5]), 277);
	assert_int_equal(div_round(ds.a[5], ds.s[5]), 4);
	for (int d = 1; d <= 3; d++)
		for (int s = 1; s <= NSENSORS; s++)
			assert_false(ds.seen[5][d][s]);
}

static void
test_top_ports(void **state)
{
	const int seed[] = {
		slot(P_TCP, 135), slot(P_UDP, 1026), slot(P_UDP, 1027),
		slot(P_TCP, 445), slot(P_ICMP, 8), slot(P_TCP, 1433),
		slot(P_TCP, 139), slot(P_TCP, 2967), slot(P_TCP, 5900),
		slot(P_TCP, 22),
	};
	int top[10];
	int distinct = 0;

	(void)state;
	for (size_t i = 0; i < 10; i++)
		top[i] = port_top(5, top, i);
	assert_int_equal(top[0], slot(P_TCP, 135));
	assert_int_equal(top[1], slot(P_TCP, 445));
	/* clearly: 445/tcp well above the third */
	assert_true(ds.port_acc[5][top[1]] * 10 >=
	    ds.port_acc[5][top[2]] * 13);
	/* the seed's table is June's top 10, each with sizeable traffic */
	for (size_t i = 0; i < 10; i++) {
		bool in_top = false;

		for (size_t j = 0; j < 10; j++)
			in_top = in_top || top[j] == seed[i];
		assert_true(in_top);
		assert_true(ds.port_acc[5][seed[i]] * 100 >= ds.a[5]);
	}
	/* and a long tail */
	for (int k = 0; k < PORT_SLOTS; k++)
		distinct += ds.port_acc[5][k] > 0;
	assert_true(distinct >= 50);
	assert_true(distinct <= 500);
	assert_true(ds.port_acc[5][slot(P_TCP, 80)] > 0);
	assert_true(ds.port_acc[5][slot(P_UDP, 1434)] > 0);
	assert_true(ds.port_acc[5][slot(P_TCP, 3389)] > 0);
}

static void
test_notable_ports(void **state)
{
	const int notable[2] = { slot(P_UDP, 1026), slot(P_UDP, 1027) };
	int64_t best[2] = { -1, -1 };
	int best_port[2] = { -1, -1 };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		int64_t may = ds.port_acc[4][notable[i]];
		int64_t jun = ds.port_acc[5][notable[i]];

		assert_true(may > 0);
		assert_true(jun * 10 >= may * 18);
		assert_true(jun * 10 <= may * 22);
		assert_true(ds.june_cn[notable[i]] * 10 >= jun * 7);
	}
	/* largest absolute increase among ports with at least 1.5x growth */
	for (int k = 0; k < PORT_SLOTS; k++) {
		int64_t may = ds.port_acc[4][k];
		int64_t jun = ds.port_acc[5][k];
		int64_t inc = jun - may;

		if (jun == 0 || jun * 2 < may * 3)
			continue;
		if (inc > best[0]) {
			best[1] = best[0];
			best_port[1] = best_port[0];
			best[0] = inc;
			best_port[0] = k;
		} else if (inc > best[1]) {
			best[1] = inc;
			best_port[1] = k;
		}
	}
	assert_true((best_port[0] == notable[0] &&
	    best_port[1] == notable[1]) || (best_port[0] == notable[1] &&
	    best_port[1] == notable[0]));
}

static void
test_six_month_decline(void **state)
{
	(void)state;
	for (int m = 1; m < NMONTHS; m++) {
		/* A/N and S/N strictly lower, by 0.5 % .. 6 % (gently) */
		int64_t a_prev = ds.a[m - 1] * ds.n[m];
		int64_t a_cur = ds.a[m] * ds.n[m - 1];
		int64_t s_prev = ds.s[m - 1] * ds.n[m];
		int64_t s_cur = ds.s[m] * ds.n[m - 1];

		assert_true(a_cur < a_prev);
		assert_true(a_cur * 1000 <= a_prev * 995);
		assert_true(a_cur * 100 >= a_prev * 94);
		assert_true(s_cur < s_prev);
		assert_true(s_cur * 1000 <= s_prev * 995);
		assert_true(s_cur * 100 >= s_prev * 94);
		/* about 4 accesses per source every month */
		assert_int_equal(div_round(ds.a[m], ds.s[m]), 4);
	}
}

static void
test_countries(void **state)
{
	const char *big[] = { "CN", "US", "JP", "KR", "TW" };

	(void)state;
	for (int m = 0; m < NMONTHS; m++) {
		int n = 0;

		for (int c = 0; c < 26 * 26; c++)
			n += ds.country[m][c];
		assert_true(n >= 40);
		assert_true(ds.country[m][cc_index("ZZ")]);
	}
	/* the five large ones are June's top five */
	for (size_t i = 0; i < 5; i++) {
		int larger = 0;
		int64_t v = ds.country_acc[5][cc_index(big[i])];

		for (int c = 0; c < 26 * 26; c++)
			larger += ds.country_acc[5][c] > v;
		assert_true(larger < 5);
	}
}

static void
test_sensors_differ(void **state)
{
	int64_t lo = INT64_MAX, hi = 0;

	(void)state;
	for (int s = 1; s <= NSENSORS; s++) {
		if (ds.sensor_acc[s] < lo)
			lo = ds.sensor_acc[s];
		if (ds.sensor_acc[s] > hi)
			hi = ds.sensor_acc[s];
	}
	assert_true(lo > 0);
	assert_true(hi >= 2 * lo);
}

static void
test_weekends_lower(void **state)
{
	/* per observed sensor-day, Saturdays+Sundays against weekdays over
	 * the six months (2007-01-01 was a Monday) */
	int64_t acc[2] = { 0, 0 }, n[2] = { 0, 0 };
	int doy0[NMONTHS];

	(void)state;
	doy0[0] = 0;
	for (int m = 1; m < NMONTHS; m++)
		doy0[m] = doy0[m - 1] + mdays[m - 1];
	for (size_t i = 0; i < ds.nrows; i++) {
		const struct row *r = &ds.rows[i];
		int wd = (doy0[r->mon - 1] + r->day - 1) % 7;

		acc[wd >= 5] += r->acc;
	}
	for (int m = 0; m < NMONTHS; m++)
		for (int d = 1; d <= mdays[m]; d++)
			for (int s = 1; s <= NSENSORS; s++)
				if (ds.seen[m][d][s])
					n[(doy0[m] + d - 1) % 7 >= 5]++;
	assert_true(acc[1] * n[0] < acc[0] * n[1]);
}

static void
test_deterministic(void **state)
{
	size_t len;
	char *again;

	(void)state;
	again = csv_capture(&len);
	assert_int_equal(len, ds.len);
	assert_memory_equal(again, ds.text, len);
	free(again);
}

static void
test_write_error(void **state)
{
	FILE *f = fopen("/dev/full", "w");
	struct err e = { { 0 } };

	(void)state;
	if (f == NULL)
		skip();
	assert_false(demo_write_csv(f, &e));
	assert_true(e.msg[0] != '\0');
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_valid),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_june_figures),
		cmocka_unit_test(test_top_ports),
		cmocka_unit_test(test_notable_ports),
		cmocka_unit_test(test_six_month_decline),
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_sensors_differ),
		cmocka_unit_test(test_weekends_lower),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
