/* model.c — the month model (see model.h).  Pure: no I/O. */
#include "model.h"

#include "colors.h"

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
		if (r.v <= 0 || (k == max && ranked_cmp(&r, &best[k - 1]) >= 0))
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

static bool
breakdown_build(struct breakdown *b, enum measure ms,
    const struct month_data *md, const struct sorted_month *sm,
    const struct day_cell *days, size_t ndays_cells, bool ports, int ndays,
    struct err *e)
{
	const struct cell *cells = ports ? sm->ports : sm->countries;
	size_t n = ports ? sm->nports : sm->ncountries;
	int64_t sum = 0;
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
	if (b->daily == NULL)
		return err_set(e, "out of memory");
	other = b->nkeys > 0 && b->keys[b->nkeys - 1].kind == KEY_OTHER ?
	    b->nkeys - 1 : SIZE_MAX;
	for (size_t i = 0; i < ndays_cells; i++) {
		const struct day_cell *c = &days[i];
		int sensors, k;

		if (c->day < 1 || c->day > ndays)
			continue;
		sensors = md->sensors_per_day[c->day];
		if (sensors <= 0)
			continue;
		k = find_key(b->keys, other == SIZE_MAX ? b->nkeys : other,
		    &c->key);
		if (k < 0) {
			if (other == SIZE_MAX)
				continue;
			k = (int)other;
		}
		b->daily[(size_t)k * (size_t)ndays + (size_t)(c->day - 1)] +=
		    (double)measure_of(&c->c, ms) / sensors;
	}
	return true;
}

static int64_t
add_sat(int64_t a, int64_t b)
{
	int64_t r;

	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
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

size_t
model_pick_notable(const struct month_data *prev, const struct month_data *cur,
    struct key *out, size_t max)
{
	struct ranked best[MODEL_NOTABLE_MAX + 8];
	size_t nbest = 0;
	bool ok = true;
	struct cell *ps = sorted_copy(prev->ports, prev->nports, &ok);

	if (!ok)
		return 0;
	if (max > MODEL_NOTABLE_MAX + 8)
		max = MODEL_NOTABLE_MAX + 8;
	for (size_t i = 0; i < cur->nports; i++) {
		int64_t c = cur->ports[i].c.accesses;
		int64_t p = cell_value(ps, prev->nports, &cur->ports[i].key,
		    MEASURE_ACCESSES);
		struct ranked r;
		size_t j;

		if (p <= 0 || (double)c < MODEL_NOTABLE_MIN_RATIO * (double)p)
			continue;
		r.key = cur->ports[i].key;
		r.v = c - p;
		/* insert into the sorted best list */
		for (j = nbest; j > 0 && ranked_cmp(&r, &best[j - 1]) < 0; j--)
			if (j < max)
				best[j] = best[j - 1];
		if (j < max) {
			best[j] = r;
			if (nbest < max)
				nbest++;
		}
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

void
model_ratio_text(double r, char *buf, size_t len)
{
	double r1 = round(r * 10.0) / 10.0;

	if (!isfinite(r) || r < 0)
		snprintf(buf, len, "%s", "比較できず");
	else if (r1 >= 2.0)
		snprintf(buf, len, "約%.0f倍", round(r));  /* no llround overflow */
	else
		snprintf(buf, len, "約%.1f倍", r1);
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
		n->ratio = n->prev > 0 ? (double)n->cur / (double)n->prev : NAN;
		if (n->prev > 0)
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
			dv = cell_value(all, nall, &dom[0], MEASURE_SOURCES);
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
	memset(m, 0, sizeof(*m));
}
