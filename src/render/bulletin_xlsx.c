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
#include "labels.h"

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
	const struct catalog *cat;
	struct diag *warnings;
	const struct month_model *m;   /* month workbook: colours */
	const struct range_model *r;   /* range workbook: colours */
	lxw_format *f_caption, *f_note, *f_head, *f_text;
	lxw_format *f_count, *f_per_sensor, *f_share;
	lxw_format *f_total_label, *f_total_count, *f_total_share;
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

/* ---- keys: labels and colours ---- */

static const char *
key_text(struct book *bk, const struct key *k, char *buf, size_t len)
{
	return label_key(bk->cat, k, buf, len, bk->warnings);
}

static lxw_color_t
rgb_hex(struct chart_rgb c)
{
	long r = lround(c.r * 255), g = lround(c.g * 255), b = lround(c.b * 255);

	r = r < 0 ? 0 : r > 255 ? 255 : r;
	g = g < 0 ? 0 : g > 255 ? 255 : g;
	b = b < 0 ? 0 : b > 255 ? 255 : b;
	return (lxw_color_t)((r << 16) | (g << 8) | b);
}

static lxw_color_t
key_color(const struct book *bk, const struct key *k)
{
	if (bk->m != NULL)
		return rgb_hex(label_color(bk->m, k));
	if (bk->r != NULL) {
		int slot = range_color_slot(bk->r, k);

		if (slot >= 0)
			return rgb_hex(chart_palette((size_t)slot));
	}
	return rgb_hex(chart_palette_other());
}

/* ---- charts ---- */

static lxw_chart *
chart_new(struct book *bk, uint8_t type, const char *title)
{
	lxw_chart *ch = workbook_add_chart(bk->wb, type);
	lxw_chart_font font = { .size = 11, .bold = LXW_TRUE };
	char *owned;

	if (ch == NULL) {
		fail(bk, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a chart");
		return NULL;
	}
	chart_title_set_name(ch, xml_text(bk, title, &owned));
	free(owned);
	chart_title_set_name_font(ch, &font);
	chart_legend_set_position(ch, type == LXW_CHART_PIE ?
	    LXW_CHART_LEGEND_RIGHT : LXW_CHART_LEGEND_BOTTOM);
	return ch;
}

static void
chart_axes(lxw_chart *ch, const char *x_name, const char *y_name,
    const char *y_format)
{
	lxw_chart_axis *x = chart_axis_get(ch, LXW_CHART_AXIS_TYPE_X);
	lxw_chart_axis *y = chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y);
	lxw_chart_font small = { .size = 9 };

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

/* ---- daily stacked tables (2.1.n, 2.2.x, 2.4.1/3) ---- */

/* One row per day: date, observed sensors, one column per key (values
 * per observed sensor; empty on an unobserved day), total.  daily[k *
 * ncols_days + i].  Chart: stacked columns, one series per key. */
struct daily_fig {
	const char *sheet;
	const char *caption;
	const char *note;
	const char *y_name;
	size_t nkeys;
	const struct key *keys;
	const double *daily;
	int ndays;                    /* rows */
	const month_t *row_month;     /* month of each row */
	const int *row_day;           /* day of each row */
	const int *row_sensors;       /* observed sensors of each row */
};

static void
write_daily(struct book *bk, const struct daily_fig *f)
{
	struct sheet sh;
	char buf[LABEL_MAX];
	lxw_row_t last;
	lxw_col_t col_total;
	lxw_chart *ch;
	size_t nk = f->nkeys;

	if (!sheet_open(bk, &sh, f->sheet))
		return;
	book_index_add(bk, &sh, f->caption);
	sheet_caption(&sh, f->caption, f->note);
	put_text(&sh, ROW_HEAD, 0, "日付", bk->f_head);
	put_text(&sh, ROW_HEAD, 1, "観測点数", bk->f_head);
	for (size_t k = 0; k < nk; k++)
		put_text(&sh, ROW_HEAD, (lxw_col_t)(2 + k),
		    key_text(bk, &f->keys[k], buf, sizeof(buf)), bk->f_head);
	col_total = (lxw_col_t)(2 + nk);
	put_text(&sh, ROW_HEAD, col_total, "合計", bk->f_head);
	for (int i = 0; i < f->ndays; i++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;
		double sum = 0;

		snprintf(buf, sizeof(buf), "%d/%d", month_mon(f->row_month[i]),
		    f->row_day[i]);
		put_text(&sh, row, 0, buf, bk->f_text);
		put_count(&sh, row, 1, f->row_sensors[i], NULL);
		if (f->row_sensors[i] <= 0)
			continue;    /* unobserved: empty cells, not 0 */
		for (size_t k = 0; k < nk; k++) {
			double v = f->daily[k * (size_t)f->ndays + (size_t)i];

			put_per_sensor(&sh, row, (lxw_col_t)(2 + k), v);
			sum += v;
		}
		put_per_sensor(&sh, row, col_total, sum);
	}
	last = ROW_DATA + (lxw_row_t)(f->ndays > 0 ? f->ndays - 1 : 0);
	sheet_filter(&sh, last, col_total);

	ch = chart_new(bk, LXW_CHART_COLUMN_STACKED, f->caption);
	if (ch != NULL) {
		if (nk == 0)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    col_total, key_color(bk, &(struct key){ .kind =
			    KEY_OTHER }), false);
		for (size_t k = 0; k < nk; k++)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    (lxw_col_t)(2 + k), key_color(bk, &f->keys[k]),
			    false);
		chart_set_series_gap(ch, 40);
		chart_set_series_overlap(ch, 100);
		chart_axes(ch, "日付", f->y_name, FMT_COUNT);
		/* a label a week over two months, every other day over one */
		chart_axis_set_interval_unit(chart_axis_get(ch,
		    LXW_CHART_AXIS_TYPE_X), f->ndays > 31 ? 7 : 2);
		chart_place(&sh, ch, ROW_HEAD, col_total + 2, 2.0, 1.6);
	}
	sheet_close(&sh);
}

static void
write_breakdown_daily(struct book *bk, const struct month_model *m,
    const struct breakdown *b, const char *sheet, const char *caption,
    const char *y_name)
{
	month_t months[31];
	int days[31], sensors[31];
	struct daily_fig f = {
		.sheet = sheet, .caption = caption,
		.note = "値は1観測点あたり(その日に観測した観測点数で割った値)。観測点数が0の日は未観測のため空欄。",
		.y_name = y_name, .nkeys = b->nkeys, .keys = b->keys,
		.daily = b->daily, .ndays = b->ndays, .row_month = months,
		.row_day = days, .row_sensors = sensors,
	};

	for (int i = 0; i < b->ndays && i < 31; i++) {
		months[i] = m->month;
		days[i] = i + 1;
		sensors[i] = m->sensors_per_day[i + 1];
	}
	if (f.ndays > 31)
		f.ndays = 31;
	write_daily(bk, &f);
}

/* ---- pies (2.3.x, 2.4.2/4) ---- */

static void
write_pie(struct book *bk, const struct breakdown *b, const char *sheet,
    const char *caption, const char *key_head, const char *value_head)
{
	struct sheet sh;
	char buf[LABEL_MAX];
	lxw_row_t last, row_total;
	lxw_chart *ch;
	size_t n = b->nkeys;

	if (!sheet_open(bk, &sh, sheet))
		return;
	book_index_add(bk, &sh, caption);
	sheet_caption(&sh, caption, NULL);
	put_text(&sh, ROW_HEAD, 0, key_head, bk->f_head);
	put_text(&sh, ROW_HEAD, 1, value_head, bk->f_head);
	put_text(&sh, ROW_HEAD, 2, "比率", bk->f_head);
	put_text(&sh, ROW_HEAD, 3, "順位", bk->f_head);
	for (size_t k = 0; k < n; k++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)k;

		put_text(&sh, row, 0, key_text(bk, &b->keys[k], buf,
		    sizeof(buf)), bk->f_text);
		put_count(&sh, row, 1, b->totals[k], NULL);
		put_share(&sh, row, 2, b->shares[k], NULL);
		if (b->keys[k].kind != KEY_OTHER)
			put_count(&sh, row, 3, (int64_t)k + 1, NULL);
	}
	last = ROW_DATA + (lxw_row_t)(n > 0 ? n - 1 : 0);
	sheet_filter(&sh, last, 3);
	row_total = last + 2;
	put_text(&sh, row_total, 0, "合計", bk->f_total_label);
	put_count(&sh, row_total, 1, b->total, bk->f_total_count);
	put_share(&sh, row_total, 2, b->total > 0 ? 1.0 : 0.0,
	    bk->f_total_share);

	ch = chart_new(bk, LXW_CHART_PIE, caption);
	if (ch != NULL) {
		lxw_chart_series *s = chart_column_series(&sh, ch, ROW_DATA,
		    last, 0, 1, 0, false);
		lxw_chart_fill fills[MODEL_TOP + 1];
		lxw_chart_line line = { .color = 0xFFFFFF, .width = 0.75 };
		lxw_chart_point points[MODEL_TOP + 1];
		lxw_chart_point *pp[MODEL_TOP + 2];

		for (size_t k = 0; k < n; k++) {
			fills[k] = (lxw_chart_fill){
				.color = key_color(bk, &b->keys[k]) };
			points[k] = (lxw_chart_point){ .fill = &fills[k],
				.line = &line };
			pp[k] = &points[k];
		}
		pp[n] = NULL;
		if (s != NULL) {
			if (n > 0)
				fail(bk, chart_series_set_points(s, pp),
				    "colouring pie slices");
			chart_series_set_labels_num_format(s, FMT_SHARE);
			chart_series_set_labels_options(s, LXW_FALSE,
			    LXW_FALSE, LXW_FALSE);
			chart_series_set_labels_percentage(s);
			chart_series_set_labels_position(s,
			    LXW_CHART_LABEL_POSITION_BEST_FIT);
			chart_series_set_labels_leader_line(s);
		}
		chart_place(&sh, ch, ROW_HEAD, 5, 1.6, 1.6);
	}
	sheet_close(&sh);
}

/* ---- six-month shares (3.x): 100%-stacked columns ---- */

static void
write_six(struct book *bk, const struct month_model *m,
    const struct six_shares *t, const char *sheet, const char *caption,
    const char *y_name)
{
	struct sheet sh;
	char buf[LABEL_MAX];
	lxw_row_t last = ROW_DATA + MODEL_MONTHS - 1;
	lxw_col_t col_total = (lxw_col_t)(1 + t->nkeys), last_col;
	lxw_chart *ch;

	if (!sheet_open(bk, &sh, sheet))
		return;
	book_index_add(bk, &sh, caption);
	sheet_caption(&sh, caption, "左は月ごとの件数(合計)、右は各月の合計に対する比率。データのない月は空欄。");
	put_text(&sh, ROW_HEAD, 0, "月", bk->f_head);
	for (size_t k = 0; k < t->nkeys; k++) {
		char head[LABEL_MAX + 16];

		key_text(bk, &t->keys[k], buf, sizeof(buf));
		put_text(&sh, ROW_HEAD, (lxw_col_t)(1 + k), buf, bk->f_head);
		snprintf(head, sizeof(head), "%s 比率", buf);
		put_text(&sh, ROW_HEAD, (lxw_col_t)(col_total + 1 + k), head,
		    bk->f_head);
	}
	put_text(&sh, ROW_HEAD, col_total, "合計", bk->f_head);
	last_col = (lxw_col_t)(col_total + t->nkeys);
	for (int i = 0; i < MODEL_MONTHS; i++) {
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;
		const struct month_summary *s = &m->six[i];
		int64_t sum = 0;

		put_text(&sh, row, 0, label_month(s->month, buf, sizeof(buf)),
		    bk->f_text);
		if (!s->has_data)
			continue;
		for (size_t k = 0; k < t->nkeys; k++) {
			put_count(&sh, row, (lxw_col_t)(1 + k), t->values[i][k],
			    NULL);
			put_share(&sh, row, (lxw_col_t)(col_total + 1 + k),
			    t->shares[i][k], NULL);
			sum += t->values[i][k];
		}
		put_count(&sh, row, col_total, sum, NULL);
	}
	sheet_filter(&sh, last, last_col);

	ch = chart_new(bk, LXW_CHART_COLUMN_STACKED_PERCENT, caption);
	if (ch != NULL) {
		if (t->nkeys == 0)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    col_total, key_color(bk, &(struct key){ .kind =
			    KEY_OTHER }), false);
		for (size_t k = 0; k < t->nkeys; k++)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    (lxw_col_t)(1 + k), key_color(bk, &t->keys[k]),
			    false);
		chart_set_series_gap(ch, 60);
		chart_set_series_overlap(ch, 100);
		chart_axes(ch, "月", y_name, "0%");
		chart_place(&sh, ch, ROW_DATA + MODEL_MONTHS + 1, 0, 1.6,
		    1.6);
	}
	sheet_close(&sh);
}

/* ---- 図1.1: six months per sensor per day, two line charts ---- */

static void
write_trend(struct book *bk, const struct month_model *m, const char *caption)
{
	struct sheet sh;
	char buf[LABEL_MAX], title[CAPTION_MAX + 32];
	static const char *const heads[] = { "月", "観測点数",
		"観測センサー日数", "アクセス数", "発信元数",
		"1観測点1日あたりアクセス数", "1観測点1日あたり発信元数",
		"発信元1件あたりアクセス数" };
	lxw_row_t last = ROW_DATA + MODEL_MONTHS - 1;

	if (!sheet_open(bk, &sh, "図1.1 推移"))
		return;
	book_index_add(bk, &sh, caption);
	sheet_caption(&sh, caption, "センサー日数は観測できた(観測点, 日)の数。データのない月は1観測点あたりの値が空欄。");
	for (size_t c = 0; c < sizeof(heads) / sizeof(heads[0]); c++)
		put_text(&sh, ROW_HEAD, (lxw_col_t)c, heads[c], bk->f_head);
	for (int i = 0; i < MODEL_MONTHS; i++) {
		const struct month_summary *s = &m->six[i];
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;

		put_text(&sh, row, 0, label_month(s->month, buf, sizeof(buf)),
		    bk->f_text);
		put_count(&sh, row, 1, s->sensors, NULL);
		put_count(&sh, row, 2, s->sensor_days, NULL);
		put_count(&sh, row, 3, s->total.accesses, NULL);
		put_count(&sh, row, 4, s->total.sources, NULL);
		if (!s->has_data)
			continue;
		put_per_sensor(&sh, row, 5, s->accesses_per_sensor_day);
		put_per_sensor(&sh, row, 6, s->sources_per_sensor_day);
		if (s->total.sources > 0)
			put_per_sensor(&sh, row, 7, s->accesses_per_source);
	}
	sheet_filter(&sh, last, 7);
	for (int j = 0; j < 2; j++) {
		lxw_chart *ch;

		snprintf(title, sizeof(title), "%s(%s)", caption,
		    j == 0 ? "アクセス数" : "発信元数");
		ch = chart_new(bk, LXW_CHART_LINE, title);
		if (ch == NULL)
			continue;
		chart_column_series(&sh, ch, ROW_DATA, last, 0,
		    (lxw_col_t)(5 + j), rgb_hex(chart_palette((size_t)j)),
		    true);
		chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
		chart_axes(ch, "月", j == 0 ? "アクセス数(件/観測点/日)" :
		    "発信元数(件/観測点/日)", FMT_COUNT);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		chart_place(&sh, ch, ROW_DATA + MODEL_MONTHS + 1 +
		    (lxw_row_t)j * 22, 0, 1.5, 1.4);
	}
	sheet_close(&sh);
}

/* ---- 図2.1.n: a notable port over M-1 and M ---- */

static void
write_notable(struct book *bk, const struct month_model *m, size_t idx)
{
	const struct notable *n = &m->notable[idx];
	char label[LABEL_MAX], sheet[160], caption[CAPTION_MAX];
	int nd = n->ndays_prev + n->ndays_cur;
	month_t months[62];
	int days[62], sensors[62];
	struct daily_fig f = { 0 };

	if (nd > 62)
		return;
	key_text(bk, &n->key, label, sizeof(label));
	snprintf(sheet, sizeof(sheet), "図2.1.%zu %s", idx + 1, label);
	snprintf(caption, sizeof(caption),
	    "図 2.1.%zu %d年%d月～%d年%d月の%sポートへの発信元地域別アクセス数の変化",
	    idx + 1, month_year(m->month - 1), month_mon(m->month - 1),
	    month_year(m->month), month_mon(m->month), label);
	for (int i = 0; i < nd; i++) {
		bool cur = i >= n->ndays_prev;

		months[i] = cur ? m->month : m->month - 1;
		days[i] = cur ? i - n->ndays_prev + 1 : i + 1;
		sensors[i] = cur ? m->sensors_per_day[days[i]] :
		    m->prev_sensors_per_day[days[i]];
	}
	f.sheet = sheet;
	f.caption = caption;
	f.note = "値は1観測点あたりのアクセス数(その日に観測した観測点数で割った値)。観測点数が0の日は未観測のため空欄。";
	f.y_name = "アクセス数(件/観測点)";
	f.nkeys = n->daily != NULL ? n->ncc : 0;
	f.keys = n->cc;
	f.daily = n->daily;
	f.ndays = nd;
	f.row_month = months;
	f.row_day = days;
	f.row_sensors = sensors;
	write_daily(bk, &f);
}

/* ---- 概要 ---- */

static const char *
trend_word(enum trend t)
{
	switch (t) {
	case TREND_FLAT: return "横ばい";
	case TREND_UP_GENTLE: return "緩やかな増加傾向";
	case TREND_UP: return "増加傾向";
	case TREND_DOWN_GENTLE: return "緩やかな減少傾向";
	case TREND_DOWN: return "減少傾向";
	default: return "判定できない(データのある月が3か月未満)";
	}
}

/* "6/1, 6/2, 6/5(3観測点)" or "なし" */
static void
missing_text(const struct month_model *m, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->nmissing && used + 1 < len; i++) {
		const struct missing_day *d = &m->missing[i];
		int w;

		if (d->missing == m->cur->sensors)
			w = snprintf(buf + used, len - used, "%s%d/%d",
			    i ? ", " : "", month_mon(m->month), d->day);
		else
			w = snprintf(buf + used, len - used, "%s%d/%d(%d観測点)",
			    i ? ", " : "", month_mon(m->month), d->day,
			    d->missing);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	if (used == 0)
		snprintf(buf, len, "なし");
}

struct summary_row {
	const char *label;
	int kind;            /* 0 text, 1 count, 2 per sensor, 3 share */
	const char *text;
	int64_t count;
	double value;
	const char *unit;
};

/* Fills the summary sheet sh (opened first so that it is the first sheet,
 * filled last so that it lists the figure sheets). */
static void
write_summary(struct book *bk, const struct month_model *m, struct sheet *shp)
{
	const struct month_summary *s = m->cur;
	struct sheet sh = *shp;
	char month[32], caption[CAPTION_MAX], period[64], missing[1024];
	char buf[LABEL_MAX];
	lxw_row_t row;

	label_month(m->month, month, sizeof(month));
	snprintf(caption, sizeof(caption),
	    "インターネット定点観測での観測状況について %s", month);
	if (m->observed_first > 0)
		snprintf(period, sizeof(period), "%d/%d～%d/%d",
		    month_mon(m->month), m->observed_first,
		    month_mon(m->month), m->observed_last);
	else
		snprintf(period, sizeof(period), "なし");
	missing_text(m, missing, sizeof(missing));

	const struct summary_row rows[] = {
		{ "対象月", 0, month, 0, 0, NULL },
		{ "観測点数", 1, NULL, s->sensors, 0, "観測点" },
		{ "観測できたセンサー日数", 1, NULL, s->sensor_days, 0,
		  "観測点×日" },
		{ "観測できなかったセンサー日数", 1, NULL,
		  m->missing_sensor_days, 0, "観測点×日" },
		{ "アクセス総数", 1, NULL, s->total.accesses, 0, "件" },
		{ "発信元数(延べ)", 1, NULL, s->total.sources, 0, "件" },
		{ "1観測点1日あたりのアクセス数", 2, NULL, 0,
		  s->accesses_per_sensor_day, "件" },
		{ "1観測点1日あたりの発信元数", 2, NULL, 0,
		  s->sources_per_sensor_day, "件" },
		{ "発信元1件あたりのアクセス数", 2, NULL, 0,
		  s->accesses_per_source, "件" },
		{ "観測期間", 0, period, 0, 0, NULL },
		{ "観測できなかった日", 0, missing, 0, 0,
		  "(観測点数) は一部の観測点のみ欠けた日" },
		{ "6か月の傾向(1観測点1日あたりのアクセス数)", 0,
		  trend_word(m->trend), 0, 0, NULL },
		{ "傾向の傾き", 2, NULL, 0, m->trend_slope, "件/月" },
		{ "傾向の傾き(平均に対する比)", 3, NULL, 0,
		  m->trend_relative, "/月" },
	};

	put_wide_text(&sh, ROW_CAPTION, 0, caption, bk->f_caption);
	put_text(&sh, ROW_HEAD, 0, "項目", bk->f_head);
	put_text(&sh, ROW_HEAD, 1, "値", bk->f_head);
	put_text(&sh, ROW_HEAD, 2, "単位・注", bk->f_head);
	worksheet_freeze_panes(sh.ws, ROW_DATA, 0);
	row = ROW_DATA;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++, row++) {
		const struct summary_row *r = &rows[i];

		put_text(&sh, row, 0, r->label, bk->f_text);
		switch (r->kind) {
		case 0:
			put_text(&sh, row, 1, r->text, bk->f_text);
			break;
		case 1:
			put_count(&sh, row, 1, r->count, NULL);
			break;
		case 2:
			put_per_sensor(&sh, row, 1, r->value);
			break;
		default:
			put_share(&sh, row, 1, r->value, NULL);
			break;
		}
		if (r->unit != NULL)
			put_text(&sh, row, 2, r->unit, bk->f_text);
	}

	/* notable ports */
	row++;
	put_text(&sh, row++, 0, "注目ポート(前月比の増加が大きいポート)",
	    bk->f_total_label);
	{
		static const char *const heads[] = { "ポート", "前月のアクセス数",
			"当月のアクセス数", "前月比", "前月比(表記)",
			"主な発信元地域", "その割合", "選定" };
		lxw_row_t head = row;

		for (size_t c = 0; c < sizeof(heads) / sizeof(heads[0]); c++)
			put_text(&sh, row, (lxw_col_t)c, heads[c], bk->f_head);
		row++;
		for (size_t i = 0; i < m->nnotable; i++, row++) {
			const struct notable *n = &m->notable[i];

			put_text(&sh, row, 0, key_text(bk, &n->key, buf,
			    sizeof(buf)), bk->f_text);
			put_count(&sh, row, 1, n->prev, NULL);
			put_count(&sh, row, 2, n->cur, NULL);
			if (isfinite(n->ratio))
				put_per_sensor(&sh, row, 3, n->ratio);
			put_text(&sh, row, 4, n->ratio_text, bk->f_text);
			if (n->dominant.kind != KEY_OTHER) {
				put_text(&sh, row, 5, key_text(bk, &n->dominant,
				    buf, sizeof(buf)), bk->f_text);
				put_share(&sh, row, 6, n->dominant_share, NULL);
			}
			put_text(&sh, row, 7, n->pinned ? "テンプレート指定" :
			    "自動", bk->f_text);
		}
		if (m->nnotable == 0)
			put_text(&sh, row++, 0, "なし", bk->f_text);
		fail(bk, worksheet_autofilter(sh.ws, head, 0,
		    row > head + 1 ? row - 1 : head, 7), "setting an autofilter");
	}

	/* the figure sheets, linked */
	row++;
	put_text(&sh, row++, 0, "図の一覧", bk->f_total_label);
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
		put_wide_text(&sh, row, 1, bk->index_captions[i], bk->f_text);
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

static bool
book_begin(struct book *bk, struct atomic_file *af, const char *path,
    const char *title, const char *subject, time_t date, struct err *e)
{
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE };
	lxw_doc_properties props = { 0 };
	char *owned_title, *owned_subject;

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
	props.author = (char *)"talot";
	props.company = NULL;
	props.created = created_date(date);
	fail(bk, workbook_set_properties(bk->wb, &props),
	    "setting the document properties");
	free(owned_title);
	free(owned_subject);
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

static bool
book_end(struct book *bk, struct atomic_file *af, struct err *e)
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
	return atomic_commit(af, e);
}

bool
bulletin_xlsx_write(const struct month_model *m, const struct catalog *cat,
    time_t date, const char *path, struct diag *warnings, struct err *e)
{
	struct book bk = { .path = path, .cat = cat, .warnings = warnings,
		.m = m };
	struct atomic_file af = { 0 };
	char month[32], first[32], title[256], subject[256];
	char cap[CAPTION_MAX], cap2[80];
	struct sheet summary;
	bool have_summary;

	if (m == NULL || m->cur == NULL)
		return err_set(e, "%s: no month to write", path);
	label_month(m->month, month, sizeof(month));
	label_month(m->month - (MODEL_MONTHS - 1), first, sizeof(first));
	snprintf(title, sizeof(title),
	    "インターネット定点観測での観測状況について %s", month);
	snprintf(subject, sizeof(subject),
	    "%sの観測データ(図の表とグラフ)", month);
	if (!book_begin(&bk, &af, path, title, subject, date, e))
		return false;

	/* 概要 first; it lists the figure sheets, so it is filled last */
	have_summary = sheet_open(&bk, &summary, "概要");
	if (have_summary)
		worksheet_activate(summary.ws);

	write_trend(&bk, m, "図 1.1 1観測点での1日あたりの期待しない(一方的な)アクセス数および発信元数");
	for (size_t i = 0; i < m->nnotable; i++)
		write_notable(&bk, m, i);

	snprintf(cap, sizeof(cap), "図 2.2.1 %sの一方的なアクセス状況(アクセス数)", month);
	write_breakdown_daily(&bk, m, &m->ports_acc, "図2.2.1 日別ポート別アクセス数",
	    cap, "アクセス数(件/観測点)");
	snprintf(cap, sizeof(cap), "図 2.2.2 %sの一方的なアクセス状況(発信元数)", month);
	write_breakdown_daily(&bk, m, &m->ports_src, "図2.2.2 日別ポート別発信元数",
	    cap, "発信元数(件/観測点)");

	snprintf(cap, sizeof(cap), "図 2.3.1 %sの宛先(ポート種類)別アクセス数の比率", month);
	write_pie(&bk, &m->ports_acc, "図2.3.1 ポート別アクセス数比率", cap,
	    "宛先(ポート種類)", "アクセス数");
	snprintf(cap, sizeof(cap), "図 2.3.2 %sの宛先(ポート種類)別発信元数の比率", month);
	write_pie(&bk, &m->ports_src, "図2.3.2 ポート別発信元数比率", cap,
	    "宛先(ポート種類)", "発信元数");

	snprintf(cap, sizeof(cap), "図 2.4.1 %sの発信元地域別アクセス数の変化", month);
	write_breakdown_daily(&bk, m, &m->cc_acc, "図2.4.1 日別地域別アクセス数",
	    cap, "アクセス数(件/観測点)");
	snprintf(cap, sizeof(cap), "図 2.4.2 %sの発信元地域別アクセス数の比率", month);
	write_pie(&bk, &m->cc_acc, "図2.4.2 地域別アクセス数比率", cap,
	    "発信元地域", "アクセス数");
	snprintf(cap, sizeof(cap), "図 2.4.3 %sの発信元地域別発信元数の変化", month);
	write_breakdown_daily(&bk, m, &m->cc_src, "図2.4.3 日別地域別発信元数",
	    cap, "発信元数(件/観測点)");
	snprintf(cap, sizeof(cap), "図 2.4.4 %sの発信元地域別発信元数の比率", month);
	write_pie(&bk, &m->cc_src, "図2.4.4 地域別発信元数比率", cap,
	    "発信元地域", "発信元数");

	snprintf(cap2, sizeof(cap2), "%s～%s", first, month);
	snprintf(cap, sizeof(cap), "図 3.1.1 %sの宛先(ポート種類)別アクセス数の比率", cap2);
	write_six(&bk, m, &m->six_ports_acc, "図3.1.1 月別ポート別アクセス数比率",
	    cap, "アクセス数の比率");
	snprintf(cap, sizeof(cap), "図 3.1.2 %sの宛先(ポート種類)別発信元数の比率", cap2);
	write_six(&bk, m, &m->six_ports_src, "図3.1.2 月別ポート別発信元数比率",
	    cap, "発信元数の比率");
	snprintf(cap, sizeof(cap), "図 3.2.1 %sの発信元地域別アクセス数の比率", cap2);
	write_six(&bk, m, &m->six_cc_acc, "図3.2.1 月別地域別アクセス数比率",
	    cap, "アクセス数の比率");
	snprintf(cap, sizeof(cap), "図 3.2.2 %sの発信元地域別発信元数の比率", cap2);
	write_six(&bk, m, &m->six_cc_src, "図3.2.2 月別地域別発信元数比率",
	    cap, "発信元数の比率");

	if (have_summary)
		write_summary(&bk, m, &summary);
	return book_end(&bk, &af, e);
}

/* ---- the range workbook ---- */

/* 月別: one row per month, with line charts of the per-sensor values and a
 * column chart of the totals. */
static void
write_range_months(struct book *bk, const struct range_model *r,
    const char *span)
{
	static const char *const heads[] = { "月", "観測点数",
		"観測センサー日数", "アクセス数", "発信元数",
		"1観測点1日あたりアクセス数", "1観測点1日あたり発信元数",
		"発信元1件あたりアクセス数", "アクセス数1位のポート",
		"2位のポート", "3位のポート", "アクセス数1位の発信元地域",
		"2位の発信元地域", "3位の発信元地域" };
	const lxw_col_t ncols = sizeof(heads) / sizeof(heads[0]);
	struct sheet sh;
	char buf[LABEL_MAX], caption[CAPTION_MAX], title[CAPTION_MAX];
	lxw_row_t last = ROW_DATA + (lxw_row_t)r->nmonths - 1;
	lxw_chart *ch;

	if (!sheet_open(bk, &sh, "月別"))
		return;
	worksheet_activate(sh.ws);
	snprintf(caption, sizeof(caption),
	    "インターネット定点観測 %sの月別統計", span);
	sheet_caption(&sh, caption, "データのない月はセンサー日数が0で、1観測点あたりの値は空欄。上位は各月のアクセス数の順。");
	for (lxw_col_t c = 0; c < ncols; c++)
		put_text(&sh, ROW_HEAD, c, heads[c], bk->f_head);
	for (size_t i = 0; i < r->nmonths; i++) {
		const struct range_month *rm = &r->months[i];
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;

		put_text(&sh, row, 0, label_month(rm->month, buf, sizeof(buf)),
		    bk->f_text);
		put_count(&sh, row, 1, rm->sensors, NULL);
		put_count(&sh, row, 2, rm->sensor_days, NULL);
		put_count(&sh, row, 3, rm->total.accesses, NULL);
		put_count(&sh, row, 4, rm->total.sources, NULL);
		if (rm->has_data) {
			put_per_sensor(&sh, row, 5, rm->accesses_per_sensor_day);
			put_per_sensor(&sh, row, 6, rm->sources_per_sensor_day);
			if (rm->total.sources > 0)
				put_per_sensor(&sh, row, 7,
				    rm->accesses_per_source);
		}
		for (size_t k = 0; k < rm->ntop_ports; k++)
			put_text(&sh, row, (lxw_col_t)(8 + k), key_text(bk,
			    &rm->top_ports[k], buf, sizeof(buf)), bk->f_text);
		for (size_t k = 0; k < rm->ntop_countries; k++)
			put_text(&sh, row, (lxw_col_t)(11 + k), key_text(bk,
			    &rm->top_countries[k], buf, sizeof(buf)),
			    bk->f_text);
	}
	sheet_filter(&sh, last, ncols - 1);
	for (int j = 0; j < 2; j++) {
		snprintf(title, sizeof(title),
		    "%sの1観測点での1日あたりの%s", span,
		    j == 0 ? "アクセス数" : "発信元数");
		ch = chart_new(bk, LXW_CHART_LINE, title);
		if (ch == NULL)
			continue;
		chart_column_series(&sh, ch, ROW_DATA, last, 0,
		    (lxw_col_t)(5 + j), rgb_hex(chart_palette((size_t)j)),
		    true);
		chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
		chart_axes(ch, "月", j == 0 ? "アクセス数(件/観測点/日)" :
		    "発信元数(件/観測点/日)", FMT_COUNT);
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		chart_place(&sh, ch, last + 2 + (lxw_row_t)j * 22, 0, 1.5, 1.4);
	}
	snprintf(title, sizeof(title), "%sの月別アクセス数・発信元数", span);
	ch = chart_new(bk, LXW_CHART_COLUMN, title);
	if (ch != NULL) {
		chart_column_series(&sh, ch, ROW_DATA, last, 0, 3,
		    rgb_hex(chart_palette(0)), false);
		chart_column_series(&sh, ch, ROW_DATA, last, 0, 4,
		    rgb_hex(chart_palette(1)), false);
		chart_axes(ch, "月", "件", FMT_COUNT);
		chart_place(&sh, ch, last + 2 + 44, 0, 1.5, 1.4);
	}
	sheet_close(&sh);
}

/* A monthly table of the range (months × keys) with a stacked column
 * chart. */
static void
write_range_table(struct book *bk, const struct range_model *r,
    const struct range_table *t, const char *sheet, const char *caption,
    const char *y_name)
{
	struct sheet sh;
	char buf[LABEL_MAX];
	lxw_row_t last = ROW_DATA + (lxw_row_t)r->nmonths - 1;
	lxw_col_t col_total = (lxw_col_t)(1 + t->nkeys);
	lxw_chart *ch;

	if (!sheet_open(bk, &sh, sheet))
		return;
	sheet_caption(&sh, caption, "上位は期間全体の合計の順。その他は各月の合計から上位を除いた残り。データのない月は空欄。");
	put_text(&sh, ROW_HEAD, 0, "月", bk->f_head);
	for (size_t k = 0; k < t->nkeys; k++)
		put_text(&sh, ROW_HEAD, (lxw_col_t)(1 + k), key_text(bk,
		    &t->keys[k], buf, sizeof(buf)), bk->f_head);
	put_text(&sh, ROW_HEAD, col_total, "合計", bk->f_head);
	for (size_t i = 0; i < r->nmonths; i++) {
		const struct range_month *rm = &r->months[i];
		lxw_row_t row = ROW_DATA + (lxw_row_t)i;

		put_text(&sh, row, 0, label_month(rm->month, buf, sizeof(buf)),
		    bk->f_text);
		if (!rm->has_data)
			continue;
		for (size_t k = 0; k < t->nkeys; k++)
			put_count(&sh, row, (lxw_col_t)(1 + k),
			    t->values[i * t->nkeys + k], NULL);
		put_count(&sh, row, col_total, t->measure == MEASURE_ACCESSES ?
		    rm->total.accesses : rm->total.sources, NULL);
	}
	sheet_filter(&sh, last, col_total);
	ch = chart_new(bk, LXW_CHART_COLUMN_STACKED, caption);
	if (ch != NULL) {
		if (t->nkeys == 0)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    col_total, key_color(bk, &(struct key){ .kind =
			    KEY_OTHER }), false);
		for (size_t k = 0; k < t->nkeys; k++)
			chart_column_series(&sh, ch, ROW_DATA, last, 0,
			    (lxw_col_t)(1 + k), key_color(bk, &t->keys[k]),
			    false);
		chart_set_series_gap(ch, 50);
		chart_set_series_overlap(ch, 100);
		chart_axes(ch, "月", y_name, FMT_COUNT);
		chart_place(&sh, ch, last + 2, 0, 2.0, 1.6);
	}
	sheet_close(&sh);
}

bool
bulletin_xlsx_write_range(const struct range_model *r,
    const struct catalog *cat, time_t date, const char *path,
    struct diag *warnings, struct err *e)
{
	struct book bk = { .path = path, .cat = cat, .warnings = warnings,
		.r = r };
	struct atomic_file af = { 0 };
	char first[32], last[32], span[80], title[256], cap[CAPTION_MAX];

	if (r == NULL || r->nmonths == 0)
		return err_set(e, "%s: no months to write", path);
	label_month(r->first, first, sizeof(first));
	label_month(r->last, last, sizeof(last));
	snprintf(span, sizeof(span), "%s～%s", first, last);
	snprintf(title, sizeof(title), "インターネット定点観測 %sの月別統計",
	    span);
	if (!book_begin(&bk, &af, path, title, "月別の観測データ(表とグラフ)",
	    date, e))
		return false;
	write_range_months(&bk, r, span);
	snprintf(cap, sizeof(cap), "%sの宛先(ポート種類)別アクセス数", span);
	write_range_table(&bk, r, &r->ports_acc, "ポート別アクセス数", cap,
	    "アクセス数(件)");
	snprintf(cap, sizeof(cap), "%sの宛先(ポート種類)別発信元数", span);
	write_range_table(&bk, r, &r->ports_src, "ポート別発信元数", cap,
	    "発信元数(件)");
	snprintf(cap, sizeof(cap), "%sの発信元地域別アクセス数", span);
	write_range_table(&bk, r, &r->cc_acc, "地域別アクセス数", cap,
	    "アクセス数(件)");
	snprintf(cap, sizeof(cap), "%sの発信元地域別発信元数", span);
	write_range_table(&bk, r, &r->cc_src, "地域別発信元数", cap,
	    "発信元数(件)");
	return book_end(&bk, &af, e);
}
