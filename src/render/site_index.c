/* site_index.c — the site's index page: a table of every month, newest
 * first, and a trend chart (inline SVG from the chart module). */
#include "site_index.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "bulletin_html.h"
#include "chart.h"
#include "config.h"
#include "svg.h"

#define TREND_W 480.0
#define TREND_H 260.0

static int
newest_first(const void *a, const void *b)
{
	const struct site_month *x = a, *y = b;

	return (x->month < y->month) - (x->month > y->month);
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

static bool
trend(const struct site_index *si, const struct site_month *sorted,
    struct text *t, struct buf *out, struct err *e)
{
	size_t n = si->nmonths;
	const char **cats = calloc(n ? n : 1, sizeof(*cats));
	double *acc = calloc(n ? n : 1, sizeof(*acc));
	double *src = calloc(n ? n : 1, sizeof(*src));
	struct chart_series ser[2];
	struct chart_style st;
	struct buf alt = { 0 };
	struct svg s;
	bool ok = false;

	if (cats == NULL || acc == NULL || src == NULL) {
		err_set(e, "out of memory");
		goto out;
	}
	/* oldest to newest, left to right */
	for (size_t i = 0; i < n; i++) {
		const struct site_month *m = &sorted[n - 1 - i];

		cats[i] = m->month_text;
		acc[i] = m->accesses_per_sensor_day;
		src[i] = m->sources_per_sensor_day;
	}
	ser[0] = (struct chart_series){ si->w.accesses_per_sensor_day,
	    chart_palette(0), acc };
	ser[1] = (struct chart_series){ si->w.sources_per_sensor_day,
	    chart_palette(1), src };
	chart_style_defaults(&st);
	st.pango = text_context(t);
	st.font_family = si->w.font;
	st.font_size = 10;
	st.language = si->w.lang;
	if (!svg_begin(&s, TREND_W, TREND_H, e))
		goto out;
	{
		struct chart_line line = {
			.categories = cats, .ncat = n, .series = ser,
			.nseries = 2, .y_label = si->w.accesses_per_sensor_day,
			.y2_label = si->w.sources_per_sensor_day,
			.markers = n <= 24, .value_labels = n <= 8,
			.value_decimals = 0,
		};

		ok = chart_line_draw(&line, &st, s.cr, 4, 4, TREND_W - 8,
		    TREND_H - 8);
	}
	if (!ok || st.unknown_glyphs > 0) {
		svg_abort(&s);
		ok = err_set(e, ok ? "glyph missing from the fonts in the trend chart" :
		    "cannot draw the trend chart");
		goto out;
	}
	/* the text alternative: first and last month */
	if (n > 0) {
		char a[64], b[64];

		buf_addf(&alt, "%s: %s %s, %s %s", str(si->w.accesses_per_sensor_day),
		    str(sorted[n - 1].month_text),
		    chart_format_number(sorted[n - 1].accesses_per_sensor_day, 0,
		    a, sizeof(a)), str(sorted[0].month_text),
		    chart_format_number(sorted[0].accesses_per_sensor_day, 0, b,
		    sizeof(b)));
	}
	buf_adds(out, "<figure id=\"trend\">\n");
	ok = svg_end(&s, "trend", alt.s != NULL ? alt.s : "", out, e);
	buf_adds(out, "\n<figcaption>");
	html_escape(out, str(si->w.accesses_per_sensor_day));
	buf_adds(out, " / ");
	html_escape(out, str(si->w.sources_per_sensor_day));
	buf_adds(out, "</figcaption>\n</figure>\n");
out:
	buf_free(&alt);
	free(cats);
	free(acc);
	free(src);
	return ok;
}

static void
cell_num(struct buf *b, double v, int decimals)
{
	char tmp[64];

	buf_adds(b, "<td class=\"n\">");
	buf_adds(b, chart_format_number(v, decimals, tmp, sizeof(tmp)));
	buf_adds(b, "</td>");
}

static void
file_link(struct buf *b, const char *href, const char *text)
{
	if (href == NULL)
		return;
	buf_adds(b, " <a href=\"");
	html_escape(b, href);
	buf_adds(b, "\">");
	buf_adds(b, text);
	buf_adds(b, "</a>");
}

bool
site_index_page(const struct site_index *si, struct buf *out, struct err *e)
{
	const struct site_words *w = &si->w;
	struct site_month *sorted;
	struct text *t;
	bool ok;

	sorted = malloc((si->nmonths ? si->nmonths : 1) * sizeof(*sorted));
	if (sorted == NULL)
		return err_set(e, "out of memory");
	if (si->nmonths > 0)
		memcpy(sorted, si->months, si->nmonths * sizeof(*sorted));
	qsort(sorted, si->nmonths, sizeof(*sorted), newest_first);
	t = text_create(w->font, e);
	if (t == NULL) {
		free(sorted);
		return false;
	}
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
	html_escape(out, str(w->lang));
	buf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'\">\n<title>");
	html_escape(out, str(w->title));
	buf_adds(out, " — ");
	html_escape(out, str(w->publisher));
	buf_adds(out, "</title>\n<meta name=\"description\" content=\"");
	html_escape(out, str(w->title));
	buf_adds(out, " — ");
	html_escape(out, str(w->publisher));
	buf_adds(out, "\">\n<meta name=\"generator\" content=\"talot "
	    TALOT_VERSION "\">\n");
	bulletin_html_alternates(out, si->alts, si->nalts);
	buf_adds(out, "<style>");
	buf_adds(out, bulletin_html_css);
	buf_adds(out, "</style>\n</head>\n<body>\n");
	if (si->nalts > 0) {
		buf_adds(out, "<nav class=\"site\">");
		bulletin_html_lang_links(out, si->alts, si->nalts);
		buf_adds(out, "</nav>\n");
	}
	buf_adds(out, "<main>\n<h1 id=\"title\">");
	html_escape(out, str(w->title));
	buf_adds(out, "</h1>\n<p style=\"text-align:center\">");
	html_escape(out, str(w->publisher));
	buf_adds(out, "</p>\n");
	ok = trend(si, sorted, t, out, e);
	if (ok) {
		buf_adds(out, "<div class=\"scroll\"><table class=\"months\">"
		    "<thead><tr>");
		const char *heads[] = { w->month, w->accesses, w->sources,
		    w->accesses_per_sensor_day, w->sources_per_sensor_day,
		    w->top_port, w->notable };
		for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
			buf_adds(out, "<th scope=\"col\">");
			html_escape(out, str(heads[i]));
			buf_adds(out, "</th>");
		}
		buf_adds(out, "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < si->nmonths; i++) {
			const struct site_month *m = &sorted[i];

			buf_adds(out, "<tr><th scope=\"row\"><a href=\"");
			html_escape(out, m->page);
			buf_adds(out, "\">");
			html_escape(out, str(m->month_text));
			buf_adds(out, "</a>");
			file_link(out, m->pdf, "PDF");
			file_link(out, m->xlsx, "XLSX");
			file_link(out, m->json, "JSON");
			buf_adds(out, "</th>");
			cell_num(out, (double)m->accesses, 0);
			cell_num(out, (double)m->sources, 0);
			cell_num(out, m->accesses_per_sensor_day, 0);
			cell_num(out, m->sources_per_sensor_day, 0);
			buf_adds(out, "<td class=\"k\">");
			html_escape(out, m->top_port ? m->top_port : str(w->none));
			buf_adds(out, "</td><td>");
			for (size_t k = 0; k < m->nnotable; k++) {
				if (k > 0)
					buf_adds(out, ", ");
				html_escape(out, m->notable[k]);
			}
			if (m->nnotable == 0)
				html_escape(out, str(w->none));
			buf_adds(out, "</td></tr>\n");
		}
		buf_adds(out, "</tbody></table></div>\n</main>\n"
		    "</body>\n</html>\n");
	}
	text_destroy(t);
	free(sorted);
	if (ok && out->oom)
		return err_set(e, "out of memory");
	return ok;
}

bool
site_index_write(const struct site_index *si, const char *path,
    struct err *e)
{
	struct buf b = { 0 };
	struct atomic_file af;
	char msg[ERR_MSG_MAX];

	if (!site_index_page(si, &b, e)) {
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
