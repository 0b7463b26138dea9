/* range_edition.h — the words and numbers of a range workbook (talot
 * export), in one language: built from the range model (range.h), the
 * catalogue, the settings and the strings, like a month's edition, and
 * handed to the XLSX renderer, which reads nothing else. */
#ifndef TALOT_RANGE_EDITION_H
#define TALOT_RANGE_EDITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "catalog.h"
#include "chart.h"
#include "err.h"
#include "range.h"
#include "settings.h"
#include "strtab.h"

#define RED_MONTH_COLS 14

/* One row of the months sheet. */
struct red_month {
	char *label;                  /* "2007年1月" */
	bool has_data;
	int sensors;
	int64_t sensor_days, accesses, sources;
	double per_sensor_accesses, per_sensor_sources, per_source; /* NAN: none */
	size_t ntop;                  /* top ports (3) then countries (3) */
	char *top_ports[RANGE_MONTH_TOP];
	char *top_countries[RANGE_MONTH_TOP];
};

/* A monthly table: months × keys. */
struct red_table {
	char *sheet, *caption, *note, *y_title;
	size_t nkeys;                 /* columns shown */
	char *keys[RANGE_TOP + 1];
	struct chart_rgb colors[RANGE_TOP + 1];  /* distinct; その他 grey */
	size_t cols[RANGE_TOP + 1];   /* column k is values[i * stride + cols[k]] */
	size_t stride;
	const int64_t *values;        /* months × stride */
	int64_t *owned_values;
	int64_t *totals;              /* per month */
};

struct range_edition {
	char lang[8];
	time_t date;
	char *title, *subject, *author;
	char *font;                   /* the template's type family (charts) */
	char *months_sheet, *months_caption, *months_note;
	char *heads[RED_MONTH_COLS];
	char *chart_accesses, *chart_sources, *chart_totals;
	char *axis_month, *axis_accesses, *axis_sources, *axis_count;
	char *head_total;
	size_t nmonths;
	struct red_month *months;
	struct red_table tables[4];   /* ports × accesses, sources; countries × … */
};

/* cm[0..ncm) are the store's months for the store-wide colours
 * (store_color_months; may be empty: colours by order then). */
bool range_edition_build(const struct range_model *r,
    const struct catalog *cat, const struct settings *set,
    const struct strtab *strs, const struct color_month *cm, size_t ncm,
    time_t date, struct range_edition *red, struct diag *warnings,
    struct err *e);
void range_edition_free(struct range_edition *red);

#endif
