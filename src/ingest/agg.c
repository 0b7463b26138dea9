/* agg.c — see agg.h. */
#include "agg.h"

#include <stdlib.h>
#include <string.h>

#include "pack.h"

#define FILTER_BITS 16

struct keyslot {
	uint64_t code;             /* key code + 1; 0 = empty */
	uint32_t kidx;
};

struct sdslot {
	uint64_t k;                /* day << 32 | sensor, + 1; 0 = empty */
	uint32_t idx;
};

struct pair6 {
	uint32_t kidx;
	uint8_t a[16];
};

struct agg {
	/* sensor-days of the run */
	struct agg_sensor_day *sds;
	size_t nsds, capsds;
	struct sdslot *sdmap;
	size_t sdcap;
	bool has_last;
	int32_t last_day;
	uint32_t last_sensor, last_sd;
	/* keys since the last drain: code = sd << 28 | cell */
	struct keyslot *kmap;
	size_t kcap, nkeys, max_keys;
	uint64_t *kcode;
	int64_t *kacc;
	/* (key, source) pairs since the last drain */
	uint64_t *pairs;
	size_t npairs, max_pairs;
	struct pair6 *p6;
	size_t n6, max6;
	uint64_t *filter;          /* pair + 1 of a recent pair, per slot */
};

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static size_t
pow2_at_least(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

struct agg *
agg_create(size_t max_pairs, size_t max_keys)
{
	struct agg *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->max_pairs = max_pairs ? max_pairs : (size_t)3 << 20;
	a->max_keys = max_keys ? max_keys : (size_t)1 << 16;
	/* IPv6 pairs take 20 bytes: a sixteenth of the entries (IPv6
	 * sources are few; more only means an earlier drain) */
	a->max6 = a->max_pairs / 16 + 1;
	a->kcap = pow2_at_least(a->max_keys * 2);
	a->kmap = calloc(a->kcap, sizeof(*a->kmap));
	a->kcode = malloc(a->max_keys * sizeof(*a->kcode));
	a->kacc = malloc(a->max_keys * sizeof(*a->kacc));
	a->pairs = malloc(a->max_pairs * sizeof(*a->pairs));
	a->filter = calloc((size_t)1 << FILTER_BITS, sizeof(*a->filter));
	if (a->kmap == NULL || a->kcode == NULL || a->kacc == NULL ||
	    a->pairs == NULL || a->filter == NULL) {
		agg_destroy(a);
		return NULL;
	}
	return a;
}

void
agg_destroy(struct agg *a)
{
	if (a == NULL)
		return;
	free(a->sds);
	free(a->sdmap);
	free(a->kmap);
	free(a->kcode);
	free(a->kacc);
	free(a->pairs);
	free(a->p6);
	free(a->filter);
	free(a);
}

bool
agg_full(const struct agg *a)
{
	return a->npairs >= a->max_pairs || a->nkeys >= a->max_keys ||
	    a->n6 >= a->max6;
}

size_t
agg_nsensor_days(const struct agg *a)
{
	return a->nsds;
}

const struct agg_sensor_day *
agg_sensor_days(struct agg *a, size_t *n)
{
	*n = a->nsds;
	return a->sds;
}

/* The index of sensor-day (day, sensor), added when new; -1 out of
 * memory. */
static int64_t
sd_index(struct agg *a, int32_t day, uint32_t sensor)
{
	uint64_t k = ((uint64_t)(uint32_t)day << 32 | sensor) + 1;
	size_t i;

	if (a->has_last && a->last_day == day && a->last_sensor == sensor)
		return a->last_sd;
	if ((a->nsds + 1) * 2 > a->sdcap) {
		size_t ncap = a->sdcap ? a->sdcap * 2 : 64;
		struct sdslot *nm = calloc(ncap, sizeof(*nm));

		if (nm == NULL)
			return -1;
		for (size_t j = 0; j < a->sdcap; j++) {
			if (a->sdmap[j].k == 0)
				continue;
			i = mix(a->sdmap[j].k) & (ncap - 1);
			while (nm[i].k != 0)
				i = (i + 1) & (ncap - 1);
			nm[i] = a->sdmap[j];
		}
		free(a->sdmap);
		a->sdmap = nm;
		a->sdcap = ncap;
	}
	i = mix(k) & (a->sdcap - 1);
	while (a->sdmap[i].k != 0 && a->sdmap[i].k != k)
		i = (i + 1) & (a->sdcap - 1);
	if (a->sdmap[i].k == 0) {
		if (a->nsds == a->capsds) {
			size_t ncap = a->capsds ? a->capsds * 2 : 64;
			void *ns = realloc(a->sds, ncap * sizeof(*a->sds));

			if (ns == NULL || a->nsds >= UINT32_MAX)
				return -1;
			a->sds = ns;
			a->capsds = ncap;
		}
		memset(&a->sds[a->nsds], 0, sizeof(*a->sds));
		a->sds[a->nsds].day = day;
		a->sds[a->nsds].sensor = sensor;
		a->sdmap[i].k = k;
		a->sdmap[i].idx = (uint32_t)a->nsds++;
	}
	a->has_last = true;
	a->last_day = day;
	a->last_sensor = sensor;
	a->last_sd = a->sdmap[i].idx;
	return a->last_sd;
}

bool
agg_exclude(struct agg *a, int32_t day, uint32_t sensor)
{
	int64_t sd = sd_index(a, day, sensor);

	if (sd < 0)
		return false;
	a->sds[sd].excluded++;
	return true;
}

bool
agg_add(struct agg *a, int32_t day, uint32_t sensor, uint8_t proto,
    uint16_t port, const char *cc, int family, const uint8_t src[16])
{
	int64_t sd;
	uint64_t code, c1;
	size_t i;
	uint32_t kidx;

	if (agg_full(a) || (sd = sd_index(a, day, sensor)) < 0)
		return false;
	code = (uint64_t)sd << 28 | (uint64_t)pack_proto_code(proto) << 26 |
	    (uint64_t)port << 10 | pack_cc_code(cc);
	c1 = code + 1;
	i = mix(c1) & (a->kcap - 1);
	while (a->kmap[i].code != 0 && a->kmap[i].code != c1)
		i = (i + 1) & (a->kcap - 1);
	if (a->kmap[i].code == 0) {
		kidx = (uint32_t)a->nkeys++;
		a->kmap[i].code = c1;
		a->kmap[i].kidx = kidx;
		a->kcode[kidx] = code;
		a->kacc[kidx] = 0;
	} else
		kidx = a->kmap[i].kidx;
	a->kacc[kidx]++;
	a->sds[sd].events++;
	if (family == 4) {
		uint64_t p = (uint64_t)kidx << 32 | (uint32_t)src[0] << 24 |
		    (uint32_t)src[1] << 16 | (uint32_t)src[2] << 8 | src[3];
		uint64_t *f = &a->filter[mix(p) &
		    (((size_t)1 << FILTER_BITS) - 1)];

		if (*f != p + 1) {
			*f = p + 1;
			a->pairs[a->npairs++] = p;
		}
	} else {
		if (a->p6 == NULL &&
		    (a->p6 = malloc(a->max6 * sizeof(*a->p6))) == NULL)
			return false;
		a->p6[a->n6].kidx = kidx;
		memcpy(a->p6[a->n6].a, src, 16);
		a->n6++;
	}
	return true;
}

static void
swap32(uint32_t *a, uint32_t *b)
{
	uint32_t t = *a;

	*a = *b;
	*b = t;
}

/* Sorts v in place (quicksort, median of three, insertion sort below 16,
 * the smaller side first: O(log n) stack, no scratch memory). */
static void
sort32(uint32_t *v, size_t n)
{
	while (n > 16) {
		size_t m = n / 2, i = 0, j = n - 1;
		uint32_t p;

		if (v[m] < v[0])
			swap32(&v[m], &v[0]);
		if (v[n - 1] < v[0])
			swap32(&v[n - 1], &v[0]);
		if (v[n - 1] < v[m])
			swap32(&v[n - 1], &v[m]);
		p = v[m];
		for (;;) {
			while (v[i] < p)
				i++;
			while (p < v[j])
				j--;
			if (i >= j)
				break;
			swap32(&v[i], &v[j]);
			i++;
			j--;
		}
		/* [0, j] <= p <= [j + 1, n) */
		if (j + 1 < n - (j + 1)) {
			sort32(v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			sort32(v + j + 1, n - (j + 1));
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Sorts v (n entries) with tmp (n entries of scratch): LSD radix sort by
 * bytes, a pass skipped when all its bytes are equal; sort32 when short. */
static void
radix32(uint32_t *v, uint32_t *tmp, size_t n)
{
	size_t cnt[4][256];
	uint32_t *from = v, *to = tmp;

	if (n < 256) {
		sort32(v, n);
		return;
	}
	memset(cnt, 0, sizeof(cnt));
	for (size_t i = 0; i < n; i++) {
		uint32_t x = v[i];

		cnt[0][x & 0xff]++;
		cnt[1][x >> 8 & 0xff]++;
		cnt[2][x >> 16 & 0xff]++;
		cnt[3][x >> 24]++;
	}
	for (unsigned d = 0; d < 4; d++) {
		size_t sum = 0;
		unsigned sh = d * 8;
		uint32_t *t;

		if (cnt[d][from[0] >> sh & 0xff] == n)
			continue;
		for (unsigned b = 0; b < 256; b++) {
			size_t c = cnt[d][b];

			cnt[d][b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[cnt[d][from[i] >> sh & 0xff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
}

/* Groups the pairs by key in place (an American flag sort on the key: at
 * is the start of each key's run, nkeys + 1 entries). */
static void
group_pairs(uint64_t *v, size_t n, size_t *at, size_t nkeys, size_t *next)
{
	for (size_t i = 0; i < n; i++)
		at[(v[i] >> 32) + 1]++;
	for (size_t k = 0; k < nkeys; k++)
		at[k + 1] += at[k];
	memcpy(next, at, nkeys * sizeof(*next));
	for (size_t k = 0; k < nkeys; k++) {
		while (next[k] < at[k + 1]) {
			uint64_t x = v[next[k]];
			size_t b = (size_t)(x >> 32);

			if (b == k) {
				next[k]++;
				continue;
			}
			/* put x in its bucket, take what was there */
			v[next[k]] = v[next[b]];
			v[next[b]++] = x;
		}
	}
}

static int
pair6_cmp(const void *pa, const void *pb)
{
	const struct pair6 *a = pa, *b = pb;

	if (a->kidx != b->kidx)
		return a->kidx < b->kidx ? -1 : 1;
	return memcmp(a->a, b->a, 16);
}

struct order {
	uint64_t sd;               /* day << 32 | sensor */
	uint32_t cell;
	uint32_t kidx;
};

static int
order_cmp(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;

	if (a->sd != b->sd)
		return a->sd < b->sd ? -1 : 1;
	return (a->cell > b->cell) - (a->cell < b->cell);
}

bool
agg_drain(struct agg *a, agg_cell_fn fn, void *ctx, struct err *e)
{
	uint8_t *base = (uint8_t *)a->pairs;
	size_t *at4 = NULL, *n4 = NULL, *at6 = NULL, n6 = 0;
	struct order *ord = NULL;
	bool ok = false;

	if (a->nkeys == 0)
		return true;
	at4 = calloc(a->nkeys + 1, sizeof(*at4));
	n4 = calloc(a->nkeys + 1, sizeof(*n4));
	at6 = calloc(a->nkeys + 1, sizeof(*at6));
	ord = malloc(a->nkeys * sizeof(*ord));
	if (at4 == NULL || n4 == NULL || at6 == NULL || ord == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	/* the pairs grouped by key; each key's run then becomes, in place,
	 * its sorted unique 32-bit addresses (a run of m 8-byte pairs holds
	 * m 4-byte addresses from its start: each is written at or below the
	 * pair it came from, after that pair was read) */
	group_pairs(a->pairs, a->npairs, at4, a->nkeys, n4);
	for (size_t k = 0; k < a->nkeys; k++) {
		uint8_t *run = base + at4[k] * 8;
		size_t m = at4[k + 1] - at4[k], u = 0;
		uint32_t *v;

		for (size_t j = 0; j < m; j++) {
			uint64_t x;
			uint32_t y;

			memcpy(&x, run + j * 8, 8);
			y = (uint32_t)x;
			memcpy(run + j * 4, &y, 4);
		}
		v = (uint32_t *)(void *)run;
		/* the run's second half is free now: scratch */
		radix32(v, (uint32_t *)(void *)(run + m * 4), m);
		for (size_t j = 0; j < m; j++)
			if (u == 0 || v[j] != v[u - 1])
				v[u++] = v[j];
		n4[k] = u;
	}
	if (a->n6 > 0)
		qsort(a->p6, a->n6, sizeof(*a->p6), pair6_cmp);
	for (size_t i = 0; i < a->n6; i++) {
		if (i > 0 && pair6_cmp(&a->p6[i], &a->p6[i - 1]) == 0)
			continue;
		at6[a->p6[i].kidx + 1]++;
		/* in place: unique entries move down */
		a->p6[n6++] = a->p6[i];
	}
	for (size_t k = 0; k < a->nkeys; k++)
		at6[k + 1] += at6[k];
	for (size_t k = 0; k < a->nkeys; k++) {
		const struct agg_sensor_day *sd = &a->sds[a->kcode[k] >> 28];

		ord[k].sd = (uint64_t)(uint32_t)sd->day << 32 | sd->sensor;
		ord[k].cell = (uint32_t)(a->kcode[k] & ((1u << 28) - 1));
		ord[k].kidx = (uint32_t)k;
	}
	qsort(ord, a->nkeys, sizeof(*ord), order_cmp);
	for (size_t i = 0; i < a->nkeys; i++) {
		size_t k = ord[i].kidx;
		uint8_t (*a6)[16] = NULL;
		struct agg_cell c;
		uint32_t cell = ord[i].cell;

		memset(&c, 0, sizeof(c));
		c.day = (int32_t)(ord[i].sd >> 32);
		c.sensor = (uint32_t)ord[i].sd;
		c.proto = (uint8_t)pack_proto_decode(cell >> 26 & 3);
		c.port = (uint16_t)(cell >> 10 & 0xffff);
		c.cc[0] = (char)('A' + (cell & 0x3ff) / 26);
		c.cc[1] = (char)('A' + (cell & 0x3ff) % 26);
		c.accesses = a->kacc[k];
		c.v4 = (const uint32_t *)(void *)(base + at4[k] * 8);
		c.n4 = n4[k];
		if (at6[k + 1] > at6[k]) {
			c.n6 = at6[k + 1] - at6[k];
			a6 = malloc(c.n6 * 16);
			if (a6 == NULL) {
				err_set(e, "out of memory");
				goto out;
			}
			for (size_t j = 0; j < c.n6; j++)
				memcpy(a6[j], a->p6[at6[k] + j].a, 16);
			c.v6 = (const uint8_t (*)[16])a6;
		}
		ok = fn(ctx, &c, e);
		free(a6);
		if (!ok)
			goto out;
	}
	ok = true;
out:
	free(at4);
	free(n4);
	free(at6);
	free(ord);
	/* forget the keys and pairs (also after a failure: the run is over) */
	memset(a->kmap, 0, a->kcap * sizeof(*a->kmap));
	memset(a->filter, 0, ((size_t)1 << FILTER_BITS) * sizeof(*a->filter));
	a->nkeys = 0;
	a->npairs = 0;
	a->n6 = 0;
	return ok;
}
