/* model.h — the month model: every number of one bulletin, as plain structs.
 *
 * The store fills a `struct month_input` (rollups read from SQLite in one
 * snapshot); the pure function model_build() turns it into a
 * `struct month_model`.  No I/O, no cairo, no SQL here: the renderers (PDF,
 * XLSX) read the model only.
 *
 * Keys: a port is (proto, port) with proto one of PROTO_TCP/UDP/ICMP (IP
 * protocol numbers) and port the TCP/UDP port or the ICMP type.  A country
 * is its ISO 3166-1 alpha-2 code ("ZZ" unknown).  KEY_OTHER is その他.
 */
#ifndef TALOT_MODEL_H
#define TALOT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum { PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_UDP = 17 };

#define MODEL_TOP 10            /* top N of every figure, plus その他 */
#define MODEL_MONTHS 6          /* M-5 .. M */
#define MODEL_NOTABLE_MAX 2
#define MODEL_NOTABLE_CC 5      /* countries stacked in a notable-port chart */
#define MODEL_NOTABLE_MIN_RATIO 1.5
#define MODEL_COLORS 10         /* distinct series colours (chart_palette_size()) */

enum key_kind { KEY_PORT, KEY_COUNTRY, KEY_OTHER };

struct key {
	uint8_t kind;    /* enum key_kind */
	uint8_t proto;   /* KEY_PORT */
	uint16_t port;   /* KEY_PORT */
	char cc[3];      /* KEY_COUNTRY, NUL-terminated */
};

bool key_equal(const struct key *a, const struct key *b);
struct key key_port(int proto, int port);
struct key key_country(const char *cc);
struct key key_other(void);

/* A month as year*12 + (month-1), so that months subtract. */
typedef int32_t month_t;
static inline int month_year(month_t m) { return m / 12; }
static inline int month_mon(month_t m) { return m % 12 + 1; }
static inline month_t month_make(int y, int mon) { return y * 12 + mon - 1; }
/* Days in the month (28..31). */
int month_days(month_t m);
/* Parses "YYYY-MM" (1970..9999); false if malformed. */
bool month_parse(const char *s, month_t *out);

struct counts {
	int64_t accesses;
	int64_t sources;
};

/* ---- input: what the store hands over ---- */

struct cell {                 /* a key and its counts */
	struct key key;
	struct counts c;
};

struct day_cell {             /* a key's counts on one day */
	int day;              /* 1..31 */
	struct key key;
	struct counts c;
};

struct month_data {           /* one month, from the rollups */
	month_t month;
	int64_t sensor_days;      /* N */
	int sensors;              /* distinct sensors observed */
	struct counts total;      /* A, S */
	int sensors_per_day[32];  /* [day], day 1..31: observed sensors */
	size_t nports;
	struct cell *ports;       /* monthly sums per port (owned) */
	size_t ncountries;
	struct cell *countries;   /* monthly sums per country (owned) */
};

/* Colours: the keys a month's monthly figures show, for the store-wide
 * colour assignment (colors.h).  top[l] holds list l's keys best first,
 * each with both of its monthly counts. */
enum { COLOR_PORTS_ACC, COLOR_PORTS_SRC, COLOR_CC_ACC, COLOR_CC_SRC,
	COLOR_LISTS };
struct color_month {
	month_t month;
	size_t n[COLOR_LISTS];
	struct cell top[COLOR_LISTS][MODEL_TOP];
};

/* Per day × country of one port over two months (notable-port charts). */
struct port_day_country {
	month_t month;
	int day;
	char cc[3];
	struct counts c;
};

struct month_input {
	month_t month;                     /* M */
	struct month_data six[MODEL_MONTHS]; /* [0] = M-5 .. [5] = M */
	size_t nday_ports;
	struct day_cell *day_ports;        /* M: per day × port (owned) */
	size_t nday_countries;
	struct day_cell *day_countries;    /* M: per day × country (owned) */
	/* the notable ports' days × countries over M-1..M, read in the same
	 * pass (keys from model_notable_keys) */
	size_t nnotable;
	struct key notable_keys[MODEL_NOTABLE_MAX];
	struct port_day_country *notable_rows[MODEL_NOTABLE_MAX]; /* owned */
	size_t notable_nrows[MODEL_NOTABLE_MAX];
	/* every month of the store, ascending (owned); none: colours are
	 * handed out within M only */
	size_t ncolor_months;
	struct color_month *color_months;
};

void month_input_finish(struct month_input *in);

/* ---- output ---- */

enum measure { MEASURE_ACCESSES, MEASURE_SOURCES };

/* Top MODEL_TOP keys of a month by one measure, plus その他 when the rest is
 * not empty.  daily[k * ndays + (day-1)] is key k's count on that day divided
 * by the sensors observed that day (0 on an unobserved day). */
struct breakdown {
	enum measure measure;
	size_t nkeys;                     /* <= MODEL_TOP + 1 */
	struct key keys[MODEL_TOP + 1];
	int64_t totals[MODEL_TOP + 1];    /* monthly sums */
	double shares[MODEL_TOP + 1];     /* totals / month total (0 if none) */
	int64_t total;                    /* the month's total of the measure */
	int ndays;
	double *daily;                    /* owned */
};

/* Shares of the top keys over the six months (100%-stacked figures). */
struct six_shares {
	enum measure measure;
	size_t nkeys;
	struct key keys[MODEL_TOP + 1];
	int64_t values[MODEL_MONTHS][MODEL_TOP + 1];
	double shares[MODEL_MONTHS][MODEL_TOP + 1]; /* 0 in a month without data */
};

struct notable {
	struct key key;
	int64_t prev, cur;         /* accesses in M-1 and M */
	double ratio;              /* cur / prev */
	char ratio_text[32];       /* "約2倍", "約1.6倍" */
	struct key dominant;       /* top source country in M */
	double dominant_share;     /* its share of the port's accesses in M */
	bool pinned;               /* chosen by the template, not automatically */
	/* chart: days of M-1 then days of M; countries top MODEL_NOTABLE_CC
	 * over both months + その他 */
	int ndays_prev, ndays_cur;
	size_t ncc;
	struct key cc[MODEL_NOTABLE_CC + 1];
	double *daily;             /* [k * (ndays_prev+ndays_cur) + i], per sensor; owned */
	int64_t cc_totals[MODEL_NOTABLE_CC + 1]; /* accesses in M per stacked key */
};

enum trend { TREND_UNKNOWN, TREND_FLAT, TREND_UP_GENTLE, TREND_UP,
	TREND_DOWN_GENTLE, TREND_DOWN };

struct month_summary {
	month_t month;
	bool has_data;             /* N > 0 */
	int64_t sensor_days;
	int sensors;
	struct counts total;
	double accesses_per_sensor_day;  /* A/N (0 if N == 0) */
	double sources_per_sensor_day;   /* S/N */
	double accesses_per_source;      /* A/S */
};

struct missing_day {
	int day;
	int missing;                /* sensors not observed that day */
};

struct month_model {
	month_t month;
	int ndays;
	struct month_summary six[MODEL_MONTHS]; /* [5] = M */
	const struct month_summary *cur;        /* &six[5] */
	int sensors_per_day[32];
	int prev_sensors_per_day[32];  /* M-1, for the notable-port charts */

	enum trend trend;
	double trend_slope;          /* per-sensor-per-day accesses / month */
	double trend_relative;       /* slope / mean of the fitted values */

	/* Outage: sensor-days missing in M */
	int64_t missing_sensor_days;
	size_t nmissing;
	struct missing_day missing[31];
	bool outage_same_days;       /* every sensor missed the same days */
	int observed_first, observed_last; /* first/last observed day of M */

	struct breakdown ports_acc, ports_src, cc_acc, cc_src;
	struct six_shares six_ports_acc, six_ports_src, six_cc_acc, six_cc_src;

	size_t nnotable;
	struct notable notable[MODEL_NOTABLE_MAX];

	/* Colours (colors.c): every key shown in a figure of M, with its one
	 * palette index (0 .. MODEL_COLORS-1) for the whole bulletin: its
	 * store-wide colour when no figure of M shows it next to a key of the
	 * same colour, else a colour free in every figure that shows it;
	 * -1 when there is none (the key went to その他 in those figures). */
	size_t nport_slots;
	struct key port_slots[64];
	int8_t port_colors[64];
	size_t ncc_slots;
	struct key cc_slots[64];
	int8_t cc_colors[64];
	int8_t cc_store[26 * 26];  /* store-wide colour per country code, -1 none */
};

/* Builds the model of in->month from in.  pins (may be NULL, npins 0) name
 * ports the template pins as notable.  Returns false with e set if M has no
 * data ("2007-06: no observed sensor-day").  The model owns its arrays; free
 * with model_finish().  Does not keep pointers into in. */
bool model_build(const struct month_input *in, const struct key *pins,
    size_t npins, struct month_model *m, struct err *e);
void model_finish(struct month_model *m);

/* The notable ports model_build() will choose for in: the pins, else
 * those model_pick_notable() finds.  The store reads their per-day-country
 * rows in the same pass as the rest of the month (store_month_read). */
size_t model_notable_keys(const struct month_input *in, const struct key *pins,
    size_t npins, struct key out[MODEL_NOTABLE_MAX]);

/* Notable ports of the model need per-day-country data: the caller fetches it
 * for each m->notable[i].key over M-1..M (store_port_day_country) and hands
 * it over; false with e on nonsense input. */
bool model_notable_fill(struct month_model *m, size_t i,
    const struct port_day_country *rows, size_t nrows, struct err *e);

/* Palette index of a key in every figure of the model (ports and countries
 * apart): the same for a key in every month rendered from one store, and
 * never shared by two keys of one figure.  KEY_OTHER, or a key no figure
 * shows, gives -1 (grey). */
int model_color_slot(const struct month_model *m, const struct key *k);

/* Picks notable ports from two months of per-port sums: the largest absolute
 * increase among ports with cur >= 1.5 × prev (prev > 0), at most max.
 * Exposed for tests. */
size_t model_pick_notable(const struct month_data *prev,
    const struct month_data *cur, struct key *out, size_t max);

/* The trend of six per-sensor-per-day values (NAN = no data) by least
 * squares.  Thresholds on slope relative to the mean, per month:
 * |r| < 1 % flat; 1–5 % gently; >= 5 % clearly. */
enum trend model_trend(const double v[MODEL_MONTHS], double *slope,
    double *relative);

/* Japanese ratio text: "約2倍" for r >= 1.95 rounded to an integer,
 * "約1.6倍" below. */
void model_ratio_text(double r, char *buf, size_t len);

#endif
