#include "range_edition.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colors.h"
#include "edition_internal.h"
#include "labels.h"

static int
store_color(const void *ctx, const struct key *k)
{
	return colors_lookup(ctx, k);
}

/* Colours the keys of a pair of tables (accesses, sources) of one kind:
 * store-wide colours where the two tables allow, distinct within each; a
 * key left without a colour goes to the table's その他 column. */
static bool
color_tables(struct ed_build *b, struct red_table *rt[2],
    const struct range_table *src[2], const struct color_month *cm,
    size_t ncm, bool ports, size_t nmonths)
{
	struct color_map map;
	struct color_figure figs[2];
	struct key keys[2 * MODEL_TOP];
	int8_t cols[2 * MODEL_TOP];
	struct color_table t = { .n = 0, .max = 2 * MODEL_TOP, .keys = keys,
		.colors = cols };

	if (!colors_assign(cm, ncm, ports, MODEL_COLORS, &map)) {
		b->failed = true;
		return err_set(b->e, "out of memory");
	}
	for (int j = 0; j < 2; j++) {
		figs[j].n = 0;
		for (size_t k = 0; k < src[j]->nkeys && figs[j].n < MODEL_TOP; k++)
			if (src[j]->keys[k].kind != KEY_OTHER)
				figs[j].keys[figs[j].n++] = src[j]->keys[k];
	}
	colors_resolve(&t, figs, 2, store_color, &map, MODEL_COLORS);
	color_map_finish(&map);
	for (int j = 0; j < 2; j++) {
		size_t nk = src[j]->nkeys, other = nk, f = 0;
		int64_t *v = ed_calloc(b, nmonths * (nk ? nk : 1), sizeof(*v));

		if (v == NULL)
			return false;
		for (size_t k = 0; k < nk; k++)
			if (src[j]->keys[k].kind == KEY_OTHER)
				other = k;
		memcpy(v, src[j]->values, nmonths * nk * sizeof(*v));
		rt[j]->owned_values = v;
		rt[j]->values = v;
		rt[j]->stride = nk;
		rt[j]->nkeys = 0;
		for (size_t k = 0; k < nk; k++) {
			const struct key *key = &src[j]->keys[k];
			int c = -1;

			if (key->kind == KEY_OTHER) {
				rt[j]->cols[rt[j]->nkeys] = k;
				rt[j]->keys[rt[j]->nkeys] = ed_key_label(b, key);
				rt[j]->colors[rt[j]->nkeys++] = chart_palette_other();
				continue;
			}
			for (size_t i = 0; i < t.n; i++)
				if (key_equal(&t.keys[i], key))
					c = t.colors[i];
			if (f < figs[j].n && key_equal(&figs[j].keys[f], key) &&
			    figs[j].merge[f++])
				c = -1;
			if (c < 0 && other < nk) {
				/* no colour left: into その他 */
				for (size_t i = 0; i < nmonths; i++) {
					v[i * nk + other] += v[i * nk + k];
					v[i * nk + k] = 0;
				}
				continue;
			}
			rt[j]->cols[rt[j]->nkeys] = k;
			rt[j]->keys[rt[j]->nkeys] = ed_key_label(b, key);
			rt[j]->colors[rt[j]->nkeys++] = c < 0 ?
			    chart_palette_other() : chart_palette((size_t)c);
		}
	}
	return !b->failed;
}

/* The month and key labels use the month edition's helpers through a
 * build context without a month model. */
static struct ed_build
ctx(const struct catalog *cat, const struct settings *set,
    const struct strtab *strs, struct edition_opts *o, struct edition *scratch,
    struct diag *warnings, struct err *e)
{
	struct ed_build b = { 0 };

	memset(o, 0, sizeof(*o));
	memset(scratch, 0, sizeof(*scratch));
	o->strings = strs;
	o->settings = set;
	o->cat = cat;
	b.o = o;
	b.ed = scratch;
	b.warnings = warnings;
	b.e = e;
	return b;
}

bool
range_edition_build(const struct range_model *r, const struct catalog *cat,
    const struct settings *set, const struct strtab *strs,
    const struct color_month *cm, size_t ncm, time_t date,
    struct range_edition *red, struct diag *warnings, struct err *e)
{
	struct edition_opts o;
	struct edition scratch;
	struct ed_build b = ctx(cat, set, strs, &o, &scratch, warnings, e);
	static const char *const head_keys[RED_MONTH_COLS] = {
		"head.month", "head.sensors", "head.sensor_days",
		"head.accesses", "head.sources", "axis.accesses_per_sensor_day",
		"axis.sources_per_sensor_day", "head.per_source",
		"range.top_port_1", "range.top_port_2", "range.top_port_3",
		"range.top_country_1", "range.top_country_2",
		"range.top_country_3",
	};
	static const char *const table_keys[4] = { "range.ports_accesses",
		"range.ports_sources", "range.countries_accesses",
		"range.countries_sources" };
	const struct range_table *tabs[4] = { &r->ports_acc, &r->ports_src,
		&r->cc_acc, &r->cc_src };
	char *first, *last, *span;
	struct str_arg args[3];

	memset(red, 0, sizeof(*red));
	if (r == NULL || r->nmonths == 0)
		return err_set(e, "no months to describe");
	snprintf(red->lang, sizeof(red->lang), "%s",
	    strtab_has(strs, "lang") ? strtab_get(strs, "lang", NULL) : "ja");
	red->date = date;
	scratch.words[ED_W_OTHER] = ed_strdup(&b, ed_word(&b, "word.other"));
	first = ed_month_text(&b, r->first);
	last = ed_month_text(&b, r->last);
	span = ed_expand(&b, "range.span", (struct str_arg[]){
	    { "first", first }, { "last", last } }, 2);
	args[0] = (struct str_arg){ "span", span };
	args[1] = (struct str_arg){ "observatory", set->observatory };
	args[2] = (struct str_arg){ "author", set->author };
	red->title = ed_expand(&b, "range.title", args, 3);
	red->subject = ed_expand(&b, "range.subject", args, 3);
	red->author = ed_strdup(&b, set->author);
	red->font = ed_strdup(&b, set->font);
	red->months_sheet = ed_expand(&b, "range.months_sheet", args, 3);
	red->months_caption = ed_expand(&b, "range.months_caption", args, 3);
	red->months_note = ed_expand(&b, "range.months_note", args, 3);
	for (int i = 0; i < RED_MONTH_COLS; i++)
		red->heads[i] = ed_expand(&b, head_keys[i], NULL, 0);
	red->chart_accesses = ed_expand(&b, "range.chart_accesses", args, 3);
	red->chart_sources = ed_expand(&b, "range.chart_sources", args, 3);
	red->chart_totals = ed_expand(&b, "range.chart_totals", args, 3);
	red->axis_month = ed_expand(&b, "axis.month", NULL, 0);
	red->axis_accesses = ed_expand(&b, "axis.accesses_per_sensor_day",
	    NULL, 0);
	red->axis_sources = ed_expand(&b, "axis.sources_per_sensor_day", NULL,
	    0);
	red->axis_count = ed_expand(&b, "range.axis_count", NULL, 0);
	red->head_total = ed_expand(&b, "head.total", NULL, 0);
	red->months = ed_calloc(&b, r->nmonths, sizeof(*red->months));
	if (red->months != NULL)
		red->nmonths = r->nmonths;
	for (size_t i = 0; i < red->nmonths && !b.failed; i++) {
		const struct range_month *rm = &r->months[i];
		struct red_month *m = &red->months[i];

		m->label = ed_month_text(&b, rm->month);
		m->has_data = rm->has_data;
		m->sensors = rm->sensors;
		m->sensor_days = rm->sensor_days;
		m->accesses = rm->total.accesses;
		m->sources = rm->total.sources;
		m->per_sensor_accesses = rm->has_data ?
		    rm->accesses_per_sensor_day : NAN;
		m->per_sensor_sources = rm->has_data ?
		    rm->sources_per_sensor_day : NAN;
		m->per_source = rm->has_data && rm->total.sources > 0 ?
		    rm->accesses_per_source : NAN;
		for (size_t k = 0; k < rm->ntop_ports; k++)
			m->top_ports[k] = ed_key_label(&b, &rm->top_ports[k]);
		for (size_t k = 0; k < rm->ntop_countries; k++)
			m->top_countries[k] = ed_key_label(&b,
			    &rm->top_countries[k]);
	}
	for (int t = 0; t < 4 && !b.failed; t++) {
		struct red_table *rt = &red->tables[t];
		const struct range_table *src = tabs[t];
		char key[64];

		snprintf(key, sizeof(key), "%s.sheet", table_keys[t]);
		rt->sheet = ed_expand(&b, key, args, 3);
		snprintf(key, sizeof(key), "%s.caption", table_keys[t]);
		rt->caption = ed_expand(&b, key, args, 3);
		rt->note = ed_expand(&b, "range.table_note", args, 3);
		rt->y_title = ed_expand(&b, src->measure == MEASURE_ACCESSES ?
		    "range.axis_accesses" : "range.axis_sources", NULL, 0);
		rt->totals = ed_calloc(&b, r->nmonths, sizeof(*rt->totals));
		for (size_t i = 0; rt->totals != NULL && i < r->nmonths; i++)
			rt->totals[i] = src->measure == MEASURE_ACCESSES ?
			    r->months[i].total.accesses :
			    r->months[i].total.sources;
	}
	if (!b.failed) {
		struct red_table *pt[2] = { &red->tables[0], &red->tables[1] };
		struct red_table *ct[2] = { &red->tables[2], &red->tables[3] };
		const struct range_table *ps[2] = { tabs[0], tabs[1] };
		const struct range_table *cs[2] = { tabs[2], tabs[3] };

		if (color_tables(&b, pt, ps, cm, ncm, true, r->nmonths))
			color_tables(&b, ct, cs, cm, ncm, false, r->nmonths);
	}
	free(first);
	free(last);
	free(span);
	free(scratch.words[ED_W_OTHER]);
	if (b.failed) {
		range_edition_free(red);
		return false;
	}
	return true;
}

void
range_edition_free(struct range_edition *red)
{
	if (red == NULL)
		return;
	for (size_t i = 0; i < red->nmonths; i++) {
		free(red->months[i].label);
		for (size_t k = 0; k < RANGE_MONTH_TOP; k++) {
			free(red->months[i].top_ports[k]);
			free(red->months[i].top_countries[k]);
		}
	}
	free(red->months);
	for (int t = 0; t < 4; t++) {
		struct red_table *rt = &red->tables[t];

		free(rt->sheet);
		free(rt->caption);
		free(rt->note);
		free(rt->y_title);
		for (size_t k = 0; k < rt->nkeys; k++)
			free(rt->keys[k]);
		free(rt->totals);
		free(rt->owned_values);
	}
	for (int i = 0; i < RED_MONTH_COLS; i++)
		free(red->heads[i]);
	free(red->title);
	free(red->subject);
	free(red->author);
	free(red->font);
	free(red->months_sheet);
	free(red->months_caption);
	free(red->months_note);
	free(red->chart_accesses);
	free(red->chart_sources);
	free(red->chart_totals);
	free(red->axis_month);
	free(red->axis_accesses);
	free(red->axis_sources);
	free(red->axis_count);
	free(red->head_total);
	memset(red, 0, sizeof(*red));
}
