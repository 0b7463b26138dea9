/* range.h — the numbers of a range of months, for `talot export`.
 *
 * Pure: built from one struct month_data per month (store_month_data()),
 * no I/O.  One row per month (N, A, S and the per-sensor ratios, the top
 * ports and countries of the month), and monthly tables of accesses and of
 * sources per port and per country: the top RANGE_TOP keys over the whole
 * range plus その他, so that every row of a table sums to the month's
 * total.
 */
#ifndef TALOT_RANGE_H
#define TALOT_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

#define RANGE_TOP MODEL_TOP /* keys of the monthly tables, plus その他 (as many as a figure has colours) */
#define RANGE_MONTH_TOP 3   /* top ports / countries named per month */
#define RANGE_MONTHS_MAX 1200

struct range_month {
	month_t month;
	bool has_data;              /* N > 0 */
	int sensors;
	int64_t sensor_days;        /* N */
	struct counts total;        /* A, S */
	double accesses_per_sensor_day;  /* A/N; 0 when N == 0 */
	double sources_per_sensor_day;   /* S/N; 0 when N == 0 */
	double accesses_per_source;      /* A/S; 0 when S == 0 */
	size_t ntop_ports;          /* by accesses; ties by key */
	struct key top_ports[RANGE_MONTH_TOP];
	int64_t top_ports_accesses[RANGE_MONTH_TOP];
	size_t ntop_countries;
	struct key top_countries[RANGE_MONTH_TOP];
	int64_t top_countries_accesses[RANGE_MONTH_TOP];
};

/* A monthly table: values[i * nkeys + k] is key k's sum in month i (the
 * その他 column holds the month total minus the named keys). */
struct range_table {
	enum measure measure;
	bool ports;                 /* ports, else countries */
	size_t nkeys;               /* <= RANGE_TOP + 1 */
	struct key keys[RANGE_TOP + 1];
	int64_t *values;            /* nmonths × nkeys, owned */
};

struct range_model {
	month_t first, last;
	size_t nmonths;             /* last - first + 1 */
	struct range_month *months; /* owned */
	struct range_table ports_acc, ports_src, cc_acc, cc_src;
	/* Colour slots of the range workbook: ports and countries in order of
	 * appearance in the tables (accesses first). */
	size_t nport_slots;
	struct key port_slots[2 * RANGE_TOP];
	size_t ncc_slots;
	struct key cc_slots[2 * RANGE_TOP];
};

/* Builds the range model from data[0..n-1], one per month, consecutive
 * (data[i].month == data[0].month + i).  Borrows data for the call only.
 * Returns false with e set when the months are not consecutive, n is 0 or
 * over RANGE_MONTHS_MAX, or no month has data ("2007-01..2007-06: no data
 * (no observed sensor-day in the store)").  Free with range_finish(). */
bool range_build(const struct month_data *data, size_t n,
    struct range_model *r, struct err *e);
/* Frees what range_build allocated; NULL and a zeroed struct are fine. */
void range_finish(struct range_model *r);

/* Colour slot of k in r (ports and countries apart); -1 for その他 or a
 * key without slot. */
int range_color_slot(const struct range_model *r, const struct key *k);

#endif
