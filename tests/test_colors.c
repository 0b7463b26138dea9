/* test_colors.c — one colour per port and per country over the store
 * (src/model/colors.c), and the model's colours of real stores.
 *
 * Hand-worked cases for the greedy assignment and the per-month
 * resolution; generated months with 3,000 near-equal ports for "never two
 * keys with one colour in a figure"; and stores imported with the real
 * binary, read like the PDF renderer reads them (render_load_model), for
 * "the same port has the same colour in every month".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colors.h"
#include "model.h"
#include "render.h"
#include "settings.h"

#define TCP PROTO_TCP
#define UDP PROTO_UDP

/* ---- helpers ---- */

/* List l of c: keys best first, counts 1000, 990, … */
static void
set_list(struct color_month *c, int l, const struct key *keys, size_t n)
{
	c->n[l] = n;
	for (size_t i = 0; i < n; i++) {
		c->top[l][i].key = keys[i];
		c->top[l][i].c.accesses = 1000 - 10 * (int64_t)i;
		c->top[l][i].c.sources = 1000 - 10 * (int64_t)i;
	}
}

/* Every key of fig[0..n) but その他 has a colour, and no two the same. */
static void
assert_distinct(const struct month_model *m, const struct key *keys,
    size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		int ci = model_color_slot(m, &keys[i]);

		if (keys[i].kind == KEY_OTHER) {
			assert_int_equal(ci, -1);
			continue;
		}
		if (ci < 0 || ci >= MODEL_COLORS) {
			print_error("%s: key %zu has colour %d\n", what, i, ci);
			fail();
		}
		for (size_t k = i + 1; k < n; k++) {
			if (keys[k].kind != KEY_OTHER &&
			    model_color_slot(m, &keys[k]) == ci) {
				print_error("%s: keys %zu and %zu share colour %d\n",
				    what, i, k, ci);
				fail();
			}
		}
	}
}

static void
assert_model_distinct(const struct month_model *m)
{
	assert_distinct(m, m->ports_acc.keys, m->ports_acc.nkeys, "ports_acc");
	assert_distinct(m, m->ports_src.keys, m->ports_src.nkeys, "ports_src");
	assert_distinct(m, m->cc_acc.keys, m->cc_acc.nkeys, "cc_acc");
	assert_distinct(m, m->cc_src.keys, m->cc_src.nkeys, "cc_src");
	assert_distinct(m, m->six_ports_acc.keys, m->six_ports_acc.nkeys,
	    "six_ports_acc");
	assert_distinct(m, m->six_ports_src.keys, m->six_ports_src.nkeys,
	    "six_ports_src");
	assert_distinct(m, m->six_cc_acc.keys, m->six_cc_acc.nkeys,
	    "six_cc_acc");
	assert_distinct(m, m->six_cc_src.keys, m->six_cc_src.nkeys,
	    "six_cc_src");
	for (size_t i = 0; i < m->nnotable; i++)
		assert_distinct(m, m->notable[i].cc, m->notable[i].ncc,
		    "notable");
}

/* ---- the store-wide assignment ---- */

/* A (22/tcp) and B (23/tcp) top January; C (80/tcp) tops a later month.
 * Importance = sum over the lists showing a key of 10 - rank.
 * Six months apart (July): the windows never hold both months, so C
 * conflicts with nobody: scores A 40, B 36, C 40; order A, C (tie by key),
 * B; colours A 0, C 0, B 1.
 * Five months apart (June): June's window sums A 1000, C 1000, B 990, so
 * its two six-month lists are [A, C, B]: A 40+20 = 60, B 36+16 = 52,
 * C 20+18 = 38; order A, B, C; colours 0, 1, 2. */
static void
test_assign_hand(void **state)
{
	const struct key ab[] = { key_port(TCP, 22), key_port(TCP, 23) };
	const struct key c[] = { key_port(TCP, 80) };
	struct color_month cm[2];
	struct color_map map;

	(void)state;
	for (int gap = 6; gap >= 5; gap--) {
		memset(cm, 0, sizeof(cm));
		cm[0].month = month_make(2025, 1);
		cm[1].month = month_make(2025, 1) + gap;
		set_list(&cm[0], COLOR_PORTS_ACC, ab, 2);
		set_list(&cm[0], COLOR_PORTS_SRC, ab, 2);
		set_list(&cm[1], COLOR_PORTS_ACC, c, 1);
		set_list(&cm[1], COLOR_PORTS_SRC, c, 1);
		assert_true(colors_assign(cm, 2, true, MODEL_COLORS, &map));
		assert_int_equal(map.n, 3);
		assert_int_equal(colors_lookup(&map, &ab[0]), 0);
		assert_int_equal(colors_lookup(&map, &ab[1]), 1);
		assert_int_equal(colors_lookup(&map, &c[0]), gap == 6 ? 0 : 2);
		/* not a port of the store; and countries apart */
		assert_int_equal(colors_lookup(&map,
		    &(struct key){ .kind = KEY_PORT, .proto = TCP, .port = 81 }),
		    -1);
		color_map_finish(&map);
		assert_true(colors_assign(cm, 2, false, MODEL_COLORS, &map));
		assert_int_equal(map.n, 0);
		color_map_finish(&map);
	}
	assert_true(colors_assign(NULL, 0, true, MODEL_COLORS, &map));
	assert_int_equal(map.n, 0);
	color_map_finish(&map);
}

/* More keys at once than colours.  Twelve ports k0..k11 (1000..1011/udp)
 * in one month: k0..k9 by accesses, k2..k11 by sources (counts 1000, 990,
 * … by rank; a key's counts are those of the first list showing it).  The
 * window's two lists are k0..k7, k8, k10 (k8 and k10 tie at 920: key
 * order).  Scores: k2 34, k0 30, k3 30, k1 27, k4 26, k5 22, k6 18, k7 14,
 * k8 10, k9 4, k10 4, k11 1.  Greedy: k2 0, k0 1, k3 2, k1 3, k4..k9 4..9;
 * k10 meets every colour (-1); k11 shares no list with k0: it takes 1. */
static void
test_assign_runs_out(void **state)
{
	static const int want[12] = { 1, 3, 0, 2, 4, 5, 6, 7, 8, 9, -1, 1 };
	struct key k[12];
	struct color_month cm;
	struct color_map map;

	(void)state;
	for (int i = 0; i < 12; i++)
		k[i] = key_port(UDP, 1000 + i);
	memset(&cm, 0, sizeof(cm));
	cm.month = month_make(2025, 3);
	set_list(&cm, COLOR_PORTS_ACC, k, 10);      /* k0..k9 */
	set_list(&cm, COLOR_PORTS_SRC, k + 2, 10);  /* k2..k11 */
	assert_true(colors_assign(&cm, 1, true, MODEL_COLORS, &map));
	assert_int_equal(map.n, 12);
	for (int i = 0; i < 12; i++)
		assert_int_equal(colors_lookup(&map, &k[i]), want[i]);
	color_map_finish(&map);
}

/* ---- one month ---- */

static int
store_abcd(const void *ctx, const struct key *k)
{
	(void)ctx;
	switch (k->port) {
	case 1: return 0;   /* A */
	case 2: return 0;   /* B */
	case 3: return 1;   /* C */
	default: return -1; /* D */
	}
}

/* Figures [A, B] and [B, C, D]; store colours A 0, B 0, C 1, D none.
 * Three colours: B yields 0 to A and takes 2, the first free in both its
 * figures; C keeps 1; D takes 0.  Two colours: B takes 1 (A holds 0 and
 * nothing else is free), C then yields 1 to B and takes 0, and D has no
 * colour left: it goes to その他 in [B, C, D]. */
static void
test_resolve_hand(void **state)
{
	struct key keys[8];
	int8_t colors[8];
	struct color_table t;
	struct color_figure f[2];

	(void)state;
	for (int ncolors = 3; ncolors >= 2; ncolors--) {
		memset(f, 0, sizeof(f));
		f[0].n = 2;
		f[0].keys[0] = key_port(TCP, 1);
		f[0].keys[1] = key_port(TCP, 2);
		f[1].n = 3;
		f[1].keys[0] = key_port(TCP, 2);
		f[1].keys[1] = key_port(TCP, 3);
		f[1].keys[2] = key_port(TCP, 4);
		t.n = 0;
		t.max = 8;
		t.keys = keys;
		t.colors = colors;
		colors_resolve(&t, f, 2, store_abcd, NULL, ncolors);
		assert_int_equal(t.n, 4);
		assert_int_equal(keys[0].port, 1);
		assert_int_equal(keys[3].port, 4);
		assert_int_equal(colors[0], 0);
		assert_int_equal(colors[1], ncolors == 3 ? 2 : 1);
		assert_int_equal(colors[2], ncolors == 3 ? 1 : 0);
		assert_int_equal(colors[3], ncolors == 3 ? 0 : -1);
		assert_false(f[0].merge[0] || f[0].merge[1]);
		assert_false(f[1].merge[0] || f[1].merge[1]);
		assert_int_equal(f[1].merge[2], ncolors == 2);
	}
}

/* ---- generated months: 3,000 near-equal ports ---- */

#define NPORTS 3000
#define NCC 40
#define NMONTHS 12

static int64_t
near(size_t i, int m, int64_t base, int64_t a, int64_t b, int64_t mod)
{
	return base + (int64_t)(((int64_t)i * a + (int64_t)m * b) % mod);
}

static int
cell_rank_cmp_acc(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;

	if (a->c.accesses != b->c.accesses)
		return a->c.accesses > b->c.accesses ? -1 : 1;
	if (a->key.kind == KEY_PORT)
		return (a->key.port > b->key.port) - (a->key.port < b->key.port);
	return strcmp(a->key.cc, b->key.cc);
}

static int
cell_rank_cmp_src(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;

	if (a->c.sources != b->c.sources)
		return a->c.sources > b->c.sources ? -1 : 1;
	if (a->key.kind == KEY_PORT)
		return (a->key.port > b->key.port) - (a->key.port < b->key.port);
	return strcmp(a->key.cc, b->key.cc);
}

/* Month m (0..NMONTHS-1) of the generated store into d. */
static void
gen_month(int m, struct month_data *d)
{
	memset(d, 0, sizeof(*d));
	d->month = month_make(2025, 1) + m;
	d->sensor_days = 1;
	d->sensors = 1;
	d->sensors_per_day[1] = 1;
	d->nports = NPORTS;
	d->ports = calloc(NPORTS, sizeof(*d->ports));
	d->ncountries = NCC;
	d->countries = calloc(NCC, sizeof(*d->countries));
	assert_non_null(d->ports);
	assert_non_null(d->countries);
	for (size_t i = 0; i < NPORTS; i++) {
		d->ports[i].key = key_port(UDP, 10000 + (int)i);
		d->ports[i].c.accesses = near(i, m, 1000, 7919, 104729, 23);
		d->ports[i].c.sources = near(i, m, 100, 6007, 3571, 19);
		d->total.accesses += d->ports[i].c.accesses;
		d->total.sources += d->ports[i].c.sources;
	}
	for (size_t i = 0; i < NCC; i++) {
		char cc[3] = { (char)('A' + i / 26), (char)('A' + i % 26), 0 };

		d->countries[i].key = key_country(cc);
		d->countries[i].c.accesses = d->total.accesses / NCC +
		    (int64_t)((i * 13 + (size_t)m * 7) % 5);
		d->countries[i].c.sources = d->total.sources / NCC +
		    (int64_t)((i * 11 + (size_t)m * 3) % 4);
	}
}

/* The month's top lists, as the store would read them. */
static void
gen_color_month(const struct month_data *d, struct color_month *c)
{
	struct cell *v = malloc(NPORTS * sizeof(*v));

	assert_non_null(v);
	memset(c, 0, sizeof(*c));
	c->month = d->month;
	for (int l = 0; l < COLOR_LISTS; l++) {
		bool ports = l < COLOR_CC_ACC;
		size_t n = ports ? d->nports : d->ncountries;

		memcpy(v, ports ? d->ports : d->countries, n * sizeof(*v));
		qsort(v, n, sizeof(*v), l % 2 == 0 ? cell_rank_cmp_acc :
		    cell_rank_cmp_src);
		c->n[l] = n < MODEL_TOP ? n : MODEL_TOP;
		memcpy(c->top[l], v, c->n[l] * sizeof(*v));
	}
	free(v);
}

static void
test_near_equal_3000(void **state)
{
	struct month_data md[NMONTHS];
	struct color_month cm[NMONTHS];
	struct color_map map;
	size_t kept = 0, shown = 0;

	(void)state;
	for (int m = 0; m < NMONTHS; m++) {
		gen_month(m, &md[m]);
		gen_color_month(&md[m], &cm[m]);
	}
	/* the lists churn: many more keys than colours over the store */
	assert_true(colors_assign(cm, NMONTHS, true, MODEL_COLORS, &map));
	assert_true(map.n > 3 * MODEL_COLORS);
	for (int m = MODEL_MONTHS - 1; m < NMONTHS; m++) {
		struct month_input in;
		struct month_model model;
		struct err e;
		int64_t sum = 0;

		memset(&in, 0, sizeof(in));
		in.month = md[m].month;
		for (int i = 0; i < MODEL_MONTHS; i++) {
			const struct month_data *s = &md[m - (MODEL_MONTHS - 1) + i];

			in.six[i] = *s;
			in.six[i].ports = malloc(s->nports * sizeof(*s->ports));
			in.six[i].countries = malloc(s->ncountries *
			    sizeof(*s->countries));
			assert_non_null(in.six[i].ports);
			assert_non_null(in.six[i].countries);
			memcpy(in.six[i].ports, s->ports,
			    s->nports * sizeof(*s->ports));
			memcpy(in.six[i].countries, s->countries,
			    s->ncountries * sizeof(*s->countries));
		}
		in.ncolor_months = NMONTHS;
		in.color_months = malloc(sizeof(cm));
		assert_non_null(in.color_months);
		memcpy(in.color_months, cm, sizeof(cm));
		if (!model_build(&in, NULL, 0, &model, &e))
			fail_msg("model_build: %s", e.msg);
		assert_model_distinct(&model);
		/* a figure merged into その他 still sums to the whole */
		for (size_t i = 0; i < model.ports_acc.nkeys; i++)
			sum += model.ports_acc.totals[i];
		assert_int_equal(sum, model.ports_acc.total);
		/* the monthly figures' keys keep their store-wide colour
		 * when they have one */
		for (size_t i = 0; i < model.ports_acc.nkeys; i++) {
			const struct key *k = &model.ports_acc.keys[i];
			int c = colors_lookup(&map, k);

			if (k->kind == KEY_OTHER || c < 0)
				continue;
			shown++;
			kept += model_color_slot(&model, k) == c;
		}
		model_finish(&model);
		month_input_finish(&in);
	}
	print_message("3,000 near-equal ports: %zu of %zu keys of Fig 2.3.1 with a store-wide colour kept it\n",
	    kept, shown);
	assert_true(shown > 0);
	assert_true(kept * 10 >= shown * 9);
	color_map_finish(&map);
	for (int m = 0; m < NMONTHS; m++) {
		free(md[m].ports);
		free(md[m].countries);
	}
}

/* ---- a notable chart whose countries would share a colour ---- */

static void
test_notable_merge(void **state)
{
	const struct port_day_country rows[] = {
		{ 0, 1, "CN", { 60, 6 } },
		{ 0, 1, "US", { 30, 3 } },
		{ 0, 1, "BR", { 10, 1 } },
	};
	struct port_day_country r[3];
	struct month_input in;
	struct month_model m;
	struct key pin = key_port(TCP, 445);
	struct key cn = key_country("CN"), us = key_country("US"),
	    br = key_country("BR");
	struct err e;
	int64_t sum = 0;
	double dsum = 0;
	size_t ndays;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.month = month_make(2025, 11);
	in.six[5].month = in.month;
	in.six[5].sensor_days = 1;
	in.six[5].sensors = 1;
	in.six[5].sensors_per_day[1] = 1;
	in.six[5].total = (struct counts){ 150, 15 };
	in.six[5].nports = 2;
	in.six[5].ports = calloc(2, sizeof(struct cell));
	in.six[5].ncountries = 2;
	in.six[5].countries = calloc(2, sizeof(struct cell));
	assert_non_null(in.six[5].ports);
	assert_non_null(in.six[5].countries);
	in.six[5].ports[0] = (struct cell){ pin, { 100, 10 } };
	in.six[5].ports[1] = (struct cell){ key_port(TCP, 22), { 50, 5 } };
	in.six[5].countries[0] = (struct cell){ cn, { 100, 10 } };
	in.six[5].countries[1] = (struct cell){ us, { 50, 5 } };
	if (!model_build(&in, &pin, 1, &m, &e))
		fail_msg("model_build: %s", e.msg);
	assert_int_equal(m.nnotable, 1);
	assert_true(model_color_slot(&m, &cn) !=
	    model_color_slot(&m, &us));
	/* as if CN and US shared a colour in figures apart */
	for (size_t i = 0; i < m.ncc_slots; i++)
		if (key_equal(&m.cc_slots[i], &us))
			m.cc_colors[i] = (int8_t)model_color_slot(&m, &cn);
	memcpy(r, rows, sizeof(r));
	for (size_t i = 0; i < 3; i++)
		r[i].month = in.month;
	if (!model_notable_fill(&m, 0, r, 3, &e))
		fail_msg("model_notable_fill: %s", e.msg);
	/* US (second) goes to その他 in this chart; BR takes a free colour */
	assert_int_equal(m.notable[0].ncc, 3);
	assert_true(key_equal(&m.notable[0].cc[0], &cn));
	assert_true(key_equal(&m.notable[0].cc[1], &br));
	assert_int_equal(m.notable[0].cc[2].kind, KEY_OTHER);
	assert_int_equal(m.notable[0].cc_totals[0], 60);
	assert_int_equal(m.notable[0].cc_totals[1], 10);
	assert_int_equal(m.notable[0].cc_totals[2], 30);
	assert_distinct(&m, m.notable[0].cc, m.notable[0].ncc, "notable");
	ndays = (size_t)(m.notable[0].ndays_prev + m.notable[0].ndays_cur);
	for (size_t k = 0; k < m.notable[0].ncc; k++) {
		sum += m.notable[0].cc_totals[k];
		for (size_t d = 0; d < ndays; d++)
			dsum += m.notable[0].daily[k * ndays + d];
	}
	assert_int_equal(sum, 100);
	assert_true(dsum > 99.999 && dsum < 100.001);
	model_finish(&m);
	month_input_finish(&in);
}

/* ---- real stores, read as the PDF renderer reads them ---- */

static char tmpdir[256];

static void
run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

/* Twelve ports and twelve countries in March and November 2025, in
 * different orders (23/tcp and RU first in March, fifth in November),
 * and December with 3,000 near-equal
 * ports; written as import CSV. */
static void
write_csv(const char *path)
{
	static const int ports[] = { 23, 445, 22, 80, 443, 135, 139, 3389,
		1433, 8080, 25, 53 };
	static const char *const ccs[] = { "RU", "CN", "US", "JP", "KR", "TW",
		"BR", "DE", "FR", "GB", "IN", "NL" };
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "day,sensor,proto,port,country,accesses,sources\n");
	for (int i = 0; i < 12; i++) {
		/* March: rank i; November: rotated by 4 */
		int nov = (i + 4) % 12;

		fprintf(f, "2025-03-01,s01,tcp,%d,%s,%d,%d\n", ports[i], ccs[i],
		    2000 - 100 * i, 200 - 10 * i);
		fprintf(f, "2025-11-01,s01,tcp,%d,%s,%d,%d\n", ports[i], ccs[i],
		    2000 - 100 * nov, 200 - 10 * nov);
	}
	for (int i = 0; i < NPORTS; i++)
		fprintf(f, "2025-12-01,s01,udp,%d,%c%c,%d,%d\n", 20000 + i,
		    'A' + i % 30 / 26, 'A' + i % 30 % 26,
		    (int)near((size_t)i, 0, 500, 7919, 0, 23),
		    (int)near((size_t)i, 0, 50, 6007, 0, 19));
	assert_int_equal(fclose(f), 0);
}

static void
test_store_months(void **state)
{
	const char *bin = getenv("TALOT_BIN");
	struct settings set;
	struct month_model mar, nov, dec;
	struct err e;
	char csv[512], db[512];
	size_t compared = 0;

	(void)state;
	if (bin == NULL)
		skip();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/talot-test-colors-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(csv, sizeof(csv), "%s/months.csv", tmpdir);
	snprintf(db, sizeof(db), "%s/store.db", tmpdir);
	write_csv(csv);
	run("'%s' import --db '%s' '%s' >/dev/null", bin, db, csv);
	memset(&set, 0, sizeof(set));
	if (!render_load_model(db, month_make(2025, 3), &set, &mar, &e) ||
	    !render_load_model(db, month_make(2025, 11), &set, &nov, &e) ||
	    !render_load_model(db, month_make(2025, 12), &set, &dec, &e))
		fail_msg("render_load_model: %s", e.msg);
	assert_model_distinct(&mar);
	assert_model_distinct(&nov);
	assert_model_distinct(&dec);
	/* ranks differ between the months ... */
	assert_true(mar.ports_acc.keys[0].port == 23);
	assert_true(nov.ports_acc.keys[4].port == 23);
	assert_string_equal(mar.cc_acc.keys[0].cc, "RU");
	assert_string_equal(nov.cc_acc.keys[4].cc, "RU");
	/* ... colours do not: every key shown in both months */
	for (size_t i = 0; i < mar.nport_slots; i++) {
		const struct key *k = &mar.port_slots[i];

		if (model_color_slot(&nov, k) < 0)
			continue;
		assert_int_equal(model_color_slot(&mar, k),
		    model_color_slot(&nov, k));
		compared++;
	}
	for (size_t i = 0; i < mar.ncc_slots; i++) {
		const struct key *k = &mar.cc_slots[i];

		if (model_color_slot(&nov, k) < 0)
			continue;
		assert_int_equal(model_color_slot(&mar, k),
		    model_color_slot(&nov, k));
		compared++;
	}
	/* March shows ports 0..9 of the list, November 8..11 and 0..5:
	 * eight in both; the same for countries */
	assert_int_equal(compared, 16);
	/* December's six-month figures show November's ports too, in
	 * their colours */
	for (size_t i = 0; i < dec.six_ports_acc.nkeys; i++) {
		const struct key *k = &dec.six_ports_acc.keys[i];

		if (k->kind == KEY_PORT && k->proto == TCP &&
		    model_color_slot(&nov, k) >= 0)
			assert_int_equal(model_color_slot(&dec, k),
			    model_color_slot(&nov, k));
	}
	model_finish(&mar);
	model_finish(&nov);
	model_finish(&dec);
	run("rm -rf '%s'", tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assign_hand),
		cmocka_unit_test(test_assign_runs_out),
		cmocka_unit_test(test_resolve_hand),
		cmocka_unit_test(test_near_equal_3000),
		cmocka_unit_test(test_notable_merge),
		cmocka_unit_test(test_store_months),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
