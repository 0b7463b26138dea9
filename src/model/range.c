#include "range.h"

#include <stdlib.h>
#include <string.h>

struct sum {
	struct key key;
	struct counts c;
};

struct sums {
	size_t n, cap;
	struct sum *v;       /* owned */
};

static int64_t
measure_of(const struct counts *c, enum measure ms)
{
	return ms == MEASURE_ACCESSES ? c->accesses : c->sources;
}

static int
key_order(const struct key *a, const struct key *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == KEY_PORT) {
		if (a->proto != b->proto)
			return a->proto < b->proto ? -1 : 1;
		if (a->port != b->port)
			return a->port < b->port ? -1 : 1;
		return 0;
	}
	return strcmp(a->cc, b->cc);
}

/* Appends cells to s (keys may repeat until sums_merge). */
static bool
sums_append(struct sums *s, const struct cell *cells, size_t n)
{
	if (s->n + n > s->cap) {
		size_t ncap = (s->n + n) * 2;
		struct sum *nv = realloc(s->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return false;
		s->v = nv;
		s->cap = ncap;
	}
	for (size_t i = 0; i < n; i++) {
		s->v[s->n].key = cells[i].key;
		s->v[s->n].c = cells[i].c;
		s->n++;
	}
	return true;
}

static int
sum_key_cmp(const void *a, const void *b)
{
	return key_order(&((const struct sum *)a)->key,
	    &((const struct sum *)b)->key);
}

static int64_t
add_sat(int64_t a, int64_t b)
{
	int64_t r;

	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

/* One entry per key, counts summed (saturating): sort by key and merge. */
static void
sums_merge(struct sums *s)
{
	size_t k = 0;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), sum_key_cmp);
	for (size_t i = 0; i < s->n; i++) {
		if (k > 0 && key_order(&s->v[k - 1].key, &s->v[i].key) == 0) {
			s->v[k - 1].c.accesses = add_sat(s->v[k - 1].c.accesses,
			    s->v[i].c.accesses);
			s->v[k - 1].c.sources = add_sat(s->v[k - 1].c.sources,
			    s->v[i].c.sources);
		} else
			s->v[k++] = s->v[i];
	}
	s->n = k;
}

static int
sum_cmp(const struct sum *a, const struct sum *b, enum measure ms)
{
	int64_t va = measure_of(&a->c, ms), vb = measure_of(&b->c, ms);

	if (va != vb)
		return va > vb ? -1 : 1;
	return key_order(&a->key, &b->key);
}

static int
sum_cmp_accesses(const void *a, const void *b)
{
	return sum_cmp(a, b, MEASURE_ACCESSES);
}

static int
sum_cmp_sources(const void *a, const void *b)
{
	return sum_cmp(a, b, MEASURE_SOURCES);
}

/* Sorts s by measure, largest first; ties by key. */
static void
sums_sort(struct sums *s, enum measure ms)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), ms == MEASURE_ACCESSES ?
		    sum_cmp_accesses : sum_cmp_sources);
}

/* Top max keys (positive values only) of cells by accesses. */
static size_t
month_top(const struct cell *cells, size_t n, struct key *keys,
    int64_t *values, size_t max, bool *ok)
{
	struct sums s = { 0 };
	size_t k = 0;

	if (!sums_append(&s, cells, n)) {
		*ok = false;
		free(s.v);
		return 0;
	}
	sums_merge(&s);
	sums_sort(&s, MEASURE_ACCESSES);
	for (size_t i = 0; i < s.n && k < max; i++) {
		if (s.v[i].c.accesses <= 0)
			break;
		keys[k] = s.v[i].key;
		values[k] = s.v[i].c.accesses;
		k++;
	}
	free(s.v);
	return k;
}

static int64_t
cell_value(const struct cell *cells, size_t n, const struct key *k,
    enum measure ms)
{
	int64_t v = 0;

	for (size_t i = 0; i < n; i++)
		if (key_equal(&cells[i].key, k))
			v += measure_of(&cells[i].c, ms);
	return v;
}

static bool
table_build(struct range_table *t, enum measure ms, bool ports,
    const struct month_data *data, size_t n)
{
	struct sums all = { 0 };
	bool other = false;

	memset(t, 0, sizeof(*t));
	t->measure = ms;
	t->ports = ports;
	for (size_t m = 0; m < n; m++) {
		const struct cell *cells = ports ? data[m].ports :
		    data[m].countries;
		size_t nc = ports ? data[m].nports : data[m].ncountries;

		if (!sums_append(&all, cells, nc)) {
			free(all.v);
			return false;
		}
	}
	sums_merge(&all);
	sums_sort(&all, ms);
	for (size_t i = 0; i < all.n && t->nkeys < RANGE_TOP; i++) {
		if (measure_of(&all.v[i].c, ms) <= 0)
			break;
		t->keys[t->nkeys++] = all.v[i].key;
	}
	free(all.v);
	/* その他 when some month has more than its named keys */
	for (size_t m = 0; m < n && !other; m++) {
		const struct cell *cells = ports ? data[m].ports :
		    data[m].countries;
		size_t nc = ports ? data[m].nports : data[m].ncountries;
		int64_t sum = 0;

		for (size_t k = 0; k < t->nkeys; k++)
			sum += cell_value(cells, nc, &t->keys[k], ms);
		if (measure_of(&data[m].total, ms) > sum)
			other = true;
	}
	if (other)
		t->keys[t->nkeys++] = key_other();
	t->values = calloc(n * (t->nkeys ? t->nkeys : 1), sizeof(int64_t));
	if (t->values == NULL)
		return false;
	for (size_t m = 0; m < n; m++) {
		const struct cell *cells = ports ? data[m].ports :
		    data[m].countries;
		size_t nc = ports ? data[m].nports : data[m].ncountries;
		int64_t *row = t->values + m * t->nkeys, sum = 0;
		size_t named = other ? t->nkeys - 1 : t->nkeys;

		for (size_t k = 0; k < named; k++) {
			row[k] = cell_value(cells, nc, &t->keys[k], ms);
			sum += row[k];
		}
		if (other) {
			int64_t total = measure_of(&data[m].total, ms);

			row[named] = total > sum ? total - sum : 0;
		}
	}
	return true;
}

static void
slot_add(struct key *slots, size_t *n, size_t max, const struct key *k)
{
	if (k->kind == KEY_OTHER || *n >= max)
		return;
	for (size_t i = 0; i < *n; i++)
		if (key_equal(&slots[i], k))
			return;
	slots[(*n)++] = *k;
}

int
range_color_slot(const struct range_model *r, const struct key *k)
{
	const struct key *slots = k->kind == KEY_PORT ? r->port_slots :
	    r->cc_slots;
	size_t n = k->kind == KEY_PORT ? r->nport_slots : r->ncc_slots;

	if (k->kind == KEY_OTHER)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (key_equal(&slots[i], k))
			return (int)i;
	return -1;
}

bool
range_build(const struct month_data *data, size_t n, struct range_model *r,
    struct err *e)
{
	bool any = false, ok = true;
	const size_t cap = 2 * RANGE_TOP;

	memset(r, 0, sizeof(*r));
	if (n == 0 || n > RANGE_MONTHS_MAX)
		return err_set(e, "a range has 1 to %d months, not %zu",
		    RANGE_MONTHS_MAX, n);
	r->first = data[0].month;
	r->last = data[n - 1].month;
	for (size_t i = 0; i < n; i++) {
		if (data[i].month != r->first + (month_t)i)
			return err_set(e, "range months are not consecutive at %04d-%02d",
			    month_year(data[i].month), month_mon(data[i].month));
		if (data[i].sensor_days > 0)
			any = true;
	}
	if (!any)
		return err_set(e, "%04d-%02d..%04d-%02d: no data (no observed sensor-day in the store)",
		    month_year(r->first), month_mon(r->first),
		    month_year(r->last), month_mon(r->last));
	r->nmonths = n;
	r->months = calloc(n, sizeof(*r->months));
	if (r->months == NULL)
		return err_set(e, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct month_data *d = &data[i];
		struct range_month *rm = &r->months[i];

		rm->month = d->month;
		rm->has_data = d->sensor_days > 0;
		rm->sensors = d->sensors;
		rm->sensor_days = d->sensor_days;
		rm->total = d->total;
		if (rm->has_data) {
			rm->accesses_per_sensor_day = (double)d->total.accesses /
			    (double)d->sensor_days;
			rm->sources_per_sensor_day = (double)d->total.sources /
			    (double)d->sensor_days;
		}
		if (d->total.sources > 0)
			rm->accesses_per_source = (double)d->total.accesses /
			    (double)d->total.sources;
		rm->ntop_ports = month_top(d->ports, d->nports, rm->top_ports,
		    rm->top_ports_accesses, RANGE_MONTH_TOP, &ok);
		rm->ntop_countries = month_top(d->countries, d->ncountries,
		    rm->top_countries, rm->top_countries_accesses,
		    RANGE_MONTH_TOP, &ok);
	}
	if (!ok ||
	    !table_build(&r->ports_acc, MEASURE_ACCESSES, true, data, n) ||
	    !table_build(&r->ports_src, MEASURE_SOURCES, true, data, n) ||
	    !table_build(&r->cc_acc, MEASURE_ACCESSES, false, data, n) ||
	    !table_build(&r->cc_src, MEASURE_SOURCES, false, data, n)) {
		range_finish(r);
		return err_set(e, "out of memory");
	}
	for (size_t k = 0; k < r->ports_acc.nkeys; k++)
		slot_add(r->port_slots, &r->nport_slots, cap,
		    &r->ports_acc.keys[k]);
	for (size_t k = 0; k < r->ports_src.nkeys; k++)
		slot_add(r->port_slots, &r->nport_slots, cap,
		    &r->ports_src.keys[k]);
	for (size_t k = 0; k < r->cc_acc.nkeys; k++)
		slot_add(r->cc_slots, &r->ncc_slots, cap, &r->cc_acc.keys[k]);
	for (size_t k = 0; k < r->cc_src.nkeys; k++)
		slot_add(r->cc_slots, &r->ncc_slots, cap, &r->cc_src.keys[k]);
	return true;
}

void
range_finish(struct range_model *r)
{
	if (r == NULL)
		return;
	free(r->months);
	free(r->ports_acc.values);
	free(r->ports_src.values);
	free(r->cc_acc.values);
	free(r->cc_src.values);
	memset(r, 0, sizeof(*r));
}
