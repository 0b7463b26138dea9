/* figures.c — the one table of figure definitions, and the figures of an
 * edition built from it: categories, labelled and coloured series, values,
 * captions and axis titles.  Every renderer draws these and only these. */
#include "edition_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "labels.h"

enum fig_source { SRC_TREND, SRC_NOTABLE, SRC_PORTS, SRC_COUNTRIES };

/* One figure of the bulletin.  Strings: caption.ID, sheet.ID; the axis
 * titles and table heads are shared by measure and breakdown. */
struct fig_def {
	const char *id;
	const char *number;
	enum ed_fig_kind kind;
	enum fig_source source;
	enum measure measure;
	const char *pair;        /* shown with the same geometry, or NULL */
};

static const struct fig_def fig_defs[] = {
	{ "fig-1.1",   "1.1",   ED_FIG_TREND,  SRC_TREND,     MEASURE_ACCESSES, NULL },
	{ "fig-notable", "2.1", ED_FIG_DAILY,  SRC_NOTABLE,   MEASURE_ACCESSES, NULL },
	{ "fig-2.2.1", "2.2.1", ED_FIG_DAILY,  SRC_PORTS,     MEASURE_ACCESSES, "fig-2.2.2" },
	{ "fig-2.2.2", "2.2.2", ED_FIG_DAILY,  SRC_PORTS,     MEASURE_SOURCES, "fig-2.2.1" },
	{ "fig-2.3.1", "2.3.1", ED_FIG_PIE,    SRC_PORTS,     MEASURE_ACCESSES, NULL },
	{ "fig-2.3.2", "2.3.2", ED_FIG_PIE,    SRC_PORTS,     MEASURE_SOURCES, NULL },
	{ "fig-2.4.1", "2.4.1", ED_FIG_DAILY,  SRC_COUNTRIES, MEASURE_ACCESSES, "fig-2.4.3" },
	{ "fig-2.4.2", "2.4.2", ED_FIG_PIE,    SRC_COUNTRIES, MEASURE_ACCESSES, NULL },
	{ "fig-2.4.3", "2.4.3", ED_FIG_DAILY,  SRC_COUNTRIES, MEASURE_SOURCES, "fig-2.4.1" },
	{ "fig-2.4.4", "2.4.4", ED_FIG_PIE,    SRC_COUNTRIES, MEASURE_SOURCES, NULL },
	{ "fig-3.1.1", "3.1.1", ED_FIG_SHARES, SRC_PORTS,     MEASURE_ACCESSES, "fig-3.1.2" },
	{ "fig-3.1.2", "3.1.2", ED_FIG_SHARES, SRC_PORTS,     MEASURE_SOURCES, "fig-3.1.1" },
	{ "fig-3.2.1", "3.2.1", ED_FIG_SHARES, SRC_COUNTRIES, MEASURE_ACCESSES, "fig-3.2.2" },
	{ "fig-3.2.2", "3.2.2", ED_FIG_SHARES, SRC_COUNTRIES, MEASURE_SOURCES, "fig-3.2.1" },
};
#define NDEFS (sizeof(fig_defs) / sizeof(fig_defs[0]))

bool
edition_figure_known(const char *id, size_t n)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (strlen(fig_defs[i].id) == n &&
		    strncmp(fig_defs[i].id, id, n) == 0 &&
		    fig_defs[i].source != SRC_NOTABLE)
			return true;
	if (n > 12 && strncmp(id, "fig-notable-", 12) == 0) {
		for (size_t i = 12; i < n; i++)
			if (id[i] < '0' || id[i] > '9')
				return false;
		return true;
	}
	return n == 10 && strncmp(id, "port-table", 10) == 0;
}

const struct ed_figure *
edition_figure(const struct edition *ed, const char *id)
{
	for (size_t i = 0; i < ed->nfigures; i++)
		if (strcmp(ed->figures[i].id, id) == 0)
			return &ed->figures[i];
	return NULL;
}

/* ---- helpers ---- */

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

char *
ed_key_label(struct ed_build *b, const struct key *k)
{
	char buf[LABEL_MAX];

	if (k->kind == KEY_OTHER)
		return ed_strdup(b, b->ed->words[ED_W_OTHER]);
	return ed_strdup(b, label_key(b->o->cat, k, buf, sizeof(buf),
	    b->warnings));
}

static void
cat_day(struct ed_build *b, struct ed_cat *c, month_t m, int day,
    int sensors)
{
	char y[16], mo[16], d[16];
	const char *name, *abbr;
	char *s;

	c->year = month_year(m);
	c->mon = month_mon(m);
	c->day = day;
	c->sensors = sensors;
	c->missing = sensors <= 0;
	snprintf(y, sizeof(y), "%d", c->year);
	snprintf(mo, sizeof(mo), "%d", c->mon);
	snprintf(d, sizeof(d), "%d", day);
	ed_mon_names(b, c->mon, &name, &abbr);
	s = ed_expand(b, "format.day", (struct str_arg[]){ { "year", y },
	    { "mon", mo }, { "day", d }, { "mon_name", name },
	    { "mon_abbr", abbr } }, 5);
	snprintf(c->label, sizeof(c->label), "%s", s ? s : "");
	free(s);
}

static void
cat_month(struct ed_build *b, struct ed_cat *c, const struct month_summary *s)
{
	char *t = ed_month_text(b, s->month);

	c->year = month_year(s->month);
	c->mon = month_mon(s->month);
	c->day = 0;
	c->sensors = s->sensors;
	c->sensor_days = s->sensor_days;
	c->per_source = s->has_data && s->total.sources > 0 ?
	    s->accesses_per_source : NAN;
	c->missing = !s->has_data;
	snprintf(c->label, sizeof(c->label), "%s", t ? t : "");
	free(t);
}

/* Shares with one decimal that sum to exactly 100.0 (largest remainder);
 * a non-zero share below 0.05 % reads "<0.1%". */
void
ed_share_texts(struct ed_build *b, struct ed_series *s, size_t n,
    int64_t total)
{
	long long tenths[64], sum = 0;
	double rem[64];
	size_t order[64];

	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++) {
		double exact = total > 0 ? (double)s[i].total * 1000.0 /
		    (double)total : 0;

		tenths[i] = (long long)floor(exact);
		rem[i] = exact - floor(exact);
		sum += tenths[i];
		order[i] = i;
	}
	/* hand the missing tenths to the largest remainders (ties: earlier) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && rem[order[j]] > rem[order[j - 1]];
		    j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; total > 0 && sum < 1000 && i < n; i++, sum++)
		tenths[order[i]]++;
	for (size_t i = 0; i < n; i++) {
		if (s[i].total > 0 && tenths[i] == 0)
			snprintf(s[i].share_text, sizeof(s[i].share_text),
			    "%s", b->lt01);
		else
			snprintf(s[i].share_text, sizeof(s[i].share_text),
			    "%lld.%lld%%", tenths[i] / 10, tenths[i] % 10);
	}
}

static const char *
measure_word(enum measure me)
{
	return me == MEASURE_ACCESSES ? "accesses" : "sources";
}

/* Caption, sheet and titles of a figure from the strings. */
static bool
fig_words(struct ed_build *b, struct ed_figure *f, const struct fig_def *d,
    const char *port_label, const char *target, size_t n)
{
	char key[64], num[8];
	const char *brk = d->source == SRC_COUNTRIES ? "country" : "port";
	struct str_arg args[] = {
		{ "month", b->month_text }, { "prev", b->prev_text },
		{ "first", b->first_text }, { "port", port_label },
		{ "n", num }, { "target", target },
	};

	snprintf(num, sizeof(num), "%zu", n);
	if (d->source == SRC_NOTABLE)
		snprintf(f->id, sizeof(f->id), "fig-notable-%zu", n);
	else
		snprintf(f->id, sizeof(f->id), "%s", d->id);
	if (d->source == SRC_NOTABLE)
		snprintf(f->number, sizeof(f->number), "2.1.%zu", n);
	else
		snprintf(f->number, sizeof(f->number), "%s", d->number);
	f->kind = d->kind;
	snprintf(key, sizeof(key), "caption.%s", d->id);
	f->caption = ed_expand(b, key, args, 6);
	snprintf(key, sizeof(key), "sheet.%s", d->id);
	f->sheet = ed_expand(b, key, args, 6);
	/* a workbook sheet name has at most 31 characters (a notable port's
	 * sheet, which holds the port's label, is cut by the renderer) */
	if (f->sheet != NULL && d->source != SRC_NOTABLE &&
	    utf8_chars(f->sheet) > 31) {
		b->failed = true;
		err_set(b->e, "strings.conf: %s expands to more than 31 characters (a workbook's limit): %s",
		    key, f->sheet);
		return false;
	}
	switch (d->kind) {
	case ED_FIG_TREND:
		f->y_title = ed_expand(b, "axis.accesses_per_sensor_day", NULL, 0);
		f->y2_title = ed_expand(b, "axis.sources_per_sensor_day", NULL, 0);
		f->x_title = ed_expand(b, "axis.month", NULL, 0);
		f->note = ed_expand(b, "note.trend", NULL, 0);
		break;
	case ED_FIG_DAILY:
		snprintf(key, sizeof(key), "axis.%s_per_sensor_day",
		    measure_word(d->measure));
		f->y_title = ed_expand(b, key, NULL, 0);
		f->x_title = ed_expand(b, "axis.date", NULL, 0);
		f->note = ed_expand(b, "note.daily", NULL, 0);
		break;
	case ED_FIG_PIE:
		snprintf(key, sizeof(key), "head.%s", brk);
		f->key_head = ed_expand(b, key, NULL, 0);
		snprintf(key, sizeof(key), "head.%s", measure_word(d->measure));
		f->value_head = ed_expand(b, key, NULL, 0);
		break;
	case ED_FIG_SHARES:
		snprintf(key, sizeof(key), "axis.share_%s",
		    measure_word(d->measure));
		f->y_title = ed_expand(b, key, NULL, 0);
		f->x_title = ed_expand(b, "axis.month", NULL, 0);
		snprintf(key, sizeof(key), "head.%s", measure_word(d->measure));
		f->value_head = ed_expand(b, key, NULL, 0);
		f->note = ed_expand(b, "note.shares", NULL, 0);
		break;
	}
	f->separator = -1;
	snprintf(f->pair, sizeof(f->pair), "%s", d->pair ? d->pair : "");
	return !b->failed;
}

static struct ed_series *
series_alloc(struct ed_build *b, struct ed_figure *f, size_t n, size_t ncat,
    bool counts)
{
	f->series = ed_calloc(b, n ? n : 1, sizeof(*f->series));
	if (f->series == NULL)
		return NULL;
	f->nseries = n;
	for (size_t i = 0; i < n; i++) {
		f->series[i].values = ed_calloc(b, ncat ? ncat : 1,
		    sizeof(double));
		if (counts)
			f->series[i].counts = ed_calloc(b, ncat ? ncat : 1,
			    sizeof(int64_t));
	}
	return b->failed ? NULL : f->series;
}

static void
series_key(struct ed_build *b, struct ed_series *s, const struct key *k)
{
	s->label = ed_key_label(b, k);
	s->color = label_color(b->m, k);
	s->other = k->kind == KEY_OTHER;
}

/* ---- the kinds ---- */

static void
fig_trend(struct ed_build *b, struct ed_figure *f)
{
	const struct month_model *m = b->m;

	f->ncat = MODEL_MONTHS;
	f->cats = ed_calloc(b, MODEL_MONTHS, sizeof(*f->cats));
	if (f->cats == NULL || series_alloc(b, f, 2, MODEL_MONTHS, true) == NULL)
		return;
	f->series[0].label = ed_expand(b, "series.accesses", NULL, 0);
	f->series[1].label = ed_expand(b, "series.sources", NULL, 0);
	f->series[0].color = chart_palette(0);
	f->series[1].color = chart_palette(1);
	f->series[1].right_axis = true;
	f->integer_values = true;
	for (int i = 0; i < MODEL_MONTHS; i++) {
		const struct month_summary *s = &m->six[i];

		cat_month(b, &f->cats[i], s);
		f->series[0].values[i] = s->has_data ?
		    s->accesses_per_sensor_day : NAN;
		f->series[1].values[i] = s->has_data ?
		    s->sources_per_sensor_day : NAN;
		f->series[0].counts[i] = s->total.accesses;
		f->series[1].counts[i] = s->total.sources;
	}
}

static void
fig_daily(struct ed_build *b, struct ed_figure *f, const struct breakdown *br)
{
	const struct month_model *m = b->m;
	size_t nd = (size_t)br->ndays;

	f->ncat = nd;
	f->cats = ed_calloc(b, nd ? nd : 1, sizeof(*f->cats));
	if (f->cats == NULL || series_alloc(b, f, br->nkeys, nd, false) == NULL)
		return;
	for (size_t d = 0; d < nd; d++)
		cat_day(b, &f->cats[d], m->month, (int)d + 1,
		    m->sensors_per_day[d + 1]);
	for (size_t k = 0; k < br->nkeys; k++) {
		struct ed_series *s = &f->series[k];

		series_key(b, s, &br->keys[k]);
		s->total = br->totals[k];
		for (size_t d = 0; d < nd; d++)
			s->values[d] = f->cats[d].missing ? NAN :
			    br->daily[k * nd + d];
	}
	f->total = br->total;
}

static void
fig_pie(struct ed_build *b, struct ed_figure *f, const struct breakdown *br)
{
	f->ncat = 0;
	if (series_alloc(b, f, br->nkeys, 1, false) == NULL)
		return;
	for (size_t k = 0; k < br->nkeys; k++) {
		struct ed_series *s = &f->series[k];

		series_key(b, s, &br->keys[k]);
		s->total = br->totals[k];
		s->share = br->shares[k];
		s->values[0] = (double)br->totals[k];
	}
	f->total = br->total;
	ed_share_texts(b, f->series, f->nseries, br->total);
}

static void
fig_shares(struct ed_build *b, struct ed_figure *f, const struct six_shares *t)
{
	const struct month_model *m = b->m;

	f->ncat = MODEL_MONTHS;
	f->cats = ed_calloc(b, MODEL_MONTHS, sizeof(*f->cats));
	if (f->cats == NULL ||
	    series_alloc(b, f, t->nkeys, MODEL_MONTHS, true) == NULL)
		return;
	for (int i = 0; i < MODEL_MONTHS; i++)
		cat_month(b, &f->cats[i], &m->six[i]);
	for (size_t k = 0; k < t->nkeys; k++) {
		struct ed_series *s = &f->series[k];

		series_key(b, s, &t->keys[k]);
		for (int i = 0; i < MODEL_MONTHS; i++) {
			s->values[i] = m->six[i].has_data ?
			    t->shares[i][k] * 100.0 : NAN;
			s->counts[i] = t->values[i][k];
			s->total += t->values[i][k];
		}
	}
}

static void
fig_notable(struct ed_build *b, struct ed_figure *f, const struct notable *n)
{
	const struct month_model *m = b->m;
	size_t np = (size_t)n->ndays_prev, nd = np + (size_t)n->ndays_cur;
	size_t nk = n->daily != NULL ? n->ncc : 0;

	f->ncat = nd;
	f->cats = ed_calloc(b, nd ? nd : 1, sizeof(*f->cats));
	if (f->cats == NULL || series_alloc(b, f, nk, nd, false) == NULL)
		return;
	for (size_t i = 0; i < nd; i++) {
		if (i < np)
			cat_day(b, &f->cats[i], m->month - 1, (int)i + 1,
			    m->prev_sensors_per_day[i + 1]);
		else
			cat_day(b, &f->cats[i], m->month, (int)(i - np) + 1,
			    m->sensors_per_day[i - np + 1]);
	}
	for (size_t k = 0; k < nk; k++) {
		struct ed_series *s = &f->series[k];

		series_key(b, s, &n->cc[k]);
		s->total = n->cc_totals[k];
		for (size_t i = 0; i < nd; i++)
			s->values[i] = f->cats[i].missing ? NAN :
			    n->daily[k * nd + i];
	}
	f->separator = np > 0 ? (int)np - 1 : -1;
}

/* "445/tcp 26.9%, 22/tcp 18.3%, …" for pies; the leaders elsewhere. */
static void
fig_alt(struct ed_build *b, struct ed_figure *f)
{
	char buf[1024];
	size_t o = 0;
	const char *sep = b->list_sep;

	buf[0] = '\0';
	for (size_t i = 0; i < f->nseries && o + 1 < sizeof(buf); i++) {
		const struct ed_series *s = &f->series[i];
		int w;

		if (f->kind == ED_FIG_PIE)
			w = snprintf(buf + o, sizeof(buf) - o, "%s%s %s",
			    i ? sep : "", s->label ? s->label : "", s->share_text);
		else
			w = snprintf(buf + o, sizeof(buf) - o, "%s%s",
			    i ? sep : "", s->label ? s->label : "");
		if (w < 0 || (size_t)w >= sizeof(buf) - o)
			break;
		o += (size_t)w;
	}
	f->alt = ed_strdup(b, buf);
}

bool
ed_figures_build(struct ed_build *b)
{
	const struct month_model *m = b->m;
	size_t n = NDEFS - 1 + m->nnotable, k = 0;

	b->ed->figures = ed_calloc(b, n, sizeof(*b->ed->figures));
	if (b->ed->figures == NULL)
		return false;
	for (size_t i = 0; i < NDEFS && !b->failed; i++) {
		const struct fig_def *d = &fig_defs[i];
		const struct breakdown *br;
		const struct six_shares *six;

		if (d->source == SRC_NOTABLE) {
			for (size_t j = 0; j < m->nnotable && !b->failed; j++) {
				struct ed_figure *f = &b->ed->figures[k++];
				char *port = ed_key_label(b, &m->notable[j].key);
				char *target = ed_target(b, &m->notable[j].key);

				if (fig_words(b, f, d, port ? port : "",
				    target ? target : "", j + 1))
					fig_notable(b, f, &m->notable[j]);
				free(port);
				free(target);
				fig_alt(b, f);
			}
			continue;
		}
		struct ed_figure *f = &b->ed->figures[k++];

		if (!fig_words(b, f, d, "", "", 0))
			break;
		br = d->source == SRC_PORTS ?
		    (d->measure == MEASURE_ACCESSES ? &m->ports_acc : &m->ports_src) :
		    (d->measure == MEASURE_ACCESSES ? &m->cc_acc : &m->cc_src);
		six = d->source == SRC_PORTS ?
		    (d->measure == MEASURE_ACCESSES ? &m->six_ports_acc :
		    &m->six_ports_src) :
		    (d->measure == MEASURE_ACCESSES ? &m->six_cc_acc :
		    &m->six_cc_src);
		switch (d->kind) {
		case ED_FIG_TREND:
			fig_trend(b, f);
			break;
		case ED_FIG_DAILY:
			fig_daily(b, f, br);
			break;
		case ED_FIG_PIE:
			fig_pie(b, f, br);
			break;
		case ED_FIG_SHARES:
			fig_shares(b, f, six);
			break;
		}
		fig_alt(b, f);
	}
	b->ed->nfigures = k;
	return !b->failed;
}

void
ed_figure_free(struct ed_figure *f)
{
	for (size_t i = 0; i < f->nseries; i++) {
		free(f->series[i].label);
		free(f->series[i].values);
		free(f->series[i].counts);
	}
	free(f->series);
	free(f->cats);
	free(f->caption);
	free(f->sheet);
	free(f->y_title);
	free(f->y2_title);
	free(f->x_title);
	free(f->key_head);
	free(f->value_head);
	free(f->note);
	free(f->alt);
}
