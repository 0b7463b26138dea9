/* gen_large.c — deterministic generator of a large talot import CSV (SPEC §3)
 * for the benchmarks (bench/run).  Not installed, not part of the tests.
 *
 *   gen_large [--sensors N] [--days N] [--cells N] [--seed N] [--out FILE]
 *
 * Defaults: 10 sensors (s01..s10) x 365 days from 2007-01-01 x about 1,500
 * (proto, port, country) cells per sensor-day, i.e. about 5.5 M rows.
 *
 * Shape: a few heavy ports (135/tcp, 445/tcp, 139/tcp, 1026/udp, Ping ...)
 * seen from many countries with large counts, and a long tail of ports over
 * 0-65535 seen from one or two countries with small counts; about 100
 * countries with a skewed weight (CN, US, JP, KR, TW first); a weekly cycle,
 * a gentle decrease over the year, and 1026/udp + 1027/udp doubling in June.
 * 1 <= sources <= accesses on every row.
 *
 * Rows are sorted by day, sensor, proto (icmp < tcp < udp), port, country,
 * with no duplicate key, no comment and no '*' row, so that the file is both
 * a valid talot import and a plain CSV for the sqlite3 shell's .import.
 * Each sensor-day has its own PRNG stream (seeded from seed, day, sensor), so
 * a smaller run is a prefix-compatible subset of a larger one.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG: splitmix64 seeding xoshiro256** ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* uniform in [0, 1) */
static double
rng_unif(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* uniform in [0, n) */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* standard normal (Box-Muller, one value per call) */
static double
rng_gauss(struct rng *r)
{
	double u = rng_unif(r), v = rng_unif(r);

	return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* ---- countries: alphabetical, so that the index order is the CSV order ---- */

struct country {
	char cc[3];
	double w;
};

static struct country countries[] = {
	{ "AE", 0.30 }, { "AR", 0.70 }, { "AT", 0.30 }, { "AU", 1.00 },
	{ "BD", 0.15 }, { "BE", 0.40 }, { "BG", 0.35 }, { "BR", 2.00 },
	{ "BY", 0.15 }, { "CA", 1.50 }, { "CH", 0.40 }, { "CL", 0.50 },
	{ "CN", 30.0 }, { "CO", 0.45 }, { "CR", 0.10 }, { "CZ", 0.40 },
	{ "DE", 3.00 }, { "DK", 0.30 }, { "DO", 0.10 }, { "DZ", 0.15 },
	{ "EC", 0.12 }, { "EE", 0.10 }, { "EG", 0.30 }, { "ES", 1.20 },
	{ "FI", 0.25 }, { "FR", 2.50 }, { "GB", 2.00 }, { "GE", 0.08 },
	{ "GR", 0.35 }, { "GT", 0.08 }, { "HK", 1.00 }, { "HR", 0.15 },
	{ "HU", 0.35 }, { "ID", 0.60 }, { "IE", 0.20 }, { "IL", 0.40 },
	{ "IN", 1.20 }, { "IQ", 0.06 }, { "IR", 0.30 }, { "IS", 0.05 },
	{ "IT", 1.50 }, { "JO", 0.08 }, { "JP", 10.0 }, { "KE", 0.08 },
	{ "KR", 8.00 }, { "KW", 0.08 }, { "KZ", 0.15 }, { "LB", 0.06 },
	{ "LK", 0.08 }, { "LT", 0.12 }, { "LU", 0.05 }, { "LV", 0.10 },
	{ "MA", 0.20 }, { "MD", 0.08 }, { "MK", 0.06 }, { "MN", 0.05 },
	{ "MO", 0.10 }, { "MT", 0.04 }, { "MX", 0.80 }, { "MY", 0.70 },
	{ "NG", 0.15 }, { "NL", 1.00 }, { "NO", 0.25 }, { "NP", 0.05 },
	{ "NZ", 0.25 }, { "OM", 0.05 }, { "PA", 0.08 }, { "PE", 0.30 },
	{ "PH", 0.60 }, { "PK", 0.30 }, { "PL", 1.00 }, { "PR", 0.10 },
	{ "PT", 0.40 }, { "PY", 0.05 }, { "QA", 0.05 }, { "RO", 0.50 },
	{ "RS", 0.20 }, { "RU", 2.00 }, { "SA", 0.40 }, { "SE", 0.50 },
	{ "SG", 0.60 }, { "SI", 0.10 }, { "SK", 0.15 }, { "SV", 0.05 },
	{ "SY", 0.05 }, { "TH", 0.80 }, { "TN", 0.08 }, { "TR", 0.70 },
	{ "TW", 6.00 }, { "UA", 0.60 }, { "US", 18.0 }, { "UY", 0.08 },
	{ "UZ", 0.06 }, { "VE", 0.30 }, { "VN", 0.60 }, { "YU", 0.04 },
	{ "ZA", 0.30 }, { "ZZ", 0.60 },
};
#define NC ((uint32_t)(sizeof(countries) / sizeof(*countries)))

static double ccum[NC + 1];      /* cumulative weights */

static uint32_t
pick_country(struct rng *r)
{
	double x = rng_unif(r) * ccum[NC];
	uint32_t lo = 0, hi = NC - 1;

	while (lo < hi) {            /* first i with ccum[i + 1] > x */
		uint32_t mid = (lo + hi) / 2;

		if (ccum[mid + 1] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- ports ---- */

enum { P_ICMP, P_TCP, P_UDP };
static const char *const proto_name[] = { "icmp", "tcp", "udp" };

struct heavy {
	unsigned proto, port;
	double w;          /* share of accesses */
	double ratio;      /* typical accesses per source */
};

static const struct heavy heavy[] = {
	{ P_TCP, 135, 100, 4.5 }, { P_TCP, 445, 80, 4.0 },
	{ P_TCP, 139, 25, 3.0 },  { P_UDP, 1026, 20, 1.5 },
	{ P_UDP, 1027, 15, 1.5 }, { P_ICMP, 8, 14, 3.5 },
	{ P_TCP, 80, 12, 2.5 },   { P_TCP, 1433, 10, 3.0 },
	{ P_UDP, 137, 8, 2.0 },   { P_TCP, 22, 8, 20.0 },
	{ P_TCP, 4899, 6, 2.5 },  { P_UDP, 1434, 6, 1.2 },
	{ P_TCP, 5900, 4, 3.0 },  { P_TCP, 2967, 4, 2.0 },
	{ P_TCP, 8080, 3, 2.0 },  { P_TCP, 3128, 3, 2.0 },
	{ P_TCP, 3389, 3, 2.5 },  { P_TCP, 25, 3, 2.0 },
	{ P_TCP, 21, 3, 2.5 },    { P_TCP, 1080, 2, 2.0 },
	{ P_TCP, 6588, 2, 2.0 },  { P_TCP, 10000, 2, 2.0 },
	{ P_TCP, 2968, 1.5, 2.0 }, { P_UDP, 1028, 1.5, 1.5 },
	{ P_TCP, 1025, 1.5, 2.0 }, { P_TCP, 6129, 1.0, 2.0 },
	{ P_TCP, 5000, 1.0, 2.0 }, { P_TCP, 2745, 1.0, 2.0 },
	{ P_TCP, 3127, 1.0, 2.0 }, { P_TCP, 9898, 0.8, 2.0 },
};
#define NH (sizeof(heavy) / sizeof(*heavy))

/* ---- cells of one sensor-day: key = proto<<23 | port<<7 | country ---- */

#define KEY(pr, po, c) ((uint32_t)(pr) << 23 | (uint32_t)(po) << 7 | (uint32_t)(c))

struct cellset {
	uint32_t *slot;    /* key + 1, 0 = empty */
	uint32_t *keys;
	uint32_t mask, n;
};

static int
cellset_add(struct cellset *cs, uint32_t key)
{
	uint32_t h = (key * 0x9e3779b1u) >> 7, k1 = key + 1;

	for (;; h++) {
		uint32_t *p = &cs->slot[h & cs->mask];

		if (*p == k1)
			return 0;
		if (*p == 0) {
			*p = k1;
			cs->keys[cs->n++] = key;
			return 1;
		}
	}
}

static int
u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* ---- output ---- */

static char obuf[1 << 20];
static size_t olen;
static FILE *out;

static void
oflush(void)
{
	if (olen > 0 && fwrite(obuf, 1, olen, out) != olen) {
		fprintf(stderr, "gen_large: write error: %s\n", strerror(errno));
		exit(1);
	}
	olen = 0;
}

static void
oputs(const char *s, size_t n)
{
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void
oputu(uint64_t v)
{
	char t[24];
	int i = sizeof(t);

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	oputs(t + i, sizeof(t) - (size_t)i);
}

/* ---- dates ---- */

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static long
parse_count(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < lo || v > hi) {
		fprintf(stderr, "gen_large: %s wants an integer in %ld..%ld, not '%s'\n",
		    opt, lo, hi, s);
		exit(2);
	}
	return v;
}

static void
usage(FILE *fp)
{
	fputs("usage: gen_large [--sensors N] [--days N] [--cells N] [--seed N] [--out FILE]\n"
	    "Writes a deterministic talot import CSV: N sensors (default 10) x N days\n"
	    "from 2007-01-01 (default 365) x about N cells per sensor-day (default\n"
	    "1500), sorted, no duplicate keys, no comments.  Default output: stdout.\n",
	    fp);
}

int
main(int argc, char **argv)
{
	long nsensors = 10, ndays = 365, ncells = 1500, seed = 20070601;
	const char *path = NULL;
	struct cellset cs;
	uint32_t cap, tcap;
	double hsum = 0, hshare[NH];
	int y = 2007, mo = 1, dd = 1;
	unsigned long long rows = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (i + 1 >= argc) {
			usage(stderr);
			return 2;
		}
		if (strcmp(a, "--sensors") == 0)
			nsensors = parse_count(a, argv[++i], 1, 9999);
		else if (strcmp(a, "--days") == 0)
			ndays = parse_count(a, argv[++i], 1, 36500);
		else if (strcmp(a, "--cells") == 0)
			ncells = parse_count(a, argv[++i], 1, 1000000);
		else if (strcmp(a, "--seed") == 0)
			seed = parse_count(a, argv[++i], 0, 2147483647L);
		else if (strcmp(a, "--out") == 0)
			path = argv[++i];
		else {
			usage(stderr);
			return 2;
		}
	}
	out = path == NULL || strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (out == NULL) {
		fprintf(stderr, "gen_large: %s: %s\n", path, strerror(errno));
		return 1;
	}

	for (uint32_t c = 0; c < NC; c++)
		ccum[c + 1] = ccum[c] + countries[c].w;
	for (size_t h = 0; h < NH; h++)
		hsum += sqrt(heavy[h].w);
	for (size_t h = 0; h < NH; h++)
		hshare[h] = sqrt(heavy[h].w) / hsum;

	tcap = (uint32_t)(ncells + ncells / 10 + 2);     /* target <= 1.05 * cells */
	for (cap = 1024; cap < 2 * tcap; cap *= 2)
		;
	cs.slot = malloc(cap * sizeof(*cs.slot));
	cs.keys = malloc(tcap * sizeof(*cs.keys));
	cs.mask = cap - 1;
	if (cs.slot == NULL || cs.keys == NULL) {
		fprintf(stderr, "gen_large: out of memory\n");
		return 1;
	}

	oputs("day,sensor,proto,port,country,accesses,sources\n", 47);
	for (long d = 0; d < ndays; d++) {
		char day[32];
		/* gentle decrease (15 % a year, in steps of 365 days so that it
		 * stays positive however many years), weekly cycle (weekends
		 * lower).  The first 365 days are as they always were. */
		double dayf = pow(0.85, (double)(d / 365)) *
		    (1.0 - 0.15 * (double)(d % 365) / 365.0) *
		    (d % 7 == 5 || d % 7 == 6 ? 0.9 : 1.0);
		double surge = mo == 6 ? 2.0 : mo > 6 ? 1.6 : 1.0;

		snprintf(day, sizeof(day), "%04d-%02d-%02d", y % 10000, mo % 100,
		    dd % 100);
		for (long s = 0; s < nsensors; s++) {
			struct rng r;
			char sname[16];
			int snl = snprintf(sname, sizeof(sname), "s%0*ld",
			    nsensors > 99 ? (nsensors > 999 ? 4 : 3) : 2, s + 1);
			double sensf;
			uint32_t target;

			rng_seed(&r, (uint64_t)seed * UINT64_C(0x100000001b3) ^
			    (uint64_t)d << 20 ^ (uint64_t)s);
			/* each sensor has its own level (0.6 .. 1.4), stable over time */
			{
				struct rng rs;

				rng_seed(&rs, (uint64_t)seed ^ UINT64_C(0xabcdef) ^
				    (uint64_t)s << 32);
				sensf = 0.6 + 0.8 * rng_unif(&rs);
			}
			target = (uint32_t)((double)ncells *
			    (0.95 + 0.1 * rng_unif(&r)) + 0.5);
			if (target < 1)
				target = 1;
			if (target > tcap)
				target = tcap;
			memset(cs.slot, 0, cap * sizeof(*cs.slot));
			cs.n = 0;

			/* heavy ports: about half the cells, many countries each */
			for (size_t h = 0; h < NH && cs.n < target; h++) {
				uint32_t k = (uint32_t)(0.5 * target * hshare[h] + 0.5);
				uint32_t tries = 0;

				if (k > NC * 3 / 4)
					k = NC * 3 / 4;
				if (k < 1)
					k = 1;
				for (uint32_t got = 0; got < k && cs.n < target &&
				    tries < 30 * k; tries++)
					got += (uint32_t)cellset_add(&cs,
					    KEY(heavy[h].proto, heavy[h].port,
					    pick_country(&r)));
			}
			/* long tail: ports all over 0..65535, one country per cell */
			while (cs.n < target) {
				double u = rng_unif(&r);
				unsigned pr, po;

				if (u < 0.02) {
					static const unsigned types[] = { 0, 3, 8, 11, 13, 17 };

					pr = P_ICMP;
					po = types[rng_below(&r, 6)];
				} else if (u < 0.45) {
					pr = P_TCP;
					po = rng_below(&r, 1024);
				} else if (u < 0.85) {
					pr = P_TCP;
					po = rng_below(&r, 65536);
				} else {
					pr = P_UDP;
					po = rng_below(&r, u < 0.92 ? 1024 : 65536);
				}
				cellset_add(&cs, KEY(pr, po, pick_country(&r)));
			}
			qsort(cs.keys, cs.n, sizeof(*cs.keys), u32cmp);

			for (uint32_t i = 0; i < cs.n; i++) {
				uint32_t key = cs.keys[i];
				unsigned pr = key >> 23, po = (key >> 7) & 0xffff;
				uint32_t c = key & 0x7f;
				double ratio = 2.0, mean = 1.5;
				uint64_t acc, src;

				for (size_t h = 0; h < NH; h++) {
					if (heavy[h].proto == pr && heavy[h].port == po) {
						/* per-cell mean: port share x country share */
						mean = 400.0 * heavy[h].w / heavy[0].w *
						    countries[c].w / ccum[NC] * 40.0 + 2.0;
						ratio = heavy[h].ratio;
						if (pr == P_UDP && (po == 1026 || po == 1027))
							mean *= surge;
						break;
					}
				}
				mean *= dayf * sensf;
				{
					double a = mean * exp(0.6 * rng_gauss(&r));

					/* never negative, never past what a row can hold */
					acc = (uint64_t)(a > 0 ? (a < 1e15 ? a : 1e15) : 0) + 1;
				}
				src = (uint64_t)((double)acc / (ratio *
				    (0.7 + 0.6 * rng_unif(&r))));
				if (src < 1)
					src = 1;
				if (src > acc)
					src = acc;

				if (olen > sizeof(obuf) - 256)
					oflush();
				oputs(day, 10);
				obuf[olen++] = ',';
				oputs(sname, (size_t)snl);
				obuf[olen++] = ',';
				oputs(proto_name[pr], strlen(proto_name[pr]));
				obuf[olen++] = ',';
				oputu(po);
				obuf[olen++] = ',';
				oputs(countries[c].cc, 2);
				obuf[olen++] = ',';
				oputu(acc);
				obuf[olen++] = ',';
				oputu(src);
				obuf[olen++] = '\n';
				rows++;
			}
		}
		if (++dd > days_in_month(y, mo)) {
			dd = 1;
			if (++mo > 12) {
				mo = 1;
				y++;
			}
		}
	}
	oflush();
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
		fprintf(stderr, "gen_large: write error: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "gen_large: %llu rows, %ld sensors x %ld days\n", rows,
	    nsensors, ndays);
	free(cs.slot);
	free(cs.keys);
	return 0;
}
