/* model.c — the month model (see model.h).  Pure: no I/O. */
#include "model.h"

#include "colors.h"
#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
key_equal(const struct key *a, const struct key *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case KEY_PORT:
		return a->proto == b->proto && a->port == b->port;
	case KEY_COUNTRY:
		return a->cc[0] == b->cc[0] && a->cc[1] == b->cc[1];
	default:
		return true;
	}
}

struct key
key_port(int proto, int port)
{
	struct key k;

	memset(&k, 0, sizeof(k));
	k.kind = KEY_PORT;
	k.proto = (uint8_t)proto;
	k.port = (uint16_t)port;
	return k;
}

struct key
key_country(const char *cc)
{
	struct key k;

	memset(&k, 0, sizeof(k));
	k.kind = KEY_COUNTRY;
	k.cc[0] = cc[0];
	k.cc[1] = cc[0] ? cc[1] : '\0';
	return k;
}

struct key
key_other(void)
{
	struct key k;

	memset(&k, 0, sizeof(k));
	k.kind = KEY_OTHER;
	return k;
}

/* Total order for ties: ports by (proto, port) — the store's order —,
 * countries by code. */
static int
key_cmp(const struct key *a, const struct key *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == KEY_PORT) {
		if (a->proto != b->proto)
			return a->proto < b->proto ? -1 : 1;
		return (a->port > b->port) - (a->port < b->port);
	}
	return strcmp(a->cc, b->cc);
}

static int
cell_key_cmp(const void *a, const void *b)
{
	return key_cmp(&((const struct cell *)a)->key,
	    &((const struct cell *)b)->key);
}

/* A copy of cells sorted by key, for binary search; NULL if n == 0 or out
 * of memory (*ok false then). */
static struct cell *
sorted_copy(const struct cell *cells, size_t n, bool *ok)
{
	struct cell *v;

	if (n == 0)
		return NULL;
	v = malloc(n * sizeof(*v));
	if (v == NULL) {
		*ok = false;
		return NULL;
	}
	memcpy(v, cells, n * sizeof(*v));
	for (size_t i = 1; i < n; i++) {
		/* the store hands cells over in key order: sort only if not */
		if (cell_key_cmp(&v[i - 1], &v[i]) > 0) {
			qsort(v, n, sizeof(*v), cell_key_cmp);
			break;
		}
	}
	return v;
}

static const struct cell *
cell_find(const struct cell *sorted, size_t n, const struct key *k)
{
	struct cell probe;

	if (n == 0)
		return NULL;
	probe.key = *k;
	return bsearch(&probe, sorted, n, sizeof(*sorted), cell_key_cmp);
}

int
month_days(month_t m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = month_year(m), mon = month_mon(m);

	if (mon == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[mon - 1];
}

bool
month_parse(const char *s, month_t *out)
{
	int y, mon;

	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	mon = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1970 || mon < 1 || mon > 12)
		return false;
	*out = month_make(y, mon);
	return true;
}

void
month_input_finish(struct month_input *in)
{
	if (in == NULL)
		return;
	for (int i = 0; i < MODEL_MONTHS; i++) {
		free(in->six[i].ports);
		free(in->six[i].countries);
	}
	free(in->day_ports);
	free(in->day_countries);
	for (size_t i = 0; i < in->nnotable && i < MODEL_NOTABLE_MAX; i++)
		free(in->notable_rows[i]);
	free(in->color_months);
	free(in->sensor_names[0]);
	free(in->sensor_names[1]);
	memset(in, 0, sizeof(*in));
}

static int64_t
measure_of(const struct counts *c, enum measure ms)
{
	return ms == MEASURE_ACCESSES ? c->accesses : c->sources;
}

/* ---- ranking ---- */

struct ranked {
	struct key key;
	int64_t v;
};

static int
ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return key_cmp(&a->key, &b->key);
}

/* Top up to max (<= MODEL_TOP + 8) keys of cells by measure (positive
 * only), best first; one pass with a small sorted list. */
static size_t
top_keys(const struct cell *cells, size_t n, enum measure ms, struct key *out,
    size_t max)
{
	struct ranked best[MODEL_TOP + 8];
	size_t k = 0;

	if (max > MODEL_TOP + 8)
		max = MODEL_TOP + 8;
	for (size_t i = 0; i < n; i++) {
		struct ranked r;
		size_t j;

		r.key = cells[i].key;
		r.v = measure_of(&cells[i].c, ms);
		/* a store may sum a month's lesser keys into one その他 cell
		 * (the ClickHouse store, for M-5..M-2): never a key of its own */
		if (r.key.kind == KEY_OTHER || r.v <= 0 ||
		    (k == max && ranked_cmp(&r, &best[k - 1]) >= 0))
			continue;
		j = k < max ? k++ : k - 1;
		while (j > 0 && ranked_cmp(&r, &best[j - 1]) < 0) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = r;
	}
	for (size_t i = 0; i < k; i++)
		out[i] = best[i].key;
	return k;
}

static int
find_key(const struct key *keys, size_t n, const struct key *k)
{
	for (size_t i = 0; i < n; i++)
		if (key_equal(&keys[i], k))
			return (int)i;
	return -1;
}

/* Value of k in cells sorted by key (sorted_copy). */
static int64_t
cell_value(const struct cell *sorted, size_t n, const struct key *k,
    enum measure ms)
{
	const struct cell *c = cell_find(sorted, n, k);

	return c != NULL ? measure_of(&c->c, ms) : 0;
}

/* One month's cells, sorted, for lookups. */
struct sorted_month {
	struct cell *ports, *countries;
	size_t nports, ncountries;
};

static bool
sorted_month_init(struct sorted_month *sm, const struct month_data *d)
{
	bool ok = true;

	sm->nports = d->nports;
	sm->ncountries = d->ncountries;
	sm->ports = sorted_copy(d->ports, d->nports, &ok);
	sm->countries = sorted_copy(d->countries, d->ncountries, &ok);
	return ok;
}

static void
sorted_month_finish(struct sorted_month *sm)
{
	free(sm->ports);
	free(sm->countries);
}

static int64_t
add_sat(int64_t a, int64_t b)
{
	int64_t r;

	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

static bool
breakdown_build(struct breakdown *b, enum measure ms,
    const struct month_data *md, const struct sorted_month *sm,
    const struct day_cell *days, size_t ndays_cells, bool ports, int ndays,
    struct err *e)
{
	const struct cell *cells = ports ? sm->ports : sm->countries;
	size_t n = ports ? sm->nports : sm->ncountries;
	int64_t sum = 0, *sums;
	size_t other;

	memset(b, 0, sizeof(*b));
	b->measure = ms;
	b->ndays = ndays;
	b->total = measure_of(&md->total, ms);
	b->nkeys = top_keys(cells, n, ms, b->keys, MODEL_TOP);
	for (size_t i = 0; i < b->nkeys; i++) {
		b->totals[i] = cell_value(cells, n, &b->keys[i], ms);
		sum += b->totals[i];
	}
	if (b->total > sum) {
		b->keys[b->nkeys] = key_other();
		b->totals[b->nkeys] = b->total - sum;
		b->nkeys++;
	}
	for (size_t i = 0; i < b->nkeys; i++)
		b->shares[i] = b->total > 0 ?
		    (double)b->totals[i] / (double)b->total : 0.0;
	b->daily = calloc((b->nkeys ? b->nkeys : 1) * (size_t)ndays,
	    sizeof(double));
	sums = calloc((b->nkeys ? b->nkeys : 1) * (size_t)ndays,
	    sizeof(int64_t));
	if (b->daily == NULL || sums == NULL) {
		free(sums);
		return err_set(e, "out of memory");
	}
	other = b->nkeys > 0 && b->keys[b->nkeys - 1].kind == KEY_OTHER ?
	    b->nkeys - 1 : SIZE_MAX;
	/* each key's day summed as integers, then divided once: the same
	 * figure whether a store gives その他's cells one by one or summed
	 * (the ClickHouse store sums them on the server) */
	for (size_t i = 0; i < ndays_cells; i++) {
		const struct day_cell *c = &days[i];
		size_t at;
		int k;

		if (c->day < 1 || c->day > ndays ||
		    md->sensors_per_day[c->day] <= 0)
			continue;
		k = find_key(b->keys, other == SIZE_MAX ? b->nkeys : other,
		    &c->key);
		if (k < 0) {
			if (other == SIZE_MAX)
				continue;
			k = (int)other;
		}
		at = (size_t)k * (size_t)ndays + (size_t)(c->day - 1);
		sums[at] = add_sat(sums[at], measure_of(&c->c, ms));
	}
	for (size_t k = 0; k < b->nkeys; k++)
		for (int d = 1; d <= ndays; d++) {
			size_t at = k * (size_t)ndays + (size_t)(d - 1);

			if (md->sensors_per_day[d] > 0)
				b->daily[at] = (double)sums[at] /
				    md->sensors_per_day[d];
		}
	free(sums);
	return true;
}


/* False only when memory runs out. */
static bool
six_build(struct six_shares *t, enum measure ms,
    const struct month_data six[MODEL_MONTHS],
    const struct sorted_month sm[MODEL_MONTHS], bool ports)
{
	struct cell *all = NULL;
	size_t nall = 0, total_n = 0, k = 0;

	memset(t, 0, sizeof(*t));
	t->measure = ms;
	/* six-month sums per key: merge the six sorted months */
	for (int m = 0; m < MODEL_MONTHS; m++)
		total_n += ports ? sm[m].nports : sm[m].ncountries;
	if (total_n > 0 && (all = malloc(2 * total_n * sizeof(*all))) == NULL)
		return false;
	for (int m = 0; m < MODEL_MONTHS; m++) {
		const struct cell *c = ports ? sm[m].ports : sm[m].countries;
		size_t n = ports ? sm[m].nports : sm[m].ncountries, i = 0, j = 0;
		struct cell *dst = all + total_n;

		k = 0;
		while (i < nall || j < n) {
			int cmp = i >= nall ? 1 : j >= n ? -1 :
			    key_cmp(&all[i].key, &c[j].key);

			if (cmp < 0)
				dst[k++] = all[i++];
			else if (cmp > 0)
				dst[k++] = c[j++];
			else {
				/* six months may sum past 2^63: rank saturated */
				dst[k] = all[i++];
				dst[k].c.accesses = add_sat(dst[k].c.accesses,
				    c[j].c.accesses);
				dst[k].c.sources = add_sat(dst[k].c.sources,
				    c[j].c.sources);
				k++;
				j++;
			}
		}
		if (k > 0)
			memcpy(all, dst, k * sizeof(*all));
		nall = k;
	}
	t->nkeys = top_keys(all, nall, ms, t->keys, MODEL_TOP);
	t->keys[t->nkeys] = key_other();
	for (int m = 0; m < MODEL_MONTHS; m++) {
		const struct cell *cells = ports ? sm[m].ports : sm[m].countries;
		size_t n = ports ? sm[m].nports : sm[m].ncountries;
		int64_t total = measure_of(&six[m].total, ms), sum = 0;

		for (size_t i = 0; i < t->nkeys; i++) {
			t->values[m][i] = cell_value(cells, n, &t->keys[i], ms);
			sum += t->values[m][i];
		}
		t->values[m][t->nkeys] = total > sum ? total - sum : 0;
		for (size_t i = 0; i <= t->nkeys; i++)
			t->shares[m][i] = total > 0 ?
			    (double)t->values[m][i] / (double)total : 0.0;
	}
	/* keep その他 only if some month has some */
	for (int m = 0; m < MODEL_MONTHS; m++) {
		if (t->values[m][t->nkeys] > 0) {
			t->nkeys++;
			break;
		}
	}
	free(all);
	return true;
}

/* accesses / N, 0 without observed sensor-days */
static double
rate_of(int64_t accesses, int64_t sensor_days)
{
	return sensor_days > 0 ? (double)accesses / (double)sensor_days : 0.0;
}

/* a / na >= (num / den) × b / nb, exactly: a·nb·den >= num·b·na (counts
 * and sensor-days are not negative; 128-bit products). */
static bool
rate_ge(int64_t a, int64_t na, int64_t b, int64_t nb, unsigned num,
    unsigned den)
{
	__extension__ typedef unsigned __int128 u128;

	if (a < 0 || na <= 0 || b < 0 || nb <= 0)
		return false;
	return (u128)a * (u128)nb * den >= (u128)b * (u128)na * num;
}

struct rated {
	struct key key;
	double v;
};

/* Larger v first, then key order. */
static int
rated_cmp(const struct rated *a, const struct rated *b)
{
	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return key_cmp(&a->key, &b->key);
}

/* Inserts r into best (sorted, *n of at most max). */
static void
rated_insert(struct rated *best, size_t *n, size_t max, const struct rated *r)
{
	size_t j;

	if (max == 0 || (*n == max && rated_cmp(r, &best[*n - 1]) >= 0))
		return;
	j = *n < max ? (*n)++ : *n - 1;
	while (j > 0 && rated_cmp(r, &best[j - 1]) < 0) {
		best[j] = best[j - 1];
		j--;
	}
	best[j] = *r;
}

size_t
model_pick_notable(const struct month_data *prev, const struct month_data *cur,
    struct key *out, size_t max)
{
	struct rated best[MODEL_NOTABLE_MAX + 8];
	size_t nbest = 0;
	bool ok = true;
	struct cell *ps;

	if (prev->sensor_days <= 0 || cur->sensor_days <= 0)
		return 0;
	ps = sorted_copy(prev->ports, prev->nports, &ok);
	if (!ok)
		return 0;
	if (max > MODEL_NOTABLE_MAX + 8)
		max = MODEL_NOTABLE_MAX + 8;
	for (size_t i = 0; i < cur->nports; i++) {
		int64_t c = cur->ports[i].c.accesses;
		int64_t p = cell_value(ps, prev->nports, &cur->ports[i].key,
		    MEASURE_ACCESSES);
		double cr = rate_of(c, cur->sensor_days);
		double pr = rate_of(p, prev->sensor_days);
		struct rated r;

		/* a port (not a reduced month's その他 cell: mix_given);
		 * cur_rate >= 1.5 × prev_rate, compared exactly; an increase
		 * that is not a trace of the month's traffic */
		if (cur->ports[i].key.kind != KEY_PORT || c <= 0 || cr <= pr ||
		    !rate_ge(c, cur->sensor_days, p, prev->sensor_days, 3, 2) ||
		    cr - pr < MODEL_NOTABLE_MIN_SHARE *
		    rate_of(cur->total.accesses, cur->sensor_days))
			continue;
		r.key = cur->ports[i].key;
		r.v = cr - pr;
		rated_insert(best, &nbest, max, &r);
	}
	free(ps);
	for (size_t i = 0; i < nbest; i++)
		out[i] = best[i].key;
	return nbest;
}

enum trend
model_trend(const double v[MODEL_MONTHS], double *slope, double *relative)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0, b, mean;

	*slope = 0;
	*relative = 0;
	for (int i = 0; i < MODEL_MONTHS; i++) {
		if (isnan(v[i]))
			continue;
		sx += i;
		sy += v[i];
		sxx += (double)i * i;
		sxy += i * v[i];
		n++;
	}
	if (n < 3)
		return TREND_UNKNOWN;
	b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	mean = sy / n;
	*slope = b;
	if (mean <= 0)
		return TREND_FLAT;
	*relative = b / mean;
	if (fabs(*relative) < 0.01)
		return TREND_FLAT;
	if (*relative >= 0.05)
		return TREND_UP;
	if (*relative > 0)
		return TREND_UP_GENTLE;
	if (*relative <= -0.05)
		return TREND_DOWN;
	return TREND_DOWN_GENTLE;
}

double
model_ratio_display(double r, bool *ten_plus)
{
	double r1;

	if (ten_plus != NULL)
		*ten_plus = false;
	if (!isfinite(r) || r < 0)
		return 0;
	if (ten_plus != NULL)
		*ten_plus = r >= 10.0;
	r1 = fmt_round_to(r, 1);
	return r1 >= 2.0 ? fmt_round_to(r, 0) : r1;
}

void
model_ratio_text(double r, char *buf, size_t len)
{
	char num[FMT_DEC_MAX];
	bool ten_plus;
	double d = model_ratio_display(r, &ten_plus);

	if (!isfinite(r) || r < 0)
		snprintf(buf, len, "%s", "比較できず");
	else if (ten_plus)
		snprintf(buf, len, "%s", "10倍以上");
	else
		snprintf(buf, len, "約%s倍", fmt_decimal(d, d >= 2.0 ? 0 : 1,
		    num, sizeof(num)));
}

bool
model_key_is_icmp(const struct key *k)
{
	return k->kind == KEY_PORT && k->proto == PROTO_ICMP;
}

enum icmp_class
model_icmp_class(const struct key *k)
{
	if (!model_key_is_icmp(k))
		return ICMP_NONE;
	switch (k->port) {
	case 8: case 13: case 15: case 17:
		return ICMP_REQUEST;
	case 0: case 14: case 16: case 18:
		return ICMP_REPLY;
	case 3: case 4: case 5: case 11: case 12:
		return ICMP_ERROR;
	default:
		return ICMP_OTHER;
	}
}

bool
model_icmp_is_response(const struct key *k)
{
	enum icmp_class c = model_icmp_class(k);

	return c == ICMP_REPLY || c == ICMP_ERROR;
}

int
model_color_slot(const struct month_model *m, const struct key *k)
{
	int i;

	if (k->kind == KEY_PORT) {
		i = find_key(m->port_slots, m->nport_slots, k);
		return i < 0 ? -1 : m->port_colors[i];
	}
	if (k->kind == KEY_COUNTRY) {
		i = find_key(m->cc_slots, m->ncc_slots, k);
		return i < 0 ? -1 : m->cc_colors[i];
	}
	return -1;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sensor_name *)a)->name,
	    ((const struct sensor_name *)b)->name);
}

/* The names of a not in b (each sorted here on a copy); *out owned. */
static bool
names_minus(const struct sensor_name *a, size_t na,
    const struct sensor_name *b, size_t nb, struct sensor_name **out,
    size_t *nout)
{
	struct sensor_name *sa = NULL, *sb = NULL;
	size_t i = 0, j = 0, n = 0;

	*out = NULL;
	*nout = 0;
	if (na == 0)
		return true;
	sa = malloc(na * sizeof(*sa));
	sb = malloc((nb ? nb : 1) * sizeof(*sb));
	if (sa == NULL || sb == NULL) {
		free(sa);
		free(sb);
		return false;
	}
	memcpy(sa, a, na * sizeof(*sa));
	if (nb > 0)
		memcpy(sb, b, nb * sizeof(*sb));
	qsort(sa, na, sizeof(*sa), name_cmp);
	if (nb > 0)
		qsort(sb, nb, sizeof(*sb), name_cmp);
	while (i < na) {
		int cmp = j < nb ? strcmp(sa[i].name, sb[j].name) : -1;

		if (cmp < 0) {
			if (n == 0 || strcmp(sa[n - 1].name, sa[i].name) != 0)
				sa[n++] = sa[i];
			i++;
		} else if (cmp > 0)
			j++;
		else
			i++;
	}
	free(sb);
	if (n == 0) {
		free(sa);
		return true;
	}
	*out = sa;
	*nout = n;
	return true;
}

/* Outage ranges and observed runs of M. */
static void
outage_ranges(struct month_model *m, const struct month_data *cur)
{
	for (int d = 1; d <= m->ndays; d++) {
		int miss = cur->sensors - cur->sensors_per_day[d];

		if (cur->sensors_per_day[d] > 0) {
			struct day_range *r = m->nobserved > 0 ?
			    &m->observed[m->nobserved - 1] : NULL;

			m->observed_days++;
			if (r != NULL && r->last_day == d - 1)
				r->last_day = d;
			else if (m->nobserved < sizeof(m->observed) /
			    sizeof(*m->observed)) {
				m->observed[m->nobserved].first_day = d;
				m->observed[m->nobserved].last_day = d;
				m->nobserved++;
			}
		}
		if (miss <= 0)
			continue;
		if (m->noutages > 0 &&
		    m->outages[m->noutages - 1].last_day == d - 1 &&
		    m->outages[m->noutages - 1].missing == miss)
			m->outages[m->noutages - 1].last_day = d;
		else {
			struct outage_range *o = &m->outages[m->noutages++];

			o->first_day = o->last_day = d;
			o->missing = miss;
			o->all = miss >= cur->sensors;
		}
	}
}

static void
port_change_of(struct port_change *pc, const struct key *k,
    const struct month_data *prev, const struct sorted_month *sprev,
    const struct month_data *cur, const struct sorted_month *scur)
{
	memset(pc, 0, sizeof(*pc));
	pc->key = *k;
	pc->prev = cell_value(sprev->ports, sprev->nports, k, MEASURE_ACCESSES);
	pc->cur = cell_value(scur->ports, scur->nports, k, MEASURE_ACCESSES);
	pc->prev_rate = rate_of(pc->prev, prev->sensor_days);
	pc->cur_rate = rate_of(pc->cur, cur->sensor_days);
	pc->delta = pc->cur_rate - pc->prev_rate;
	pc->ratio = pc->prev_rate > 0 ? pc->cur_rate / pc->prev_rate : NAN;
	pc->is_new = pc->cur > 0 &&
	    pc->prev_rate < MODEL_NEGLIGIBLE * pc->cur_rate;
	pc->vanished = pc->prev > 0 && pc->cur == 0;
}

/* Rises and falls among M's top ports and M-1's top ports. */
static void
rises_falls(struct month_model *m, const struct month_data *prev,
    const struct sorted_month *sprev, const struct month_data *cur,
    const struct sorted_month *scur)
{
	struct key cand[2 * MODEL_TOP + 1], ptop[MODEL_TOP];
	size_t ncand = 0, np;
	double min_delta = MODEL_NOTABLE_MIN_SHARE *
	    fmax(rate_of(cur->total.accesses, cur->sensor_days),
	    rate_of(prev->total.accesses, prev->sensor_days));

	for (size_t i = 0; i < m->ports_acc.nkeys; i++)
		if (m->ports_acc.keys[i].kind == KEY_PORT)
			cand[ncand++] = m->ports_acc.keys[i];
	np = top_keys(sprev->ports, sprev->nports, MEASURE_ACCESSES, ptop,
	    MODEL_TOP);
	for (size_t i = 0; i < np; i++)
		if (find_key(cand, ncand, &ptop[i]) < 0)
			cand[ncand++] = ptop[i];
	for (size_t i = 0; i < ncand; i++) {
		struct port_change pc;
		struct port_change *list;
		size_t *n, j;
		bool rise;

		port_change_of(&pc, &cand[i], prev, sprev, cur, scur);
		if (fabs(pc.delta) < min_delta)
			continue;   /* a trace of either month's traffic */
		pc.in_month_figure = find_key(m->ports_acc.keys,
		    m->ports_acc.nkeys, &pc.key) >= 0;
		pc.in_six_figure = find_key(m->six_ports_acc.keys,
		    m->six_ports_acc.nkeys, &pc.key) >= 0;
		/* >= 1.25 × (MODEL_CHANGE_MIN_RATIO), compared exactly */
		if (pc.cur_rate > pc.prev_rate && rate_ge(pc.cur,
		    cur->sensor_days, pc.prev, prev->sensor_days, 5, 4))
			rise = true;
		else if (pc.prev_rate > pc.cur_rate && rate_ge(pc.prev,
		    prev->sensor_days, pc.cur, cur->sensor_days, 5, 4))
			rise = false;
		else
			continue;
		list = rise ? m->rises : m->falls;
		n = rise ? &m->nrises : &m->nfalls;
		/* insertion by |delta|, larger first, then key order */
		if (*n == MODEL_CHANGES_MAX) {
			const struct port_change *last = &list[*n - 1];

			if (fabs(pc.delta) < fabs(last->delta) ||
			    (fabs(pc.delta) == fabs(last->delta) &&
			    key_cmp(&pc.key, &last->key) > 0))
				continue;
		}
		j = *n < MODEL_CHANGES_MAX ? (*n)++ : *n - 1;
		while (j > 0 && (fabs(pc.delta) > fabs(list[j - 1].delta) ||
		    (fabs(pc.delta) == fabs(list[j - 1].delta) &&
		    key_cmp(&pc.key, &list[j - 1].key) < 0))) {
			list[j] = list[j - 1];
			j--;
		}
		list[j] = pc;
	}
}

/* Sum over ports of min(share in M-1, share in M), and in *below_half
 * whether it is below MODEL_MIX_CHANGED (1/2) exactly: the sum of
 * min(a_p·tc, a_c·tp) against tp·tc/2 in 128 bits (it is at most
 * tp·tc < 2^126), as the rounded sum could fall either side of 1/2. */
static double
mix_overlap(const struct sorted_month *sp, int64_t tp,
    const struct sorted_month *sc, int64_t tc, bool *below_half)
{
	__extension__ typedef unsigned __int128 u128;
	size_t i = 0, j = 0;
	double sum = 0;
	u128 exact = 0;

	*below_half = true;
	if (tp <= 0 || tc <= 0)
		return 0;
	while (i < sp->nports && j < sc->nports) {
		const struct cell *p = &sp->ports[i], *c = &sc->ports[j];
		int cmp = key_cmp(&p->key, &c->key);

		if (cmp < 0)
			i++;
		else if (cmp > 0)
			j++;
		else {
			u128 a = (u128)(uint64_t)p->c.accesses * (uint64_t)tc;
			u128 b = (u128)(uint64_t)c->c.accesses * (uint64_t)tp;

			sum += fmin((double)p->c.accesses / (double)tp,
			    (double)c->c.accesses / (double)tc);
			if (p->c.accesses > 0 && c->c.accesses > 0)
				exact += a < b ? a : b;
			i++;
			j++;
		}
	}
	*below_half = 2 * exact < (u128)(uint64_t)tp * (uint64_t)tc;
	return sum > 1.0 ? 1.0 : sum;
}

static bool model_build_sorted(const struct month_input *in,
    const struct sorted_month sm[MODEL_MONTHS], const struct key *pins,
    size_t npins, struct month_model *m, struct err *e);

bool
model_build(const struct month_input *in, const struct key *pins,
    size_t npins, struct month_model *m, struct err *e)
{
	struct sorted_month sm[MODEL_MONTHS];
	bool ok = true;

	memset(m, 0, sizeof(*m));
	memset(sm, 0, sizeof(sm));
	for (int i = 0; i < MODEL_MONTHS; i++)
		ok = sorted_month_init(&sm[i], &in->six[i]) && ok;
	if (ok)
		ok = model_build_sorted(in, sm, pins, npins, m, e);
	else
		err_set(e, "out of memory");
	for (int i = 0; i < MODEL_MONTHS; i++)
		sorted_month_finish(&sm[i]);
	return ok;
}

static bool
model_build_sorted(const struct month_input *in,
    const struct sorted_month sm[MODEL_MONTHS], const struct key *pins,
    size_t npins, struct month_model *m, struct err *e)
{
	const struct month_data *cur = &in->six[MODEL_MONTHS - 1];
	const struct month_data *prev = &in->six[MODEL_MONTHS - 2];
	const struct sorted_month *scur = &sm[MODEL_MONTHS - 1];
	const struct sorted_month *sprev = &sm[MODEL_MONTHS - 2];
	double v[MODEL_MONTHS];
	struct key picks[MODEL_NOTABLE_MAX];
	size_t npicks;

	m->month = in->month;
	m->ndays = month_days(in->month);
	for (int i = 0; i < MODEL_MONTHS; i++) {
		const struct month_data *d = &in->six[i];
		struct month_summary *s = &m->six[i];

		s->month = in->month - (MODEL_MONTHS - 1) + i;
		s->has_data = d->sensor_days > 0;
		s->sensor_days = d->sensor_days;
		s->sensors = d->sensors;
		s->total = d->total;
		if (s->has_data) {
			s->accesses_per_sensor_day = (double)d->total.accesses /
			    (double)d->sensor_days;
			s->sources_per_sensor_day = (double)d->total.sources /
			    (double)d->sensor_days;
		}
		if (d->total.sources > 0)
			s->accesses_per_source = (double)d->total.accesses /
			    (double)d->total.sources;
		v[i] = s->has_data ? s->accesses_per_sensor_day : NAN;
	}
	m->cur = &m->six[MODEL_MONTHS - 1];
	if (!m->cur->has_data)
		return err_set(e, "%04d-%02d: no data (no observed sensor-day in the store)",
		    month_year(in->month), month_mon(in->month));
	m->has_unique = in->unique_sensor_days > 0 &&
	    in->unique_sensor_days == cur->sensor_days;
	m->unique_sources = m->has_unique ? in->unique_sources : 0;
	memcpy(m->sensors_per_day, cur->sensors_per_day,
	    sizeof(m->sensors_per_day));
	memcpy(m->prev_sensors_per_day, prev->sensors_per_day,
	    sizeof(m->prev_sensors_per_day));
	m->trend = model_trend(v, &m->trend_slope, &m->trend_relative);

	/* outage */
	m->outage_same_days = true;
	for (int d = 1; d <= m->ndays; d++) {
		int miss = cur->sensors - cur->sensors_per_day[d];

		if (cur->sensors_per_day[d] > 0) {
			if (m->observed_first == 0)
				m->observed_first = d;
			m->observed_last = d;
		}
		if (miss <= 0)
			continue;
		m->missing[m->nmissing].day = d;
		m->missing[m->nmissing].missing = miss;
		m->nmissing++;
		m->missing_sensor_days += miss;
		if (miss != cur->sensors)
			m->outage_same_days = false;
	}
	if (m->nmissing == 0)
		m->outage_same_days = false;
	outage_ranges(m, cur);

	/* sensors and the comparison with M-1 */
	m->has_prev = prev->sensor_days > 0;
	m->sensors_prev = prev->sensors;
	m->sensors_changed = m->has_prev && prev->sensors != cur->sensors;
	if (!names_minus(in->sensor_names[0], in->nsensor_names[0],
	    in->sensor_names[1], in->nsensor_names[1], &m->sensors_gone,
	    &m->nsensors_gone) ||
	    (m->has_prev && !names_minus(in->sensor_names[1],
	    in->nsensor_names[1], in->sensor_names[0], in->nsensor_names[0],
	    &m->sensors_added, &m->nsensors_added))) {
		model_finish(m);
		return err_set(e, "out of memory");
	}
	m->has_change = m->has_prev && prev->total.accesses > 0;
	if (m->has_change)
		m->change_relative = m->cur->accesses_per_sensor_day /
		    m->six[MODEL_MONTHS - 2].accesses_per_sensor_day - 1.0;
	m->reverses = m->has_change &&
	    (((m->trend == TREND_UP || m->trend == TREND_UP_GENTLE) &&
	    m->change_relative <= -MODEL_REVERSAL) ||
	    ((m->trend == TREND_DOWN || m->trend == TREND_DOWN_GENTLE) &&
	    m->change_relative >= MODEL_REVERSAL));
	if (m->has_change && in->mix_given) {
		m->mix_overlap = in->mix_overlap;
		m->mix_changed = cur->total.accesses > 0 && in->mix_changed;
	} else if (m->has_change) {
		bool below;

		m->mix_overlap = mix_overlap(sprev, prev->total.accesses, scur,
		    cur->total.accesses, &below);
		m->mix_changed = cur->total.accesses > 0 && below;
	}

	if (!breakdown_build(&m->ports_acc, MEASURE_ACCESSES, cur, scur,
	    in->day_ports, in->nday_ports, true, m->ndays, e) ||
	    !breakdown_build(&m->ports_src, MEASURE_SOURCES, cur, scur,
	    in->day_ports, in->nday_ports, true, m->ndays, e) ||
	    !breakdown_build(&m->cc_acc, MEASURE_ACCESSES, cur, scur,
	    in->day_countries, in->nday_countries, false, m->ndays, e) ||
	    !breakdown_build(&m->cc_src, MEASURE_SOURCES, cur, scur,
	    in->day_countries, in->nday_countries, false, m->ndays, e)) {
		model_finish(m);
		return false;
	}
	if (!six_build(&m->six_ports_acc, MEASURE_ACCESSES, in->six, sm, true) ||
	    !six_build(&m->six_ports_src, MEASURE_SOURCES, in->six, sm, true) ||
	    !six_build(&m->six_cc_acc, MEASURE_ACCESSES, in->six, sm, false) ||
	    !six_build(&m->six_cc_src, MEASURE_SOURCES, in->six, sm, false)) {
		model_finish(m);
		return err_set(e, "out of memory");
	}

	if (m->has_prev)
		rises_falls(m, prev, sprev, cur, scur);

	/* notable ports: pinned by the template, else picked */
	(void)prev;
	(void)cur;
	npicks = model_notable_keys(in, pins, npins, picks);
	for (size_t i = 0; i < npicks; i++) {
		struct notable *n = &m->notable[m->nnotable++];

		n->key = picks[i];
		n->pinned = npins > 0;
		n->prev = cell_value(sprev->ports, sprev->nports, &picks[i],
		    MEASURE_ACCESSES);
		n->cur = cell_value(scur->ports, scur->nports, &picks[i],
		    MEASURE_ACCESSES);
		n->has_prev = m->has_prev;
		n->prev_rate = rate_of(n->prev, prev->sensor_days);
		n->cur_rate = rate_of(n->cur, cur->sensor_days);
		n->ratio = n->prev_rate > 0 ? n->cur_rate / n->prev_rate : NAN;
		n->no_data_cur = n->cur == 0;
		n->no_data_prev = !m->has_prev || n->prev == 0;
		n->is_new = m->has_prev && n->cur > 0 &&
		    n->prev_rate < MODEL_NEGLIGIBLE * n->cur_rate;
		n->has_ratio = m->has_prev && n->prev > 0 && n->cur > 0 &&
		    !n->is_new;
		if (n->has_ratio)
			n->ratio_display = model_ratio_display(n->ratio,
			    &n->ratio_ten_plus);
		if (n->cur == 0)
			snprintf(n->ratio_text, sizeof(n->ratio_text), "%s",
			    "観測なし");
		else if (n->prev > 0 && m->has_prev)
			model_ratio_text(n->ratio, n->ratio_text,
			    sizeof(n->ratio_text));
		else
			snprintf(n->ratio_text, sizeof(n->ratio_text), "%s",
			    "前月なし");
		n->dominant = key_other();
		n->ndays_prev = month_days(in->month - 1);
		n->ndays_cur = m->ndays;
	}

	/* colours: store-wide, distinct in every figure (colors.c) */
	if (!colors_model_build(m, in, e)) {
		model_finish(m);
		return false;
	}
	/* the notable ports' charts, from rows read in the same pass */
	for (size_t i = 0; i < m->nnotable; i++)
		for (size_t j = 0; j < in->nnotable && j < MODEL_NOTABLE_MAX; j++)
			if (key_equal(&in->notable_keys[j], &m->notable[i].key) &&
			    !model_notable_fill(m, i, in->notable_rows[j],
			    in->notable_nrows[j], e)) {
				model_finish(m);
				return false;
			}
	return true;
}

size_t
model_notable_keys(const struct month_input *in, const struct key *pins,
    size_t npins, struct key out[MODEL_NOTABLE_MAX])
{
	size_t n = 0;

	if (npins > 0) {
		for (size_t i = 0; i < npins && n < MODEL_NOTABLE_MAX; i++)
			out[n++] = pins[i];
		return n;
	}
	return model_pick_notable(&in->six[MODEL_MONTHS - 2],
	    &in->six[MODEL_MONTHS - 1], out, MODEL_NOTABLE_MAX);
}

bool
model_notable_fill(struct month_model *m, size_t idx,
    const struct port_day_country *rows, size_t nrows, struct err *e)
{
	struct notable *n;
	struct cell *all = NULL;
	size_t nall = 0, cap = 0, ndays, other;

	if (idx >= m->nnotable)
		return err_set(e, "no notable port %zu", idx);
	n = &m->notable[idx];
	n->dominant = key_other();
	n->dominant_share = 0;
	n->dominant_accesses = 0;
	n->has_dominant = false;
	ndays = (size_t)(n->ndays_prev + n->ndays_cur);
	/* rank countries by accesses over both months; dominant by M */
	for (size_t i = 0; i < nrows; i++) {
		struct key k = key_country(rows[i].cc);
		size_t j;

		if (rows[i].month != m->month && rows[i].month != m->month - 1)
			return err_set(e, "notable port data outside %04d-%02d..%04d-%02d",
			    month_year(m->month - 1), month_mon(m->month - 1),
			    month_year(m->month), month_mon(m->month));
		for (j = 0; j < nall; j++)
			if (key_equal(&all[j].key, &k))
				break;
		if (j == nall) {
			if (nall == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct cell *na = realloc(all, ncap * sizeof(*na));

				if (na == NULL) {
					free(all);
					return err_set(e, "out of memory");
				}
				all = na;
				cap = ncap;
			}
			all[nall].key = k;
			all[nall].c.accesses = 0;  /* both months */
			all[nall].c.sources = 0;   /* M only (for dominance) */
			nall++;
		}
		all[j].c.accesses += rows[i].c.accesses;
		if (rows[i].month == m->month)
			all[j].c.sources += rows[i].c.accesses;
	}
	if (nall > 0)
		qsort(all, nall, sizeof(*all), cell_key_cmp);
	n->ncc = top_keys(all, nall, MEASURE_ACCESSES, n->cc, MODEL_NOTABLE_CC);
	{
		struct key dom[1];
		int64_t dv;

		if (top_keys(all, nall, MEASURE_SOURCES, dom, 1) == 1) {
			n->dominant = dom[0];
			n->has_dominant = n->cur > 0;
			dv = cell_value(all, nall, &dom[0], MEASURE_SOURCES);
			n->dominant_accesses = dv;
			n->dominant_share = n->cur > 0 ?
			    (double)dv / (double)n->cur : 0;
		}
	}
	other = SIZE_MAX;
	for (size_t i = 0; i < nall; i++) {
		if (find_key(n->cc, n->ncc, &all[i].key) < 0 &&
		    all[i].c.accesses > 0) {
			n->cc[n->ncc] = key_other();
			other = n->ncc++;
			break;
		}
	}
	free(all);
	free(n->daily);
	n->daily = calloc(n->ncc * ndays + 1, sizeof(double));
	if (n->daily == NULL)
		return err_set(e, "out of memory");
	memset(n->cc_totals, 0, sizeof(n->cc_totals));
	for (size_t i = 0; i < nrows; i++) {
		const struct port_day_country *r = &rows[i];
		bool in_cur = r->month == m->month;
		const int *spd = in_cur ? m->sensors_per_day : NULL;
		struct key k = key_country(r->cc);
		int kk = find_key(n->cc, other == SIZE_MAX ? n->ncc : other, &k);
		size_t pos;
		int sensors;

		if (kk < 0)
			kk = (int)other;
		if (kk < 0)
			continue;
		if (in_cur)
			n->cc_totals[kk] += r->c.accesses;
		if (r->day < 1 || r->day > (in_cur ? n->ndays_cur : n->ndays_prev))
			continue;
		sensors = in_cur ? spd[r->day] : m->prev_sensors_per_day[r->day];
		if (sensors <= 0)
			continue;
		pos = (size_t)(in_cur ? n->ndays_prev : 0) + (size_t)(r->day - 1);
		n->daily[(size_t)kk * ndays + pos] += (double)r->c.accesses /
		    sensors;
	}
	return colors_model_notable(m, idx, e);
}

void
model_finish(struct month_model *m)
{
	if (m == NULL)
		return;
	free(m->ports_acc.daily);
	free(m->ports_src.daily);
	free(m->cc_acc.daily);
	free(m->cc_src.daily);
	for (size_t i = 0; i < m->nnotable; i++)
		free(m->notable[i].daily);
	free(m->sensors_gone);
	free(m->sensors_added);
	memset(m, 0, sizeof(*m));
}
