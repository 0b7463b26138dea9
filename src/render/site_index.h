/* site_index.h — DIR/index.html: every month of a site with its headline
 * figures, newest first, and a trend chart over all months.  The caller
 * (src/cli/site.c) finds the months and reads their numbers; this
 * renderer reads nothing. */
#ifndef TALOT_SITE_INDEX_H
#define TALOT_SITE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "bulletin_html.h"
#include "model.h"
#include "text.h"

struct site_month {
	month_t month;
	char *month_text;            /* "2007年6月" */
	char *page;                  /* "talot-2007-06.html" */
	char *pdf, *xlsx, *json;     /* file names, or NULL when absent */
	int64_t accesses, sources;
	double accesses_per_sensor_day, sources_per_sensor_day; /* NAN = none */
	char *top_port;              /* or NULL */
	size_t nnotable;
	char **notable;
};

/* The words of the page, in its language (from the newest month). */
struct site_words {
	char *lang, *title, *publisher, *font;
	char *month, *accesses, *sources, *accesses_per_sensor_day,
	    *sources_per_sensor_day, *top_port, *notable, *none;
	char *language;              /* the language's own name, or NULL */
};

struct site_index {
	struct site_words w;
	size_t nmonths;
	struct site_month *months;   /* any order: the page sorts */
	struct html_alt alts[8];     /* the other languages' indexes */
	size_t nalts;
};

/* Writes the index atomically; false with e "PATH: reason". */
bool site_index_write(const struct site_index *si, const char *path,
    struct err *e);
/* Appends the page to out. */
bool site_index_page(const struct site_index *si, struct buf *out,
    struct err *e);

#endif
