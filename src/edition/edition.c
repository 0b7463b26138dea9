/* edition.c — builds the renderer-neutral edition of a month (edition.h):
 * title block, words, figures (figures.c), body text (sentences.c), the
 * section 4 table and the workbook's summary rows. */
#include "edition_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "labels.h"

void *
ed_calloc(struct ed_build *b, size_t n, size_t size)
{
	void *p;

	if (b->failed)
		return NULL;
	p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL) {
		b->failed = true;
		err_set(b->e, "out of memory building the edition");
	}
	return p;
}

char *
ed_strdup(struct ed_build *b, const char *s)
{
	char *d;

	if (b->failed)
		return NULL;
	d = strdup(s ? s : "");
	if (d == NULL) {
		b->failed = true;
		err_set(b->e, "out of memory building the edition");
	}
	return d;
}

char *
ed_expand(struct ed_build *b, const char *key, const struct str_arg *args,
    size_t nargs)
{
	char *s;

	if (b->failed)
		return NULL;
	s = strtab_expand(b->o->strings, key, args, nargs, b->e);
	if (s == NULL)
		b->failed = true;
	return s;
}

const char *
ed_word(struct ed_build *b, const char *key)
{
	const char *s;

	if (b->failed)
		return "";
	s = strtab_get(b->o->strings, key, b->e);
	if (s == NULL) {
		b->failed = true;
		return "";
	}
	return s;
}

void
ed_mon_names(struct ed_build *b, int mon, const char **name,
    const char **abbr)
{
	char key[32];

	snprintf(key, sizeof(key), "month.%d", mon);
	*name = ed_word(b, key);
	snprintf(key, sizeof(key), "month_abbr.%d", mon);
	*abbr = ed_word(b, key);
}

char *
ed_month_text(struct ed_build *b, month_t m)
{
	char y[16], mo[16];
	const char *name, *abbr;

	snprintf(y, sizeof(y), "%d", month_year(m));
	snprintf(mo, sizeof(mo), "%d", month_mon(m));
	ed_mon_names(b, month_mon(m), &name, &abbr);
	return ed_expand(b, "format.month", (struct str_arg[]){ { "year", y },
	    { "mon", mo }, { "mon_name", name }, { "mon_abbr", abbr } }, 4);
}

static char *
date_text(struct ed_build *b, time_t t)
{
	struct tm tm;
	char y[16], mo[16], d[16];

	if (gmtime_r(&t, &tm) == NULL) {
		b->failed = true;
		err_set(b->e, "publication date out of range");
		return NULL;
	}
	const char *name, *abbr;

	snprintf(y, sizeof(y), "%d", tm.tm_year + 1900);
	snprintf(mo, sizeof(mo), "%d", tm.tm_mon + 1);
	snprintf(d, sizeof(d), "%d", tm.tm_mday);
	ed_mon_names(b, tm.tm_mon + 1, &name, &abbr);
	return ed_expand(b, "format.date", (struct str_arg[]){ { "year", y },
	    { "mon", mo }, { "day", d }, { "mon_name", name },
	    { "mon_abbr", abbr } }, 5);
}

static const char *const word_keys[ED_W_COUNT] = {
	[ED_W_OTHER] = "word.other",
	[ED_W_NO_DATA] = "word.no_data",
	[ED_W_MISSING] = "word.missing",
	[ED_W_TABLE_PORT] = "table.port",
	[ED_W_TABLE_EXPLANATION] = "table.explanation",
	[ED_W_TABLE_ACCESSES] = "table.accesses",
	[ED_W_TABLE_SHARE] = "table.share",
	[ED_W_DATE] = "head.date",
	[ED_W_SENSORS] = "head.sensors",
	[ED_W_TOTAL] = "head.total",
	[ED_W_SHARE] = "head.share",
	[ED_W_RANK] = "head.rank",
	[ED_W_MONTH] = "head.month",
	[ED_W_SUMMARY_SHEET] = "summary.sheet",
	[ED_W_SUMMARY_ITEM] = "summary.item",
	[ED_W_SUMMARY_VALUE] = "summary.value",
	[ED_W_SUMMARY_UNIT] = "summary.unit",
	[ED_W_NOTABLE_HEAD] = "summary.notable",
	[ED_W_FIGURE_LIST] = "summary.figures",
	[ED_W_NONE] = "word.none",
	[ED_W_NO_EXPLANATION] = "table.no_explanation",
	[ED_W_NO_PORTS] = "table.empty",
	[ED_W_SENSOR_DAYS] = "head.sensor_days",
	[ED_W_PER_SOURCE] = "head.per_source",
	[ED_W_CAPTION_OPEN] = "format.caption_open",
	[ED_W_CAPTION_CLOSE] = "format.caption_close",
	[ED_W_NOBREAK] = "typeset.nobreak",
	[ED_W_REFERENCES] = "table.references",
	[ED_W_PORTS_SHEET] = "table.sheet",
	[ED_W_XLSX_DAY] = "format.xlsx_day",
	[ED_W_LANG_NAME] = "lang.name",
};

static void
port_table(struct ed_build *b)
{
	const struct breakdown *br = &b->m->ports_acc;
	struct ed_series tmp[MODEL_TOP + 1];
	size_t n = 0;

	memset(tmp, 0, sizeof(tmp));
	for (size_t i = 0; i < br->nkeys; i++)
		tmp[i].total = br->totals[i];
	ed_share_texts(b, tmp, br->nkeys, br->total);
	for (size_t i = 0; i < br->nkeys; i++)
		n += br->keys[i].kind != KEY_OTHER;
	b->ed->ports = ed_calloc(b, n, sizeof(*b->ed->ports));
	if (b->ed->ports == NULL)
		return;
	for (size_t i = 0; i < br->nkeys && !b->failed; i++) {
		struct ed_port_row *r = &b->ed->ports[b->ed->nports];
		const char *ex;
		char num[FMT_INT_MAX];

		if (br->keys[i].kind == KEY_OTHER)
			continue;
		b->ed->nports++;
		r->label = ed_key_label(b, &br->keys[i]);
		ex = catalog_port_explanation(b->o->cat, br->keys[i].proto,
		    br->keys[i].port);
		r->explanation = ed_strdup(b, ex ? ex : "");
		{
			const struct catalog_ref *refs;
			size_t nr = catalog_port_refs(b->o->cat,
			    br->keys[i].proto, br->keys[i].port, &refs);

			int ym = month_year(b->m->month) * 100 +
			    month_mon(b->m->month);

			/* only what was published by the end of the month:
			 * a bulletin does not cite its future */
			if (nr > 0 && (r->refs = ed_calloc(b, nr,
			    sizeof(*r->refs))) != NULL) {
				for (size_t k = 0; k < nr; k++) {
					if (!catalog_ref_published(&refs[k], ym))
						continue;
					r->refs[r->nrefs].title = ed_strdup(b,
					    refs[k].title);
					r->refs[r->nrefs].url = ed_strdup(b,
					    refs[k].url);
					r->nrefs++;
				}
			}
		}
		r->accesses = br->totals[i];
		snprintf(r->accesses_text, sizeof(r->accesses_text), "%s",
		    fmt_int(br->totals[i], num));
		r->share = br->shares[i];
		snprintf(r->share_text, sizeof(r->share_text), "%s",
		    tmp[i].share_text);
	}
}

static struct ed_row *
row_add(struct ed_build *b, size_t *cap, const char *label_key,
    enum ed_value_kind kind, const char *unit_key)
{
	struct edition *ed = b->ed;
	struct ed_row *r;

	if (b->failed)
		return NULL;
	if (ed->nsummary == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct ed_row *nr = realloc(ed->summary, nc * sizeof(*nr));

		if (nr == NULL) {
			b->failed = true;
			err_set(b->e, "out of memory building the edition");
			return NULL;
		}
		ed->summary = nr;
		*cap = nc;
	}
	r = &ed->summary[ed->nsummary++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->key = label_key;
	r->label = ed_expand(b, label_key, NULL, 0);
	if (unit_key != NULL)
		r->unit = ed_expand(b, unit_key, NULL, 0);
	return b->failed ? NULL : r;
}

/* "6/4～6/30" or none */
static char *
period_text(struct ed_build *b)
{
	const struct month_model *m = b->m;
	char mo[8], d1[8], d2[8];
	const char *name, *abbr;

	if (m->observed_first <= 0)
		return ed_strdup(b, ed_word(b, "word.none"));
	snprintf(mo, sizeof(mo), "%d", month_mon(m->month));
	snprintf(d1, sizeof(d1), "%d", m->observed_first);
	snprintf(d2, sizeof(d2), "%d", m->observed_last);
	ed_mon_names(b, month_mon(m->month), &name, &abbr);
	return ed_expand(b, "summary.period_value", (struct str_arg[]){
	    { "mon", mo }, { "first", d1 }, { "last", d2 },
	    { "mon_name", name }, { "mon_abbr", abbr } }, 5);
}

static void
summary(struct ed_build *b)
{
	const struct month_model *m = b->m;
	const struct month_summary *s = m->cur;
	size_t cap = 0;
	struct ed_row *r;
	static const char *const trend_keys[] = {
		[TREND_UNKNOWN] = "summary.trend_unknown",
		[TREND_FLAT] = "summary.trend_flat",
		[TREND_UP_GENTLE] = "summary.trend_up_gentle",
		[TREND_UP] = "summary.trend_up",
		[TREND_DOWN_GENTLE] = "summary.trend_down_gentle",
		[TREND_DOWN] = "summary.trend_down",
	};

	if ((r = row_add(b, &cap, "summary.month", ED_TEXT, NULL)))
		r->text = ed_strdup(b, b->month_text);
	if ((r = row_add(b, &cap, "summary.sensors", ED_COUNT, "unit.sensors")))
		r->count = s->sensors;
	if ((r = row_add(b, &cap, "summary.sensor_days", ED_COUNT,
	    "unit.sensor_days")))
		r->count = s->sensor_days;
	if ((r = row_add(b, &cap, "summary.missing_sensor_days", ED_COUNT,
	    "unit.sensor_days")))
		r->count = m->missing_sensor_days;
	if ((r = row_add(b, &cap, "summary.accesses", ED_COUNT, "unit.accesses")))
		r->count = s->total.accesses;
	if ((r = row_add(b, &cap, "summary.sources", ED_COUNT, "unit.sources")))
		r->count = s->total.sources;
	/* ingested months: the exact distinct sources of the whole month */
	if (m->has_unique && (r = row_add(b, &cap, "summary.unique_sources",
	    ED_COUNT, "summary.unique_sources_unit")))
		r->count = m->unique_sources;
	if ((r = row_add(b, &cap, "summary.accesses_per_sensor_day", ED_DECIMAL,
	    "unit.accesses")))
		r->value = s->accesses_per_sensor_day;
	if ((r = row_add(b, &cap, "summary.sources_per_sensor_day", ED_DECIMAL,
	    "unit.sources")))
		r->value = s->sources_per_sensor_day;
	if ((r = row_add(b, &cap, "summary.accesses_per_source", ED_DECIMAL,
	    "unit.accesses")))
		r->value = s->accesses_per_source;
	if ((r = row_add(b, &cap, "summary.period", ED_TEXT, NULL)))
		r->text = period_text(b);
	if ((r = row_add(b, &cap, "summary.missing_days", ED_TEXT, NULL)))
		r->text = ed_outage_list(b);
	if ((r = row_add(b, &cap, "summary.trend", ED_TEXT, NULL)))
		r->text = ed_strdup(b, ed_word(b, trend_keys[m->trend]));
	if ((r = row_add(b, &cap, "summary.trend_slope", ED_DECIMAL,
	    "unit.per_month")))
		r->value = m->trend_slope;
	if ((r = row_add(b, &cap, "summary.trend_relative", ED_SHARE,
	    "unit.per_month")))
		r->value = m->trend_relative;
}

static void
notable_rows(struct ed_build *b)
{
	const struct month_model *m = b->m;
	static const char *const heads[] = { "summary.n_port",
		"summary.n_prev", "summary.n_cur", "summary.n_ratio",
		"summary.n_ratio_text", "summary.n_dominant",
		"summary.n_dominant_share", "summary.n_chosen" };

	for (size_t i = 0; i < 8; i++)
		b->ed->notable_heads[i] = ed_expand(b, heads[i], NULL, 0);
	b->ed->notable = ed_calloc(b, m->nnotable, sizeof(*b->ed->notable));
	if (b->ed->notable == NULL)
		return;
	b->ed->nnotable = m->nnotable;
	for (size_t i = 0; i < m->nnotable && !b->failed; i++) {
		const struct notable *n = &m->notable[i];
		struct ed_notable_row *r = &b->ed->notable[i];

		r->label = ed_key_label(b, &n->key);
		r->prev = n->prev;
		r->cur = n->cur;
		r->ratio = n->ratio;
		r->ratio_text = ed_ratio_text(b, n);
		if (n->dominant.kind != KEY_OTHER && n->cur > 0) {
			r->dominant = ed_key_label(b, &n->dominant);
			r->dominant_share = n->dominant_share;
		}
		r->chosen = ed_expand(b, n->pinned ? "summary.chosen_pinned" :
		    "summary.chosen_auto", NULL, 0);
	}
}

/* "1e4:万 1e8:億 1e12:兆" → units; a pair may add :LABEL, what follows a
 * value in a data label ("1e6:millions:\" million\"", quoted for its
 * space), when it differs from the axis title's NAME */
static void
parse_units(struct ed_build *b, struct edition *ed)
{
	const char *p = ed_word(b, "scale.units");

	while (!b->failed && *p != '\0' && ed->nunits < 6) {
		char *end, *name, *label = NULL;
		double d;
		size_t n;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		d = strtod(p, &end);
		if (end == p || *end != ':' || !(d > 1)) {
			b->failed = true;
			err_set(b->e, "strings.conf: scale.units: expected DIVISOR:NAME pairs like 1e4:万");
			return;
		}
		p = end + 1;
		n = strcspn(p, " :");
		name = strndup(p, n);
		p += n;
		if (name != NULL && *p == ':') {
			const char *q;
			bool bad = false;

			p++;
			if (*p == '"') {
				/* quoted: up to the closing quote, which must
				 * end the pair */
				q = strchr(p + 1, '"');
				bad = q == NULL || (q[1] != ' ' && q[1] != '\0');
				if (!bad) {
					label = strndup(p + 1, (size_t)(q - p - 1));
					p = q + 1;
				}
			} else {
				n = strcspn(p, " ");
				label = strndup(p, n);
				p += n;
			}
			if (bad || label == NULL) {
				free(name);
				b->failed = true;
				err_set(b->e, bad ?
				    "strings.conf: scale.units: expected DIVISOR:NAME or DIVISOR:NAME:LABEL pairs like 1e4:万 or 1e6:millions:\" million\"" :
				    "out of memory");
				return;
			}
		}
		if (name == NULL) {
			b->failed = true;
			err_set(b->e, "out of memory");
			return;
		}
		ed->unit_names[ed->nunits] = name;
		ed->unit_labels[ed->nunits] = label;
		ed->units[ed->nunits].divisor = d;
		ed->units[ed->nunits].name = name;
		ed->units[ed->nunits].label = label;
		ed->nunits++;
	}
	ed->unit_open = ed_strdup(b, ed_word(b, "scale.open"));
	ed->unit_close = ed_strdup(b, ed_word(b, "scale.close"));
}

bool
edition_build(const struct month_model *m, const struct edition_opts *o,
    struct edition *ed, struct diag *warnings, struct err *e)
{
	struct ed_build b = { .m = m, .o = o, .ed = ed, .warnings = warnings,
		.e = e };
	struct str_arg args[4];

	memset(ed, 0, sizeof(*ed));
	if (m == NULL || m->cur == NULL)
		return err_set(e, "no month to describe");
	snprintf(ed->lang, sizeof(ed->lang), "%s",
	    strtab_has(o->strings, "lang") ?
	    strtab_get(o->strings, "lang", NULL) : "ja");
	ed->month = m->month;
	ed->date = o->date;
	b.list_sep = ed_word(&b, "format.list_sep");
	b.lt01 = ed_word(&b, "format.share_below");
	b.month_text = ed_month_text(&b, m->month);
	b.prev_text = ed_month_text(&b, m->month - 1);
	b.first_text = ed_month_text(&b, m->month - (MODEL_MONTHS - 1));
	for (int i = 0; i < ED_W_COUNT && !b.failed; i++)
		if (word_keys[i] != NULL)
			ed->words[i] = ed_strdup(&b, ed_word(&b, word_keys[i]));
	args[0] = (struct str_arg){ "month", b.month_text };
	args[1] = (struct str_arg){ "observatory", o->settings->observatory };
	args[2] = (struct str_arg){ "author", o->settings->author };
	ed->month_text = ed_strdup(&b, b.month_text);
	ed->title = ed_expand(&b, "title", args, 3);
	ed->subtitle = ed_expand(&b, "subtitle", args, 3);
	ed->header = ed_expand(&b, "header", args, 3);
	ed->doc_title = ed_expand(&b, "doc.title", args, 3);
	ed->doc_subject = ed_expand(&b, "doc.subject", args, 3);
	ed->page_format = ed_expand(&b, "format.page",
	    (struct str_arg[]){ { "page", "{{page}}" } }, 1);
	ed->date_text = b.failed ? NULL : date_text(&b, o->date);
	ed->author = ed_strdup(&b, o->settings->author);
	if (!b.failed) {
		args[3] = (struct str_arg){ "date", ed->date_text };
		ed->issued = ed_expand(&b, "title.issued", args, 4);
	}
	ed->publisher = ed_strdup(&b, o->settings->observatory);
	ed->font = ed_strdup(&b, o->settings->font);
	parse_units(&b, ed);
	if (!b.failed)
		ed_figures_build(&b);
	if (!b.failed)
		port_table(&b);
	if (!b.failed)
		summary(&b);
	if (!b.failed)
		notable_rows(&b);
	if (!b.failed)
		ed->markdown = ed_markdown(&b);
	free(b.month_text);
	free(b.prev_text);
	free(b.first_text);
	if (b.failed || ed->markdown == NULL) {
		edition_free(ed);
		return false;
	}
	return true;
}

void
edition_free(struct edition *ed)
{
	if (ed == NULL)
		return;
	for (size_t i = 0; i < ed->nfigures; i++)
		ed_figure_free(&ed->figures[i]);
	free(ed->figures);
	for (size_t i = 0; i < ed->nports; i++) {
		free(ed->ports[i].label);
		free(ed->ports[i].explanation);
		for (size_t k = 0; k < ed->ports[i].nrefs; k++) {
			free(ed->ports[i].refs[k].title);
			free(ed->ports[i].refs[k].url);
		}
		free(ed->ports[i].refs);
	}
	free(ed->ports);
	for (size_t i = 0; i < ed->nsummary; i++) {
		free(ed->summary[i].label);
		free(ed->summary[i].text);
		free(ed->summary[i].unit);
	}
	free(ed->summary);
	for (size_t i = 0; i < ed->nnotable; i++) {
		free(ed->notable[i].label);
		free(ed->notable[i].ratio_text);
		free(ed->notable[i].dominant);
		free(ed->notable[i].chosen);
	}
	free(ed->notable);
	for (size_t i = 0; i < 8; i++)
		free(ed->notable_heads[i]);
	for (int i = 0; i < ED_W_COUNT; i++)
		free(ed->words[i]);
	for (size_t i = 0; i < ed->nunits; i++) {
		free(ed->unit_names[i]);
		free(ed->unit_labels[i]);
	}
	free(ed->unit_open);
	free(ed->unit_close);
	free(ed->title);
	free(ed->subtitle);
	free(ed->month_text);
	free(ed->date_text);
	free(ed->issued);
	free(ed->author);
	free(ed->publisher);
	free(ed->header);
	free(ed->page_format);
	free(ed->doc_title);
	free(ed->doc_subject);
	free(ed->font);
	free(ed->markdown);
	memset(ed, 0, sizeof(*ed));
}

const char *
edition_file_name(month_t m, const char *lang, const char *ext, char *buf,
    size_t len)
{
	bool ja = lang == NULL || strcmp(lang, "ja") == 0;

	snprintf(buf, len, "talot-%04d-%02d%s%s.%s", month_year(m),
	    month_mon(m), ja ? "" : ".", ja ? "" : lang, ext);
	return buf;
}
