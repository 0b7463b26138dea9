/* test_model.c — the pure month model (model.c) against hand-computed
 * expectations.
 *
 * Every fixture is a `struct month_input` written out by hand (what the
 * store would hand over); every expected number is a literal worked out on
 * paper and written next to its derivation, never recomputed here with the
 * formula under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "import.h"
#include "model.h"
#include "settings.h"
#include "store.h"

#define assert_near(a, b, eps) do {					\
	double a_ = (double)(a), b_ = (double)(b);			\
	if (!(fabs(a_ - b_) <= (eps))) {				\
		print_error("%s = %.17g, expected %.17g\n", #a, a_, b_); \
		fail();							\
	}								\
} while (0)

#define assert_key_port(k, pr, po) do {					\
	const struct key *k_ = &(k);					\
	if (k_->kind != KEY_PORT || k_->proto != (pr) ||		\
	    k_->port != (po)) {						\
		print_error("%s is kind %d %d/%d, expected port %d/%d\n", \
		    #k, k_->kind, k_->proto, k_->port, (pr), (po));	\
		fail();							\
	}								\
} while (0)

#define assert_key_cc(k, code) do {					\
	const struct key *k_ = &(k);					\
	if (k_->kind != KEY_COUNTRY || strcmp(k_->cc, (code)) != 0) {	\
		print_error("%s is kind %d '%s', expected country %s\n", \
		    #k, k_->kind, k_->cc, (code));			\
		fail();							\
	}								\
} while (0)

#define assert_key_other(k) assert_int_equal((k).kind, KEY_OTHER)

#define JUNE month_make(2007, 6)
#define TCP PROTO_TCP
#define UDP PROTO_UDP
#define ICMP PROTO_ICMP

/* ---- fixture builders ---- */

struct pc { int proto, port; int64_t a, s; };
struct cc { const char *cc; int64_t a, s; };
struct dpc { int day; int proto, port; int64_t a, s; };
struct dcc { int day; const char *cc; int64_t a, s; };

static void
md_ports(struct month_data *d, const struct pc *p, size_t n)
{
	d->nports = n;
	d->ports = calloc(n ? n : 1, sizeof(*d->ports));
	assert_non_null(d->ports);
	for (size_t i = 0; i < n; i++) {
		d->ports[i].key = key_port(p[i].proto, p[i].port);
		d->ports[i].c.accesses = p[i].a;
		d->ports[i].c.sources = p[i].s;
	}
}

static void
md_countries(struct month_data *d, const struct cc *c, size_t n)
{
	d->ncountries = n;
	d->countries = calloc(n ? n : 1, sizeof(*d->countries));
	assert_non_null(d->countries);
	for (size_t i = 0; i < n; i++) {
		d->countries[i].key = key_country(c[i].cc);
		d->countries[i].c.accesses = c[i].a;
		d->countries[i].c.sources = c[i].s;
	}
}

/* Every day of month m observed by `sensors` sensors; sensor_days is the
 * caller's literal (checked here against the per-day counts). */
static void
md_days(struct month_data *d, month_t m, int sensors, int64_t sensor_days,
    int64_t a, int64_t s)
{
	d->month = m;
	d->sensors = sensors;
	for (int day = 1; day <= month_days(m); day++)
		d->sensors_per_day[day] = sensors;
	d->sensor_days = sensor_days;
	d->total.accesses = a;
	d->total.sources = s;
}

static void
in_day_ports(struct month_input *in, const struct dpc *r, size_t n)
{
	in->nday_ports = n;
	in->day_ports = calloc(n ? n : 1, sizeof(*in->day_ports));
	assert_non_null(in->day_ports);
	for (size_t i = 0; i < n; i++) {
		in->day_ports[i].day = r[i].day;
		in->day_ports[i].key = key_port(r[i].proto, r[i].port);
		in->day_ports[i].c.accesses = r[i].a;
		in->day_ports[i].c.sources = r[i].s;
	}
}

static void
in_day_countries(struct month_input *in, const struct dcc *r, size_t n)
{
	in->nday_countries = n;
	in->day_countries = calloc(n ? n : 1, sizeof(*in->day_countries));
	assert_non_null(in->day_countries);
	for (size_t i = 0; i < n; i++) {
		in->day_countries[i].day = r[i].day;
		in->day_countries[i].key = key_country(r[i].cc);
		in->day_countries[i].c.accesses = r[i].a;
		in->day_countries[i].c.sources = r[i].s;
	}
}

static void
in_init(struct month_input *in, month_t m)
{
	memset(in, 0, sizeof(*in));
	in->month = m;
	for (int i = 0; i < MODEL_MONTHS; i++)
		in->six[i].month = m - (MODEL_MONTHS - 1) + i;
}

static void
build_ok(const struct month_input *in, const struct key *pins, size_t npins,
    struct month_model *m)
{
	struct err e = { "" };

	if (!model_build(in, pins, npins, m, &e)) {
		print_error("model_build failed: %s\n", e.msg);
		fail();
	}
}

static double
daily(const struct breakdown *b, size_t k, int day)
{
	return b->daily[k * (size_t)b->ndays + (size_t)(day - 1)];
}

/* ---- fixture "basic": June 2007, 2 sensors ----
 *
 * Every day observed by 2 sensors, except 2 June (1 sensor) and 30 June
 * (none): N = 28 * 2 + 1 + 0 = 57.
 * A = 1,140 and S = 285, so A/N = 20, S/N = 5, A/S = 4.
 *   ports:     135/tcp 700/100, 445/tcp 360/140, Ping(ICMP) 80/45
 *   countries: CN 800/200, US 260/50, JP 80/35
 * Daily cells (a subset; the model does not require them to add up):
 *   1 June 135/tcp 40/10 -> 20/5 per sensor (2 sensors)
 *   2 June 135/tcp 30/6  -> 30/6 (1 sensor), 445/tcp 10/5 -> 10/5
 *   3 June icmp 8  6/3   -> 3/1.5
 *  30 June 135/tcp 99/9  -> unobserved day: 0
 *   1 June CN 50/20 -> 25/10; 2 June US 7/3 -> 7/3
 */
static void
basic_input(struct month_input *in)
{
	static const struct pc ports[] = {
		{ ICMP, 8, 80, 45 }, { TCP, 445, 360, 140 },
		{ TCP, 135, 700, 100 },
	};
	static const struct cc ccs[] = {
		{ "US", 260, 50 }, { "CN", 800, 200 }, { "JP", 80, 35 },
	};
	static const struct dpc dp[] = {
		{ 1, TCP, 135, 40, 10 }, { 2, TCP, 135, 30, 6 },
		{ 2, TCP, 445, 10, 5 }, { 3, ICMP, 8, 6, 3 },
		{ 30, TCP, 135, 99, 9 },
	};
	static const struct dcc dc[] = {
		{ 1, "CN", 50, 20 }, { 2, "US", 7, 3 },
	};
	struct month_data *d;

	in_init(in, JUNE);
	d = &in->six[5];
	md_days(d, JUNE, 2, 57, 1140, 285);
	d->sensors_per_day[2] = 1;
	d->sensors_per_day[30] = 0;
	md_ports(d, ports, 3);
	md_countries(d, ccs, 3);
	in_day_ports(in, dp, 5);
	in_day_countries(in, dc, 2);
}

static void
test_totals_per_sensor(void **state)
{
	struct month_input in;
	struct month_model m;

	(void)state;
	basic_input(&in);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.month, JUNE);
	assert_int_equal(m.ndays, 30);
	assert_ptr_equal(m.cur, &m.six[5]);
	assert_true(m.cur->has_data);
	assert_int_equal(m.cur->month, JUNE);
	assert_int_equal(m.six[0].month, month_make(2007, 1));
	assert_false(m.six[0].has_data);
	assert_int_equal(m.cur->sensor_days, 57);
	assert_int_equal(m.cur->sensors, 2);
	assert_int_equal(m.cur->total.accesses, 1140);
	assert_int_equal(m.cur->total.sources, 285);
	assert_near(m.cur->accesses_per_sensor_day, 20.0, 1e-12);
	assert_near(m.cur->sources_per_sensor_day, 5.0, 1e-12);
	assert_near(m.cur->accesses_per_source, 4.0, 1e-12);
	/* months without data: zeros, not NaN */
	assert_near(m.six[0].accesses_per_sensor_day, 0.0, 0);
	assert_near(m.six[0].accesses_per_source, 0.0, 0);
	/* only one month of data: the trend is unknown */
	assert_int_equal(m.trend, TREND_UNKNOWN);
	model_finish(&m);
	month_input_finish(&in);
}

static void
test_daily_series(void **state)
{
	struct month_input in;
	struct month_model m;

	(void)state;
	basic_input(&in);
	build_ok(&in, NULL, 0, &m);
	/* ports by accesses: 135/tcp 700, 445/tcp 360, icmp 8 80; no その他 */
	assert_int_equal(m.ports_acc.nkeys, 3);
	assert_key_port(m.ports_acc.keys[0], TCP, 135);
	assert_key_port(m.ports_acc.keys[1], TCP, 445);
	assert_key_port(m.ports_acc.keys[2], ICMP, 8);
	assert_int_equal(m.ports_acc.ndays, 30);
	assert_near(daily(&m.ports_acc, 0, 1), 20.0, 1e-12);
	assert_near(daily(&m.ports_acc, 0, 2), 30.0, 1e-12);
	assert_near(daily(&m.ports_acc, 1, 2), 10.0, 1e-12);
	assert_near(daily(&m.ports_acc, 2, 3), 3.0, 1e-12);
	assert_near(daily(&m.ports_acc, 0, 3), 0.0, 0);
	assert_near(daily(&m.ports_acc, 0, 30), 0.0, 0);  /* unobserved */
	/* ports by sources: 445/tcp 140, 135/tcp 100, icmp 8 45 */
	assert_int_equal(m.ports_src.nkeys, 3);
	assert_key_port(m.ports_src.keys[0], TCP, 445);
	assert_key_port(m.ports_src.keys[1], TCP, 135);
	assert_key_port(m.ports_src.keys[2], ICMP, 8);
	assert_near(daily(&m.ports_src, 1, 1), 5.0, 1e-12);
	assert_near(daily(&m.ports_src, 1, 2), 6.0, 1e-12);
	assert_near(daily(&m.ports_src, 0, 2), 5.0, 1e-12);
	assert_near(daily(&m.ports_src, 2, 3), 1.5, 1e-12);
	assert_near(daily(&m.ports_src, 1, 30), 0.0, 0);
	/* countries */
	assert_int_equal(m.cc_acc.nkeys, 3);
	assert_key_cc(m.cc_acc.keys[0], "CN");
	assert_key_cc(m.cc_acc.keys[1], "US");
	assert_key_cc(m.cc_acc.keys[2], "JP");
	assert_near(daily(&m.cc_acc, 0, 1), 25.0, 1e-12);
	assert_near(daily(&m.cc_acc, 1, 2), 7.0, 1e-12);
	assert_near(daily(&m.cc_src, 0, 1), 10.0, 1e-12);
	assert_near(daily(&m.cc_src, 1, 2), 3.0, 1e-12);
	/* cc by sources: CN 200, US 50, JP 35 */
	assert_key_cc(m.cc_src.keys[1], "US");
	/* totals and shares: 700/1140, 360/1140, 80/1140 */
	assert_int_equal(m.ports_acc.total, 1140);
	assert_int_equal(m.ports_acc.totals[0], 700);
	assert_int_equal(m.ports_acc.totals[1], 360);
	assert_int_equal(m.ports_acc.totals[2], 80);
	assert_near(m.ports_acc.shares[0], 0.6140350877192982, 1e-12);
	assert_near(m.ports_acc.shares[1], 0.3157894736842105, 1e-12);
	assert_near(m.ports_acc.shares[2], 0.07017543859649122, 1e-12);
	assert_int_equal(m.ports_src.total, 285);
	assert_near(m.ports_src.shares[0], 0.49122807017543857, 1e-12);
	model_finish(&m);
	month_input_finish(&in);
}

static void
test_outage_partial(void **state)
{
	struct month_input in;
	struct month_model m;

	(void)state;
	basic_input(&in);
	build_ok(&in, NULL, 0, &m);
	/* 2 June: 1 of 2 missing; 30 June: both missing */
	assert_int_equal(m.nmissing, 2);
	assert_int_equal(m.missing[0].day, 2);
	assert_int_equal(m.missing[0].missing, 1);
	assert_int_equal(m.missing[1].day, 30);
	assert_int_equal(m.missing[1].missing, 2);
	assert_int_equal(m.missing_sensor_days, 3);
	assert_false(m.outage_same_days);
	assert_int_equal(m.observed_first, 1);
	assert_int_equal(m.observed_last, 29);
	model_finish(&m);
	month_input_finish(&in);
}

/* 3 sensors, all missing 1-3 June: N = 27 * 3 = 81 */
static void
test_outage_same_days(void **state)
{
	static const struct pc ports[] = { { TCP, 135, 810, 162 } };
	static const struct cc ccs[] = { { "CN", 810, 162 } };
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 3, 81, 810, 162);
	for (int d = 1; d <= 3; d++)
		in.six[5].sensors_per_day[d] = 0;
	md_ports(&in.six[5], ports, 1);
	md_countries(&in.six[5], ccs, 1);
	build_ok(&in, NULL, 0, &m);
	assert_near(m.cur->accesses_per_sensor_day, 10.0, 1e-12);
	assert_near(m.cur->sources_per_sensor_day, 2.0, 1e-12);
	assert_true(m.outage_same_days);
	assert_int_equal(m.observed_first, 4);
	assert_int_equal(m.observed_last, 30);
	assert_int_equal(m.nmissing, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(m.missing[i].day, i + 1);
		assert_int_equal(m.missing[i].missing, 3);
	}
	assert_int_equal(m.missing_sensor_days, 9);
	model_finish(&m);
	month_input_finish(&in);
}

/* 3 sensors, one missing on 14 June: N = 30 * 3 - 1 = 89 */
static void
test_outage_one_sensor_one_day(void **state)
{
	static const struct pc ports[] = { { TCP, 445, 890, 89 } };
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 3, 89, 890, 89);
	in.six[5].sensors_per_day[14] = 2;
	md_ports(&in.six[5], ports, 1);
	build_ok(&in, NULL, 0, &m);
	assert_near(m.cur->accesses_per_sensor_day, 10.0, 1e-12);
	assert_false(m.outage_same_days);
	assert_int_equal(m.nmissing, 1);
	assert_int_equal(m.missing[0].day, 14);
	assert_int_equal(m.missing[0].missing, 1);
	assert_int_equal(m.missing_sensor_days, 1);
	assert_int_equal(m.observed_first, 1);
	assert_int_equal(m.observed_last, 30);
	model_finish(&m);
	month_input_finish(&in);
}

static void
test_no_outage(void **state)
{
	static const struct pc ports[] = { { TCP, 445, 60, 6 } };
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 2, 60, 60, 6);
	md_ports(&in.six[5], ports, 1);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.nmissing, 0);
	assert_int_equal(m.missing_sensor_days, 0);
	assert_false(m.outage_same_days);
	assert_int_equal(m.observed_first, 1);
	assert_int_equal(m.observed_last, 30);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- top 10 + その他 ----
 * 12 ports, one sensor every day of June (N = 30):
 *   80/tcp 1200, 443/tcp 1100, 445/tcp 1000, 135/tcp 900, 139/tcp 800,
 *   1433/tcp 700, 22/tcp 600, 23/tcp 500, 3389/tcp 400,
 *   then a three-way tie at 100: 25/tcp, 21/tcp, 110/tcp
 * The total is 7,500: the nine leaders make 7,200, the tie is broken by
 * key order (21 < 25 < 110), so 21/tcp is 10th (sum 7,300) and 25/tcp and
 * 110/tcp go to その他 = 7,500 - 7,300 = 200.  The month total also holds
 * 0 accesses that no port cell carries, so その他 is total - top sum.
 * Sources: 10 for each port, total 120.
 */
static void
twelve_input(struct month_input *in)
{
	static const struct pc ports[] = {
		{ TCP, 25, 100, 10 }, { TCP, 80, 1200, 10 },
		{ TCP, 443, 1100, 10 }, { TCP, 445, 1000, 10 },
		{ TCP, 110, 100, 10 }, { TCP, 135, 900, 10 },
		{ TCP, 139, 800, 10 }, { TCP, 1433, 700, 10 },
		{ TCP, 22, 600, 10 }, { TCP, 23, 500, 10 },
		{ TCP, 3389, 400, 10 }, { TCP, 21, 100, 10 },
	};
	static const struct dpc dp[] = {
		{ 5, TCP, 25, 7, 1 }, { 5, TCP, 110, 3, 1 }, { 5, TCP, 21, 4, 1 },
		{ 5, TCP, 80, 40, 1 },
	};
	in_init(in, JUNE);
	md_days(&in->six[5], JUNE, 1, 30, 7500, 120);
	md_ports(&in->six[5], ports, 12);
	in_day_ports(in, dp, 4);
}

static void
test_top10_other(void **state)
{
	struct month_input in;
	struct month_model m;
	const struct breakdown *b;
	double sum = 0;
	int64_t isum = 0;

	(void)state;
	twelve_input(&in);
	build_ok(&in, NULL, 0, &m);
	b = &m.ports_acc;
	assert_int_equal(b->nkeys, 11);
	assert_key_port(b->keys[0], TCP, 80);
	assert_key_port(b->keys[1], TCP, 443);
	assert_key_port(b->keys[2], TCP, 445);
	assert_key_port(b->keys[8], TCP, 3389);
	assert_key_port(b->keys[9], TCP, 21);
	assert_key_other(b->keys[10]);
	assert_int_equal(b->totals[0], 1200);
	assert_int_equal(b->totals[9], 100);
	assert_int_equal(b->totals[10], 200);
	assert_int_equal(b->total, 7500);
	for (size_t i = 0; i < b->nkeys; i++) {
		sum += b->shares[i];
		isum += b->totals[i];
	}
	assert_int_equal(isum, 7500);
	assert_near(sum, 1.0, 1e-12);
	assert_near(b->shares[0], 0.16, 1e-12);
	assert_near(b->shares[10], 0.02666666666666667, 1e-12);
	/* daily: 25/tcp 7 + 110/tcp 3 on 5 June go to その他 (1 sensor) */
	assert_near(daily(b, 10, 5), 10.0, 1e-12);
	assert_near(daily(b, 9, 5), 4.0, 1e-12);
	assert_near(daily(b, 0, 5), 40.0, 1e-12);
	/* sources: twelve ports tie at 10: key order 21,22,23,25,80,110,
	 * 135,139,443,445 then 1433 and 3389 in その他 = 20 */
	b = &m.ports_src;
	assert_int_equal(b->nkeys, 11);
	assert_key_port(b->keys[0], TCP, 21);
	assert_key_port(b->keys[3], TCP, 25);
	assert_key_port(b->keys[5], TCP, 110);
	assert_key_port(b->keys[9], TCP, 445);
	assert_key_other(b->keys[10]);
	assert_int_equal(b->totals[10], 20);
	model_finish(&m);
	month_input_finish(&in);
}

/* The month total exceeds the port cells: その他 = total - top sum. */
static void
test_other_from_total(void **state)
{
	static const struct pc ports[] = {
		{ TCP, 135, 600, 60 }, { TCP, 445, 300, 30 },
	};
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 1, 30, 1000, 100);
	md_ports(&in.six[5], ports, 2);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.ports_acc.nkeys, 3);
	assert_key_other(m.ports_acc.keys[2]);
	assert_int_equal(m.ports_acc.totals[2], 100);
	assert_near(m.ports_acc.shares[0], 0.6, 1e-12);
	assert_near(m.ports_acc.shares[1], 0.3, 1e-12);
	assert_near(m.ports_acc.shares[2], 0.1, 1e-12);
	assert_int_equal(m.ports_src.totals[2], 10);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- six-month shares with gaps ----
 * M-5 (Jan) and M-3 (Mar): no data.
 *   Feb: 135/tcp 30, 445/tcp 10            (total 40)
 *   Apr: 135/tcp 50, 445/tcp 50            (total 100)
 *   May: 445/tcp 200                       (total 200)
 *   Jun: 135/tcp 60, 445/tcp 20, 22/tcp 20 (total 100)
 * Six-month sums: 445/tcp 280, 135/tcp 140, 22/tcp 20 -> that order; no
 * その他 in any month.
 */
static void
test_six_shares_gaps(void **state)
{
	static const struct pc feb[] = { { TCP, 135, 30, 3 }, { TCP, 445, 10, 1 } };
	static const struct pc apr[] = { { TCP, 135, 50, 5 }, { TCP, 445, 50, 5 } };
	static const struct pc may[] = { { TCP, 445, 200, 20 } };
	static const struct pc jun[] = {
		{ TCP, 135, 60, 6 }, { TCP, 445, 20, 2 }, { TCP, 22, 20, 2 },
	};
	struct month_input in;
	struct month_model m;
	const struct six_shares *t;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[1], month_make(2007, 2), 1, 28, 40, 4);
	md_ports(&in.six[1], feb, 2);
	md_days(&in.six[3], month_make(2007, 4), 1, 30, 100, 10);
	md_ports(&in.six[3], apr, 2);
	md_days(&in.six[4], month_make(2007, 5), 1, 31, 200, 20);
	md_ports(&in.six[4], may, 1);
	md_days(&in.six[5], JUNE, 1, 30, 100, 10);
	md_ports(&in.six[5], jun, 3);
	build_ok(&in, NULL, 0, &m);
	t = &m.six_ports_acc;
	assert_int_equal(t->nkeys, 3);
	assert_key_port(t->keys[0], TCP, 445);
	assert_key_port(t->keys[1], TCP, 135);
	assert_key_port(t->keys[2], TCP, 22);
	for (size_t k = 0; k < 3; k++) {
		assert_near(t->shares[0][k], 0.0, 0);
		assert_near(t->shares[2][k], 0.0, 0);
		assert_int_equal(t->values[0][k], 0);
	}
	assert_near(t->shares[1][0], 0.25, 1e-12);
	assert_near(t->shares[1][1], 0.75, 1e-12);
	assert_near(t->shares[1][2], 0.0, 0);
	assert_near(t->shares[3][0], 0.5, 1e-12);
	assert_near(t->shares[3][1], 0.5, 1e-12);
	assert_near(t->shares[4][0], 1.0, 1e-12);
	assert_near(t->shares[5][0], 0.2, 1e-12);
	assert_near(t->shares[5][1], 0.6, 1e-12);
	assert_near(t->shares[5][2], 0.2, 1e-12);
	assert_int_equal(t->values[4][0], 200);
	assert_int_equal(t->values[5][1], 60);
	/* the month summaries: gaps have no data */
	assert_false(m.six[0].has_data);
	assert_true(m.six[1].has_data);
	assert_false(m.six[2].has_data);
	assert_near(m.six[1].accesses_per_sensor_day, 40.0 / 28.0, 1e-12);
	/* trend from four months: Feb 40/28, Apr 100/30, May 200/31,
	 * Jun 100/30 -> clearly up */
	assert_int_equal(m.trend, TREND_UP);
	model_finish(&m);
	month_input_finish(&in);
}

/* 12 ports over six months: その他 per month = total - top10 values */
static void
test_six_shares_other(void **state)
{
	struct month_input in;
	struct month_model m;
	const struct six_shares *t;
	double sum = 0;

	(void)state;
	twelve_input(&in);
	build_ok(&in, NULL, 0, &m);
	t = &m.six_ports_acc;
	assert_int_equal(t->nkeys, 11);
	assert_key_port(t->keys[9], TCP, 21);
	assert_key_other(t->keys[10]);
	assert_int_equal(t->values[5][10], 200);
	assert_int_equal(t->values[4][10], 0);
	for (size_t k = 0; k < t->nkeys; k++)
		sum += t->shares[5][k];
	assert_near(sum, 1.0, 1e-12);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- notable ports ----
 * May -> June accesses (sources are a tenth), compared as rates per
 * observed sensor-day: May N = 62 (2 sensors × 31 days), June N = 60.
 *   port       May -> June   rate May -> June      ratio    increase
 *   135/tcp  1000 -> 1400   16.1290 -> 23.3333    1.4467   below 1.5x
 *   1027/udp  200 ->  400    3.2258 ->  6.6667    62/30 = 2.0667  +3.4409: 2nd
 *   1026/udp  100 ->  250    1.6129 ->  4.1667    2.5833   +2.5538: 3rd
 *   445/tcp    10 ->  100    0.1613 ->  1.6667    10.333   +1.5054: 4th
 *   9999/tcp    0 ->  500    0      ->  8.3333    new      +8.3333: 1st
 *   80/tcp    100 ->  150    1.6129 ->  2.5       1.55     +0.8871: 5th
 *   22/tcp     50 ->   40    down
 * (With raw sums 80/tcp would be exactly 1.5x; as rates it is 1.55x.)
 * May total 1,460 (+ 0 for 9999/tcp): 1000+200+100+10+100+50 = 1460.
 * June total 1400+400+250+100+500+150+40 = 2840.
 */
static void
notable_input(struct month_input *in)
{
	static const struct pc may[] = {
		{ TCP, 135, 1000, 100 }, { UDP, 1027, 200, 20 },
		{ UDP, 1026, 100, 10 }, { TCP, 445, 10, 1 },
		{ TCP, 80, 100, 10 }, { TCP, 22, 50, 5 },
	};
	static const struct pc jun[] = {
		{ TCP, 22, 40, 4 }, { TCP, 9999, 500, 50 },
		{ TCP, 135, 1400, 140 }, { UDP, 1026, 250, 25 },
		{ TCP, 445, 100, 10 }, { UDP, 1027, 400, 40 },
		{ TCP, 80, 150, 15 },
	};
	in_init(in, JUNE);
	md_days(&in->six[4], month_make(2007, 5), 2, 62, 1460, 146);
	md_ports(&in->six[4], may, 6);
	md_days(&in->six[5], JUNE, 2, 60, 2840, 284);
	md_ports(&in->six[5], jun, 7);
}

static void
test_pick_notable(void **state)
{
	struct month_input in;
	struct key out[8];

	(void)state;
	notable_input(&in);
	assert_int_equal(model_pick_notable(&in.six[4], &in.six[5], out, 2), 2);
	assert_key_port(out[0], TCP, 9999);
	assert_key_port(out[1], UDP, 1027);
	assert_int_equal(model_pick_notable(&in.six[4], &in.six[5], out, 1), 1);
	assert_key_port(out[0], TCP, 9999);
	assert_int_equal(model_pick_notable(&in.six[4], &in.six[5], out, 8), 5);
	assert_key_port(out[0], TCP, 9999);
	assert_key_port(out[1], UDP, 1027);
	assert_key_port(out[2], UDP, 1026);
	assert_key_port(out[3], TCP, 445);
	assert_key_port(out[4], TCP, 80);
	/* nothing from an empty previous month */
	assert_int_equal(model_pick_notable(&in.six[3], &in.six[5], out, 2), 0);
	month_input_finish(&in);
}

/* The traffic mix at exactly one half.  May (A = 126): 135/tcp 34,
 * 445/tcp 58, 1433/tcp 14, 80/tcp 20; June (A = 84): 135/tcp 38,
 * 445/tcp 10, 1433/tcp 27, 3389/tcp 9.  In common:
 *   135: min(34/126, 38/84) = 34/126;  445: min(58/126, 10/84) = 10/84;
 *   1433: min(14/126, 27/84) = 14/126;
 *   48/126 + 10/84 = 8/21 + 5/42 = 21/42 = 1/2 exactly.
 * Summed in key order as doubles it is 0.49999999999999994, which a
 * rounded comparison took for "below one half": the mix did not change. */
static void
test_mix_exact_half(void **state)
{
	static const struct pc may[] = {
		{ TCP, 80, 20, 2 }, { TCP, 135, 34, 3 }, { TCP, 445, 58, 5 },
		{ TCP, 1433, 14, 1 },
	};
	static const struct pc jun[] = {
		{ TCP, 135, 38, 3 }, { TCP, 445, 10, 1 }, { TCP, 1433, 27, 2 },
		{ TCP, 3389, 9, 1 },
	};
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[4], month_make(2007, 5), 2, 62, 126, 11);
	md_ports(&in.six[4], may, 4);
	md_days(&in.six[5], JUNE, 2, 60, 84, 7);
	md_ports(&in.six[5], jun, 4);
	build_ok(&in, NULL, 0, &m);
	assert_true(m.has_change);
	assert_near(m.mix_overlap, 0.5, 1e-15);
	assert_false(m.mix_changed);
	model_finish(&m);
	/* one access more for 1433/tcp in May: 49/126 + 10/84 > 1/2 still;
	 * one access less for 135/tcp in May (33/126 + 10/84 + 14/126 =
	 * 47/126 + 10/84 = 0.4960...): below one half, changed */
	in.six[4].ports[1].c.accesses = 33;
	in.six[4].ports[0].c.accesses = 21;   /* May's A stays 126 */
	build_ok(&in, NULL, 0, &m);
	assert_true(m.mix_changed);
	model_finish(&m);
	month_input_finish(&in);
}

/* A reduced month's その他 cell is never a notable port, however much it
 * grew: May 135/tcp 10 and the rest 100; June 135/tcp 40 and the rest
 * 1,000 (N = 62 and 60).  Only 135/tcp qualifies (0.1613 -> 0.6667 a
 * sensor-day, 4.1x). */
static void
test_pick_notable_skips_other(void **state)
{
	struct month_input in;
	struct key out[2];

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[4], month_make(2007, 5), 2, 62, 110, 11);
	md_days(&in.six[5], JUNE, 2, 60, 1040, 104);
	for (int m = 4; m <= 5; m++) {
		struct month_data *d = &in.six[m];

		d->nports = 2;
		d->ports = calloc(2, sizeof(*d->ports));
		assert_non_null(d->ports);
		d->ports[0].key = key_other();
		d->ports[0].c.accesses = m == 4 ? 100 : 1000;
		d->ports[0].c.sources = m == 4 ? 10 : 100;
		d->ports[1].key = key_port(TCP, 135);
		d->ports[1].c.accesses = m == 4 ? 10 : 40;
		d->ports[1].c.sources = m == 4 ? 1 : 4;
	}
	assert_int_equal(model_pick_notable(&in.six[4], &in.six[5], out, 2), 1);
	assert_key_port(out[0], TCP, 135);
	month_input_finish(&in);
}

/* The reduced months a store may hand over (month_input.mix_given): M-1
 * and M with only the ports the model can use one by one, each with both
 * months' counts, and the rest summed into one その他 cell a month, give
 * the same model as the whole months.  The months are 400 ports drawn
 * from a fixed sequence, with ports that rise from nothing to below M's
 * top 10 (notable candidates), M-1's top ports that vanish in M (falls)
 * and ties at the tenth place. */
static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

static int64_t
reduced_kth(const struct month_data *d, bool acc)
{
	int64_t best[MODEL_TOP];
	size_t n = 0;

	for (size_t i = 0; i < d->nports; i++) {
		int64_t v = acc ? d->ports[i].c.accesses : d->ports[i].c.sources;
		size_t j;

		if (v <= 0 || (n == MODEL_TOP && v <= best[n - 1]))
			continue;
		j = n < MODEL_TOP ? n++ : n - 1;
		while (j > 0 && best[j - 1] < v) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = v;
	}
	return n == MODEL_TOP ? best[MODEL_TOP - 1] : 1;
}

static void
reduced_months(struct month_input *in, const struct key *pins, size_t npins,
    const struct month_model *whole)
{
	struct month_data *p = &in->six[4], *c = &in->six[5], six_sum = { 0 };
	struct cell *np, *nc;
	size_t kp = 0, kc = 0;
	int64_t va, vs, vc, vcs, vp, op_a = 0, op_s = 0, oc_a = 0, oc_s = 0;

	/* the six months' sums per port (the months share one key set) */
	six_sum.nports = c->nports;
	six_sum.ports = calloc(c->nports, sizeof(*six_sum.ports));
	assert_non_null(six_sum.ports);
	for (size_t i = 0; i < c->nports; i++) {
		six_sum.ports[i].key = c->ports[i].key;
		for (int m = 0; m < MODEL_MONTHS; m++) {
			six_sum.ports[i].c.accesses += in->six[m].ports[i].c.accesses;
			six_sum.ports[i].c.sources += in->six[m].ports[i].c.sources;
		}
	}
	va = reduced_kth(&six_sum, true);
	vs = reduced_kth(&six_sum, false);
	vc = reduced_kth(c, true);
	vcs = reduced_kth(c, false);
	vp = reduced_kth(p, true);
	np = calloc(p->nports + 1, sizeof(*np));
	nc = calloc(c->nports + 1, sizeof(*nc));
	assert_non_null(np);
	assert_non_null(nc);
	for (size_t i = 0; i < c->nports; i++) {
		const struct cell *x = &p->ports[i], *y = &c->ports[i];
		double cr = (double)y->c.accesses / (double)c->sensor_days;
		double pr = (double)x->c.accesses / (double)p->sensor_days;
		bool keep = six_sum.ports[i].c.accesses >= va ||
		    six_sum.ports[i].c.sources >= vs ||
		    (y->c.accesses > 0 && y->c.accesses >= vc) ||
		    (y->c.sources > 0 && y->c.sources >= vcs) ||
		    (x->c.accesses > 0 && x->c.accesses >= vp) ||
		    (y->c.accesses > 0 && cr - pr >= MODEL_NOTABLE_MIN_SHARE *
		    ((double)c->total.accesses / (double)c->sensor_days) *
		    0.999999);

		for (size_t k = 0; k < npins; k++)
			keep = keep || key_equal(&pins[k], &y->key);
		if (keep) {
			if (x->c.accesses || x->c.sources)
				np[kp++] = *x;
			if (y->c.accesses || y->c.sources)
				nc[kc++] = *y;
		} else {
			op_a += x->c.accesses;
			op_s += x->c.sources;
			oc_a += y->c.accesses;
			oc_s += y->c.sources;
		}
	}
	/* the summed cells first, as the ClickHouse store orders them */
	memmove(np + 1, np, kp * sizeof(*np));
	memmove(nc + 1, nc, kc * sizeof(*nc));
	np[0].key = nc[0].key = key_other();
	np[0].c.accesses = op_a;
	np[0].c.sources = op_s;
	nc[0].c.accesses = oc_a;
	nc[0].c.sources = oc_s;
	assert_true(kc < c->nports / 2);   /* a real reduction */
	free(p->ports);
	free(c->ports);
	free(six_sum.ports);
	p->ports = np;
	p->nports = kp + 1;
	c->ports = nc;
	c->nports = kc + 1;
	in->mix_given = true;
	in->mix_overlap = whole->mix_overlap;
	in->mix_changed = whole->mix_changed;
}

static void
reduced_input(struct month_input *in)
{
	uint32_t x = 7;

	in_init(in, JUNE);
	for (int m = 0; m < MODEL_MONTHS; m++) {
		struct month_data *d = &in->six[m];
		int64_t a = 0, s = 0;

		d->nports = 400;
		d->ports = calloc(d->nports, sizeof(*d->ports));
		assert_non_null(d->ports);
		for (size_t i = 0; i < d->nports; i++) {
			uint32_t r = lcg(&x);
			/* a long tail, a few heavy ports, ties at 5,000 */
			int64_t v = i < 8 ? 20000 + (int64_t)(r % 9000) :
			    i < 14 ? 5000 : (int64_t)(r % 1500);

			if (m == 5 && i >= 200 && i < 206)
				v = 700 + (int64_t)i;     /* new in June */
			if (m == 4 && i >= 200 && i < 206)
				v = 0;
			if (m == 5 && (i == 3 || i == 5))
				v = 0;                   /* gone in June */
			if (m == 3 && i == 9)
				v = 0;                   /* a gap in March */
			d->ports[i].key = key_port(i % 3 == 0 ? UDP : TCP,
			    (int)(i * 131 % 65536));
			d->ports[i].c.accesses = v;
			d->ports[i].c.sources = v ? v / 3 + (int64_t)(r % 7) : 0;
			a += v;
			s += d->ports[i].c.sources;
		}
		md_days(d, in->six[m].month, 4, 4 * month_days(in->six[m].month),
		    a, s);
	}
}

static void
assert_same_breakdown(const struct breakdown *a, const struct breakdown *b)
{
	assert_int_equal(a->nkeys, b->nkeys);
	for (size_t i = 0; i < a->nkeys; i++) {
		assert_true(key_equal(&a->keys[i], &b->keys[i]));
		assert_int_equal(a->totals[i], b->totals[i]);
		assert_true(a->shares[i] == b->shares[i]);
	}
}

static void
assert_same_six(const struct six_shares *a, const struct six_shares *b)
{
	assert_int_equal(a->nkeys, b->nkeys);
	for (size_t i = 0; i < a->nkeys; i++) {
		assert_true(key_equal(&a->keys[i], &b->keys[i]));
		for (int m = 0; m < MODEL_MONTHS; m++)
			assert_int_equal(a->values[m][i], b->values[m][i]);
	}
}

static void
assert_same_changes(const struct port_change *a, size_t na,
    const struct port_change *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_true(key_equal(&a[i].key, &b[i].key));
		assert_int_equal(a[i].prev, b[i].prev);
		assert_int_equal(a[i].cur, b[i].cur);
		assert_true(a[i].delta == b[i].delta);
		assert_int_equal(a[i].in_month_figure, b[i].in_month_figure);
		assert_int_equal(a[i].in_six_figure, b[i].in_six_figure);
	}
}

static void
test_reduced_months_same_model(void **state)
{
	const struct key pin[2] = { key_port(TCP, 131 * 301 % 65536),
		key_port(TCP, 131 * 302 % 65536) };
	struct month_input in;
	struct month_model whole, red;

	(void)state;
	for (int pinned = 0; pinned < 2; pinned++) {
		const struct key *pins = pinned ? pin : NULL;
		size_t npins = pinned ? 2 : 0;

		reduced_input(&in);
		build_ok(&in, pins, npins, &whole);
		reduced_months(&in, pins, npins, &whole);
		build_ok(&in, pins, npins, &red);
		assert_same_breakdown(&whole.ports_acc, &red.ports_acc);
		assert_same_breakdown(&whole.ports_src, &red.ports_src);
		assert_same_six(&whole.six_ports_acc, &red.six_ports_acc);
		assert_same_six(&whole.six_ports_src, &red.six_ports_src);
		assert_same_changes(whole.rises, whole.nrises, red.rises,
		    red.nrises);
		assert_same_changes(whole.falls, whole.nfalls, red.falls,
		    red.nfalls);
		assert_true(whole.nrises + whole.nfalls > 0);
		assert_int_equal(whole.nnotable, red.nnotable);
		assert_true(whole.nnotable > 0);
		for (size_t i = 0; i < whole.nnotable; i++) {
			assert_true(key_equal(&whole.notable[i].key,
			    &red.notable[i].key));
			assert_int_equal(whole.notable[i].prev,
			    red.notable[i].prev);
			assert_int_equal(whole.notable[i].cur, red.notable[i].cur);
			assert_string_equal(whole.notable[i].ratio_text,
			    red.notable[i].ratio_text);
		}
		/* the notable ports are below June's top 10: the reduction
		 * had to keep them for their rise alone */
		for (size_t i = 0; i < whole.nnotable; i++)
			for (size_t k = 0; k < whole.ports_acc.nkeys; k++)
				assert_false(key_equal(&whole.notable[i].key,
				    &whole.ports_acc.keys[k]));
		assert_true(whole.mix_changed == red.mix_changed);
		model_finish(&whole);
		model_finish(&red);
		month_input_finish(&in);
	}
}

/* A rise that is a trace of the month is not notable: June A = 300,000
 * over N = 300 (1,000 a sensor-day), so a pick needs +1.0 a sensor-day.
 * 61293/tcp 16 -> 42 (rates 16/310 = 0.0516 -> 0.14, +0.0884): no.
 * 1434/udp 0 -> 300 (+1.0 exactly, new): yes.  135/tcp carries the rest,
 * flat per sensor-day (299,658 / 300 = 998.86 vs 309,700 / 310 = 999.03). */
static void
test_pick_notable_floor(void **state)
{
	static const struct pc may[] = {
		{ TCP, 135, 309700, 30970 }, { TCP, 61293, 16, 2 },
	};
	static const struct pc jun[] = {
		{ TCP, 135, 299658, 29965 }, { TCP, 61293, 42, 5 },
		{ UDP, 1434, 300, 30 },
	};
	struct month_input in;
	struct month_model m;
	struct key out[4];

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[4], month_make(2007, 5), 10, 310, 309716, 30972);
	md_ports(&in.six[4], may, 2);
	md_days(&in.six[5], JUNE, 10, 300, 300000, 30000);
	md_ports(&in.six[5], jun, 3);
	assert_int_equal(model_pick_notable(&in.six[4], &in.six[5], out, 4), 1);
	assert_key_port(out[0], UDP, 1434);
	/* the same floor for rises and falls (0.1 % of the larger month's
	 * rate, 999.09 in May = 309,716 / 310): 61293/tcp is no rise */
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.nnotable, 1);
	assert_int_equal(m.nrises, 1);
	assert_key_port(m.rises[0].key, UDP, 1434);
	assert_int_equal(m.nfalls, 0);
	model_finish(&m);
	month_input_finish(&in);
}

static void
test_notable_auto(void **state)
{
	struct month_input in;
	struct month_model m;

	(void)state;
	notable_input(&in);
	build_ok(&in, NULL, 0, &m);
	assert_true(m.has_prev);
	assert_int_equal(m.nnotable, 2);
	/* 9999/tcp: new in June, no ratio */
	assert_key_port(m.notable[0].key, TCP, 9999);
	assert_true(m.notable[0].is_new);
	assert_true(m.notable[0].has_prev);
	assert_false(m.notable[0].has_ratio);
	assert_true(m.notable[0].no_data_prev);
	assert_false(m.notable[0].no_data_cur);
	assert_int_equal(m.notable[0].prev, 0);
	assert_int_equal(m.notable[0].cur, 500);
	assert_near(m.notable[0].prev_rate, 0.0, 0);
	assert_near(m.notable[0].cur_rate, 500.0 / 60, 1e-12);
	assert_true(isnan(m.notable[0].ratio));
	assert_string_equal(m.notable[0].ratio_text, "前月なし");
	assert_false(m.notable[0].pinned);
	/* 1027/udp: rates 200/62 -> 400/60, ratio 62/30 = 2.0667 */
	assert_key_port(m.notable[1].key, UDP, 1027);
	assert_int_equal(m.notable[1].prev, 200);
	assert_int_equal(m.notable[1].cur, 400);
	assert_near(m.notable[1].prev_rate, 200.0 / 62, 1e-12);
	assert_near(m.notable[1].cur_rate, 400.0 / 60, 1e-12);
	assert_near(m.notable[1].ratio, 62.0 / 30, 1e-12);
	assert_true(m.notable[1].has_ratio);
	assert_false(m.notable[1].is_new);
	assert_near(m.notable[1].ratio_display, 2.0, 0);
	assert_false(m.notable[1].ratio_ten_plus);
	assert_string_equal(m.notable[1].ratio_text, "約2倍");
	assert_false(m.notable[1].pinned);
	assert_int_equal(m.notable[1].ndays_prev, 31);
	assert_int_equal(m.notable[1].ndays_cur, 30);
	/* the dominant country is not known before model_notable_fill */
	assert_key_other(m.notable[0].dominant);
	assert_false(m.notable[0].has_dominant);
	model_finish(&m);
	month_input_finish(&in);
}

/* Rises in the notable fixture (rates, see above), capped at three:
 * 9999/tcp +8.3333 (new), 135/tcp 16.1290 -> 23.3333 = +7.2043 (1.45x: a
 * rise from 1.25x although not notable), 1027/udp +3.4409; then 1026/udp
 * +2.5538, 445/tcp +1.5054, 80/tcp +0.8871 are left out.  22/tcp
 * 0.8065 -> 0.6667 is 1.21x down: not a fall (below 1.25x). */
static void
test_rises_cap(void **state)
{
	struct month_input in;
	struct month_model m;

	(void)state;
	notable_input(&in);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.nrises, 3);
	assert_key_port(m.rises[0].key, TCP, 9999);
	assert_true(m.rises[0].is_new);
	assert_true(isnan(m.rises[0].ratio));
	assert_key_port(m.rises[1].key, TCP, 135);
	assert_near(m.rises[1].delta, 1400.0 / 60 - 1000.0 / 62, 1e-12);
	assert_near(m.rises[1].ratio, 1400.0 * 62 / (1000.0 * 60), 1e-12);
	assert_false(m.rises[1].is_new);
	assert_true(m.rises[1].in_month_figure);
	assert_key_port(m.rises[2].key, UDP, 1027);
	assert_int_equal(m.nfalls, 0);
	model_finish(&m);
	month_input_finish(&in);
}

static void
test_notable_pinned(void **state)
{
	struct month_input in;
	struct month_model m;
	struct key pins[2];

	(void)state;
	notable_input(&in);
	pins[0] = key_port(TCP, 135);
	pins[1] = key_port(TCP, 9999);
	build_ok(&in, pins, 2, &m);
	assert_int_equal(m.nnotable, 2);
	assert_key_port(m.notable[0].key, TCP, 135);
	assert_true(m.notable[0].pinned);
	assert_int_equal(m.notable[0].prev, 1000);
	assert_int_equal(m.notable[0].cur, 1400);
	assert_string_equal(m.notable[0].ratio_text, "約1.4倍");
	/* (1400/60) / (1000/62) = 1.4467 */
	assert_near(m.notable[0].ratio, 1400.0 * 62 / (1000.0 * 60), 1e-12);
	assert_near(m.notable[0].ratio_display, 1.4, 1e-12);
	assert_key_port(m.notable[1].key, TCP, 9999);
	assert_true(m.notable[1].pinned);
	assert_int_equal(m.notable[1].prev, 0);
	assert_int_equal(m.notable[1].cur, 500);
	assert_string_equal(m.notable[1].ratio_text, "前月なし");
	model_finish(&m);
	/* one pin: only that port, no automatic second */
	build_ok(&in, pins, 1, &m);
	assert_int_equal(m.nnotable, 1);
	assert_key_port(m.notable[0].key, TCP, 135);
	model_finish(&m);
	month_input_finish(&in);
}

/* Only M has data: no notable port, no ratio against an empty month. */
static void
test_notable_none_without_prev(void **state)
{
	static const struct pc jun[] = { { UDP, 1026, 250, 25 } };
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 1, 30, 250, 25);
	md_ports(&in.six[5], jun, 1);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.nnotable, 0);
	model_finish(&m);
	month_input_finish(&in);
}

static void
test_ratio_text(void **state)
{
	static const struct { double r; const char *text; } cases[] = {
		{ 1.96, "約2倍" }, { 2.0, "約2倍" }, { 2.6, "約3倍" },
		{ 1.6, "約1.6倍" }, { 1.94, "約1.9倍" }, { 1.5, "約1.5倍" },
		{ 2.4, "約2倍" }, { 3.49, "約3倍" }, { 10.2, "10倍以上" },
		{ 9.6, "約10倍" }, { 29716.0, "10倍以上" }, { 1.15, "約1.2倍" },
		{ 1.25, "約1.3倍" }, { 2.5, "約3倍" },
		{ 1.949, "約1.9倍" }, { 1.95, "約2倍" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		model_ratio_text(cases[i].r, buf, sizeof(buf));
		if (strcmp(buf, cases[i].text) != 0) {
			print_error("ratio %g: '%s', expected '%s'\n", cases[i].r,
			    buf, cases[i].text);
			fail();
		}
	}
}

/* ---- notable daily series and dominant country ----
 * 1027/udp (notable[0], June total 400), rows:
 *   31 May CN 40, US 10 (May: 2 sensors)  -> pos 30: CN 20, US 5
 *    1 Jun CN 300 (2 sensors)             -> pos 31: CN 150
 *    2 Jun US 60, KR 40 (1 sensor on 2 June) -> pos 32: US 60, KR 40
 * Countries over both months: CN 340, US 70, KR 40 -> no その他.
 * Dominant in June: CN, 300 / 400 = 0.75.
 *
 * 1026/udp (notable[1], June total 250), rows:
 *   31 May FR 100                 -> pos 30: FR 50
 *    1 Jun CN 100 US 50 KR 40 TW 30 FR 4 -> pos 31: /2
 *    2 Jun JP 20 (1 sensor)       -> pos 32: その他 20
 *    3 Jun DE 6                   -> pos 33: その他 3
 * Both months: FR 104, CN 100, US 50, KR 40, TW 30 | JP 20, DE 6 -> その他.
 * Dominant in June: CN (100 / 250 = 0.4), not FR (4 in June).
 */
static void
test_notable_fill(void **state)
{
	const month_t may = month_make(2007, 5);
	const struct port_day_country r1027[] = {
		{ may, 31, "CN", { 40, 4 } }, { may, 31, "US", { 10, 1 } },
		{ JUNE, 1, "CN", { 300, 30 } }, { JUNE, 2, "US", { 60, 6 } },
		{ JUNE, 2, "KR", { 40, 4 } },
	};
	const struct port_day_country r1026[] = {
		{ may, 31, "FR", { 100, 10 } },
		{ JUNE, 1, "CN", { 100, 10 } }, { JUNE, 1, "US", { 50, 5 } },
		{ JUNE, 1, "KR", { 40, 4 } }, { JUNE, 1, "TW", { 30, 3 } },
		{ JUNE, 1, "FR", { 4, 1 } }, { JUNE, 2, "JP", { 20, 2 } },
		{ JUNE, 3, "DE", { 6, 1 } },
	};
	struct month_input in;
	struct month_model m;
	struct err e = { "" };
	const struct notable *n;
	const size_t nd = 61;
	struct key pins[2];

	(void)state;
	notable_input(&in);
	in.six[5].sensors_per_day[2] = 1;
	in.six[5].sensor_days = 59;
	pins[0] = key_port(UDP, 1027);
	pins[1] = key_port(UDP, 1026);
	build_ok(&in, pins, 2, &m);
	assert_int_equal(m.nnotable, 2);
	assert_true(model_notable_fill(&m, 0, r1027, 5, &e));
	n = &m.notable[0];
	assert_key_port(n->key, UDP, 1027);
	assert_key_cc(n->dominant, "CN");
	assert_near(n->dominant_share, 0.75, 1e-12);
	assert_int_equal(n->ncc, 3);
	assert_key_cc(n->cc[0], "CN");
	assert_key_cc(n->cc[1], "US");
	assert_key_cc(n->cc[2], "KR");
	assert_near(n->daily[0 * nd + 30], 20.0, 1e-12);
	assert_near(n->daily[1 * nd + 30], 5.0, 1e-12);
	assert_near(n->daily[0 * nd + 31], 150.0, 1e-12);
	assert_near(n->daily[1 * nd + 32], 60.0, 1e-12);
	assert_near(n->daily[2 * nd + 32], 40.0, 1e-12);
	assert_near(n->daily[0 * nd + 0], 0.0, 0);
	assert_near(n->daily[0 * nd + 60], 0.0, 0);
	assert_int_equal(n->cc_totals[0], 300);
	assert_int_equal(n->cc_totals[1], 60);
	assert_int_equal(n->cc_totals[2], 40);

	assert_true(model_notable_fill(&m, 1, r1026, 8, &e));
	n = &m.notable[1];
	assert_key_port(n->key, UDP, 1026);
	assert_key_cc(n->dominant, "CN");
	assert_near(n->dominant_share, 0.4, 1e-12);
	assert_int_equal(n->ncc, 6);
	assert_key_cc(n->cc[0], "FR");
	assert_key_cc(n->cc[1], "CN");
	assert_key_cc(n->cc[2], "US");
	assert_key_cc(n->cc[3], "KR");
	assert_key_cc(n->cc[4], "TW");
	assert_key_other(n->cc[5]);
	assert_near(n->daily[0 * nd + 30], 50.0, 1e-12);   /* FR 31 May */
	assert_near(n->daily[0 * nd + 31], 2.0, 1e-12);    /* FR 1 June */
	assert_near(n->daily[1 * nd + 31], 50.0, 1e-12);   /* CN 1 June */
	assert_near(n->daily[4 * nd + 31], 15.0, 1e-12);   /* TW 1 June */
	assert_near(n->daily[5 * nd + 32], 20.0, 1e-12);   /* JP -> その他 */
	assert_near(n->daily[5 * nd + 33], 3.0, 1e-12);    /* DE -> その他 */
	assert_int_equal(n->cc_totals[0], 4);
	assert_int_equal(n->cc_totals[1], 100);
	assert_int_equal(n->cc_totals[5], 26);

	/* index out of range; data outside M-1..M */
	assert_false(model_notable_fill(&m, 2, r1026, 8, &e));
	{
		const struct port_day_country bad[] = {
			{ month_make(2007, 3), 1, "CN", { 1, 1 } },
		};

		assert_false(model_notable_fill(&m, 0, bad, 1, &e));
		assert_non_null(strstr(e.msg, "2007-05"));
	}
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- trend ---- */

static void
check_trend(const double v[MODEL_MONTHS], enum trend want, double slope,
    double rel)
{
	double s = -1, r = -1;
	enum trend t = model_trend(v, &s, &r);

	if (t != want) {
		print_error("trend %d, expected %d (slope %g, relative %g)\n",
		    t, want, s, r);
		fail();
	}
	assert_near(s, slope, 1e-9);
	assert_near(r, rel, 1e-9);
}

static void
test_trend(void **state)
{
	/* flat: deviations from 500 are 0,+1,-1,0,0,0; x deviations -2.5..2.5
	 * -> Sxy = -1.5 + 0.5 = -1, Sxx = 17.5: slope -0.057142857,
	 * relative -0.057142857 / 500 = -0.000114286 */
	const double flat[] = { 500, 501, 499, 500, 500, 500 };
	/* gently down 28 a month from 1000: mean 930, -28/930 = -3.0108 % */
	const double gdown[] = { 1000, 972, 944, 916, 888, 860 };
	/* up 10 a month from 100: mean 125, 10/125 = 8 % */
	const double up[] = { 100, 110, 120, 130, 140, 150 };
	/* gently up 2 a month: mean 105, 2/105 = 1.905 % */
	const double gup[] = { 100, 102, 104, 106, 108, 110 };
	/* down 10 a month: mean 125, -8 % */
	const double down[] = { 150, 140, 130, 120, 110, 100 };
	/* exactly 5 %: slope 5, mean 100 -> clearly up */
	const double five[] = { 87.5, 92.5, 97.5, 102.5, 107.5, 112.5 };
	/* gaps: x = 1, 3, 4, 5 on a line of slope 10; mean 122.5 */
	const double gaps[] = { NAN, 100, NAN, 120, 130, 140 };
	/* two months only */
	const double two[] = { NAN, NAN, NAN, NAN, 100, 200 };
	/* three months: the minimum; slope -10, mean 100 */
	const double three[] = { NAN, NAN, NAN, 110, 100, 90 };
	/* all zero (no traffic at all) */
	const double zero[] = { 0, 0, 0, 0, 0, 0 };

	(void)state;
	check_trend(flat, TREND_FLAT, -0.05714285714285714,
	    -0.00011428571428571428);
	check_trend(gdown, TREND_DOWN_GENTLE, -28.0, -0.030107526881720432);
	check_trend(up, TREND_UP, 10.0, 0.08);
	check_trend(gup, TREND_UP_GENTLE, 2.0, 0.01904761904761905);
	check_trend(down, TREND_DOWN, -10.0, -0.08);
	check_trend(five, TREND_UP, 5.0, 0.05);
	check_trend(gaps, TREND_UP, 10.0, 0.08163265306122448);
	check_trend(two, TREND_UNKNOWN, 0.0, 0.0);
	check_trend(three, TREND_DOWN, -10.0, -0.1);
	check_trend(zero, TREND_FLAT, 0.0, 0.0);
}

/* ---- no data ---- */

static void
test_no_data(void **state)
{
	static const struct pc may[] = { { TCP, 135, 100, 10 } };
	struct month_input in;
	struct month_model m;
	struct err e = { "" };

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[4], month_make(2007, 5), 1, 31, 100, 10);
	md_ports(&in.six[4], may, 1);
	assert_false(model_build(&in, NULL, 0, &m, &e));
	assert_non_null(strstr(e.msg, "2007-06"));
	assert_null(strchr(e.msg, '\n'));
	model_finish(&m);   /* safe after a failure */
	month_input_finish(&in);
	/* an entirely empty input too */
	in_init(&in, month_make(2010, 12));
	assert_false(model_build(&in, NULL, 0, &m, &e));
	assert_non_null(strstr(e.msg, "2010-12"));
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- zero traffic: only marker rows (observed, A = 0) ---- */

static int
finite_all(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

static void
test_zero_traffic(void **state)
{
	struct month_input in;
	struct month_model m;
	const struct breakdown *bs[4];

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[4], month_make(2007, 5), 2, 62, 0, 0);
	md_days(&in.six[5], JUNE, 2, 60, 0, 0);
	build_ok(&in, NULL, 0, &m);
	assert_true(m.cur->has_data);
	assert_near(m.cur->accesses_per_sensor_day, 0.0, 0);
	assert_near(m.cur->sources_per_sensor_day, 0.0, 0);
	assert_near(m.cur->accesses_per_source, 0.0, 0);
	bs[0] = &m.ports_acc;
	bs[1] = &m.ports_src;
	bs[2] = &m.cc_acc;
	bs[3] = &m.cc_src;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(bs[i]->nkeys, 0);       /* no その他 */
		assert_int_equal(bs[i]->total, 0);
		assert_non_null(bs[i]->daily);
	}
	assert_int_equal(m.six_ports_acc.nkeys, 0);
	assert_int_equal(m.six_cc_src.nkeys, 0);
	for (int i = 0; i < MODEL_MONTHS; i++)
		assert_near(m.six_ports_acc.shares[i][0], 0.0, 0);
	assert_int_equal(m.nnotable, 0);
	assert_int_equal(m.trend, TREND_UNKNOWN);   /* two months of data */
	assert_true(isfinite(m.trend_slope) && isfinite(m.trend_relative));
	model_finish(&m);
	month_input_finish(&in);
}

/* Zero traffic but port cells present with 0 counts (what a store might
 * hand over): still no その他, shares 0, daily finite. */
static void
test_zero_traffic_cells(void **state)
{
	static const struct pc jun[] = { { TCP, 135, 0, 0 }, { TCP, 445, 0, 0 } };
	static const struct dpc dp[] = { { 1, TCP, 135, 0, 0 } };
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 2, 60, 0, 0);
	md_ports(&in.six[5], jun, 2);
	in_day_ports(&in, dp, 1);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.ports_acc.nkeys, 0);
	assert_true(finite_all(m.ports_acc.daily, 30));
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- colour slots ----
 * June accesses: 135/tcp, 445/tcp, icmp 8; sources order 445, 135, icmp 8
 * (basic fixture).  May adds 22/tcp with 10,000 accesses, so the six-month
 * top has 22/tcp too; it comes after June's ports.  Countries: CN, US, JP;
 * May adds KR.
 */
static void
test_color_slots(void **state)
{
	static const struct pc may[] = { { TCP, 22, 10000, 1000 } };
	static const struct cc mayc[] = { { "KR", 10000, 1000 } };
	struct month_input in;
	struct month_model m;
	struct key k;

	(void)state;
	basic_input(&in);
	md_days(&in.six[4], month_make(2007, 5), 1, 31, 10000, 1000);
	md_ports(&in.six[4], may, 1);
	md_countries(&in.six[4], mayc, 1);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.nport_slots, 4);
	k = key_port(TCP, 135);
	assert_int_equal(model_color_slot(&m, &k), 0);
	k = key_port(TCP, 445);
	assert_int_equal(model_color_slot(&m, &k), 1);
	k = key_port(ICMP, 8);
	assert_int_equal(model_color_slot(&m, &k), 2);
	k = key_port(TCP, 22);
	assert_int_equal(model_color_slot(&m, &k), 3);
	k = key_port(TCP, 23);
	assert_int_equal(model_color_slot(&m, &k), -1);
	k = key_other();
	assert_int_equal(model_color_slot(&m, &k), -1);
	k = key_country("CN");
	assert_int_equal(model_color_slot(&m, &k), 0);
	k = key_country("KR");
	assert_int_equal(model_color_slot(&m, &k), 3);
	/* ports and countries apart */
	assert_int_equal(m.ncc_slots, 4);
	/* every key of every figure has its one slot: the slot of a port is
	 * the same whichever figure asks (no duplicates in the table) */
	for (size_t i = 0; i < m.nport_slots; i++)
		for (size_t j = i + 1; j < m.nport_slots; j++)
			assert_false(key_equal(&m.port_slots[i],
			    &m.port_slots[j]));
	for (size_t i = 0; i < m.ports_src.nkeys; i++)
		assert_true(model_color_slot(&m, &m.ports_src.keys[i]) >= 0);
	for (size_t i = 0; i < m.six_ports_acc.nkeys; i++)
		if (m.six_ports_acc.keys[i].kind != KEY_OTHER)
			assert_true(model_color_slot(&m,
			    &m.six_ports_acc.keys[i]) >= 0);
	/* the same port in 2.2.1 (index 1 of ports_src is 135/tcp) and in
	 * 3.1.1 (index 1 of the six-month top: 135/tcp 700 after 22/tcp) */
	assert_key_port(m.ports_src.keys[1], TCP, 135);
	assert_key_port(m.six_ports_acc.keys[1], TCP, 135);
	assert_int_equal(model_color_slot(&m, &m.ports_src.keys[1]),
	    model_color_slot(&m, &m.six_ports_acc.keys[1]));
	assert_int_equal(model_color_slot(&m, &m.ports_src.keys[1]),
	    model_color_slot(&m, &m.ports_acc.keys[0]));
	model_finish(&m);
	month_input_finish(&in);
}

/* Notable ports and their countries get slots too. */
static void
test_color_slots_notable(void **state)
{
	const struct port_day_country rows[] = {
		{ JUNE, 1, "BR", { 400, 40 } },
	};
	struct month_input in;
	struct month_model m;
	struct err e = { "" };
	struct key k;

	(void)state;
	notable_input(&in);
	build_ok(&in, NULL, 0, &m);
	k = key_port(UDP, 1027);
	assert_true(model_color_slot(&m, &k) >= 0);
	k = key_country("BR");
	assert_int_equal(model_color_slot(&m, &k), -1);
	assert_true(model_notable_fill(&m, 0, rows, 1, &e));
	assert_true(model_color_slot(&m, &k) >= 0);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- counts above 2^32 ----
 * 11 ports, one sensor on one day (N = 1 ... the rest unobserved):
 *   port 1000+i/tcp: 2^32 + i accesses, i = 1..11; sources 1 each.
 * Total = 11 * 4,294,967,296 + 66 = 47,244,640,322.
 * Top 10 = i 11..2; その他 = port 1001 = 4,294,967,297.
 */
static void
test_big_counts(void **state)
{
	struct pc ports[11];
	struct dpc dp[1] = { { 1, TCP, 1011, 4294967307LL, 1 } };
	struct month_input in;
	struct month_model m;

	(void)state;
	for (int i = 1; i <= 11; i++) {
		ports[i - 1].proto = TCP;
		ports[i - 1].port = 1000 + i;
		ports[i - 1].a = 4294967296LL + i;
		ports[i - 1].s = 1;
	}
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 1, 1, 47244640322LL, 11);
	for (int d = 2; d <= 30; d++)
		in.six[5].sensors_per_day[d] = 0;
	md_ports(&in.six[5], ports, 11);
	in_day_ports(&in, dp, 1);
	build_ok(&in, NULL, 0, &m);
	assert_true(m.cur->total.accesses == 47244640322LL);
	assert_near(m.cur->accesses_per_sensor_day, 47244640322.0, 0);
	assert_near(m.cur->accesses_per_source, 4294967302.0, 1e-3);
	assert_int_equal(m.ports_acc.nkeys, 11);
	assert_key_port(m.ports_acc.keys[0], TCP, 1011);
	assert_true(m.ports_acc.totals[0] == 4294967307LL);
	assert_key_port(m.ports_acc.keys[9], TCP, 1002);
	assert_key_other(m.ports_acc.keys[10]);
	assert_true(m.ports_acc.totals[10] == 4294967297LL);
	assert_near(daily(&m.ports_acc, 0, 1), 4294967307.0, 0);
	assert_true(m.six_ports_acc.values[5][10] == 4294967297LL);
	assert_near(m.ports_acc.shares[10], 0.09090909090909090, 1e-9);
	/* sources: all tie at 1 -> ports 1001..1010 by key order, 1011 in
	 * その他 */
	assert_key_port(m.ports_src.keys[0], TCP, 1001);
	assert_key_other(m.ports_src.keys[10]);
	assert_int_equal(m.ports_src.totals[10], 1);
	/* the outage: 29 days missing for the one sensor */
	assert_true(m.outage_same_days);
	assert_int_equal(m.nmissing, 29);
	model_finish(&m);
	month_input_finish(&in);
}

/* Notable selection with counts above 2^32: 1.5x compared exactly. */
static void
test_big_counts_notable(void **state)
{
	/* 4,000,000,000 -> 6,000,000,000 is exactly 1.5x (+2e9);
	 * 5,000,000,000 -> 7,499,999,999 is just below 1.5x */
	static const struct pc may[] = {
		{ TCP, 1, 4000000000LL, 1 }, { TCP, 2, 5000000000LL, 1 },
	};
	static const struct pc jun[] = {
		{ TCP, 1, 6000000000LL, 1 }, { TCP, 2, 7499999999LL, 1 },
	};
	struct month_input in;
	struct key out[2];

	(void)state;
	in_init(&in, JUNE);
	md_days(&in.six[4], month_make(2007, 5), 1, 31, 9000000000LL, 2);
	in.six[4].sensors_per_day[31] = 0;   /* N = 30 in both months: the */
	in.six[4].sensor_days = 30;          /* rates compare as the sums */
	md_ports(&in.six[4], may, 2);
	md_days(&in.six[5], JUNE, 1, 30, 13499999999LL, 2);
	md_ports(&in.six[5], jun, 2);
	assert_int_equal(model_pick_notable(&in.six[4], &in.six[5], out, 2), 1);
	assert_key_port(out[0], TCP, 1);
	month_input_finish(&in);
}

/* ---- 250 countries ----
 * Country i (0..249) has code 'A'+i/26, 'A'+i%26 and i+1 accesses and
 * 1 source.  Total 250*251/2 = 31,375.  Top 10: i = 249..240, codes JP..JG,
 * accesses 250..241, sum 2,455; その他 = 31,375 - 2,455 = 28,920.
 */
static void
test_250_countries(void **state)
{
	struct cc ccs[250];
	char codes[250][3];
	struct month_input in;
	struct month_model m;
	double sum = 0;

	(void)state;
	for (int i = 0; i < 250; i++) {
		codes[i][0] = (char)('A' + i / 26);
		codes[i][1] = (char)('A' + i % 26);
		codes[i][2] = '\0';
		ccs[i].cc = codes[i];
		ccs[i].a = i + 1;
		ccs[i].s = 1;
	}
	in_init(&in, JUNE);
	md_days(&in.six[5], JUNE, 1, 30, 31375, 250);
	md_countries(&in.six[5], ccs, 250);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.cc_acc.nkeys, 11);
	assert_key_cc(m.cc_acc.keys[0], "JP");
	assert_key_cc(m.cc_acc.keys[9], "JG");
	assert_key_other(m.cc_acc.keys[10]);
	assert_int_equal(m.cc_acc.totals[0], 250);
	assert_int_equal(m.cc_acc.totals[10], 28920);
	for (size_t i = 0; i < m.cc_acc.nkeys; i++)
		sum += m.cc_acc.shares[i];
	assert_near(sum, 1.0, 1e-12);
	/* sources tie at 1: AA..AJ by code, その他 240 */
	assert_key_cc(m.cc_src.keys[0], "AA");
	assert_key_cc(m.cc_src.keys[9], "AJ");
	assert_int_equal(m.cc_src.totals[10], 240);
	assert_int_equal(m.six_cc_acc.values[5][10], 28920);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- 65,536 ports, in May and June ----
 * Port p/tcp (p = 0..65535) has p+1 accesses in June and in May, 1 source.
 * June total: 65536*65537/2 = 2,147,516,416.  Top 10: ports 65535..65526,
 * accesses 65536..65527, sum 655,315; その他 2,146,861,101.
 * Sources tie at 1: ports 0..9, その他 65,526.
 * Nothing grew: no notable port.  Must finish within seconds: a month of a
 * large telescope holds every port.
 */
static void
test_65536_ports(void **state)
{
	struct pc *ports = calloc(65536, sizeof(*ports));
	struct month_input in;
	struct month_model m;
	struct timespec t0, t1;
	double secs;

	(void)state;
	assert_non_null(ports);
	for (int p = 0; p < 65536; p++) {
		ports[p].proto = TCP;
		ports[p].port = p;
		ports[p].a = p + 1;
		ports[p].s = 1;
	}
	in_init(&in, JUNE);
	md_days(&in.six[4], month_make(2007, 5), 1, 31, 2147516416LL, 65536);
	md_ports(&in.six[4], ports, 65536);
	md_days(&in.six[5], JUNE, 1, 30, 2147516416LL, 65536);
	md_ports(&in.six[5], ports, 65536);
	free(ports);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	build_ok(&in, NULL, 0, &m);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(m.ports_acc.nkeys, 11);
	assert_key_port(m.ports_acc.keys[0], TCP, 65535);
	assert_key_port(m.ports_acc.keys[9], TCP, 65526);
	assert_key_other(m.ports_acc.keys[10]);
	assert_true(m.ports_acc.totals[10] == 2146861101LL);
	assert_key_port(m.ports_src.keys[0], TCP, 0);
	assert_key_port(m.ports_src.keys[9], TCP, 9);
	assert_int_equal(m.ports_src.totals[10], 65526);
	assert_int_equal(m.six_ports_acc.nkeys, 11);
	assert_true(m.six_ports_acc.values[4][10] == 2146861101LL);
	assert_int_equal(m.nnotable, 0);
	if (secs > 5.0) {
		print_error("model_build took %.1f s for 65,536 ports in two "
		    "months (quadratic?)\n", secs);
		fail();
	}
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- months ---- */

static void
test_months(void **state)
{
	month_t m;

	(void)state;
	assert_true(month_parse("2007-06", &m));
	assert_int_equal(m, month_make(2007, 6));
	assert_int_equal(month_year(m), 2007);
	assert_int_equal(month_mon(m), 6);
	assert_int_equal(month_mon(m - 6), 12);
	assert_int_equal(month_year(m - 6), 2006);
	assert_int_equal(month_days(month_make(2007, 2)), 28);
	assert_int_equal(month_days(month_make(2008, 2)), 29);
	assert_int_equal(month_days(month_make(1900, 2)), 28);
	assert_int_equal(month_days(month_make(2000, 2)), 29);
	assert_int_equal(month_days(month_make(2007, 5)), 31);
	assert_false(month_parse("2007-13", &m));
	assert_false(month_parse("2007-00", &m));
	assert_false(month_parse("2007-6", &m));
	assert_false(month_parse("07-06-01", &m));
	assert_false(month_parse("1969-12", &m));
}

/* January: M-1 is December of the year before, M-5 is August. */
static void
test_year_boundary(void **state)
{
	static const struct pc dec[] = { { UDP, 1026, 100, 10 } };
	static const struct pc jan[] = { { UDP, 1026, 300, 30 } };
	struct month_input in;
	struct month_model m;

	(void)state;
	in_init(&in, month_make(2008, 1));
	md_days(&in.six[4], month_make(2007, 12), 1, 31, 100, 10);
	md_ports(&in.six[4], dec, 1);
	md_days(&in.six[5], month_make(2008, 1), 1, 31, 300, 30);
	md_ports(&in.six[5], jan, 1);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.ndays, 31);
	assert_int_equal(m.six[0].month, month_make(2007, 8));
	assert_int_equal(m.six[4].month, month_make(2007, 12));
	assert_int_equal(m.nnotable, 1);
	assert_string_equal(m.notable[0].ratio_text, "約3倍");
	assert_int_equal(m.notable[0].ndays_prev, 31);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- ratio display, ICMP classes ---- */

static void
test_ratio_display(void **state)
{
	static const struct { double r, want; bool ten; } cases[] = {
		{ 1.5, 1.5, false }, { 1.949, 1.9, false },
		{ 1.95, 2.0, false },  /* 2.0 at one decimal: from 2, an integer */
		{ 1.25, 1.3, false }, { 1.15, 1.2, false },  /* half away */
		{ 2.5, 3.0, false }, { 2.4999, 2.0, false },
		{ 9.6, 10.0, false }, { 9.99, 10.0, false },
		{ 10.0, 10.0, true }, { 31.0, 31.0, true }, { 1860.0, 1860.0, true },
		{ 0.0, 0.0, false }, { -1.0, 0.0, false },
	};
	bool ten = true;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		double d = model_ratio_display(cases[i].r, &ten);

		if (d != cases[i].want || ten != cases[i].ten) {
			print_error("ratio %g: %g%s, expected %g%s\n", cases[i].r,
			    d, ten ? " (10+)" : "", cases[i].want,
			    cases[i].ten ? " (10+)" : "");
			fail();
		}
	}
	assert_near(model_ratio_display(NAN, &ten), 0.0, 0);
	assert_false(ten);
	assert_near(model_ratio_display(INFINITY, NULL), 0.0, 0);
}

static void
test_icmp_class(void **state)
{
	static const struct { int type; enum icmp_class c; bool resp; } t[] = {
		{ 0, ICMP_REPLY, true }, { 3, ICMP_ERROR, true },
		{ 4, ICMP_ERROR, true }, { 5, ICMP_ERROR, true },
		{ 11, ICMP_ERROR, true }, { 12, ICMP_ERROR, true },
		{ 14, ICMP_REPLY, true }, { 16, ICMP_REPLY, true },
		{ 18, ICMP_REPLY, true }, { 8, ICMP_REQUEST, false },
		{ 13, ICMP_REQUEST, false }, { 15, ICMP_REQUEST, false },
		{ 17, ICMP_REQUEST, false }, { 9, ICMP_OTHER, false },
		{ 255, ICMP_OTHER, false },
	};
	struct key k;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		k = key_port(ICMP, t[i].type);
		assert_true(model_key_is_icmp(&k));
		if (model_icmp_class(&k) != t[i].c ||
		    model_icmp_is_response(&k) != t[i].resp) {
			print_error("icmp type %d: class %d\n", t[i].type,
			    model_icmp_class(&k));
			fail();
		}
	}
	/* 0/tcp and 3/udp are ports, not ICMP; a country is neither */
	k = key_port(TCP, 0);
	assert_false(model_key_is_icmp(&k));
	assert_int_equal(model_icmp_class(&k), ICMP_NONE);
	assert_false(model_icmp_is_response(&k));
	k = key_port(UDP, 3);
	assert_false(model_icmp_is_response(&k));
	k = key_country("CN");
	assert_int_equal(model_icmp_class(&k), ICMP_NONE);
}

/* ---- outage ranges on hand-built months ---- */

static void
test_outage_ranges(void **state)
{
	struct month_input in;
	struct month_model m;

	(void)state;
	/* basic: 2 June 1 of 2 missing, 30 June both */
	basic_input(&in);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.noutages, 2);
	assert_int_equal(m.outages[0].first_day, 2);
	assert_int_equal(m.outages[0].last_day, 2);
	assert_int_equal(m.outages[0].missing, 1);
	assert_false(m.outages[0].all);
	assert_int_equal(m.outages[1].first_day, 30);
	assert_int_equal(m.outages[1].last_day, 30);
	assert_int_equal(m.outages[1].missing, 2);
	assert_true(m.outages[1].all);
	assert_int_equal(m.observed_days, 29);
	assert_int_equal(m.nobserved, 1);
	assert_int_equal(m.observed[0].first_day, 1);
	assert_int_equal(m.observed[0].last_day, 29);
	model_finish(&m);
	/* 5-6 June none, 7 June 1 missing, 8-9 June 1 missing (one range
	 * 7-9), 10 June 2 missing again (a new range: count differs) */
	in.six[5].sensors_per_day[30] = 2;
	in.six[5].sensors_per_day[2] = 2;
	in.six[5].sensors_per_day[5] = 0;
	in.six[5].sensors_per_day[6] = 0;
	in.six[5].sensors_per_day[7] = 1;
	in.six[5].sensors_per_day[8] = 1;
	in.six[5].sensors_per_day[9] = 1;
	in.six[5].sensors_per_day[10] = 0;
	in.six[5].sensor_days = 60 - 2 - 2 - 3 - 2;
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.noutages, 3);
	assert_int_equal(m.outages[0].first_day, 5);
	assert_int_equal(m.outages[0].last_day, 6);
	assert_true(m.outages[0].all);
	assert_int_equal(m.outages[1].first_day, 7);
	assert_int_equal(m.outages[1].last_day, 9);
	assert_int_equal(m.outages[1].missing, 1);
	assert_false(m.outages[1].all);
	assert_int_equal(m.outages[2].first_day, 10);
	assert_int_equal(m.outages[2].last_day, 10);
	assert_true(m.outages[2].all);
	/* observed: 1-4, 7-9, 11-30 */
	assert_int_equal(m.nobserved, 3);
	assert_int_equal(m.observed[0].first_day, 1);
	assert_int_equal(m.observed[0].last_day, 4);
	assert_int_equal(m.observed[1].first_day, 7);
	assert_int_equal(m.observed[1].last_day, 9);
	assert_int_equal(m.observed[2].first_day, 11);
	assert_int_equal(m.observed[2].last_day, 30);
	assert_int_equal(m.observed_days, 27);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- the last month against the trend ----
 * One sensor, N = 30 in every month; A/N = 100, 110, 120, 130, 140, X.
 * X = 132: Sxy = -250 - 165 - 60 + 65 + 210 + 2.5 × 132 (330) = 130,
 * slope 130 / 17.5 = 7.43, mean 732 / 6 = 122 → +6.1 %: 増加傾向; June
 * 132 / 140 - 1 = -5.71 %: reverses.  X = 135: Sxy 137.5, slope 7.86,
 * mean 122.5 → +6.4 %, June -3.57 %: no reversal (below 5 %). */
static void
reversal_input(struct month_input *in, int64_t last)
{
	static const int64_t v[5] = { 100, 110, 120, 130, 140 };

	in_init(in, JUNE);
	for (int i = 0; i < 5; i++)
		md_days(&in->six[i], in->six[i].month, 1, 30, v[i] * 30,
		    v[i] * 3);
	md_days(&in->six[5], JUNE, 1, 30, last * 30, last * 3);
}

static void
test_reversal(void **state)
{
	struct month_input in;
	struct month_model m;

	(void)state;
	reversal_input(&in, 132);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.trend, TREND_UP);
	assert_near(m.trend_relative, (130.0 / 17.5) / 122.0, 1e-12);
	assert_true(m.has_change);
	assert_near(m.change_relative, 132.0 / 140.0 - 1.0, 1e-12);
	assert_true(m.reverses);
	model_finish(&m);
	month_input_finish(&in);

	reversal_input(&in, 135);
	build_ok(&in, NULL, 0, &m);
	assert_int_equal(m.trend, TREND_UP);
	assert_near(m.change_relative, 135.0 / 140.0 - 1.0, 1e-12);
	assert_false(m.reverses);
	model_finish(&m);
	month_input_finish(&in);

	/* no M-1: no change, no reversal */
	reversal_input(&in, 132);
	in.six[4].sensor_days = 0;
	build_ok(&in, NULL, 0, &m);
	assert_false(m.has_prev);
	assert_false(m.has_change);
	assert_near(m.change_relative, 0.0, 0);
	assert_false(m.reverses);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- settings: a port pinned twice ---- */

static bool
settings_try(const char *text, struct err *e)
{
	char dir[] = "/tmp/talot-test-settings-XXXXXX", path[300];
	struct settings st;
	FILE *fp;
	bool ok;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/settings.conf", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	e->msg[0] = '\0';
	ok = settings_load(dir, &st, e);
	unlink(path);
	rmdir(dir);
	return ok;
}

static void
test_settings_duplicate_pin(void **state)
{
	struct err e;

	(void)state;
	assert_false(settings_try("# pins\n"
	    "notable.2007-06 = 1026/udp 1027/udp\n"
	    "notable.2007-06 = 1026/udp\n", &e));
	assert_non_null(strstr(e.msg, "settings.conf:3: '1026/udp' is pinned twice for 2007-06"));
	/* the same ICMP type in its two spellings, on one line */
	assert_false(settings_try("notable.2007-06 = icmp/8, 8/icmp\n", &e));
	assert_non_null(strstr(e.msg, "settings.conf:1: '8/icmp' is pinned twice"));
	/* the same port in two months is fine */
	assert_true(settings_try("notable.2007-05 = 1026/udp\n"
	    "notable.2007-06 = 1026/udp 1026/tcp\n", &e));
}

/* ---- situations: tests/data/situations/NAME/data.csv through the store ---- */

static char sit_dir[64], sit_db[128];

static struct store *
situation_open(const char *name)
{
	const char *src = getenv("TALOT_SRCDIR");
	char csv[1024];
	char *files[1];
	struct diag d;
	struct err e = { "" };
	struct import_summary sum;
	struct store *s;

	snprintf(csv, sizeof(csv), "%s/tests/data/situations/%s/data.csv",
	    src != NULL ? src : ".", name);
	snprintf(sit_dir, sizeof(sit_dir), "/tmp/talot-test-situation-XXXXXX");
	assert_non_null(mkdtemp(sit_dir));
	snprintf(sit_db, sizeof(sit_db), "%s/t.db", sit_dir);
	s = store_open(sit_db, STORE_WRITE, &e);
	if (s == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	diag_init(&d, 20);
	files[0] = csv;
	if (!import_files(s, files, 1, &d, &sum, &e)) {
		diag_print_errors(&d, name);
		print_error("%s: import failed: %s\n", csv, e.msg);
		fail();
	}
	import_summary_finish(&sum);
	diag_finish(&d);
	return s;
}

static void
situation_close(struct store *s)
{
	char p[600];

	store_close(s);
	/* the store and its WAL companions */
	unlink(sit_db);
	snprintf(p, sizeof(p), "%s-wal", sit_db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", sit_db);
	unlink(p);
	rmdir(sit_dir);
}

/* Loads the fixture's June 2007 and builds its model. */
static struct store *
situation_build(const char *name, const struct key *pins, size_t npins,
    struct month_input *in, struct month_model *m)
{
	struct store *s = situation_open(name);
	struct err e = { "" };

	/* as a render reads it: with the notable ports' days × countries */
	if (!store_month_read(s, JUNE, pins, npins, in, &e)) {
		print_error("%s: %s\n", name, e.msg);
		fail();
	}
	build_ok(in, pins, npins, m);
	return s;
}

/* 445/tcp 100 and 22/tcp 50 a sensor-day in both months.  May: 3 sensors
 * × 31 days, N = 93, A = 13,950; June: 6 × 30, N = 180, A = 27,000.  Both
 * 150 a sensor-day: nothing rose. */
static void
test_situation_sensors_3_to_6(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;

	(void)state;
	s = situation_build("sensors-3-to-6", NULL, 0, &in, &m);
	assert_true(m.has_prev);
	assert_int_equal(m.sensors_prev, 3);
	assert_int_equal(m.cur->sensors, 6);
	assert_true(m.sensors_changed);
	assert_int_equal(m.nsensors_added, 3);
	assert_string_equal(m.sensors_added[0].name, "s4");
	assert_string_equal(m.sensors_added[1].name, "s5");
	assert_string_equal(m.sensors_added[2].name, "s6");
	assert_int_equal(m.nsensors_gone, 0);
	assert_int_equal(m.six[4].sensor_days, 93);
	assert_int_equal(m.six[4].total.accesses, 13950);
	assert_int_equal(m.cur->sensor_days, 180);
	assert_int_equal(m.cur->total.accesses, 27000);
	assert_near(m.six[4].accesses_per_sensor_day, 150.0, 1e-12);
	assert_near(m.cur->accesses_per_sensor_day, 150.0, 1e-12);
	assert_true(m.has_change);
	assert_near(m.change_relative, 0.0, 1e-12);
	assert_false(m.reverses);
	assert_int_equal(m.trend, TREND_UNKNOWN);
	/* raw sums doubled (445/tcp 9,300 -> 18,000): no notable port */
	assert_int_equal(m.nnotable, 0);
	assert_int_equal(m.nrises, 0);
	assert_int_equal(m.nfalls, 0);
	assert_near(m.mix_overlap, 1.0, 1e-12);
	assert_false(m.mix_changed);
	assert_int_equal(m.noutages, 0);
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* May (N = 62) and June (N = 60), 2 sensors: 135 100, 445 80, 139 60,
 * 22 40, 80 30, 23 20 a sensor-day in both; June adds 3389/tcp 50 (3,000),
 * 4th: 135 6,000, 445 4,800, 139 3,600, 3389 3,000, 22 2,400.  Rates
 * 330 -> 380: +15.15 %; in common 330/380 = 86.8 %. */
static void
test_situation_new_port(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;

	(void)state;
	s = situation_build("new-port-top5", NULL, 0, &in, &m);
	assert_key_port(m.ports_acc.keys[3], TCP, 3389);
	assert_int_equal(m.nnotable, 1);
	assert_key_port(m.notable[0].key, TCP, 3389);
	assert_true(m.notable[0].is_new);
	assert_false(m.notable[0].has_ratio);
	assert_int_equal(m.notable[0].prev, 0);
	assert_int_equal(m.notable[0].cur, 3000);
	assert_near(m.notable[0].cur_rate, 50.0, 1e-12);
	assert_string_equal(m.notable[0].ratio_text, "前月なし");
	assert_int_equal(m.nrises, 1);
	assert_key_port(m.rises[0].key, TCP, 3389);
	assert_true(m.rises[0].is_new);
	assert_true(m.rises[0].in_month_figure);
	assert_near(m.rises[0].delta, 50.0, 1e-12);
	assert_int_equal(m.nfalls, 0);
	assert_near(m.change_relative, 380.0 / 330.0 - 1.0, 1e-12);
	assert_near(m.mix_overlap, 330.0 / 380.0, 1e-12);
	assert_false(m.mix_changed);
	assert_false(m.sensors_changed);
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* June: 1026/udp new, 6,000 accesses from NL and 1 from US: NL dominant
 * with 6,000 of 6,001 (not all); 3389/tcp new, 2,400 of 6,000 from CN;
 * 135/tcp from CN only. */
static void
test_situation_dominant_near_all(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;

	(void)state;
	s = situation_build("dominant-near-all", NULL, 0, &in, &m);
	assert_int_equal(m.nnotable, 2);
	for (size_t i = 0; i < m.nnotable; i++) {
		const struct notable *n = &m.notable[i];

		assert_true(n->is_new);
		assert_true(n->has_dominant);
		if (n->key.proto == UDP) {
			assert_key_port(n->key, UDP, 1026);
			assert_int_equal(n->cur, 6001);
			assert_string_equal(n->dominant.cc, "NL");
			assert_int_equal(n->dominant_accesses, 6000);
			assert_near(n->dominant_share, 6000.0 / 6001.0, 1e-15);
		} else {
			/* 40 % from CN: the largest, not more than half */
			assert_key_port(n->key, TCP, 3389);
			assert_int_equal(n->cur, 6000);
			assert_string_equal(n->dominant.cc, "CN");
			assert_int_equal(n->dominant_accesses, 2400);
		}
	}
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* May (N = 62): 135 100 a sensor-day, 1434/udp 1 access, 23/tcp 10.
 * June (N = 60): 135 100, 1434/udp 30 (1,800), 23/tcp 5 (300).
 * 1434/udp: 1/62 = 0.0161 -> 30, below 30/100: new (ratio 1,860).
 * 23/tcp: 10/62 = 0.161 -> 5, ratio 5 × 62 / 10 = 31: 10倍以上. */
static void
test_situation_prev_one_access(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;
	struct port_day_country *rows = NULL;
	size_t nrows = 0;
	struct err e = { "" };

	(void)state;
	s = situation_build("prev-one-access", NULL, 0, &in, &m);
	assert_int_equal(m.nnotable, 2);
	assert_key_port(m.notable[0].key, UDP, 1434);
	assert_int_equal(m.notable[0].prev, 1);
	assert_int_equal(m.notable[0].cur, 1800);
	assert_true(m.notable[0].is_new);
	assert_false(m.notable[0].has_ratio);
	assert_near(m.notable[0].ratio, 1860.0, 1e-9);
	assert_string_equal(m.notable[0].ratio_text, "10倍以上");
	assert_key_port(m.notable[1].key, TCP, 23);
	assert_false(m.notable[1].is_new);
	assert_true(m.notable[1].has_ratio);
	assert_near(m.notable[1].ratio, 31.0, 1e-9);
	assert_near(m.notable[1].ratio_display, 31.0, 0);
	assert_true(m.notable[1].ratio_ten_plus);
	assert_string_equal(m.notable[1].ratio_text, "10倍以上");
	assert_int_equal(m.nrises, 2);
	assert_key_port(m.rises[0].key, UDP, 1434);
	assert_key_port(m.rises[1].key, TCP, 23);
	assert_near(m.rises[1].delta, 5.0 - 10.0 / 62, 1e-12);
	assert_int_equal(m.nfalls, 0);
	/* the dominant country, from the store's per-day rows */
	assert_true(store_port_day_country(s, m.notable[0].key, JUNE - 1,
	    JUNE, &rows, &nrows, &e));
	assert_true(model_notable_fill(&m, 0, rows, nrows, &e));
	assert_true(m.notable[0].has_dominant);
	assert_key_cc(m.notable[0].dominant, "CN");
	assert_near(m.notable[0].dominant_share, 1.0, 1e-12);
	free(rows);
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* Only June: nothing to compare with. */
static void
test_situation_first_month(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;
	struct key pin = key_port(TCP, 445);

	(void)state;
	s = situation_build("first-month", NULL, 0, &in, &m);
	assert_false(m.has_prev);
	assert_int_equal(m.sensors_prev, 0);
	assert_false(m.sensors_changed);
	assert_int_equal(m.nsensors_added, 0);
	assert_int_equal(m.nsensors_gone, 0);
	assert_int_equal(m.nnotable, 0);
	assert_int_equal(m.nrises, 0);
	assert_int_equal(m.nfalls, 0);
	assert_false(m.has_change);
	assert_false(m.reverses);
	assert_false(m.mix_changed);
	assert_int_equal(m.trend, TREND_UNKNOWN);
	model_finish(&m);
	/* a pin still shows the port, without a comparison */
	build_ok(&in, &pin, 1, &m);
	assert_int_equal(m.nnotable, 1);
	assert_true(m.notable[0].pinned);
	assert_false(m.notable[0].has_prev);
	assert_false(m.notable[0].has_ratio);
	assert_false(m.notable[0].is_new);
	assert_true(m.notable[0].no_data_prev);
	assert_false(m.notable[0].no_data_cur);
	assert_int_equal(m.notable[0].cur, 3000);   /* 50 × 60 */
	assert_near(m.notable[0].cur_rate, 50.0, 1e-12);
	assert_string_equal(m.notable[0].ratio_text, "前月なし");
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* May: s1-s4 every day.  June: s1-s3 on 3-30 June, s2 not on 10-12 June,
 * s4 never: N = 3 × 28 - 3 = 81. */
static void
test_situation_outages(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;

	(void)state;
	s = situation_build("outages", NULL, 0, &in, &m);
	assert_int_equal(m.sensors_prev, 4);
	assert_int_equal(m.cur->sensors, 3);
	assert_true(m.sensors_changed);
	assert_int_equal(m.nsensors_gone, 1);
	assert_string_equal(m.sensors_gone[0].name, "s4");
	assert_int_equal(m.nsensors_added, 0);
	assert_int_equal(m.cur->sensor_days, 81);
	assert_int_equal(m.noutages, 2);
	assert_int_equal(m.outages[0].first_day, 1);
	assert_int_equal(m.outages[0].last_day, 2);
	assert_int_equal(m.outages[0].missing, 3);
	assert_true(m.outages[0].all);
	assert_int_equal(m.outages[1].first_day, 10);
	assert_int_equal(m.outages[1].last_day, 12);
	assert_int_equal(m.outages[1].missing, 1);
	assert_false(m.outages[1].all);
	assert_int_equal(m.nmissing, 5);
	assert_int_equal(m.missing_sensor_days, 9);
	assert_false(m.outage_same_days);
	assert_int_equal(m.observed_days, 28);
	assert_int_equal(m.nobserved, 1);
	assert_int_equal(m.observed[0].first_day, 3);
	assert_int_equal(m.observed[0].last_day, 30);
	/* 10 a sensor-day in both months */
	assert_near(m.change_relative, 0.0, 1e-12);
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* May: 135 100, 445 50, 1433 40 a sensor-day (N = 62); June: 135 100,
 * 445 50 (N = 60).  Rates 190 -> 150: -21.05 %; in common 150/190. */
static void
test_situation_falls_to_zero(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;
	struct key pin = key_port(TCP, 1433);
	struct port_day_country *rows = NULL;
	size_t nrows = 0;
	struct err e = { "" };

	(void)state;
	s = situation_build("port-falls-to-zero", NULL, 0, &in, &m);
	assert_int_equal(m.nrises, 0);
	assert_int_equal(m.nfalls, 1);
	assert_key_port(m.falls[0].key, TCP, 1433);
	assert_true(m.falls[0].vanished);
	assert_int_equal(m.falls[0].prev, 2480);
	assert_int_equal(m.falls[0].cur, 0);
	assert_near(m.falls[0].prev_rate, 40.0, 1e-12);
	assert_near(m.falls[0].delta, -40.0, 1e-12);
	assert_false(m.falls[0].in_month_figure);
	assert_true(m.falls[0].in_six_figure);
	assert_int_equal(m.nnotable, 0);
	assert_near(m.change_relative, 150.0 / 190.0 - 1.0, 1e-12);
	assert_near(m.mix_overlap, 150.0 / 190.0, 1e-12);
	assert_false(m.mix_changed);
	model_finish(&m);
	/* pinned although it has no access in June: flagged, no dominant */
	build_ok(&in, &pin, 1, &m);
	assert_int_equal(m.nnotable, 1);
	assert_true(m.notable[0].no_data_cur);
	assert_false(m.notable[0].no_data_prev);
	assert_false(m.notable[0].has_ratio);
	assert_false(m.notable[0].is_new);
	assert_string_equal(m.notable[0].ratio_text, "観測なし");
	assert_true(store_port_day_country(s, pin, JUNE - 1, JUNE, &rows,
	    &nrows, &e));
	assert_int_equal(nrows, 31);      /* May only: one row a day (CN) */
	assert_true(model_notable_fill(&m, 0, rows, nrows, &e));
	assert_false(m.notable[0].has_dominant);
	assert_key_other(m.notable[0].dominant);
	free(rows);
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* May: 135/tcp 100, 445/tcp 50; June: ICMP 0 60, 3 30, 8 10 a sensor-day.
 * Nothing in common; rates 150 -> 100: -33.3 %. */
static void
test_situation_icmp_after_tcp(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;

	(void)state;
	s = situation_build("icmp-after-tcp", NULL, 0, &in, &m);
	assert_near(m.mix_overlap, 0.0, 0);
	assert_true(m.mix_changed);
	assert_near(m.change_relative, 100.0 / 150.0 - 1.0, 1e-12);
	assert_int_equal(m.nrises, 3);
	assert_key_port(m.rises[0].key, ICMP, 0);
	assert_key_port(m.rises[1].key, ICMP, 3);
	assert_key_port(m.rises[2].key, ICMP, 8);
	assert_true(m.rises[0].is_new);
	assert_int_equal(m.nfalls, 2);
	assert_key_port(m.falls[0].key, TCP, 135);
	assert_key_port(m.falls[1].key, TCP, 445);
	assert_true(m.falls[0].vanished);
	assert_true(m.falls[1].vanished);
	assert_int_equal(m.nnotable, 2);
	assert_key_port(m.notable[0].key, ICMP, 0);
	assert_key_port(m.notable[1].key, ICMP, 3);
	assert_true(model_icmp_is_response(&m.notable[0].key));
	assert_int_equal(model_icmp_class(&m.notable[1].key), ICMP_ERROR);
	assert_int_equal(model_icmp_class(&m.rises[2].key), ICMP_REQUEST);
	/* each from one country only: every access */
	assert_string_equal(m.notable[0].dominant.cc, "CN");
	assert_int_equal(m.notable[0].dominant_accesses, m.notable[0].cur);
	assert_string_equal(m.notable[1].dominant.cc, "US");
	assert_int_equal(m.notable[1].dominant_accesses, m.notable[1].cur);
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

/* 1000, 900, 800, 700, 600, 660 a sensor-day (2 sensors, every day).
 * Sxy = -2500 - 1350 - 400 + 350 + 900 + 1650 = -1350, Sxx = 17.5: slope
 * -77.142857, mean 4660 / 6 = 776.67, relative -9.93 %: 減少傾向; June
 * 660 / 600 - 1 = +10 %: the last month reverses it. */
static void
test_situation_trend_reverses(void **state)
{
	struct month_input in;
	struct month_model m;
	struct store *s;

	(void)state;
	s = situation_build("trend-reverses", NULL, 0, &in, &m);
	assert_int_equal(m.trend, TREND_DOWN);
	assert_near(m.trend_slope, -1350.0 / 17.5, 1e-9);
	assert_near(m.trend_relative, (-1350.0 / 17.5) / (4660.0 / 6), 1e-9);
	assert_true(m.has_change);
	assert_near(m.change_relative, 0.1, 1e-12);
	assert_true(m.reverses);
	/* 1.1x is below a rise (1.25x) and a notable port (1.5x) */
	assert_int_equal(m.nrises, 0);
	assert_int_equal(m.nnotable, 0);
	model_finish(&m);
	month_input_finish(&in);
	situation_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals_per_sensor),
		cmocka_unit_test(test_daily_series),
		cmocka_unit_test(test_outage_partial),
		cmocka_unit_test(test_outage_same_days),
		cmocka_unit_test(test_outage_one_sensor_one_day),
		cmocka_unit_test(test_no_outage),
		cmocka_unit_test(test_top10_other),
		cmocka_unit_test(test_other_from_total),
		cmocka_unit_test(test_six_shares_gaps),
		cmocka_unit_test(test_six_shares_other),
		cmocka_unit_test(test_pick_notable),
		cmocka_unit_test(test_mix_exact_half),
		cmocka_unit_test(test_pick_notable_skips_other),
		cmocka_unit_test(test_reduced_months_same_model),
		cmocka_unit_test(test_pick_notable_floor),
		cmocka_unit_test(test_notable_auto),
		cmocka_unit_test(test_rises_cap),
		cmocka_unit_test(test_notable_pinned),
		cmocka_unit_test(test_notable_none_without_prev),
		cmocka_unit_test(test_ratio_text),
		cmocka_unit_test(test_notable_fill),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_zero_traffic),
		cmocka_unit_test(test_zero_traffic_cells),
		cmocka_unit_test(test_color_slots),
		cmocka_unit_test(test_color_slots_notable),
		cmocka_unit_test(test_big_counts),
		cmocka_unit_test(test_big_counts_notable),
		cmocka_unit_test(test_250_countries),
		cmocka_unit_test(test_65536_ports),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_year_boundary),
		cmocka_unit_test(test_ratio_display),
		cmocka_unit_test(test_icmp_class),
		cmocka_unit_test(test_outage_ranges),
		cmocka_unit_test(test_reversal),
		cmocka_unit_test(test_settings_duplicate_pin),
		cmocka_unit_test(test_situation_sensors_3_to_6),
		cmocka_unit_test(test_situation_new_port),
		cmocka_unit_test(test_situation_prev_one_access),
		cmocka_unit_test(test_situation_first_month),
		cmocka_unit_test(test_situation_outages),
		cmocka_unit_test(test_situation_falls_to_zero),
		cmocka_unit_test(test_situation_icmp_after_tcp),
		cmocka_unit_test(test_situation_trend_reverses),
		cmocka_unit_test(test_situation_dominant_near_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
