/* demo.c — the deterministic sample data set (SPEC §7); see demo.h.
 *
 * How the numbers are made, month by month:
 *
 *  1. Every observed sensor-day gets an expected level of accesses: the
 *     month's target rate (accesses per sensor per day) times a sensor factor
 *     (some sensors see 3x more than others), a weekday factor (weekends
 *     lower), a day factor and a sensor-day factor (noise).
 *  2. The level is split over ports by the month's port shares (a table, so
 *     that 1026/udp and 1027/udp can double in June), with a fixed
 *     per-(sensor, port) factor and a per-(day, port) factor, and then over
 *     countries by a country profile (CN-heavy for the Messenger ports, JP
 *     for ICMP, ...).  A cell's expected count is drawn with multiplicative
 *     noise and rounded stochastically, so cells below one access appear now
 *     and then with a count of 1 (2–3 for a scanner's retries).
 *  3. The month's access total is set exactly to its target by spreading
 *     the residual over the large 135/tcp and 445/tcp cells.
 *  4. Sources are drawn from accesses with a per-port accesses-per-source
 *     ratio, clamped to 1 .. accesses, and the month's total is set exactly
 *     to its target by a proportional rescale and a spread of +-1 steps.
 *
 * Everything is integer arithmetic on a xoshiro256** generator seeded
 * through splitmix64 per (month, day, sensor), so one sensor-day's numbers do
 * not depend on how many draws another one took.
 */
#include "demo.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_YEAR 2007
#define DEMO_MONTHS 6
#define DEMO_SENSORS 10
#define DEMO_SEED UINT64_C(0x74616c6f74323037) /* "talot207" */
#define DEMO_POOL 160          /* random high ports of the long tail */

/* ---- the months ---------------------------------------------------------- */

struct month_def {
	int mon;              /* 1..12 of DEMO_YEAR */
	int ndays;
	int first_day;        /* days before it are unobserved (maintenance) */
	int64_t accesses;     /* exact A(M) */
	int64_t sources;      /* exact S(M) */
};

/* A and S are the per-sensor-per-day rate times N:
 *   Jan N=310 (incl. the marker day)  1,250.7 / 318.1
 *   Feb N=280                         1,221.3 / 311.1
 *   Mar N=308 (s07 out 14–15 March)   1,186.7 / 302.9
 *   Apr N=300                         1,152.9 / 294.9
 *   May N=310                         1,119.3 / 286.1
 *   Jun N=270 (4–30 June)             1,086.1 / 277.0   (the seed bulletin) */
static const struct month_def months[DEMO_MONTHS] = {
	{ 1, 31, 1, 387713, 98617 },
	{ 2, 28, 1, 341956, 87103 },
	{ 3, 31, 1, 365519, 93287 },
	{ 4, 30, 1, 345872, 88462 },
	{ 5, 31, 1, 346971, 88703 },
	{ 6, 30, 4, 293252, 74790 },
};

/* The one outage of Jan–May, and the one observed day without traffic. */
#define GAP_MONTH 3
#define GAP_FIRST 14
#define GAP_LAST 15
#define GAP_SENSOR 6          /* s07 */
#define MARKER_MONTH 1
#define MARKER_DAY 27
#define MARKER_SENSOR 7       /* s08 */

/* Relative size of each sensor (per mille; they sum to 10,000). */
static const int32_t sensor_factor[DEMO_SENSORS] = {
	950, 720, 1300, 830, 1850, 780, 1040, 590, 1180, 760,
};

/* Monday .. Sunday, per mille (mean about 1,000). */
static const int32_t weekday_factor[7] = {
	1025, 1025, 1025, 1025, 1025, 945, 925,
};

/* ---- the countries ------------------------------------------------------- */

struct country_def {
	char code[3];
	int32_t weight;       /* general mix, about per 10,000 */
};

/* Sorted by code: the output order. */
static const struct country_def countries[] = {
	{ "AR", 80 }, { "AT", 20 }, { "AU", 70 }, { "BE", 20 }, { "BG", 25 },
	{ "BR", 250 }, { "CA", 120 }, { "CH", 20 }, { "CL", 30 },
	{ "CN", 2600 }, { "CO", 25 }, { "CZ", 30 }, { "DE", 250 },
	{ "DK", 15 }, { "EG", 20 }, { "ES", 130 }, { "FI", 15 },
	{ "FR", 200 }, { "GB", 180 }, { "GR", 20 }, { "HK", 150 },
	{ "HU", 30 }, { "ID", 40 }, { "IL", 30 }, { "IN", 120 },
	{ "IR", 25 }, { "IT", 150 }, { "JP", 900 }, { "KR", 700 },
	{ "KZ", 10 }, { "LT", 12 }, { "LV", 10 }, { "MX", 60 },
	{ "MY", 50 }, { "NL", 120 }, { "NO", 15 }, { "NZ", 15 },
	{ "PE", 15 }, { "PH", 40 }, { "PK", 20 }, { "PL", 140 },
	{ "PT", 30 }, { "RO", 70 }, { "RU", 300 }, { "SA", 20 },
	{ "SE", 40 }, { "SG", 40 }, { "SK", 10 }, { "TH", 90 },
	{ "TR", 100 }, { "TW", 550 }, { "UA", 50 }, { "US", 1300 },
	{ "VE", 15 }, { "VN", 60 }, { "ZA", 20 }, { "ZZ", 60 },
};
#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

/* A country profile bends the general mix for one kind of port. */
enum profile {
	PROF_GENERAL,
	PROF_WINDOWS,         /* 135, 139, 445: infected PCs, many at home */
	PROF_MESSENGER,       /* 1026, 1027: popup spam, mostly CN */
	PROF_ICMP,
	PROF_SSH,
	PROF_SERVER,          /* SQL Server, VNC, Symantec: scanners */
	NPROFILES
};

struct bias {
	enum profile profile;
	char code[3];
	int32_t percent;
};

static const struct bias biases[] = {
	{ PROF_WINDOWS, "JP", 160 }, { PROF_WINDOWS, "CN", 110 },
	{ PROF_WINDOWS, "KR", 120 }, { PROF_WINDOWS, "TW", 130 },
	{ PROF_MESSENGER, "CN", 300 }, { PROF_MESSENGER, "HK", 150 },
	{ PROF_MESSENGER, "KR", 120 }, { PROF_MESSENGER, "JP", 30 },
	{ PROF_MESSENGER, "US", 70 },
	{ PROF_ICMP, "JP", 250 }, { PROF_ICMP, "KR", 130 },
	{ PROF_ICMP, "US", 80 },
	{ PROF_SSH, "CN", 160 }, { PROF_SSH, "KR", 160 },
	{ PROF_SSH, "RO", 250 }, { PROF_SSH, "DE", 140 },
	{ PROF_SSH, "US", 130 }, { PROF_SSH, "JP", 50 },
	{ PROF_SERVER, "CN", 200 }, { PROF_SERVER, "US", 110 },
	{ PROF_SERVER, "JP", 60 },
};

/* June's Messenger campaign: CN weight of PROF_MESSENGER times this, in
 * percent, per month. */
static const int32_t messenger_cn_boost[DEMO_MONTHS] = {
	100, 100, 100, 100, 100, 400,
};

/* ---- the ports ----------------------------------------------------------- */

enum proto { PR_ICMP, PR_TCP, PR_UDP };   /* output order: by name */

static const char *const proto_names[] = { "icmp", "tcp", "udp" };

/* The ports of the seed bulletin's table.  share: per 10,000 of the month's
 * accesses (with the tail below, each month sums to 10,000); aps: accesses
 * per source x 100; adjust: takes the residual of the exact total. */
struct major_def {
	enum proto proto;
	uint16_t port;
	int32_t share[DEMO_MONTHS];
	int32_t aps;
	enum profile profile;
	bool adjust;
};

static const struct major_def majors[] = {
	{ PR_TCP, 135, { 3250, 3300, 3320, 3360, 3380, 2886 }, 650,
	    PROF_WINDOWS, true },
	{ PR_TCP, 445, { 2100, 2080, 2060, 2060, 2050, 1750 }, 700,
	    PROF_WINDOWS, true },
	{ PR_UDP, 1026, { 420, 400, 390, 370, 380, 948 }, 380,
	    PROF_MESSENGER, false },
	{ PR_UDP, 1027, { 380, 370, 360, 340, 346, 786 }, 380,
	    PROF_MESSENGER, false },
	{ PR_ICMP, 8, { 800, 790, 790, 780, 780, 700 }, 800,
	    PROF_ICMP, false },
	{ PR_TCP, 1433, { 560, 550, 540, 540, 540, 480 }, 800,
	    PROF_SERVER, false },
	{ PR_TCP, 139, { 480, 480, 470, 470, 470, 420 }, 600,
	    PROF_WINDOWS, false },
	{ PR_TCP, 2967, { 420, 390, 370, 350, 340, 330 }, 500,
	    PROF_SERVER, false },
	{ PR_TCP, 5900, { 160, 200, 230, 250, 264, 260 }, 400,
	    PROF_SERVER, false },
	{ PR_TCP, 22, { 220, 230, 260, 270, 240, 230 }, 2000,
	    PROF_SSH, false },
};
#define NMAJORS (sizeof(majors) / sizeof(majors[0]))

/* The named long tail: the same share every month. */
struct tail_def {
	enum proto proto;
	uint16_t port;
	int32_t share;
	int32_t aps;
	enum profile profile;
};

static const struct tail_def tails[] = {
	{ PR_ICMP, 0, 12, 300, PROF_GENERAL },
	{ PR_ICMP, 3, 20, 200, PROF_GENERAL },
	{ PR_ICMP, 11, 8, 200, PROF_GENERAL },
	{ PR_ICMP, 13, 4, 150, PROF_GENERAL },
	{ PR_TCP, 21, 25, 250, PROF_GENERAL },
	{ PR_TCP, 23, 40, 250, PROF_GENERAL },
	{ PR_TCP, 25, 35, 250, PROF_GENERAL },
	{ PR_TCP, 80, 130, 300, PROF_GENERAL },
	{ PR_TCP, 110, 6, 200, PROF_GENERAL },
	{ PR_TCP, 111, 8, 200, PROF_GENERAL },
	{ PR_TCP, 113, 6, 150, PROF_GENERAL },
	{ PR_TCP, 443, 30, 250, PROF_GENERAL },
	{ PR_TCP, 1023, 12, 200, PROF_GENERAL },
	{ PR_TCP, 1025, 45, 300, PROF_WINDOWS },
	{ PR_TCP, 1080, 30, 250, PROF_GENERAL },
	{ PR_TCP, 2745, 25, 250, PROF_WINDOWS },
	{ PR_TCP, 3127, 12, 200, PROF_WINDOWS },
	{ PR_TCP, 3128, 30, 250, PROF_GENERAL },
	{ PR_TCP, 3306, 35, 300, PROF_SERVER },
	{ PR_TCP, 3389, 55, 300, PROF_SERVER },
	{ PR_TCP, 4444, 12, 200, PROF_WINDOWS },
	{ PR_TCP, 4899, 45, 300, PROF_SERVER },
	{ PR_TCP, 5000, 18, 200, PROF_GENERAL },
	{ PR_TCP, 5554, 15, 200, PROF_WINDOWS },
	{ PR_TCP, 6000, 20, 250, PROF_GENERAL },
	{ PR_TCP, 6101, 6, 200, PROF_SERVER },
	{ PR_TCP, 6129, 25, 250, PROF_SERVER },
	{ PR_TCP, 7212, 6, 150, PROF_GENERAL },
	{ PR_TCP, 8000, 15, 200, PROF_GENERAL },
	{ PR_TCP, 8080, 60, 250, PROF_GENERAL },
	{ PR_TCP, 9988, 14, 200, PROF_WINDOWS },
	{ PR_TCP, 10000, 20, 250, PROF_SERVER },
	{ PR_TCP, 12345, 8, 200, PROF_GENERAL },
	{ PR_TCP, 27374, 6, 200, PROF_GENERAL },
	{ PR_UDP, 53, 12, 200, PROF_GENERAL },
	{ PR_UDP, 137, 60, 250, PROF_WINDOWS },
	{ PR_UDP, 161, 10, 200, PROF_GENERAL },
	{ PR_UDP, 500, 5, 150, PROF_GENERAL },
	{ PR_UDP, 1028, 25, 250, PROF_MESSENGER },
	{ PR_UDP, 1029, 8, 200, PROF_MESSENGER },
	{ PR_UDP, 1434, 70, 150, PROF_SERVER },
	{ PR_UDP, 1900, 8, 200, PROF_GENERAL },
	{ PR_UDP, 4000, 6, 200, PROF_GENERAL },
	{ PR_UDP, 38293, 8, 200, PROF_GENERAL },
};
#define NTAILS (sizeof(tails) / sizeof(tails[0]))

/* One port of the run, majors, named tail and random pool together, sorted
 * into output order. */
struct port {
	uint8_t proto;        /* enum proto */
	uint16_t port;
	int32_t share[DEMO_MONTHS];
	int32_t aps;
	uint8_t profile;      /* enum profile */
	bool adjust;
	bool tail;            /* a scanner's 1–3 packets */
};

#define NPORTS (NMAJORS + NTAILS + DEMO_POOL)

/* One row of the month: day and sensor are 1-based / 0-based indexes. */
struct cell {
	uint8_t day;
	uint8_t sensor;
	uint16_t port;        /* index into the port table; UINT16_MAX: marker */
	uint8_t country;
	int32_t accesses;
	int32_t sources;
};

struct cells {
	struct cell *v;       /* owned */
	size_t n;
	size_t cap;
};

struct demo {
	struct port ports[NPORTS];
	/* country weights per profile and month, and their sums */
	int64_t cw[NPROFILES][DEMO_MONTHS][NCOUNTRIES];
	int64_t cwsum[NPROFILES][DEMO_MONTHS];
	int64_t share_sum[DEMO_MONTHS];
};

/* ---- random numbers ------------------------------------------------------ */

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

static uint64_t
hash_key(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = DEMO_SEED ^ (a << 40) ^ (b << 20) ^ c;

	return splitmix64(&x);
}

static void
rng_seed(struct rng *r, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = hash_key(a, b, c);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
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
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in 0 .. n-1 (n >= 1; the modulo bias is far below the noise). */
static int64_t
rng_below(struct rng *r, int64_t n)
{
	return (int64_t)((rng_next(r) >> 11) % (uint64_t)n);
}

/* Uniform in lo .. hi. */
static int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* x/1000 rounded up or down at random in proportion to the remainder. */
static int64_t
rng_round_milli(struct rng *r, int64_t x)
{
	return x / 1000 + (rng_below(r, 1000) < x % 1000 ? 1 : 0);
}

/* ---- tables -------------------------------------------------------------- */

static int
port_cmp(const void *pa, const void *pb)
{
	const struct port *a = pa, *b = pb;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return 0;
}

static bool
port_taken(const struct port *ports, size_t n, int proto, int port)
{
	for (size_t i = 0; i < n; i++)
		if (ports[i].proto == proto && ports[i].port == port)
			return true;
	return false;
}

static void
ports_build(struct port *ports)
{
	size_t n = 0;
	struct rng r;

	for (size_t i = 0; i < NMAJORS; i++, n++) {
		ports[n].proto = (uint8_t)majors[i].proto;
		ports[n].port = majors[i].port;
		memcpy(ports[n].share, majors[i].share, sizeof(ports[n].share));
		ports[n].aps = majors[i].aps;
		ports[n].profile = (uint8_t)majors[i].profile;
		ports[n].adjust = majors[i].adjust;
		ports[n].tail = false;
	}
	for (size_t i = 0; i < NTAILS; i++, n++) {
		ports[n].proto = (uint8_t)tails[i].proto;
		ports[n].port = tails[i].port;
		for (int m = 0; m < DEMO_MONTHS; m++)
			ports[n].share[m] = tails[i].share;
		ports[n].aps = tails[i].aps;
		ports[n].profile = (uint8_t)tails[i].profile;
		ports[n].adjust = false;
		ports[n].tail = true;
	}
	/* The pool: high ports hit by stray scans, 1 share each (of 10,000),
	 * four in five TCP. */
	rng_seed(&r, 0xfff, 0, 0);
	while (n < NPORTS) {
		int proto = rng_below(&r, 5) == 0 ? PR_UDP : PR_TCP;
		int port = (int)rng_range(&r, 1030, 65535);

		if (port_taken(ports, n, proto, port))
			continue;
		ports[n].proto = (uint8_t)proto;
		ports[n].port = (uint16_t)port;
		for (int m = 0; m < DEMO_MONTHS; m++)
			ports[n].share[m] = 1;
		ports[n].aps = 150;
		ports[n].profile = PROF_GENERAL;
		ports[n].adjust = false;
		ports[n].tail = true;
		n++;
	}
	qsort(ports, NPORTS, sizeof(ports[0]), port_cmp);
}

static void
demo_build(struct demo *d)
{
	ports_build(d->ports);
	for (int m = 0; m < DEMO_MONTHS; m++) {
		d->share_sum[m] = 0;
		for (size_t p = 0; p < NPORTS; p++)
			d->share_sum[m] += d->ports[p].share[m];
	}
	for (int pf = 0; pf < NPROFILES; pf++) {
		for (int m = 0; m < DEMO_MONTHS; m++) {
			d->cwsum[pf][m] = 0;
			for (size_t c = 0; c < NCOUNTRIES; c++) {
				int64_t w = countries[c].weight * 100;

				for (size_t b = 0; b < sizeof(biases) /
				    sizeof(biases[0]); b++)
					if ((int)biases[b].profile == pf &&
					    strcmp(biases[b].code,
					    countries[c].code) == 0)
						w = w * biases[b].percent / 100;
				if (pf == PROF_MESSENGER &&
				    strcmp(countries[c].code, "CN") == 0)
					w = w * messenger_cn_boost[m] / 100;
				d->cw[pf][m][c] = w;
				d->cwsum[pf][m] += w;
			}
		}
	}
}

/* ---- generation ---------------------------------------------------------- */

static bool
cells_push(struct cells *cs, const struct cell *c)
{
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 65536;
		struct cell *v = realloc(cs->v, cap * sizeof(*v));

		if (v == NULL)
			return false;
		cs->v = v;
		cs->cap = cap;
	}
	cs->v[cs->n++] = *c;
	return true;
}

/* Day of the week of DEMO_YEAR-mon-day, 0 = Monday (2007-01-01 was one). */
static int
weekday(int mi, int day)
{
	int doy = day - 1;

	for (int i = 0; i < mi; i++)
		doy += months[i].ndays;
	return doy % 7;
}

static bool
sensor_day_observed(int mi, int day, int sensor)
{
	const struct month_def *md = &months[mi];

	if (day < md->first_day)
		return false;
	if (md->mon == GAP_MONTH && sensor == GAP_SENSOR &&
	    day >= GAP_FIRST && day <= GAP_LAST)
		return false;
	return true;
}

static int64_t
observed_count(int mi)
{
	int64_t n = 0;

	for (int day = 1; day <= months[mi].ndays; day++)
		for (int s = 0; s < DEMO_SENSORS; s++)
			if (sensor_day_observed(mi, day, s))
				n++;
	return n;
}

/* Fixed taste of a sensor for a port: 700 .. 1300 per mille. */
static int64_t
sensor_port_factor(int sensor, size_t port)
{
	return 700 + (int64_t)(hash_key(0xabc, (uint64_t)sensor,
	    (uint64_t)port) % 601);
}

/* The longest burst of one source at a cell below one expected access:
 * bursts of 1 .. max average the port's accesses per source. */
static int64_t
burst_max(const struct port *pt)
{
	int64_t m = (2 * pt->aps - 100) / 100;

	return m < 1 ? 1 : m;
}

static bool
sensor_day_generate(const struct demo *d, int mi, int day, int sensor,
    int64_t day_factor, const int64_t *day_port, int64_t base,
    struct cells *cs)
{
	struct rng r;
	int64_t level;

	rng_seed(&r, (uint64_t)mi + 1, (uint64_t)day, (uint64_t)sensor + 1);
	/* expected milli-accesses of the sensor-day */
	level = base * sensor_factor[sensor] / 1000;
	level = level * weekday_factor[weekday(mi, day)] / 1000;
	level = level * day_factor / 1000;
	level = level * rng_range(&r, 900, 1100) / 1000;

	for (size_t p = 0; p < NPORTS; p++) {
		const struct port *pt = &d->ports[p];
		const int64_t *cw = d->cw[pt->profile][mi];
		int64_t cwsum = d->cwsum[pt->profile][mi];
		int64_t ep;

		ep = level * pt->share[mi] / d->share_sum[mi];
		ep = ep * sensor_port_factor(sensor, p) / 1000;
		ep = ep * day_port[p] / 1000;
		for (size_t c = 0; c < NCOUNTRIES; c++) {
			int64_t e = ep * cw[c] / cwsum;
			int64_t count;
			struct cell cell;

			e = e * rng_range(&r, 700, 1300) / 1000;
			if (e < 1000) {
				/* Below one expected access: now and then
				 * one source's burst, as long as the port's
				 * accesses per source on average. */
				int64_t burst = rng_range(&r, 1,
				    burst_max(pt));

				if (rng_below(&r, 1000 * burst) >= e)
					continue;
				count = burst;
			} else {
				count = rng_round_milli(&r, e);
			}
			cell.day = (uint8_t)day;
			cell.sensor = (uint8_t)sensor;
			cell.port = (uint16_t)p;
			cell.country = (uint8_t)c;
			cell.accesses = (int32_t)count;
			cell.sources = 0;
			if (!cells_push(cs, &cell))
				return false;
		}
	}
	return true;
}

static bool
month_generate(const struct demo *d, int mi, struct cells *cs)
{
	const struct month_def *md = &months[mi];
	int64_t base = md->accesses * 1000 / observed_count(mi);
	int64_t day_port[NPORTS];

	for (int day = 1; day <= md->ndays; day++) {
		struct rng r;
		int64_t day_factor;

		rng_seed(&r, (uint64_t)mi + 1, (uint64_t)day, 0);
		day_factor = rng_range(&r, 940, 1060);
		for (size_t p = 0; p < NPORTS; p++) {
			int64_t spread = d->ports[p].profile == PROF_MESSENGER ?
			    350 : 150;

			day_port[p] = rng_range(&r, 1000 - spread, 1000 + spread);
		}
		for (int s = 0; s < DEMO_SENSORS; s++) {
			if (!sensor_day_observed(mi, day, s))
				continue;
			if (md->mon == MARKER_MONTH && day == MARKER_DAY &&
			    s == MARKER_SENSOR) {
				struct cell marker = {
					.day = (uint8_t)day,
					.sensor = (uint8_t)s,
					.port = UINT16_MAX,
				};

				if (!cells_push(cs, &marker))
					return false;
				continue;
			}
			if (!sensor_day_generate(d, mi, day, s, day_factor,
			    day_port, base, cs))
				return false;
		}
	}
	return true;
}

/* Walks the indexes idx[0..n) in an order that spreads consecutive steps
 * over the whole month, calling step() until it has done |*residual| unit
 * moves; false if a full round moved nothing. */
static bool
residual_spread(struct cell *v, const size_t *idx, size_t n,
    int64_t *residual, bool (*step)(struct cell *, int))
{
	while (*residual != 0) {
		int64_t want = *residual < 0 ? -*residual : *residual;
		size_t stride = n / (size_t)want;
		int dir = *residual > 0 ? 1 : -1;
		bool moved = false;

		if (stride == 0)
			stride = 1;
		for (size_t off = 0; off < stride && *residual != 0; off++)
			for (size_t i = off; i < n && *residual != 0;
			    i += stride)
				if (step(&v[idx[i]], dir)) {
					*residual -= dir;
					moved = true;
				}
		if (!moved)
			return false;
	}
	return true;
}

static bool
access_step(struct cell *c, int dir)
{
	if (dir < 0 && c->accesses <= 1)
		return false;
	c->accesses += dir;
	return true;
}

static bool
source_step(struct cell *c, int dir)
{
	if (dir > 0 ? c->sources >= c->accesses : c->sources <= 1)
		return false;
	c->sources += dir;
	return true;
}

static bool
is_traffic(const struct cell *c)
{
	return c->port != UINT16_MAX;
}

/* Sets the month's access total to its target: the residual goes to the
 * cells of the `adjust` ports with at least 5 accesses, in proportion to
 * their size. */
static bool
accesses_fix(const struct demo *d, int mi, struct cells *cs, size_t *idx)
{
	int64_t total = 0, cand_sum = 0, residual;
	size_t n = 0;

	for (size_t i = 0; i < cs->n; i++) {
		const struct cell *c = &cs->v[i];

		if (!is_traffic(c))
			continue;
		total += c->accesses;
		if (d->ports[c->port].adjust && c->accesses >= 5) {
			idx[n++] = i;
			cand_sum += c->accesses;
		}
	}
	residual = months[mi].accesses - total;
	if (n == 0 || cand_sum == 0)
		return false;
	for (size_t k = 0; k < n; k++) {
		struct cell *c = &cs->v[idx[k]];
		int64_t delta = residual * c->accesses / cand_sum;

		if (c->accesses + delta < 1)
			delta = 1 - c->accesses;
		c->accesses += (int32_t)delta;
	}
	total = 0;
	for (size_t i = 0; i < cs->n; i++)
		total += cs->v[i].accesses;
	residual = months[mi].accesses - total;
	return residual_spread(cs->v, idx, n, &residual, access_step);
}

/* Draws every cell's sources, then sets the month's total to its target. */
static bool
sources_make(const struct demo *d, int mi, struct cells *cs, size_t *idx)
{
	struct rng r;
	int64_t total = 0, target = months[mi].sources, residual;
	size_t n = 0;

	rng_seed(&r, (uint64_t)mi + 1, 0xfe, 0);
	for (size_t i = 0; i < cs->n; i++) {
		struct cell *c = &cs->v[i];
		int64_t aps, s;

		if (!is_traffic(c))
			continue;
		aps = d->ports[c->port].aps * rng_range(&r, 800, 1200) / 1000;
		s = rng_round_milli(&r, (int64_t)c->accesses * 100000 / aps);
		if (s < 1)
			s = 1;
		if (s > c->accesses)
			s = c->accesses;
		c->sources = (int32_t)s;
		total += s;
	}
	if (total == 0)
		return false;
	/* proportional rescale of the cells that have room */
	for (size_t i = 0; i < cs->n; i++) {
		struct cell *c = &cs->v[i];
		int64_t s;

		if (!is_traffic(c))
			continue;
		idx[n++] = i;
		if (c->accesses < 2)
			continue;
		s = ((int64_t)c->sources * target * 2 + total) / (total * 2);
		if (s < 1)
			s = 1;
		if (s > c->accesses)
			s = c->accesses;
		c->sources = (int32_t)s;
	}
	residual = target;
	for (size_t i = 0; i < cs->n; i++)
		residual -= cs->v[i].sources;
	return residual_spread(cs->v, idx, n, &residual, source_step);
}

/* ---- output -------------------------------------------------------------- */

static bool
month_write(const struct demo *d, int mi, const struct cells *cs, FILE *out)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct cell *c = &cs->v[i];
		int rc;

		if (!is_traffic(c)) {
			rc = fprintf(out, "%04d-%02d-%02d,s%02d,*,*,*,0,0\n",
			    DEMO_YEAR, months[mi].mon, c->day, c->sensor + 1);
		} else {
			const struct port *pt = &d->ports[c->port];

			rc = fprintf(out, "%04d-%02d-%02d,s%02d,%s,%u,%s,"
			    "%ld,%ld\n", DEMO_YEAR, months[mi].mon, c->day,
			    c->sensor + 1, proto_names[pt->proto],
			    (unsigned)pt->port, countries[c->country].code,
			    (long)c->accesses, (long)c->sources);
		}
		if (rc < 0)
			return false;
	}
	return true;
}

bool
demo_write_csv(FILE *out, struct err *e)
{
	struct demo *d;
	struct cells cs = { 0 };
	size_t *idx = NULL;
	bool ok = false;

	d = malloc(sizeof(*d));
	if (d == NULL)
		return err_set(e, "demo: out of memory");
	demo_build(d);
	errno = 0;
	if (fputs("day,sensor,proto,port,country,accesses,sources\n",
	    out) == EOF)
		goto err_write;
	for (int mi = 0; mi < DEMO_MONTHS; mi++) {
		size_t *nidx;

		cs.n = 0;
		if (!month_generate(d, mi, &cs))
			goto err_memory;
		nidx = realloc(idx, (cs.n ? cs.n : 1) * sizeof(*idx));
		if (nidx == NULL)
			goto err_memory;
		idx = nidx;
		if (!accesses_fix(d, mi, &cs, idx) ||
		    !sources_make(d, mi, &cs, idx)) {
			err_set(e, "demo: cannot meet the totals of %04d-%02d "
			    "(a bug in the sample tables)", DEMO_YEAR,
			    months[mi].mon);
			goto out;
		}
		if (!month_write(d, mi, &cs, out))
			goto err_write;
	}
	if (fflush(out) == EOF || ferror(out))
		goto err_write;
	ok = true;
	goto out;

err_write:
	err_set(e, "demo: cannot write the sample data: %s",
	    errno ? strerror(errno) : "write error");
	goto out;
err_memory:
	err_set(e, "demo: out of memory");
out:
	free(idx);
	free(cs.v);
	free(d);
	return ok;
}
