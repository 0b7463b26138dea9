#include "bulletin_xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "atomic.h"
#include "fmt.h"
#include "xlsx_lang.h"

/* Layout of a figure sheet: caption, note, header, data. */
#define ROW_CAPTION 0
#define ROW_NOTE 1
#define ROW_HEAD 2
#define ROW_DATA 3
#define SHEET_COLS_MAX 64
#define SHEET_NAME_MAX 31      /* characters, Excel's limit */
#define CAPTION_MAX 512

#define FMT_COUNT "#,##0"
#define FMT_PER_SENSOR "#,##0.0"
#define FMT_SHARE "0.0%"

/* The workbook being written and what every sheet needs. */
struct book {
	lxw_workbook *wb;
	const char *path;
	const struct edition *ed;      /* month workbook */
	lxw_format *f_caption, *f_note, *f_head, *f_text;
	lxw_format *f_count, *f_per_sensor, *f_share;
	lxw_format *f_total_label, *f_total_count, *f_total_share;
	lxw_format *f_wrap, *f_link, *f_top, *f_count_top, *f_share_top;
	lxw_format *f_day;             /* a date cell shown as a day ("m/d") */
	const char *font;              /* chart text, or NULL */
	const char *chart_lang;        /* "ja-JP" to rewrite the charts, or NULL */
	lxw_error lerr;                /* first libxlsxwriter error */
	const char *lerr_what;
	char index_names[32][128];     /* figure sheets for the summary index */
	char index_captions[32][CAPTION_MAX];
	size_t nindex;
};

/* One worksheet and the display width of each of its columns. */
struct sheet {
	struct book *bk;
	lxw_worksheet *ws;
	char name[128];
	double width[SHEET_COLS_MAX];
};

/* ---- errors ---- */

static void
fail(struct book *bk, lxw_error err, const char *what)
{
	if (err != LXW_NO_ERROR && bk->lerr == LXW_NO_ERROR) {
		bk->lerr = err;
		bk->lerr_what = what;
	}
}

/* ---- XML safety ---- */

/* Length of a character XML 1.0 cannot hold at p (C0 controls but tab and
 * line breaks, U+FFFE, U+FFFF), 0 for any other. */
static size_t
xml_bad_len(const unsigned char *p)
{
	if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
		return 1;
	if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
		return 3;
	return 0;
}

/* Every string given to libxlsxwriter passes here: s itself, or when it
 * holds characters XML cannot (libxlsxwriter writes them raw, and the
 * workbook no longer opens) a copy without them in *owned, which the
 * caller frees.  The catalogue and settings refuse control characters at
 * load; this keeps any that come another way out of the XML. */
static const char *
xml_text(struct book *bk, const char *s, char **owned)
{
	const unsigned char *p;
	char *d;
	size_t n = 0;

	*owned = NULL;
	if (s == NULL)
		return NULL;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (xml_bad_len(p) != 0)
			break;
	if (*p == '\0')
		return s;
	if ((d = malloc(strlen(s) + 1)) == NULL) {
		fail(bk, LXW_ERROR_MEMORY_MALLOC_FAILED, "cleaning text for XML");
		return "";
	}
	for (p = (const unsigned char *)s; *p != '\0'; ) {
		size_t k = xml_bad_len(p);

		if (k != 0)
			p += k;
		else
			d[n++] = (char)*p++;
	}
	d[n] = '\0';
	return *owned = d;
}

/* ---- text widths: full-width characters count 2, others 1 ---- */

static double
text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	double w = 0;

	while (*p != '\0') {
		uint32_t c;
		int len;

		if (*p < 0x80) {
			c = *p;
			len = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			c = *p & 0x1F;
			len = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			c = *p & 0x0F;
			len = 3;
		} else {
			c = *p & 0x07;
			len = 4;
		}
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80) {
				len = i;
				break;
			}
			c = (c << 6) | (p[i] & 0x3F);
		}
		p += len;
		/* East Asian wide and full-width; half-width katakana are 1 */
		if (c >= 0x1100 && !(c >= 0xFF61 && c <= 0xFF9F))
			w += 2;
		else
			w += 1;
	}
	return w;
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void
widen(struct sheet *sh, lxw_col_t col, double w)
{
	if (col < SHEET_COLS_MAX && w > sh->width[col])
		sh->width[col] = w;
}

/* ---- cells ---- */

/* Text is always a string cell, never a formula, whatever it starts with. */
static void
put_text(struct sheet *sh, lxw_row_t row, lxw_col_t col, const char *s,
    lxw_format *f)
{
	char *owned;

	s = xml_text(sh->bk, s, &owned);
	fail(sh->bk, worksheet_write_string(sh->ws, row, col, s, f),
	    "writing a text cell");
	widen(sh, col, text_width(s));
	free(owned);
}

/* Text that may overflow into empty neighbours (captions, notes). */
static void
put_wide_text(struct sheet *sh, lxw_row_t row, lxw_col_t col, const char *s,
    lxw_format *f)
{
	char *owned;

	s = xml_text(sh->bk, s, &owned);
	fail(sh->bk, worksheet_write_string(sh->ws, row, col, s, f),
	    "writing a text cell");
	free(owned);
}

static void
put_count(struct sheet *sh, lxw_row_t row, lxw_col_t col, int64_t v,
    lxw_format *f)
{
	char buf[FMT_INT_MAX];

	fail(sh->bk, worksheet_write_number(sh->ws, row, col, (double)v,
	    f ? f : sh->bk->f_count), "writing a number");
	widen(sh, col, text_width(fmt_int(v, buf)));
}

static void
put_per_sensor(struct sheet *sh, lxw_row_t row, lxw_col_t col, double v)
{
	char buf[FMT_INT_MAX];

	fail(sh->bk, worksheet_write_number(sh->ws, row, col, v,
	    sh->bk->f_per_sensor), "writing a number");
	widen(sh, col, text_width(fmt_round_int(v, buf)) + 2);
}

static void
put_share(struct sheet *sh, lxw_row_t row, lxw_col_t col, double v,
    lxw_format *f)
{
	fail(sh->bk, worksheet_write_number(sh->ws, row, col, v,
	    f ? f : sh->bk->f_share), "writing a number");
	widen(sh, col, 6);
}

/* A day as a date cell (the year in its value), shown in the edition's
 * day format; text where the workbook has no day format. */
static void
put_day(struct sheet *sh, lxw_row_t row, lxw_col_t col,
    const struct ed_cat *c)
{
	lxw_datetime dt = { .year = c->year, .month = c->mon, .day = c->day };

	if (sh->bk->f_day == NULL || c->year < 1900 || c->day < 1) {
		put_text(sh, row, col, c->label, sh->bk->f_text);
		return;
	}
	fail(sh->bk, worksheet_write_datetime(sh->ws, row, col, &dt,
	    sh->bk->f_day), "writing a date");
	widen(sh, col, text_width(c->label) + 1);
}

/* ---- sheets ---- */

/* Makes name a valid sheet name: no []:*?/\, no apostrophe at either end,
 * at most SHEET_NAME_MAX characters (UTF-8 aware). */
static void
sheet_name_clean(char *name)
{
	size_t chars = 0;
	char *p;

	for (p = name; *p != '\0'; p++)
		if (strchr("[]:*?/\\", *p) != NULL)
			*p = '-';
	for (p = name; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 &&
		    ++chars > SHEET_NAME_MAX) {
			*p = '\0';
			break;
		}
	}
	if (name[0] == '\'')
		name[0] = '-';
	if (name[0] != '\0' && name[strlen(name) - 1] == '\'')
		name[strlen(name) - 1] = '-';
}

static bool
sheet_open(struct book *bk, struct sheet *sh, const char *name)
{
	lxw_error err;

	memset(sh, 0, sizeof(*sh));
	sh->bk = bk;
	snprintf(sh->name, sizeof(sh->name), "%s", name);
	sheet_name_clean(sh->name);
	/* a second sheet of the same name (two ports with one label) */
	for (int i = 2; workbook_get_worksheet_by_name(bk->wb, sh->name) !=
	    NULL && i < 100; i++) {
		char suffix[8];
		size_t keep;

		snprintf(suffix, sizeof(suffix), " (%d)", i);
		snprintf(sh->name, sizeof(sh->name), "%s", name);
		sheet_name_clean(sh->name);
		/* drop whole characters until the suffix fits */
		while (utf8_chars(sh->name) + strlen(suffix) > SHEET_NAME_MAX) {
			keep = strlen(sh->name);
			while (keep > 0 && ((unsigned char)sh->name[keep - 1] &
			    0xC0) == 0x80)
				keep--;
			sh->name[keep > 0 ? keep - 1 : 0] = '\0';
		}
		strncat(sh->name, suffix, sizeof(sh->name) - strlen(sh->name) -
		    1);
	}
	{
		char *owned;
		const char *clean = xml_text(bk, sh->name, &owned);

		memmove(sh->name, clean, strlen(clean) + 1);
		free(owned);
	}
	err = workbook_validate_sheet_name(bk->wb, sh->name);
	if (err != LXW_NO_ERROR) {
		fail(bk, err, "naming a worksheet");
		return false;
	}
	sh->ws = workbook_add_worksheet(bk->wb, sh->name);
	if (sh->ws == NULL) {
		fail(bk, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a worksheet");
		return false;
	}
	return true;
}

/* Sets the column widths measured while writing. */
static void
sheet_close(struct sheet *sh)
{
	for (lxw_col_t c = 0; c < SHEET_COLS_MAX; c++) {
		double w = sh->width[c];

		if (w <= 0)
			continue;
		w += 2;
		if (w < 8)
			w = 8;
		if (w > 60)
			w = 60;
		fail(sh->bk, worksheet_set_column(sh->ws, c, c, w, NULL),
		    "setting a column width");
	}
}

/* Caption in A1, note in A2, frozen header row and first column. */
static void
sheet_caption(struct sheet *sh, const char *caption, const char *note)
{
	put_wide_text(sh, ROW_CAPTION, 0, caption, sh->bk->f_caption);
	if (note != NULL)
		put_wide_text(sh, ROW_NOTE, 0, note, sh->bk->f_note);
	worksheet_freeze_panes(sh->ws, ROW_DATA, 1);
	/* printed: A4 landscape, one page wide, header repeated */
	worksheet_set_paper(sh->ws, 9);
	worksheet_set_landscape(sh->ws);
	worksheet_fit_to_pages(sh->ws, 1, 0);
	fail(sh->bk, worksheet_repeat_rows(sh->ws, ROW_HEAD, ROW_HEAD),
	    "setting the printed header");
}

static void
sheet_filter(struct sheet *sh, lxw_row_t last_row, lxw_col_t last_col)
{
	fail(sh->bk, worksheet_autofilter(sh->ws, ROW_HEAD, 0,
	    last_row < ROW_HEAD ? ROW_HEAD : last_row, last_col),
	    "setting an autofilter");
}

static void
book_index_add(struct book *bk, const struct sheet *sh, const char *caption)
{
	if (bk->nindex >= sizeof(bk->index_names) / sizeof(bk->index_names[0]))
		return;
	snprintf(bk->index_names[bk->nindex], sizeof(bk->index_names[0]),
	    "%s", sh->name);
	snprintf(bk->index_captions[bk->nindex], CAPTION_MAX, "%s", caption);
	bk->nindex++;
}

/* ---- colours ---- */

static lxw_color_t
rgb_hex(struct chart_rgb c)
{
	long r = lround(c.r * 255), g = lround(c.g * 255), b = lround(c.b * 255);

	r = r < 0 ? 0 : r > 255 ? 255 : r;
	g = g < 0 ? 0 : g > 255 ? 255 : g;
	b = b < 0 ? 0 : b > 255 ? 255 : b;
	return (lxw_color_t)((r << 16) | (g << 8) | b);
}

/* ---- charts ---- */

static lxw_chart *
chart_new(struct book *bk, uint8_t type, const char *title)
{
	lxw_chart *ch = workbook_add_chart(bk->wb, type);
	lxw_chart_font font = { .size = 11, .bold = LXW_TRUE,
	    .name = (char *)bk->font };
	lxw_chart_font small = { .size = 9, .name = (char *)bk->font };
	char *owned;

	if (ch == NULL) {
		fail(bk, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a chart");
		return NULL;
	}
	chart_title_set_name(ch, xml_text(bk, title, &owned));
	free(owned);
	chart_title_set_name_font(ch, &font);
	chart_legend_set_font(ch, &small);
	chart_legend_set_position(ch, type == LXW_CHART_PIE ?
	    LXW_CHART_LEGEND_RIGHT : LXW_CHART_LEGEND_BOTTOM);
	return ch;
}

static void
chart_axes(struct book *bk, lxw_chart *ch, const char *x_name,
    const char *y_name, const char *y_format)
{
	lxw_chart_axis *x = chart_axis_get(ch, LXW_CHART_AXIS_TYPE_X);
	lxw_chart_axis *y = chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y);
	lxw_chart_font small = { .size = 9, .name = (char *)bk->font };

	if (x_name != NULL)
		chart_axis_set_name(x, x_name);
	chart_axis_set_name_font(x, &small);
	chart_axis_set_num_font(x, &small);
	if (y_name != NULL)
		chart_axis_set_name(y, y_name);
	chart_axis_set_name_font(y, &small);
	chart_axis_set_num_font(y, &small);
	if (y_format != NULL)
		chart_axis_set_num_format(y, y_format);
}

/* A series of values in column col, rows r0..r1, named by the header cell
 * above, categories in column cat_col. */
static lxw_chart_series *
chart_column_series(struct sheet *sh, lxw_chart *ch, lxw_row_t r0,
    lxw_row_t r1, lxw_col_t cat_col, lxw_col_t col, lxw_color_t color,
    bool line)
{
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);

	if (s == NULL) {
		fail(sh->bk, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a series");
		return NULL;
	}
	chart_series_set_categories(s, sh->name, r0, cat_col, r1, cat_col);
	chart_series_set_values(s, sh->name, r0, col, r1, col);
	/* the name from the header cell, so that a label is never a formula */
	chart_series_set_name_range(s, sh->name, ROW_HEAD, col);
	if (line) {
		lxw_chart_line ln = { .color = color, .width = 2.25 };
		lxw_chart_fill fl = { .color = color };

		chart_series_set_line(s, &ln);
		chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
		chart_series_set_marker_size(s, 6);
		chart_series_set_marker_fill(s, &fl);
		chart_series_set_marker_line(s, &ln);
	} else {
		lxw_chart_fill fl = { .color = color };
		lxw_chart_line ln = { .color = 0xFFFFFF, .width = 0.25 };

		chart_series_set_fill(s, &fl);
		chart_series_set_line(s, &ln);
	}
	return s;
}

static void
chart_place(struct sheet *sh, lxw_chart *ch, lxw_row_t row, lxw_col_t col,
    double xs, double ys)
{
	lxw_chart_options opt = { .x_scale = xs, .y_scale = ys };

	fail(sh->bk, worksheet_insert_chart_opt(sh->ws, row, col, ch, &opt),
	    "inserting a chart");
}

/* ---- the month workbook: one sheet per figure of the edition ---- */

static lxw_chart *
fig_chart_new(struct book *bk, uint8_t type, const char *title)
{
	return chart_new(bk, type, title);
}

/* A value cell: empty for NAN (an unobserved day, a month without data). */
static void
put_value(struct sheet *sh, lxw_row_t row, lxw_col_t col, double v)
{
	if (isfinite(v))
		put_per_sensor(sh, row, col, v);
}

/* Daily stacked figures (2.1.n, 2.2.x, 2.4.1/3): one row per day: date,
 * observed sensors, one column per series, total.  Chart: stacked columns. */
static void
write_daily(struct book *bk, const struct ed_figure *f)
{
	const struct edition *ed = bk->ed;
	struct sheet sh;
	lxw_row_t last;
	lxw_col_t col_total;
	lxw_chart *ch;
	size_t nk = f->nseries;

	if (!sheet_open(bk, &sh, f->sheet))
		return;
	book_index_add(bk, &sh, f->caption);
	sheet_caption(&sh, f->caption, f->note);
	put_text(&sh, ROW_HEAD, 0, ed->words[ED_W_DATE], bk->f_head);
	put_text(&sh, ROW_HEAD, 1, ed->words[ED_W_SENSORS], bk->f_head);
	for (size_t k = 0; k < nk; k++)
		put_text(&sh, ROW_HEAD, (lxw_col_t)(2 + k), f->series[k].label,
		    bk->f_head);
	col_total = (lxw_col_t)(2 + nk);
	put_text(&sh, ROW_HEAD, col_total, ed->words[ED_W_TOTAL], bk->f_head);
	for (size_t i = 0; i < f->ncat; i++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;
		double sum = 0;

		put_day(&sh, row, 0, &f->cats[i]);
		put_count(&sh, row, 1, f->cats[i].sensors, NULL);
		if (f->cats[i].missing)
			continue;    /* unobserved: empty cells, not 0 */
		for (size_t k = 0; k < nk; k++) {
			double v = f->series[k].values[i];

			put_value(&sh, row, (lxw_col_t)(2 + k), v);
			if (isfinite(v))
				sum += v;
		}
		put_per_sensor(&sh, row, col_total, sum);
	}
	last = ROW_DATA + (lxw_row_t)(f->ncat > 0 ? f->ncat - 1 : 0);
	sheet_filter(&sh, last, col_total);

	ch = fig_chart_new(bk, LXW_CHART_COLUMN_STACKED, f->caption);
	if (ch != NULL) {
		if (nk == 0)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    col_total, rgb_hex(chart_palette_other()), false);
		for (size_t k = 0; k < nk; k++)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    (lxw_col_t)(2 + k), rgb_hex(f->series[k].color),
			    false);
		chart_set_series_gap(ch, 40);
		chart_set_series_overlap(ch, 100);
		chart_axes(bk, ch, f->x_title, f->y_title, FMT_COUNT);
		/* a label a week over two months, every other day over one */
		chart_axis_set_interval_unit(chart_axis_get(ch,
		    LXW_CHART_AXIS_TYPE_X), f->ncat > 31 ? 7 : 2);
		if (bk->f_day != NULL)
			chart_axis_set_num_format(chart_axis_get(ch,
			    LXW_CHART_AXIS_TYPE_X), ed->words[ED_W_XLSX_DAY]);
		chart_place(&sh, ch, ROW_HEAD, col_total + 2, 2.0, 1.6);
	}
	sheet_close(&sh);
}

/* Pies (2.3.x, 2.4.2/4). */
static void
write_pie(struct book *bk, const struct ed_figure *f)
{
	const struct edition *ed = bk->ed;
	struct sheet sh;
	lxw_row_t last, row_total;
	lxw_chart *ch;
	size_t n = f->nseries, rank = 0;

	if (!sheet_open(bk, &sh, f->sheet))
		return;
	book_index_add(bk, &sh, f->caption);
	sheet_caption(&sh, f->caption, NULL);
	put_text(&sh, ROW_HEAD, 0, f->key_head, bk->f_head);
	put_text(&sh, ROW_HEAD, 1, f->value_head, bk->f_head);
	put_text(&sh, ROW_HEAD, 2, ed->words[ED_W_SHARE], bk->f_head);
	put_text(&sh, ROW_HEAD, 3, ed->words[ED_W_RANK], bk->f_head);
	for (size_t k = 0; k < n; k++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)k;

		put_text(&sh, row, 0, f->series[k].label, bk->f_text);
		put_count(&sh, row, 1, f->series[k].total, NULL);
		put_share(&sh, row, 2, f->series[k].share, NULL);
		if (!f->series[k].other)
			put_count(&sh, row, 3, (int64_t)++rank, NULL);
	}
	last = ROW_DATA + (lxw_row_t)(n > 0 ? n - 1 : 0);
	sheet_filter(&sh, last, 3);
	row_total = last + 2;
	put_text(&sh, row_total, 0, ed->words[ED_W_TOTAL], bk->f_total_label);
	put_count(&sh, row_total, 1, f->total, bk->f_total_count);
	put_share(&sh, row_total, 2, f->total > 0 ? 1.0 : 0.0,
	    bk->f_total_share);

	ch = fig_chart_new(bk, LXW_CHART_PIE, f->caption);
	if (ch != NULL) {
		lxw_chart_series *s = chart_column_series(&sh, ch, ROW_DATA,
		    last, 0, 1, 0, false);
		lxw_chart_fill *fills = calloc(n + 1, sizeof(*fills));
		lxw_chart_data_label *labels = calloc(n + 1, sizeof(*labels));
		lxw_chart_data_label **lp = calloc(n + 2, sizeof(*lp));
		lxw_chart_point *points = calloc(n + 1, sizeof(*points));
		lxw_chart_point **pp = calloc(n + 2, sizeof(*pp));
		lxw_chart_line line = { .color = 0xFFFFFF, .width = 0.75 };

		if (fills == NULL || points == NULL || pp == NULL) {
			if (bk->lerr == LXW_NO_ERROR) {
				bk->lerr = LXW_ERROR_MEMORY_MALLOC_FAILED;
				bk->lerr_what = "colouring pie slices";
			}
		} else {
			for (size_t k = 0; k < n; k++) {
				fills[k] = (lxw_chart_fill){
					.color = rgb_hex(f->series[k].color) };
				points[k] = (lxw_chart_point){
					.fill = &fills[k], .line = &line };
				pp[k] = &points[k];
			}
			pp[n] = NULL;
			if (s != NULL) {
				if (n > 0)
					fail(bk, chart_series_set_points(s, pp),
					    "colouring pie slices");
				/* the edition's shares (largest remainder, summing
				 * to 100.0, "<0.1%"), as on the PDF's pie */
				chart_series_set_labels(s);
				if (n > 0 && labels != NULL && lp != NULL) {
					for (size_t k = 0; k < n; k++) {
						labels[k] = (lxw_chart_data_label){
							.value = f->series[k].share_text };
						lp[k] = &labels[k];
					}
					lp[n] = NULL;
					fail(bk, chart_series_set_labels_custom(s, lp),
					    "labelling pie slices");
				}
				{
					lxw_chart_font lf = { .size = 9,
					    .name = (char *)bk->font };

					chart_series_set_labels_font(s, &lf);
				}
				chart_series_set_labels_position(s,
				    LXW_CHART_LABEL_POSITION_BEST_FIT);
				chart_series_set_labels_leader_line(s);
			}
		}
		free(labels);
		free(lp);
		free(fills);
		free(points);
		free(pp);
		chart_place(&sh, ch, ROW_HEAD, 5, 1.6, 1.6);
	}
	sheet_close(&sh);
}

/* Six-month shares (3.x): 100%-stacked columns. */
static void
write_shares(struct book *bk, const struct ed_figure *f)
{
	const struct edition *ed = bk->ed;
	struct sheet sh;
	lxw_row_t last = ROW_DATA + (lxw_row_t)(f->ncat ? f->ncat - 1 : 0);
	lxw_col_t col_total = (lxw_col_t)(1 + f->nseries), last_col;
	lxw_chart *ch;

	if (!sheet_open(bk, &sh, f->sheet))
		return;
	book_index_add(bk, &sh, f->caption);
	sheet_caption(&sh, f->caption, f->note);
	put_text(&sh, ROW_HEAD, 0, ed->words[ED_W_MONTH], bk->f_head);
	for (size_t k = 0; k < f->nseries; k++) {
		char head[512];

		put_text(&sh, ROW_HEAD, (lxw_col_t)(1 + k), f->series[k].label,
		    bk->f_head);
		snprintf(head, sizeof(head), "%s %s", f->series[k].label,
		    ed->words[ED_W_SHARE]);
		put_text(&sh, ROW_HEAD, (lxw_col_t)(col_total + 1 + k), head,
		    bk->f_head);
	}
	put_text(&sh, ROW_HEAD, col_total, ed->words[ED_W_TOTAL], bk->f_head);
	last_col = (lxw_col_t)(col_total + f->nseries);
	for (size_t i = 0; i < f->ncat; i++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;
		int64_t sum = 0;

		put_text(&sh, row, 0, f->cats[i].label, bk->f_text);
		if (f->cats[i].missing)
			continue;
		for (size_t k = 0; k < f->nseries; k++) {
			put_count(&sh, row, (lxw_col_t)(1 + k),
			    f->series[k].counts[i], NULL);
			put_share(&sh, row, (lxw_col_t)(col_total + 1 + k),
			    f->series[k].values[i] / 100.0, NULL);
			sum += f->series[k].counts[i];
		}
		put_count(&sh, row, col_total, sum, NULL);
	}
	sheet_filter(&sh, last, last_col);

	ch = fig_chart_new(bk, LXW_CHART_COLUMN_STACKED_PERCENT, f->caption);
	if (ch != NULL) {
		if (f->nseries == 0)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    col_total, rgb_hex(chart_palette_other()), false);
		for (size_t k = 0; k < f->nseries; k++)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    (lxw_col_t)(1 + k), rgb_hex(f->series[k].color),
			    false);
		chart_set_series_gap(ch, 60);
		chart_set_series_overlap(ch, 100);
		chart_axes(bk, ch, f->x_title, f->y_title, "0%");
		chart_place(&sh, ch, last + 2, 0, 1.6, 1.6);
	}
	sheet_close(&sh);
}

/* 図1.1: six months per sensor per day.  libxlsxwriter 1.1 has no
 * secondary axis, so the two measures are two line charts. */
static void
write_trend(struct book *bk, const struct ed_figure *f)
{
	const struct edition *ed = bk->ed;
	struct sheet sh;
	lxw_row_t last = ROW_DATA + (lxw_row_t)(f->ncat ? f->ncat - 1 : 0);
	const char *heads[8];

	if (f->nseries < 2 || !sheet_open(bk, &sh, f->sheet))
		return;
	book_index_add(bk, &sh, f->caption);
	sheet_caption(&sh, f->caption, f->note);
	/* six rows and two charts: printed on one page, not one page wide
	 * with the second chart cut across two */
	worksheet_fit_to_pages(sh.ws, 1, 1);
	heads[0] = ed->words[ED_W_MONTH];
	heads[1] = ed->words[ED_W_SENSORS];
	heads[2] = ed->words[ED_W_SENSOR_DAYS];
	heads[3] = f->series[0].label;
	heads[4] = f->series[1].label;
	heads[5] = f->y_title;
	heads[6] = f->y2_title;
	heads[7] = ed->words[ED_W_PER_SOURCE];
	for (size_t c = 0; c < 8; c++)
		put_text(&sh, ROW_HEAD, (lxw_col_t)c, heads[c], bk->f_head);
	for (size_t i = 0; i < f->ncat; i++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;

		put_text(&sh, row, 0, f->cats[i].label, bk->f_text);
		put_count(&sh, row, 1, f->cats[i].sensors, NULL);
		put_count(&sh, row, 2, f->cats[i].sensor_days, NULL);
		put_count(&sh, row, 3, f->series[0].counts[i], NULL);
		put_count(&sh, row, 4, f->series[1].counts[i], NULL);
		put_value(&sh, row, 5, f->series[0].values[i]);
		put_value(&sh, row, 6, f->series[1].values[i]);
		put_value(&sh, row, 7, f->cats[i].per_source);
	}
	sheet_filter(&sh, last, 7);
	for (int j = 0; j < 2; j++) {
		char title[CAPTION_MAX + 32];
		lxw_chart *ch;

		snprintf(title, sizeof(title), "%s (%s)", f->caption,
		    f->series[j].label);
		ch = fig_chart_new(bk, LXW_CHART_LINE, title);
		if (ch == NULL)
			continue;
		chart_column_series(&sh, ch, ROW_DATA, last, 0,
		    (lxw_col_t)(5 + j), rgb_hex(f->series[j].color), true);
		chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
		chart_axes(bk, ch, f->x_title, j == 0 ? f->y_title : f->y2_title,
		    FMT_COUNT);
		chart_axis_set_min(chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y), 0);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		chart_place(&sh, ch, last + 2 + (lxw_row_t)j * 22, 0, 1.5, 1.4);
	}
	sheet_close(&sh);
}

/* Column widths of the section 4 sheet: the explanation and each
 * reference wrap within them. */
#define PORTS_EXPL_W 50.0
#define PORTS_REF_W_MAX 100.0

/* Section 4: the month's top ports with their explanations and the
 * catalogue's advisories, one hyperlink cell each (the URLs were checked
 * by the catalogue: http or https, RFC 3986 characters).  A link does not
 * wrap, so the advisories of a port stand one under the other in column E,
 * each row naming its port (a filter on the port keeps them). */
static void
write_ports(struct book *bk)
{
	const struct edition *ed = bk->ed;
	struct sheet sh;
	double refw = 0;
	lxw_row_t row = ROW_DATA;
	bool any_ref = false;

	if (!sheet_open(bk, &sh, ed->words[ED_W_PORTS_SHEET]))
		return;
	book_index_add(bk, &sh, ed->words[ED_W_PORTS_SHEET]);
	sheet_caption(&sh, ed->words[ED_W_PORTS_SHEET], NULL);
	for (size_t i = 0; i < ed->nports; i++)
		any_ref = any_ref || ed->ports[i].nrefs > 0;
	put_text(&sh, ROW_HEAD, 0, ed->words[ED_W_TABLE_PORT], bk->f_head);
	put_text(&sh, ROW_HEAD, 1, ed->words[ED_W_TABLE_ACCESSES], bk->f_head);
	put_text(&sh, ROW_HEAD, 2, ed->words[ED_W_TABLE_SHARE], bk->f_head);
	put_text(&sh, ROW_HEAD, 3, ed->words[ED_W_TABLE_EXPLANATION], bk->f_head);
	if (any_ref)
		put_text(&sh, ROW_HEAD, 4, ed->words[ED_W_REFERENCES], bk->f_head);
	for (size_t i = 0; i < ed->nports; i++) {
		const struct ed_port_row *r = &ed->ports[i];
		const char *ex = r->explanation[0] ? r->explanation :
		    ed->words[ED_W_NO_EXPLANATION];
		double lines = ceil(text_width(ex) / (PORTS_EXPL_W - 2));

		put_text(&sh, row, 0, r->label, bk->f_top);
		put_count(&sh, row, 1, r->accesses, bk->f_count_top);
		put_share(&sh, row, 2, r->share, bk->f_share_top);
		put_wide_text(&sh, row, 3, ex, bk->f_wrap);
		/* the explanation wraps: the row as high as its lines */
		fail(bk, worksheet_set_row(sh.ws, row, 15.0 * fmax(lines, 1) +
		    3, NULL), "setting a row height");
		for (size_t k = 0; k < r->nrefs; k++) {
			char *owned;
			const char *title = xml_text(bk, r->refs[k].title, &owned);

			if (k > 0)
				put_text(&sh, ++row, 0, r->label, bk->f_top);
			fail(bk, worksheet_write_url_opt(sh.ws, row, 4,
			    r->refs[k].url, bk->f_link, title, NULL),
			    "writing a link");
			refw = fmax(refw, text_width(title));
			free(owned);
		}
		row++;
	}
	widen(&sh, 3, PORTS_EXPL_W - 2);
	if (ed->nports == 0)
		put_wide_text(&sh, row++, 0, ed->words[ED_W_NO_PORTS],
		    bk->f_text);
	sheet_filter(&sh, row - 1, any_ref ? 4 : 3);
	sheet_close(&sh);
	if (any_ref)
		fail(bk, worksheet_set_column(sh.ws, 4, 4, fmin(refw + 2,
		    PORTS_REF_W_MAX), NULL), "setting a column width");
}

/* The summary's columns: item, value, unit, and the notable table's 8 */
#define SUMMARY_LAST_COL 7

/* Text over the merged cells row:first..last, so that it prints within
 * the page's width instead of running past the last column. */
static void
merged_text(struct sheet *sh, lxw_row_t row, lxw_col_t first,
    lxw_col_t last, const char *s, lxw_format *f)
{
	char *owned;

	s = xml_text(sh->bk, s, &owned);
	fail(sh->bk, worksheet_merge_range(sh->ws, row, first, row, last, s, f),
	    "writing merged cells");
	free(owned);
}

/* Fills the summary sheet sh (opened first so that it is the first sheet,
 * filled last so that it lists the figure sheets). */
static void
write_summary(struct book *bk, struct sheet *shp)
{
	const struct edition *ed = bk->ed;
	struct sheet sh = *shp;
	char caption[CAPTION_MAX];
	lxw_row_t row;

	snprintf(caption, sizeof(caption), "%s", ed->doc_title);
	merged_text(&sh, ROW_CAPTION, 0, SUMMARY_LAST_COL, caption,
	    bk->f_caption);
	/* printed: A4, one page wide, the title within the printed width */
	worksheet_set_paper(sh.ws, 9);
	worksheet_fit_to_pages(sh.ws, 1, 0);
	put_text(&sh, ROW_HEAD, 0, ed->words[ED_W_SUMMARY_ITEM], bk->f_head);
	put_text(&sh, ROW_HEAD, 1, ed->words[ED_W_SUMMARY_VALUE], bk->f_head);
	put_text(&sh, ROW_HEAD, 2, ed->words[ED_W_SUMMARY_UNIT], bk->f_head);
	worksheet_freeze_panes(sh.ws, ROW_DATA, 0);
	row = ROW_DATA;
	for (size_t i = 0; i < ed->nsummary; i++, row++) {
		const struct ed_row *r = &ed->summary[i];

		put_text(&sh, row, 0, r->label, bk->f_text);
		switch (r->kind) {
		case ED_TEXT:
			put_text(&sh, row, 1, r->text, bk->f_text);
			break;
		case ED_COUNT:
			put_count(&sh, row, 1, r->count, NULL);
			break;
		case ED_DECIMAL:
			put_per_sensor(&sh, row, 1, r->value);
			break;
		case ED_SHARE:
			put_share(&sh, row, 1, r->value, NULL);
			break;
		}
		if (r->unit != NULL)
			put_text(&sh, row, 2, r->unit, bk->f_text);
	}

	/* notable ports */
	row++;
	put_wide_text(&sh, row++, 0, ed->words[ED_W_NOTABLE_HEAD],
	    bk->f_total_label);
	{
		lxw_row_t head = row;

		for (size_t c = 0; c < 8; c++)
			put_text(&sh, row, (lxw_col_t)c, ed->notable_heads[c],
			    bk->f_head);
		row++;
		for (size_t i = 0; i < ed->nnotable; i++, row++) {
			const struct ed_notable_row *n = &ed->notable[i];

			put_text(&sh, row, 0, n->label, bk->f_text);
			put_count(&sh, row, 1, n->prev, NULL);
			put_count(&sh, row, 2, n->cur, NULL);
			if (isfinite(n->ratio))
				put_per_sensor(&sh, row, 3, n->ratio);
			put_text(&sh, row, 4, n->ratio_text, bk->f_text);
			if (n->dominant != NULL) {
				put_text(&sh, row, 5, n->dominant, bk->f_text);
				put_share(&sh, row, 6, n->dominant_share, NULL);
			}
			put_text(&sh, row, 7, n->chosen, bk->f_text);
		}
		if (ed->nnotable == 0)
			put_text(&sh, row++, 0, ed->words[ED_W_NONE], bk->f_text);
		fail(bk, worksheet_autofilter(sh.ws, head, 0,
		    row > head + 1 ? row - 1 : head, 7), "setting an autofilter");
	}

	/* the figure sheets, linked */
	row++;
	put_wide_text(&sh, row++, 0, ed->words[ED_W_FIGURE_LIST],
	    bk->f_total_label);
	for (size_t i = 0; i < bk->nindex; i++, row++) {
		char url[192];
		char quoted[160];
		size_t q = 0;

		/* internal:'name'!A1 with ' doubled */
		for (const char *p = bk->index_names[i]; *p != '\0' &&
		    q + 2 < sizeof(quoted); p++) {
			if (*p == '\'')
				quoted[q++] = '\'';
			quoted[q++] = *p;
		}
		quoted[q] = '\0';
		snprintf(url, sizeof(url), "internal:'%s'!A1", quoted);
		fail(bk, worksheet_write_url_opt(sh.ws, row, 0, url, NULL,
		    bk->index_names[i], NULL), "writing a link");
		widen(&sh, 0, text_width(bk->index_names[i]));
		merged_text(&sh, row, 1, SUMMARY_LAST_COL, bk->index_captions[i],
		    bk->f_text);
	}
	sheet_close(&sh);
}

/* ---- the workbook ---- */

static void
book_formats(struct book *bk)
{
	lxw_workbook *wb = bk->wb;

	bk->f_caption = workbook_add_format(wb);
	format_set_bold(bk->f_caption);
	format_set_font_size(bk->f_caption, 12);
	bk->f_note = workbook_add_format(wb);
	format_set_font_size(bk->f_note, 9);
	format_set_font_color(bk->f_note, 0x595959);
	bk->f_head = workbook_add_format(wb);
	format_set_bold(bk->f_head);
	format_set_bg_color(bk->f_head, 0xE7EEF7);
	format_set_bottom(bk->f_head, LXW_BORDER_THIN);
	format_set_align(bk->f_head, LXW_ALIGN_CENTER);
	bk->f_text = workbook_add_format(wb);
	format_set_num_format(bk->f_text, "@");
	bk->f_count = workbook_add_format(wb);
	format_set_num_format(bk->f_count, FMT_COUNT);
	bk->f_per_sensor = workbook_add_format(wb);
	format_set_num_format(bk->f_per_sensor, FMT_PER_SENSOR);
	bk->f_share = workbook_add_format(wb);
	format_set_num_format(bk->f_share, FMT_SHARE);
	bk->f_total_label = workbook_add_format(wb);
	format_set_bold(bk->f_total_label);
	bk->f_total_count = workbook_add_format(wb);
	format_set_bold(bk->f_total_count);
	format_set_num_format(bk->f_total_count, FMT_COUNT);
	bk->f_wrap = workbook_add_format(wb);
	format_set_num_format(bk->f_wrap, "@");
	format_set_text_wrap(bk->f_wrap);
	format_set_align(bk->f_wrap, LXW_ALIGN_VERTICAL_TOP);
	bk->f_top = workbook_add_format(wb);
	format_set_num_format(bk->f_top, "@");
	format_set_align(bk->f_top, LXW_ALIGN_VERTICAL_TOP);
	bk->f_count_top = workbook_add_format(wb);
	format_set_num_format(bk->f_count_top, FMT_COUNT);
	format_set_align(bk->f_count_top, LXW_ALIGN_VERTICAL_TOP);
	bk->f_share_top = workbook_add_format(wb);
	format_set_num_format(bk->f_share_top, FMT_SHARE);
	format_set_align(bk->f_share_top, LXW_ALIGN_VERTICAL_TOP);
	bk->f_link = workbook_add_format(wb);
	format_set_font_color(bk->f_link, 0x0563C1);
	format_set_underline(bk->f_link, LXW_UNDERLINE_SINGLE);
	format_set_align(bk->f_link, LXW_ALIGN_VERTICAL_TOP);
	bk->f_total_share = workbook_add_format(wb);
	format_set_bold(bk->f_total_share);
	format_set_num_format(bk->f_total_share, FMT_SHARE);
}

/* The created date for libxlsxwriter: it reads 0 as "now" and has no
 * other way to write 1970-01-01T00:00:00Z, so 0 becomes one second later;
 * a date gmtime() cannot break down (its strftime would crash) becomes
 * 9999-12-31T23:59:59Z (render_date() refuses both beforehand). */
static time_t
created_date(time_t date)
{
	struct tm tm;

	if (date <= 0)
		return 1;
	if (date > (time_t)253402300799LL || gmtime_r(&date, &tm) == NULL)
		return (time_t)253402300799LL;
	return date;
}

/* The language tag of the chart text for edition language lang, or NULL
 * to keep libxlsxwriter's en-US. */
static const char *
chart_lang(const char *lang)
{
	return strcmp(lang, "ja") == 0 ? "ja-JP" : NULL;
}

static bool
book_begin(struct book *bk, struct atomic_file *af, const char *path,
    const char *title, const char *subject, const char *author, time_t date,
    struct err *e)
{
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE };
	lxw_doc_properties props = { 0 };
	char *owned_title, *owned_subject, *owned_author;

	/* libxlsxwriter opens the file by name when it closes the workbook:
	 * give it a name in a private folder */
	if (!atomic_begin_private(af, path, e))
		return false;
	bk->wb = workbook_new_opt(af->tmp, &opt);
	if (bk->wb == NULL) {
		atomic_abort(af);
		return err_set(e, "%s: cannot create the workbook", path);
	}
	book_formats(bk);
	props.title = (char *)xml_text(bk, title, &owned_title);
	props.subject = (char *)xml_text(bk, subject, &owned_subject);
	props.author = (char *)xml_text(bk, author, &owned_author);
	props.company = NULL;
	props.created = created_date(date);
	fail(bk, workbook_set_properties(bk->wb, &props),
	    "setting the document properties");
	free(owned_title);
	free(owned_subject);
	free(owned_author);
	return true;
}

/* libxlsxwriter prints its own "[ERROR]" lines on stderr; talot reports
 * the failure itself, in one line. */
static int
mute_stderr(void)
{
	int saved, nul;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && nul >= 0)
		dup2(nul, STDERR_FILENO);
	if (nul >= 0)
		close(nul);
	return saved;
}

static void
unmute_stderr(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* Closes the workbook into af's temporary file; commits it unless
 * pending (then the caller commits or aborts af). */
static bool
book_end(struct book *bk, struct atomic_file *af, bool pending,
    struct err *e)
{
	lxw_error err;
	int saved;

	if (bk->lerr != LXW_NO_ERROR) {
		err_set(e, "%s: %s: %s", bk->path, bk->lerr_what,
		    lxw_strerror(bk->lerr));
		lxw_workbook_free(bk->wb);
		bk->wb = NULL;
		atomic_abort(af);
		return false;
	}
	saved = mute_stderr();
	err = workbook_close(bk->wb);
	unmute_stderr(saved);
	bk->wb = NULL;
	if (err != LXW_NO_ERROR) {
		err_set(e, "%s: cannot write the workbook: %s", bk->path,
		    lxw_strerror(err));
		atomic_abort(af);
		return false;
	}
	/* libxlsxwriter writes chart text as en-US with a Latin font only */
	if (bk->chart_lang != NULL &&
	    !xlsx_chart_lang(af->tmp, bk->path, bk->chart_lang, bk->font, e)) {
		atomic_abort(af);
		return false;
	}
	return pending || atomic_commit(af, e);
}

static bool
month_book(const struct edition *ed, const char *path,
    struct atomic_file *keep, struct err *e)
{
	struct book bk = { .path = path, .ed = ed };
	struct atomic_file af = { 0 };
	struct sheet summary;
	bool have_summary;

	if (ed == NULL)
		return err_set(e, "%s: no month to write", path);
	if (!book_begin(&bk, &af, path, ed->doc_title, ed->doc_subject,
	    ed->author, ed->date, e))
		return false;
	bk.font = ed->font;
	bk.chart_lang = chart_lang(ed->lang);
	if (ed->words[ED_W_XLSX_DAY] != NULL &&
	    ed->words[ED_W_XLSX_DAY][0] != '\0' &&
	    (bk.f_day = workbook_add_format(bk.wb)) != NULL)
		format_set_num_format(bk.f_day, ed->words[ED_W_XLSX_DAY]);

	/* the summary first; it lists the figure sheets, so it is filled last */
	have_summary = sheet_open(&bk, &summary, ed->words[ED_W_SUMMARY_SHEET]);
	if (have_summary)
		worksheet_activate(summary.ws);
	for (size_t i = 0; i < ed->nfigures; i++) {
		const struct ed_figure *f = &ed->figures[i];

		switch (f->kind) {
		case ED_FIG_TREND:
			write_trend(&bk, f);
			break;
		case ED_FIG_DAILY:
			write_daily(&bk, f);
			break;
		case ED_FIG_PIE:
			write_pie(&bk, f);
			break;
		case ED_FIG_SHARES:
			write_shares(&bk, f);
			break;
		}
	}
	write_ports(&bk);
	if (have_summary)
		write_summary(&bk, &summary);
	if (keep == NULL)
		return book_end(&bk, &af, false, e);
	if (!book_end(&bk, &af, true, e))
		return false;
	*keep = af;
	return true;
}

bool
bulletin_xlsx_write(const struct edition *ed, const char *path,
    struct err *e)
{
	return month_book(ed, path, NULL, e);
}

bool
bulletin_xlsx_write_pending(const struct edition *ed, const char *path,
    struct atomic_file *af, struct err *e)
{
	return month_book(ed, path, af, e);
}

/* ---- the range workbook ---- */

/* The months sheet: one row per month, with line charts of the
 * per-sensor values and a column chart of the totals. */
static void
write_range_months(struct book *bk, const struct range_edition *red)
{
	const lxw_col_t ncols = RED_MONTH_COLS;
	struct sheet sh;
	lxw_row_t last = ROW_DATA + (lxw_row_t)red->nmonths - 1;
	lxw_chart *ch;

	if (!sheet_open(bk, &sh, red->months_sheet))
		return;
	worksheet_activate(sh.ws);
	sheet_caption(&sh, red->months_caption, red->months_note);
	for (lxw_col_t c = 0; c < ncols; c++)
		put_text(&sh, ROW_HEAD, c, red->heads[c], bk->f_head);
	for (size_t i = 0; i < red->nmonths; i++) {
		const struct red_month *rm = &red->months[i];
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;

		put_text(&sh, row, 0, rm->label, bk->f_text);
		put_count(&sh, row, 1, rm->sensors, NULL);
		put_count(&sh, row, 2, rm->sensor_days, NULL);
		put_count(&sh, row, 3, rm->accesses, NULL);
		put_count(&sh, row, 4, rm->sources, NULL);
		put_value(&sh, row, 5, rm->per_sensor_accesses);
		put_value(&sh, row, 6, rm->per_sensor_sources);
		put_value(&sh, row, 7, rm->per_source);
		for (size_t k = 0; k < RANGE_MONTH_TOP; k++) {
			if (rm->top_ports[k] != NULL)
				put_text(&sh, row, (lxw_col_t)(8 + k),
				    rm->top_ports[k], bk->f_text);
			if (rm->top_countries[k] != NULL)
				put_text(&sh, row, (lxw_col_t)(11 + k),
				    rm->top_countries[k], bk->f_text);
		}
	}
	sheet_filter(&sh, last, ncols - 1);
	for (int j = 0; j < 2; j++) {
		ch = chart_new(bk, LXW_CHART_LINE, j == 0 ? red->chart_accesses :
		    red->chart_sources);
		if (ch == NULL)
			continue;
		chart_column_series(&sh, ch, ROW_DATA, last, 0,
		    (lxw_col_t)(5 + j), rgb_hex(chart_palette((size_t)j)),
		    true);
		chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
		chart_axes(bk, ch, red->axis_month, j == 0 ? red->axis_accesses :
		    red->axis_sources, FMT_COUNT);
		chart_axis_set_min(chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y), 0);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		chart_place(&sh, ch, last + 2 + (lxw_row_t)j * 22, 0, 1.5, 1.4);
	}
	ch = chart_new(bk, LXW_CHART_COLUMN, red->chart_totals);
	if (ch != NULL) {
		chart_column_series(&sh, ch, ROW_DATA, last, 0, 3,
		    rgb_hex(chart_palette(0)), false);
		chart_column_series(&sh, ch, ROW_DATA, last, 0, 4,
		    rgb_hex(chart_palette(1)), false);
		chart_axes(bk, ch, red->axis_month, red->axis_count, FMT_COUNT);
		chart_place(&sh, ch, last + 2 + 44, 0, 1.5, 1.4);
	}
	sheet_close(&sh);
}

/* A monthly table of the range (months × keys) with a stacked column
 * chart. */
static void
write_range_table(struct book *bk, const struct range_edition *red,
    const struct red_table *t)
{
	struct sheet sh;
	lxw_row_t last = ROW_DATA + (lxw_row_t)red->nmonths - 1;
	lxw_col_t col_total = (lxw_col_t)(1 + t->nkeys);
	lxw_chart *ch;

	if (!sheet_open(bk, &sh, t->sheet))
		return;
	sheet_caption(&sh, t->caption, t->note);
	put_text(&sh, ROW_HEAD, 0, red->heads[0], bk->f_head);
	for (size_t k = 0; k < t->nkeys; k++)
		put_text(&sh, ROW_HEAD, (lxw_col_t)(1 + k), t->keys[k],
		    bk->f_head);
	put_text(&sh, ROW_HEAD, col_total, red->head_total, bk->f_head);
	for (size_t i = 0; i < red->nmonths; i++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;

		put_text(&sh, row, 0, red->months[i].label, bk->f_text);
		if (!red->months[i].has_data)
			continue;
		for (size_t k = 0; k < t->nkeys; k++)
			put_count(&sh, row, (lxw_col_t)(1 + k),
			    t->values[i * t->stride + t->cols[k]], NULL);
		put_count(&sh, row, col_total, t->totals[i], NULL);
	}
	sheet_filter(&sh, last, col_total);
	ch = chart_new(bk, LXW_CHART_COLUMN_STACKED, t->caption);
	if (ch != NULL) {
		if (t->nkeys == 0)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    col_total, rgb_hex(chart_palette_other()), false);
		for (size_t k = 0; k < t->nkeys; k++)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    (lxw_col_t)(1 + k), rgb_hex(t->colors[k]), false);
		chart_set_series_gap(ch, 50);
		chart_set_series_overlap(ch, 100);
		chart_axes(bk, ch, red->axis_month, t->y_title, FMT_COUNT);
		chart_place(&sh, ch, last + 2, 0, 2.0, 1.6);
	}
	sheet_close(&sh);
}

bool
bulletin_xlsx_write_range(const struct range_edition *red, const char *path,
    struct err *e)
{
	struct book bk = { .path = path };
	struct atomic_file af = { 0 };

	if (red == NULL || red->nmonths == 0)
		return err_set(e, "%s: no months to write", path);
	if (!book_begin(&bk, &af, path, red->title, red->subject, red->author,
	    red->date, e))
		return false;
	bk.font = red->font;
	bk.chart_lang = chart_lang(red->lang);
	write_range_months(&bk, red);
	for (int t = 0; t < 4; t++)
		write_range_table(&bk, red, &red->tables[t]);
	return book_end(&bk, &af, false, e);
}
