/* colors.h — one colour per port and per country over the whole store.
 *
 * Two steps, both pure (no I/O):
 *
 * 1. colors_assign(): from the keys every month of the store shows in its
 *    monthly figures (struct color_month, read by the store), a store-wide
 *    colour per key.  Two keys conflict when some figure of some month can
 *    show both: the same monthly top list, or the six-month figure of a
 *    window (estimated from the monthly lists of its six months).  The
 *    conflict graph is coloured greedily, most important key first
 *    (importance = sum over the lists that show it of MODEL_TOP - rank; ties
 *    by key), each taking the lowest palette index no coloured neighbour
 *    has.  A key whose neighbours hold every colour gets none (-1).
 *
 * 2. colors_resolve(): for the figures of one month, each key keeps its
 *    store-wide colour unless a figure shows it next to a key that comes
 *    first (earlier figure, higher rank) with the same colour, or it has
 *    none; then it takes the lowest colour free in every figure that shows
 *    it.  When there is none, it goes to その他 in the figures where it
 *    would collide (merge[] set).  So no figure ever shows two keys with
 *    one colour, and a key keeps its store-wide colour in every month
 *    whose figures the assignment foresaw — every monthly top list exactly.
 */
#ifndef TALOT_COLORS_H
#define TALOT_COLORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Store-wide colours of one kind of key, sorted by key. */
struct color_map {
	size_t n;
	struct key *keys;    /* owned */
	int8_t *colors;      /* owned; palette index or -1 */
};

/* Assigns colours to the ports (ports true: lists COLOR_PORTS_*) or the
 * countries (COLOR_CC_*) of months[0..n), ascending by month, with ncolors
 * (<= 32) colours.  Fills *out (free with color_map_finish()); false only
 * when memory runs out (*out empty then). */
bool colors_assign(const struct color_month *months, size_t n, bool ports,
    int ncolors, struct color_map *out);
/* The colour of k in map, -1 if none or absent. */
int colors_lookup(const struct color_map *map, const struct key *k);
void color_map_finish(struct color_map *map);

/* One figure of a month: its keys in display order, その他 left out. */
struct color_figure {
	size_t n;
	struct key keys[MODEL_TOP];
	bool merge[MODEL_TOP];   /* OUT: key i goes to その他 here */
};

/* The keys of a month that already have their colour, and room for more. */
struct color_table {
	size_t n, max;
	struct key *keys;
	int8_t *colors;
};

/* Colours the keys of figs new to t (see above) and appends them to t;
 * keys already in t keep their colour.  store(ctx, k) gives the
 * store-wide colour of k (-1 none).  Keys beyond t->max are left out of t
 * and go to その他. */
void colors_resolve(struct color_table *t, struct color_figure *figs,
    size_t nfigs, int (*store)(const void *ctx, const struct key *k),
    const void *ctx, int ncolors);

/* The model's side: fills the colour fields of m from in (model_build), and
 * colours notable port i's chart (model_notable_fill), merging into
 * その他 what colors_resolve() says.  false (e set) when memory runs out. */
bool colors_model_build(struct month_model *m, const struct month_input *in,
    struct err *e);
bool colors_model_notable(struct month_model *m, size_t i, struct err *e);

#endif
