/* colors.c — one colour per port and per country (see colors.h).  Pure:
 * no I/O. */
#include "colors.h"

#include <stdlib.h>
#include <string.h>

/* The model's order of keys: ports by (proto, port), countries by code. */
static int
key_order(const struct key *a, const struct key *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == KEY_PORT) {
		if (a->proto != b->proto)
			return a->proto < b->proto ? -1 : 1;
		return (a->port > b->port) - (a->port < b->port);
	}
	if (a->kind == KEY_COUNTRY)
		return strcmp(a->cc, b->cc);
	return 0;
}

static int
key_order_cb(const void *a, const void *b)
{
	return key_order(a, b);
}

static size_t
key_index(const struct key *keys, size_t n, const struct key *k)
{
	const struct key *p;

	if (n == 0)
		return SIZE_MAX;
	p = bsearch(k, keys, n, sizeof(*keys), key_order_cb);
	return p != NULL ? (size_t)(p - keys) : SIZE_MAX;
}

/* ---- store-wide assignment ---- */

struct kset {              /* keys one figure can show, best first */
	size_t n;
	size_t k[MODEL_TOP];   /* indexes into the key table */
};

struct ranked_idx {
	int64_t v;
	size_t i;
};

static int
ranked_idx_cmp(const void *pa, const void *pb)
{
	const struct ranked_idx *a = pa, *b = pb;

	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

static int64_t
add_sat(int64_t a, int64_t b)
{
	int64_t r;

	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

/* The best MODEL_TOP of touched[0..nt) by v (positive only; ties by key
 * index, i.e. by key), into s. */
static void
top_of(const size_t *touched, size_t nt, const int64_t *v, struct kset *s)
{
	struct ranked_idx best[MODEL_TOP];
	size_t k = 0;

	for (size_t t = 0; t < nt; t++) {
		struct ranked_idx r = { v[touched[t]], touched[t] };
		size_t j;

		if (r.v <= 0 || (k == MODEL_TOP &&
		    ranked_idx_cmp(&r, &best[k - 1]) >= 0))
			continue;
		j = k < MODEL_TOP ? k++ : k - 1;
		while (j > 0 && ranked_idx_cmp(&r, &best[j - 1]) < 0) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = r;
	}
	s->n = k;
	for (size_t i = 0; i < k; i++)
		s->k[i] = best[i].i;
}

bool
colors_assign(const struct color_month *months, size_t n, bool ports,
    int ncolors, struct color_map *out)
{
	int la = ports ? COLOR_PORTS_ACC : COLOR_CC_ACC;
	int lb = ports ? COLOR_PORTS_SRC : COLOR_CC_SRC;
	struct key *keys = NULL;
	struct kset *sets = NULL;
	int64_t *acc = NULL, *src = NULL, *score = NULL;
	size_t *seen = NULL, *touched = NULL, *off = NULL, *mem = NULL;
	struct ranked_idx *order = NULL;
	int8_t *colors = NULL;
	size_t nk = 0, nsets = 0;

	memset(out, 0, sizeof(*out));
	if (ncolors > 32)
		ncolors = 32;
	if (n == 0)
		return true;
	/* the key table: every key of every list, sorted, unique */
	keys = malloc(n * 2 * MODEL_TOP * sizeof(*keys));
	if (keys == NULL)
		return false;
	for (size_t m = 0; m < n; m++)
		for (int l = la; l <= lb; l++)
			for (size_t i = 0; i < months[m].n[l] && i < MODEL_TOP; i++)
				keys[nk++] = months[m].top[l][i].key;
	if (nk > 0)
		qsort(keys, nk, sizeof(*keys), key_order_cb);
	{
		size_t u = 0;

		for (size_t i = 0; i < nk; i++)
			if (u == 0 || key_order(&keys[u - 1], &keys[i]) != 0)
				keys[u++] = keys[i];
		nk = u;
	}
	if (nk == 0) {
		free(keys);
		return true;
	}
	sets = calloc(n * 4, sizeof(*sets));
	acc = calloc(nk, sizeof(*acc));
	src = calloc(nk, sizeof(*src));
	score = calloc(nk, sizeof(*score));
	seen = calloc(nk, sizeof(*seen));
	touched = malloc(nk * sizeof(*touched));
	off = calloc(nk + 1, sizeof(*off));
	order = malloc(nk * sizeof(*order));
	colors = malloc(nk * sizeof(*colors));
	if (sets == NULL || acc == NULL || src == NULL || score == NULL ||
	    seen == NULL || touched == NULL || off == NULL || order == NULL ||
	    colors == NULL)
		goto fail;

	/* the figures: each month's two top lists, and the six-month top of
	 * each window M-5..M estimated from its months' lists */
	for (size_t m = 0; m < n; m++) {
		size_t first = m, nt = 0;

		for (int l = la; l <= lb; l++) {
			struct kset *s = &sets[nsets++];

			for (size_t i = 0; i < months[m].n[l] && i < MODEL_TOP; i++)
				s->k[s->n++] = key_index(keys, nk,
				    &months[m].top[l][i].key);
		}
		while (first > 0 &&
		    months[first - 1].month >= months[m].month - (MODEL_MONTHS - 1))
			first--;
		for (size_t j = first; j <= m; j++) {
			for (int l = la; l <= lb; l++) {
				for (size_t i = 0; i < months[j].n[l] &&
				    i < MODEL_TOP; i++) {
					const struct cell *c = &months[j].top[l][i];
					size_t x = key_index(keys, nk, &c->key);

					if (seen[x] == j + 1)
						continue;  /* in both lists */
					if (seen[x] == 0)
						touched[nt++] = x;
					seen[x] = j + 1;
					acc[x] = add_sat(acc[x], c->c.accesses);
					src[x] = add_sat(src[x], c->c.sources);
				}
			}
		}
		top_of(touched, nt, acc, &sets[nsets++]);
		top_of(touched, nt, src, &sets[nsets++]);
		for (size_t t = 0; t < nt; t++) {
			acc[touched[t]] = src[touched[t]] = 0;
			seen[touched[t]] = 0;
		}
	}

	/* importance, and which figures show each key */
	for (size_t s = 0; s < nsets; s++) {
		for (size_t i = 0; i < sets[s].n; i++) {
			score[sets[s].k[i]] += MODEL_TOP - (int64_t)i;
			off[sets[s].k[i] + 1]++;
		}
	}
	for (size_t x = 0; x < nk; x++)
		off[x + 1] += off[x];
	mem = malloc((off[nk] ? off[nk] : 1) * sizeof(*mem));
	if (mem == NULL)
		goto fail;
	memset(seen, 0, nk * sizeof(*seen));   /* fill positions */
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s].n; i++) {
			size_t x = sets[s].k[i];

			mem[off[x] + seen[x]++] = s;
		}

	/* greedy colouring, most important first */
	for (size_t x = 0; x < nk; x++) {
		order[x].v = score[x];
		order[x].i = x;
		colors[x] = -1;
	}
	qsort(order, nk, sizeof(*order), ranked_idx_cmp);
	for (size_t o = 0; o < nk; o++) {
		size_t x = order[o].i;
		uint32_t used = 0;

		for (size_t p = off[x]; p < off[x + 1]; p++) {
			const struct kset *s = &sets[mem[p]];

			for (size_t i = 0; i < s->n; i++)
				if (colors[s->k[i]] >= 0)
					used |= UINT32_C(1) << colors[s->k[i]];
		}
		for (int c = 0; c < ncolors; c++) {
			if (!(used & UINT32_C(1) << c)) {
				colors[x] = (int8_t)c;
				break;
			}
		}
	}
	free(sets);
	free(acc);
	free(src);
	free(score);
	free(seen);
	free(touched);
	free(off);
	free(mem);
	free(order);
	out->n = nk;
	out->keys = keys;
	out->colors = colors;
	return true;
fail:
	free(keys);
	free(sets);
	free(acc);
	free(src);
	free(score);
	free(seen);
	free(touched);
	free(off);
	free(mem);
	free(order);
	free(colors);
	return false;
}

int
colors_lookup(const struct color_map *map, const struct key *k)
{
	size_t i = key_index(map->keys, map->n, k);

	return i == SIZE_MAX ? -1 : map->colors[i];
}

void
color_map_finish(struct color_map *map)
{
	if (map == NULL)
		return;
	free(map->keys);
	free(map->colors);
	memset(map, 0, sizeof(*map));
}

/* ---- one month ---- */

static size_t
table_find(const struct color_table *t, const struct key *k)
{
	for (size_t i = 0; i < t->n; i++)
		if (key_equal(&t->keys[i], k))
			return i;
	return SIZE_MAX;
}

static bool
fig_has(const struct color_figure *f, const struct key *k)
{
	for (size_t i = 0; i < f->n; i++)
		if (key_equal(&f->keys[i], k))
			return true;
	return false;
}

static int
lowest_free(uint32_t used, int ncolors)
{
	for (int c = 0; c < ncolors; c++)
		if (!(used & UINT32_C(1) << c))
			return c;
	return -1;
}

void
colors_resolve(struct color_table *t, struct color_figure *figs,
    size_t nfigs, int (*store)(const void *ctx, const struct key *k),
    const void *ctx, int ncolors)
{
	size_t first_new = t->n;

	if (ncolors > 32)
		ncolors = 32;
	/* new keys in order of appearance, with their store-wide colours */
	for (size_t f = 0; f < nfigs; f++) {
		for (size_t i = 0; i < figs[f].n; i++) {
			const struct key *k = &figs[f].keys[i];

			figs[f].merge[i] = false;
			if (t->n < t->max && table_find(t, k) == SIZE_MAX) {
				int c = store != NULL ? store(ctx, k) : -1;

				t->keys[t->n] = *k;
				t->colors[t->n] = (int8_t)(c >= 0 && c < ncolors ?
				    c : -1);
				t->n++;
			}
		}
	}
	/* a new key yields its colour to any key before it in a figure */
	for (size_t x = first_new; x < t->n; x++) {
		uint32_t before = 0, all = 0;
		int c;

		for (size_t f = 0; f < nfigs; f++) {
			if (!fig_has(&figs[f], &t->keys[x]))
				continue;
			for (size_t i = 0; i < figs[f].n; i++) {
				size_t y = table_find(t, &figs[f].keys[i]);

				if (y == SIZE_MAX || y == x || t->colors[y] < 0)
					continue;
				all |= UINT32_C(1) << t->colors[y];
				if (y < x)
					before |= UINT32_C(1) << t->colors[y];
			}
		}
		c = t->colors[x];
		if (c >= 0 && !(before & UINT32_C(1) << c))
			continue;
		c = lowest_free(all, ncolors);
		if (c < 0)
			c = lowest_free(before, ncolors);
		t->colors[x] = (int8_t)c;
	}
	/* what still collides goes to その他, the lower rank first */
	for (size_t f = 0; f < nfigs; f++) {
		uint32_t used = 0;

		for (size_t i = 0; i < figs[f].n; i++) {
			size_t y = table_find(t, &figs[f].keys[i]);
			int c = y == SIZE_MAX ? -1 : t->colors[y];

			if (c < 0 || (used & UINT32_C(1) << c))
				figs[f].merge[i] = true;
			else
				used |= UINT32_C(1) << c;
		}
	}
}

/* ---- the model's figures ---- */

static bool
any_merge(const struct color_figure *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->merge[i])
			return true;
	return false;
}

/* Keys of keys[0..n) but その他, into f; their count. */
static size_t
figure_of(const struct key *keys, size_t n, struct color_figure *f)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < n && f->n < MODEL_TOP; i++)
		if (keys[i].kind != KEY_OTHER)
			f->keys[f->n++] = keys[i];
	return f->n;
}

/* Rows rows[k * len .. +len) of the named keys merged into the その他 row
 * (created after the kept ones when missing).  keys[0..*nkeys) holds the
 * figure's keys (その他 last if present); the first f->n are f's.  tot
 * (may be NULL) are per-key totals.  false when memory runs out. */
static bool
merge_rows(struct key *keys, size_t *nkeys, const struct color_figure *f,
    double *rows, size_t len, int64_t *tot)
{
	size_t ntop = f->n, k = 0;
	bool has_other = *nkeys > ntop;
	double *orow = calloc(len ? len : 1, sizeof(*orow));
	int64_t ot = 0;

	if (orow == NULL)
		return false;
	if (has_other) {
		if (rows != NULL)
			memcpy(orow, rows + ntop * len, len * sizeof(*orow));
		if (tot != NULL)
			ot = tot[ntop];
	}
	for (size_t i = 0; i < ntop; i++) {
		if (f->merge[i]) {
			if (rows != NULL)
				for (size_t d = 0; d < len; d++)
					orow[d] += rows[i * len + d];
			if (tot != NULL)
				ot = add_sat(ot, tot[i]);
			continue;
		}
		keys[k] = keys[i];
		if (rows != NULL && k != i)
			memmove(rows + k * len, rows + i * len,
			    len * sizeof(*rows));
		if (tot != NULL)
			tot[k] = tot[i];
		k++;
	}
	keys[k] = key_other();
	if (rows != NULL)
		memcpy(rows + k * len, orow, len * sizeof(*orow));
	if (tot != NULL)
		tot[k] = ot;
	*nkeys = k + 1;
	free(orow);
	return true;
}

static bool
merge_breakdown(struct breakdown *b, const struct color_figure *f)
{
	if (!any_merge(f))
		return true;
	if (!merge_rows(b->keys, &b->nkeys, f, b->daily, (size_t)b->ndays,
	    b->totals))
		return false;
	for (size_t i = 0; i < b->nkeys; i++)
		b->shares[i] = b->total > 0 ?
		    (double)b->totals[i] / (double)b->total : 0.0;
	return true;
}

static void
merge_six(struct six_shares *t, const struct color_figure *f)
{
	size_t ntop = f->n, k = 0;

	if (!any_merge(f))
		return;
	/* values[m][ntop] is the remainder even when no month has one */
	for (size_t i = 0; i < ntop; i++) {
		if (f->merge[i]) {
			for (int m = 0; m < MODEL_MONTHS; m++)
				t->values[m][ntop] = add_sat(t->values[m][ntop],
				    t->values[m][i]);
			continue;
		}
		t->keys[k] = t->keys[i];
		for (int m = 0; m < MODEL_MONTHS; m++)
			t->values[m][k] = t->values[m][i];
		k++;
	}
	t->keys[k] = key_other();
	for (int m = 0; m < MODEL_MONTHS; m++) {
		int64_t sum = 0;

		t->values[m][k] = t->values[m][ntop];
		for (size_t i = 0; i <= k; i++)
			sum = add_sat(sum, t->values[m][i]);
		for (size_t i = 0; i <= MODEL_TOP; i++)
			t->shares[m][i] = i <= k && sum > 0 ?
			    (double)t->values[m][i] / (double)sum : 0.0;
		for (size_t i = k + 1; i <= MODEL_TOP; i++)
			t->values[m][i] = 0;
	}
	t->nkeys = k + 1;
}

static int
port_store(const void *ctx, const struct key *k)
{
	return colors_lookup(ctx, k);
}

static int
cc_index(const char *cc)
{
	if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return -1;
	return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static int
cc_store(const void *ctx, const struct key *k)
{
	const int8_t *store = ctx;
	int i = cc_index(k->cc);

	return i < 0 ? -1 : store[i];
}

bool
colors_model_build(struct month_model *m, const struct month_input *in,
    struct err *e)
{
	struct color_map map;
	struct color_figure figs[4 + MODEL_NOTABLE_MAX];
	struct color_table t;
	struct breakdown *pb[2] = { &m->ports_acc, &m->ports_src };
	struct breakdown *cb[2] = { &m->cc_acc, &m->cc_src };
	struct six_shares *ps[2] = { &m->six_ports_acc, &m->six_ports_src };
	struct six_shares *cs[2] = { &m->six_cc_acc, &m->six_cc_src };
	size_t nf;
	bool ok;

	/* ports */
	if (!colors_assign(in->color_months, in->ncolor_months, true,
	    MODEL_COLORS, &map))
		return err_set(e, "out of memory");
	figure_of(pb[0]->keys, pb[0]->nkeys, &figs[0]);
	figure_of(pb[1]->keys, pb[1]->nkeys, &figs[1]);
	figure_of(ps[0]->keys, ps[0]->nkeys, &figs[2]);
	figure_of(ps[1]->keys, ps[1]->nkeys, &figs[3]);
	nf = 4;
	for (size_t i = 0; i < m->nnotable; i++)  /* named in the text */
		figure_of(&m->notable[i].key, 1, &figs[nf++]);
	t.n = 0;
	t.max = sizeof(m->port_slots) / sizeof(m->port_slots[0]);
	t.keys = m->port_slots;
	t.colors = m->port_colors;
	colors_resolve(&t, figs, nf, port_store, &map, MODEL_COLORS);
	m->nport_slots = t.n;
	color_map_finish(&map);
	ok = merge_breakdown(pb[0], &figs[0]) && merge_breakdown(pb[1], &figs[1]);
	merge_six(ps[0], &figs[2]);
	merge_six(ps[1], &figs[3]);
	if (!ok)
		return err_set(e, "out of memory");

	/* countries: the store-wide colours stay for the notable charts */
	if (!colors_assign(in->color_months, in->ncolor_months, false,
	    MODEL_COLORS, &map))
		return err_set(e, "out of memory");
	memset(m->cc_store, -1, sizeof(m->cc_store));
	for (size_t i = 0; i < map.n; i++) {
		int x = cc_index(map.keys[i].cc);

		if (x >= 0)
			m->cc_store[x] = map.colors[i];
	}
	color_map_finish(&map);
	figure_of(cb[0]->keys, cb[0]->nkeys, &figs[0]);
	figure_of(cb[1]->keys, cb[1]->nkeys, &figs[1]);
	figure_of(cs[0]->keys, cs[0]->nkeys, &figs[2]);
	figure_of(cs[1]->keys, cs[1]->nkeys, &figs[3]);
	t.n = 0;
	t.max = sizeof(m->cc_slots) / sizeof(m->cc_slots[0]);
	t.keys = m->cc_slots;
	t.colors = m->cc_colors;
	colors_resolve(&t, figs, 4, cc_store, m->cc_store, MODEL_COLORS);
	m->ncc_slots = t.n;
	ok = merge_breakdown(cb[0], &figs[0]) && merge_breakdown(cb[1], &figs[1]);
	merge_six(cs[0], &figs[2]);
	merge_six(cs[1], &figs[3]);
	if (!ok)
		return err_set(e, "out of memory");
	return true;
}

bool
colors_model_notable(struct month_model *m, size_t idx, struct err *e)
{
	struct notable *n = &m->notable[idx];
	struct color_figure f;
	struct color_table t;

	figure_of(n->cc, n->ncc, &f);
	t.n = m->ncc_slots;
	t.max = sizeof(m->cc_slots) / sizeof(m->cc_slots[0]);
	t.keys = m->cc_slots;
	t.colors = m->cc_colors;
	colors_resolve(&t, &f, 1, cc_store, m->cc_store, MODEL_COLORS);
	m->ncc_slots = t.n;
	if (any_merge(&f) && !merge_rows(n->cc, &n->ncc, &f, n->daily,
	    (size_t)(n->ndays_prev + n->ndays_cur), n->cc_totals))
		return err_set(e, "out of memory");
	return true;
}
