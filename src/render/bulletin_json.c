/* bulletin_json.c — the month's numbers for scripts (docs/json.md). */
#include "bulletin_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomic.h"
#include "config.h"
#include "fmt.h"

#define JSON_VERSION 1

void
json_string(struct buf *b, const char *s)
{
	buf_adds(b, "\"");
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '<': buf_adds(b, "\\u003c"); break; /* safe inside HTML too */
		case '>': buf_adds(b, "\\u003e"); break;
		case '&': buf_adds(b, "\\u0026"); break;
		default:
			if (c < 0x20)
				buf_addf(b, "\\u%04x", c);
			else
				buf_add(b, s, 1);
		}
	}
	buf_adds(b, "\"");
}

/* A number, or null for NAN and infinities.  Six decimals at most, so
 * that the text does not depend on the last bits of a division. */
static void
json_number(struct buf *b, double v)
{
	char tmp[64];
	size_t n;

	if (!isfinite(v)) {
		buf_adds(b, "null");
		return;
	}
	if (v == floor(v) && fabs(v) < 9.0e15) {
		buf_addf(b, "%.0f", v);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.6f", v);
	n = strlen(tmp);
	while (n > 0 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	buf_adds(b, tmp);
}

static void
json_int(struct buf *b, int64_t v)
{
	buf_addf(b, "%lld", (long long)v);
}

static void
key(struct buf *b, const char *k)
{
	json_string(b, k);
	buf_adds(b, ": ");
}

static const char *
kind_name(enum ed_fig_kind k)
{
	switch (k) {
	case ED_FIG_TREND: return "trend";
	case ED_FIG_DAILY: return "daily";
	case ED_FIG_PIE: return "pie";
	case ED_FIG_SHARES: return "shares";
	}
	return "?";
}

static const struct ed_row *
row(const struct edition *ed, const char *k)
{
	for (size_t i = 0; i < ed->nsummary; i++)
		if (ed->summary[i].key != NULL && strcmp(ed->summary[i].key, k) == 0)
			return &ed->summary[i];
	return NULL;
}

static void
row_value(struct buf *b, const struct ed_row *r)
{
	if (r == NULL) {
		buf_adds(b, "null");
		return;
	}
	switch (r->kind) {
	case ED_TEXT:
		json_string(b, r->text);
		break;
	case ED_COUNT:
		json_int(b, r->count);
		break;
	case ED_DECIMAL:
	case ED_SHARE:
		json_number(b, r->value);
		break;
	}
}

static void
color(struct buf *b, struct chart_rgb c)
{
	buf_addf(b, "\"#%02X%02X%02X\"", (int)lround(c.r * 255),
	    (int)lround(c.g * 255), (int)lround(c.b * 255));
}

/* One line that the site index reads back (src/cli/site.c): the headline
 * figures and the words its table needs, in a fixed key order. */
static void
headline(const struct edition *ed, struct buf *b)
{
	static const char *const keys[][2] = {
		{ "accesses", "summary.accesses" },
		{ "sources", "summary.sources" },
		{ "sensors", "summary.sensors" },
		{ "sensor_days", "summary.sensor_days" },
		{ "accesses_per_sensor_day", "summary.accesses_per_sensor_day" },
		{ "sources_per_sensor_day", "summary.sources_per_sensor_day" },
		{ "accesses_per_source", "summary.accesses_per_source" },
	};
	const struct ed_row *r;

	buf_adds(b, "  \"headline\": {");
	key(b, "month");
	buf_addf(b, "\"%04d-%02d\", ", month_year(ed->month),
	    month_mon(ed->month));
	key(b, "month_text");
	json_string(b, ed->month_text);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		buf_adds(b, ", ");
		key(b, keys[i][0]);
		row_value(b, row(ed, keys[i][1]));
	}
	buf_adds(b, ", ");
	key(b, "top_port");
	if (ed->nports > 0)
		json_string(b, ed->ports[0].label);
	else
		buf_adds(b, "null");
	buf_adds(b, ", ");
	key(b, "notable");
	buf_adds(b, "[");
	for (size_t i = 0; i < ed->nnotable; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		json_string(b, ed->notable[i].label);
	}
	buf_adds(b, "]");
	/* the words of the index's table, in the edition's language */
	buf_adds(b, ", ");
	key(b, "labels");
	buf_adds(b, "{");
	key(b, "month");
	json_string(b, (r = row(ed, "summary.month")) ? r->label : "");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		buf_adds(b, ", ");
		key(b, keys[i][0]);
		json_string(b, (r = row(ed, keys[i][1])) ? r->label : "");
	}
	buf_adds(b, ", ");
	key(b, "top_port");
	json_string(b, ed->words[ED_W_TABLE_PORT]);
	buf_adds(b, ", ");
	key(b, "notable");
	json_string(b, ed->words[ED_W_NOTABLE_HEAD]);
	buf_adds(b, ", ");
	key(b, "none");
	json_string(b, ed->words[ED_W_NONE]);
	buf_adds(b, ", ");
	key(b, "title");
	json_string(b, ed->title);
	buf_adds(b, ", ");
	key(b, "publisher");
	json_string(b, ed->publisher);
	buf_adds(b, ", ");
	key(b, "font");
	json_string(b, ed->font);
	buf_adds(b, ", ");
	key(b, "language");
	json_string(b, ed->words[ED_W_LANG_NAME]);
	buf_adds(b, "}},\n");
}

static void
figure(const struct ed_figure *f, struct buf *b)
{
	buf_adds(b, "    {");
	key(b, "id");
	json_string(b, f->id);
	buf_adds(b, ", ");
	key(b, "number");
	json_string(b, f->number);
	buf_adds(b, ", ");
	key(b, "kind");
	json_string(b, kind_name(f->kind));
	buf_adds(b, ",\n     ");
	key(b, "caption");
	json_string(b, f->caption);
	buf_adds(b, ", ");
	key(b, "sheet");
	json_string(b, f->sheet);
	buf_adds(b, ", ");
	key(b, "alt");
	json_string(b, f->alt);
	buf_adds(b, ",\n     ");
	key(b, "x_title");
	if (f->x_title)
		json_string(b, f->x_title);
	else
		buf_adds(b, "null");
	buf_adds(b, ", ");
	key(b, "y_title");
	json_string(b, f->y_title);
	buf_adds(b, ", ");
	key(b, "y2_title");
	if (f->y2_title && f->nseries > 1)
		json_string(b, f->y2_title);
	else
		buf_adds(b, "null");
	buf_adds(b, ", ");
	key(b, "key_head");
	json_string(b, f->key_head);
	buf_adds(b, ", ");
	key(b, "value_head");
	json_string(b, f->value_head);
	buf_adds(b, ", ");
	key(b, "total");
	json_int(b, f->total);
	buf_adds(b, ",\n     ");
	key(b, "categories");
	buf_adds(b, "[");
	for (size_t c = 0; c < f->ncat; c++) {
		const struct ed_cat *cat = &f->cats[c];

		buf_adds(b, c > 0 ? ",\n       {" : "\n       {");
		key(b, "label");
		json_string(b, cat->label);
		buf_adds(b, ", ");
		if (cat->day > 0) {
			key(b, "date");
			buf_addf(b, "\"%04d-%02d-%02d\", ", cat->year, cat->mon,
			    cat->day);
		} else {
			key(b, "month");
			buf_addf(b, "\"%04d-%02d\", ", cat->year, cat->mon);
			key(b, "sensor_days");
			json_int(b, cat->sensor_days);
			buf_adds(b, ", ");
		}
		key(b, "sensors");
		json_int(b, cat->sensors);
		buf_adds(b, ", ");
		key(b, "missing");
		buf_adds(b, cat->missing ? "true" : "false");
		buf_adds(b, "}");
	}
	buf_adds(b, "],\n     ");
	key(b, "series");
	buf_adds(b, "[");
	for (size_t i = 0; i < f->nseries; i++) {
		const struct ed_series *s = &f->series[i];
		size_t nv = f->kind == ED_FIG_PIE ? 0 : f->ncat;

		buf_adds(b, i > 0 ? ",\n       {" : "\n       {");
		key(b, "label");
		json_string(b, s->label);
		buf_adds(b, ", ");
		key(b, "color");
		color(b, s->color);
		buf_adds(b, ", ");
		key(b, "other");
		buf_adds(b, s->other ? "true" : "false");
		if (f->kind == ED_FIG_TREND) {
			buf_adds(b, ", ");
			key(b, "right_axis");
			buf_adds(b, s->right_axis ? "true" : "false");
		}
		if (f->kind != ED_FIG_TREND) {
			buf_adds(b, ", ");
			key(b, "total");
			json_int(b, s->total);
		}
		if (f->kind == ED_FIG_PIE) {
			buf_adds(b, ", ");
			key(b, "share");
			json_number(b, s->share);
			buf_adds(b, ", ");
			key(b, "share_text");
			json_string(b, s->share_text);
		} else {
			buf_adds(b, ", ");
			key(b, "values");
			buf_adds(b, "[");
			for (size_t c = 0; c < nv; c++) {
				if (c > 0)
					buf_adds(b, ", ");
				json_number(b, s->values[c]);
			}
			buf_adds(b, "]");
			if (s->counts != NULL) {
				buf_adds(b, ", ");
				key(b, "counts");
				buf_adds(b, "[");
				for (size_t c = 0; c < nv; c++) {
					if (c > 0)
						buf_adds(b, ", ");
					json_int(b, s->counts[c]);
				}
				buf_adds(b, "]");
			}
		}
		buf_adds(b, "}");
	}
	buf_adds(b, "]}");
}

/* A daily per-sensor value back to the day's count. */
static int64_t
day_count(const struct ed_figure *f, size_t s, size_t d)
{
	return fmt_round(f->series[s].values[d] * f->cats[d].sensors);
}

static const struct ed_series *
series_by_label(const struct ed_figure *f, const char *label, size_t *idx)
{
	for (size_t i = 0; f != NULL && i < f->nseries; i++)
		if (strcmp(f->series[i].label, label) == 0) {
			*idx = i;
			return &f->series[i];
		}
	return NULL;
}

static void
port_day(struct buf *b, const struct ed_figure *acc, const struct ed_figure *src,
    const struct ed_series *s, size_t d, bool *first)
{
	size_t ia = 0, is = 0;
	const struct ed_series *sa = series_by_label(acc, s->label, &ia);
	const struct ed_series *ss = series_by_label(src, s->label, &is);

	/* その他 is each measure's own remainder: the ports not named in
	 * that measure's figure (docs/json.md) */
	buf_adds(b, *first ? "\n       {" : ",\n       {");
	*first = false;
	key(b, "port");
	json_string(b, s->label);
	buf_adds(b, ", ");
	key(b, "other");
	buf_adds(b, s->other ? "true" : "false");
	buf_adds(b, ", ");
	key(b, "records");
	if (sa != NULL)
		json_int(b, day_count(acc, ia, d));
	else
		buf_adds(b, "null");
	buf_adds(b, ", ");
	key(b, "sources");
	if (ss != NULL)
		json_int(b, day_count(src, is, d));
	else
		buf_adds(b, "null");
	buf_adds(b, "}");
}

/* Per day: the observed sensors (targets) and, for the ports of the daily
 * figures, the day's records (accesses) and sources. */
static void
daily(const struct edition *ed, struct buf *b)
{
	const struct ed_figure *acc = edition_figure(ed, "fig-2.2.1");
	const struct ed_figure *src = edition_figure(ed, "fig-2.2.2");

	buf_adds(b, "  \"daily\": [");
	if (acc == NULL || src == NULL || acc->ncat != src->ncat) {
		buf_adds(b, "],\n");
		return;
	}
	for (size_t d = 0; d < acc->ncat; d++) {
		const struct ed_cat *cat = &acc->cats[d];
		bool first = true;

		buf_adds(b, d > 0 ? ",\n    {" : "\n    {");
		key(b, "date");
		buf_addf(b, "\"%04d-%02d-%02d\", ", cat->year, cat->mon,
		    cat->day);
		key(b, "targets");
		json_int(b, cat->missing ? 0 : cat->sensors);
		buf_adds(b, ", ");
		key(b, "ports");
		buf_adds(b, "[");
		if (!cat->missing) {
			size_t dummy;

			for (size_t i = 0; i < acc->nseries; i++)
				port_day(b, acc, src, &acc->series[i], d, &first);
			for (size_t i = 0; i < src->nseries; i++)
				if (series_by_label(acc, src->series[i].label,
				    &dummy) == NULL)
					port_day(b, acc, src, &src->series[i], d,
					    &first);
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "],\n");
}

bool
bulletin_json_build(const struct edition *ed, struct buf *b, struct err *e)
{
	char date[32] = "";
	struct tm tm;

	if (gmtime_r(&ed->date, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_adds(b, "{\n");
	buf_addf(b, "  \"format\": \"talot-month\",\n  \"version\": %d,\n",
	    JSON_VERSION);
	buf_adds(b, "  \"generator\": \"talot " TALOT_VERSION "\",\n  ");
	key(b, "month");
	buf_addf(b, "\"%04d-%02d\",\n  ", month_year(ed->month),
	    month_mon(ed->month));
	key(b, "lang");
	json_string(b, ed->lang);
	buf_adds(b, ",\n  ");
	key(b, "title");
	json_string(b, ed->title);
	buf_adds(b, ",\n  ");
	key(b, "subtitle");
	json_string(b, ed->subtitle);
	buf_adds(b, ",\n  ");
	key(b, "publisher");
	json_string(b, ed->publisher);
	buf_adds(b, ",\n  ");
	key(b, "author");
	json_string(b, ed->author);
	buf_adds(b, ",\n  ");
	key(b, "published");
	json_string(b, date);
	buf_adds(b, ",\n");
	headline(ed, b);
	buf_adds(b, "  \"summary\": [");
	for (size_t i = 0; i < ed->nsummary; i++) {
		const struct ed_row *r = &ed->summary[i];
		static const char *const kinds[] = { "text", "count", "decimal",
			"share" };

		buf_adds(b, i > 0 ? ",\n    {" : "\n    {");
		key(b, "key");
		json_string(b, r->key);
		buf_adds(b, ", ");
		key(b, "label");
		json_string(b, r->label);
		buf_adds(b, ", ");
		key(b, "kind");
		json_string(b, kinds[r->kind]);
		buf_adds(b, ", ");
		key(b, "value");
		row_value(b, r);
		buf_adds(b, ", ");
		key(b, "unit");
		if (r->unit)
			json_string(b, r->unit);
		else
			buf_adds(b, "null");
		buf_adds(b, "}");
	}
	buf_adds(b, "],\n  \"notable\": [");
	for (size_t i = 0; i < ed->nnotable; i++) {
		const struct ed_notable_row *n = &ed->notable[i];

		buf_adds(b, i > 0 ? ",\n    {" : "\n    {");
		key(b, "port");
		json_string(b, n->label);
		buf_adds(b, ", ");
		key(b, "previous_accesses");
		json_int(b, n->prev);
		buf_adds(b, ", ");
		key(b, "accesses");
		json_int(b, n->cur);
		buf_adds(b, ", ");
		key(b, "ratio");
		json_number(b, n->ratio);
		buf_adds(b, ", ");
		key(b, "ratio_text");
		json_string(b, n->ratio_text);
		buf_adds(b, ", ");
		key(b, "dominant_country");
		if (n->dominant)
			json_string(b, n->dominant);
		else
			buf_adds(b, "null");
		buf_adds(b, ", ");
		key(b, "dominant_share");
		if (n->dominant)
			json_number(b, n->dominant_share);
		else
			buf_adds(b, "null");
		buf_adds(b, ", ");
		key(b, "chosen");
		json_string(b, n->chosen);
		buf_adds(b, "}");
	}
	buf_adds(b, "],\n  \"ports\": [");
	for (size_t i = 0; i < ed->nports; i++) {
		const struct ed_port_row *p = &ed->ports[i];

		buf_adds(b, i > 0 ? ",\n    {" : "\n    {");
		key(b, "port");
		json_string(b, p->label);
		buf_adds(b, ", ");
		key(b, "accesses");
		json_int(b, p->accesses);
		buf_adds(b, ", ");
		key(b, "share");
		json_number(b, p->share);
		buf_adds(b, ", ");
		key(b, "explanation");
		json_string(b, p->explanation);
		buf_adds(b, ", ");
		key(b, "references");
		buf_adds(b, "[");
		for (size_t k = 0; k < p->nrefs; k++) {
			buf_adds(b, k > 0 ? ", {" : "{");
			key(b, "title");
			json_string(b, p->refs[k].title);
			buf_adds(b, ", ");
			key(b, "url");
			json_string(b, p->refs[k].url);
			buf_adds(b, "}");
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "],\n");
	daily(ed, b);
	buf_adds(b, "  \"figures\": [\n");
	for (size_t i = 0; i < ed->nfigures; i++) {
		if (i > 0)
			buf_adds(b, ",\n");
		figure(&ed->figures[i], b);
	}
	buf_adds(b, "\n  ]\n}\n");
	return b->oom ? err_set(e, "out of memory") : true;
}

bool
bulletin_json_write(const struct edition *ed, const char *path, struct err *e)
{
	struct buf b = { 0 };
	struct atomic_file af;
	char msg[ERR_MSG_MAX];

	if (!bulletin_json_build(ed, &b, e)) {
		snprintf(msg, sizeof(msg), "%s", e->msg);
		buf_free(&b);
		return err_set(e, "%s: %s", path, msg);
	}
	if (!atomic_begin(&af, path, e)) {
		buf_free(&b);
		return false;
	}
	atomic_write(&af, b.s, b.len);
	buf_free(&b);
	return atomic_commit(&af, e);
}
