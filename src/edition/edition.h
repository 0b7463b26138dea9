/* edition.h — one month's bulletin, described once for every renderer.
 *
 * An edition holds every word and every figure of a bulletin: the title
 * block, the body text (Markdown expanded from the template, with every
 * sentence and every figure reference), the figures with their labelled,
 * coloured series and values, the port table of section 4 and the summary
 * rows of the workbook.  It is built once from the month model, the
 * catalogue, the settings and the language's strings (edition_build) and
 * then handed to renderers (PDF, XLSX, …), which read nothing else: no
 * store, no template, no environment.  A renderer is one file with one
 * entry point taking `const struct edition *`; a language is a folder of
 * templates and strings.
 *
 * The figures come from one table of figure definitions (figures.c): id,
 * kind, what they break down and measure, and the string keys of caption,
 * sheet name and axis titles.
 */
#ifndef TALOT_EDITION_H
#define TALOT_EDITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "catalog.h"
#include "chart.h"
#include "err.h"
#include "model.h"
#include "settings.h"
#include "strtab.h"

enum ed_fig_kind {
	ED_FIG_TREND,     /* lines over six months, two measures, two axes */
	ED_FIG_DAILY,     /* stacked columns over the days of M (or M-1 and M) */
	ED_FIG_PIE,       /* shares of the month's total */
	ED_FIG_SHARES,    /* 100 %-stacked columns over six months */
};

/* A category of a figure: a day or a month. */
struct ed_cat {
	char label[32];        /* "6/4" or "2007年1月" */
	int year, mon, day;    /* day 0 for a month */
	int sensors;           /* observed sensors that day (days), or in that month */
	int64_t sensor_days;   /* months: observed sensor-days (N) */
	double per_source;     /* months: accesses per source (NAN if none) */
	bool missing;          /* unobserved day, or month without data */
};

struct ed_series {
	char *label;           /* "135/tcp", "中国", "その他", "アクセス数" */
	struct chart_rgb color;
	bool other;            /* the remainder (その他) */
	bool right_axis;       /* ED_FIG_TREND: drawn against the right axis */
	double *values;        /* ncat values: per observed sensor (daily,
	                        * trend), percent (shares); NAN = none */
	int64_t *counts;       /* ncat counts behind values (shares: the
	                        * month's sum), or NULL */
	int64_t total;         /* pie: the key's monthly sum */
	double share;          /* pie: total / figure total */
	char share_text[32];   /* pie: "26.9%", "<0.1%" (sums to 100.0) */
};

struct ed_figure {
	char id[32];           /* "fig-2.3.1", "fig-notable-1" */
	char number[16];       /* "2.3.1" */
	enum ed_fig_kind kind;
	char *caption;         /* "図 2.3.1 2007年6月の…比率" */
	char *sheet;           /* workbook sheet name */
	char *y_title;         /* left axis title with unit */
	char *y2_title;        /* right axis title (trend) or NULL */
	char *x_title;         /* "日付" / "月" */
	char *key_head;        /* table column of the keys: "宛先(ポート種類)" */
	char *value_head;      /* table column of the values: "アクセス数" */
	char *note;            /* a note under the table (workbook), or NULL */
	char *alt;             /* a short text alternative: "445/tcp 26.9%, …" */
	size_t ncat;
	struct ed_cat *cats;
	size_t nseries;
	struct ed_series *series;
	int64_t total;         /* the figure's whole (pie) */
	int separator;         /* draw a separator after this category; -1 none */
	char pair[32];         /* id of the figure shown beside it (same
	                        * geometry and scale), or "" */
	bool integer_values;   /* trend: value labels as integers */
};

/* An advisory about a port (references.csv): a title and an http(s) URL
 * made of RFC 3986 characters only (catalog_url_problem() passed). */
struct ed_ref {
	char *title;
	char *url;
};

/* A row of the section 4 table. */
struct ed_port_row {
	char *label;           /* "135/tcp" */
	char *explanation;     /* catalogue text or "" */
	size_t nrefs;
	struct ed_ref *refs;   /* the catalogue's advisories, in order */
	int64_t accesses;
	char accesses_text[32];
	double share;
	char share_text[32];
};

/* A row of the workbook's summary. */
enum ed_value_kind { ED_TEXT, ED_COUNT, ED_DECIMAL, ED_SHARE };
struct ed_row {
	const char *key;       /* the label's strings key ("summary.accesses"),
	                        * static: lets renderers find a row */
	char *label;
	enum ed_value_kind kind;
	char *text;            /* ED_TEXT */
	int64_t count;         /* ED_COUNT */
	double value;          /* ED_DECIMAL, ED_SHARE */
	char *unit;            /* or NULL */
};

/* The words renderers need that are not part of one figure. */
enum ed_word {
	ED_W_OTHER,            /* その他 */
	ED_W_NO_DATA,          /* データなし */
	ED_W_MISSING,          /* 欠測 */
	ED_W_TABLE_PORT,       /* table heads of section 4 */
	ED_W_TABLE_EXPLANATION,
	ED_W_TABLE_ACCESSES,
	ED_W_TABLE_SHARE,
	ED_W_DATE,             /* "日付" */
	ED_W_SENSORS,          /* "観測点数" */
	ED_W_TOTAL,            /* "合計" */
	ED_W_SHARE,            /* "比率" */
	ED_W_RANK,             /* "順位" */
	ED_W_MONTH,            /* "月" */
	ED_W_SUMMARY_SHEET,    /* "概要" */
	ED_W_SUMMARY_ITEM,     /* "項目" */
	ED_W_SUMMARY_VALUE,    /* "値" */
	ED_W_SUMMARY_UNIT,     /* "単位・注" */
	ED_W_NOTABLE_HEAD,     /* "注目ポート(…)" */
	ED_W_FIGURE_LIST,      /* "図の一覧" */
	ED_W_NONE,             /* "なし" */
	ED_W_NO_EXPLANATION,   /* "(解説なし)" */
	ED_W_NO_PORTS,         /* section 4 without ports */
	ED_W_SENSOR_DAYS,      /* "観測点・日数" */
	ED_W_PER_SOURCE,       /* "発信元1件あたりのアクセス数" */
	ED_W_CAPTION_OPEN,     /* "【" before a caption on paper */
	ED_W_CAPTION_CLOSE,    /* "】" after it */
	ED_W_NOBREAK,          /* terms a line never breaks inside (PDF) */
	ED_W_REFERENCES,       /* "参考情報" */
	ED_W_PORTS_SHEET,      /* the workbook sheet of the section 4 table */
	ED_W_XLSX_DAY,         /* the workbook's number format of a day: "m/d" */
	ED_W_LANG_NAME,        /* the language's own name: "日本語", "English" */
	ED_W_COUNT
};

struct ed_notable_row {
	char *label;
	int64_t prev, cur;
	double ratio;           /* NAN when not a ratio (new port) */
	char *ratio_text;
	char *dominant;         /* or NULL */
	double dominant_share;
	char *chosen;           /* "自動" / "テンプレート指定" */
};

struct edition {
	char lang[8];           /* "ja" */
	month_t month;
	time_t date;            /* publication date (SOURCE_DATE_EPOCH) */
	char *title;            /* インターネット定点観測での観測状況について */
	char *subtitle;         /* TALOT2 2007年6月の観測結果 */
	char *month_text;       /* 2007年6月 */
	char *date_text;        /* 発行日 */
	char *issued;           /* title block: "2007年7月1日発行 talot 観測チーム" */
	char *author;
	char *publisher;        /* observatory */
	char *header;           /* running header */
	char *page_format;      /* "– {{page}} –"; "{{page}}" replaced by the number */
	char *doc_title;        /* metadata title */
	char *doc_subject;      /* metadata subject */
	char *font;             /* font family */
	char *markdown;         /* the body */
	size_t nfigures;
	struct ed_figure *figures;
	size_t nports;
	struct ed_port_row *ports;
	size_t nsummary;
	struct ed_row *summary;
	size_t nnotable;
	struct ed_notable_row *notable;
	char *notable_heads[8];
	char *words[ED_W_COUNT];
	/* units for large values on chart axes: 万/億/兆, thousands/millions */
	size_t nunits;
	struct chart_unit units[6];
	char *unit_names[6], *unit_labels[6];
	char *unit_open, *unit_close;
};

struct edition_opts {
	const char *template_dir;   /* bulletin.md, contact.md, strings.conf */
	const struct strtab *strings;
	const struct settings *settings;
	const struct catalog *cat;
	const char *notes_md;       /* analyst commentary or NULL */
	const char *notes_name;
	time_t date;
};

/* Builds the edition of model m.  warnings collects catalogue gaps.  false
 * with e naming the template file and line, or the missing string. */
bool edition_build(const struct month_model *m, const struct edition_opts *o,
    struct edition *ed, struct diag *warnings, struct err *e);
void edition_free(struct edition *ed);

/* True if talot:ID (id[0..n)) names a figure or the port table that a
 * template or the notes may place. */
bool edition_figure_known(const char *id, size_t n);

/* The figure with this id, or NULL. */
const struct ed_figure *edition_figure(const struct edition *ed,
    const char *id);

/* "talot-2007-06" (+ ".en" for another language than ja) + ext: the one
 * place an output file name is made.  Writes into buf. */
const char *edition_file_name(month_t m, const char *lang, const char *ext,
    char *buf, size_t len);

#endif
