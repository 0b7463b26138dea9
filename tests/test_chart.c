/* test_chart.c — nice ticks, number formatting, and every chart kind drawn
 * into image and PDF surfaces: something painted inside the rectangle,
 * nothing outside it, no unknown glyph for Japanese text.
 *
 * With TALOT_CHART_PNG_DIR set, a PNG of each sample chart is written
 * there (white background) for a human to look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "chart.h"

#define MARGIN 20

#if defined(__SANITIZE_ADDRESS__)
/* Leaks inside cairo 1.16's PDF font subsetting and fontconfig's config
 * parser are not ours; LeakSanitizer reads this hook. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\nleak:libfontconfig.so\n";
}
#endif

enum kind { BAR, PIE, LINE };

struct sample {
	enum kind kind;
	const void *chart;
};

static const char *const countries[] = {
	"中国", "米国", "韓国", "ロシア", "ブラジル", "台湾", "ドイツ",
	"オランダ", "インド", "ベトナム", "その他",
};
static const char *const ports[] = {
	"445/tcp", "135/tcp", "Ping(ICMP)", "1433/tcp", "22/tcp", "80/tcp",
	"139/tcp", "3389/tcp", "1026/udp", "4899/tcp", "その他",
};
static const char *const months[] = {
	"2007年1月", "2007年2月", "2007年3月", "2007年4月", "2007年5月",
	"2007年6月",
};

static char day_names[62][16];
static const char *days[62];
static double vals[11][62];
static double zeros[62];
static struct chart_series series[11];

static void
fill_data(void)
{
	for (size_t i = 0; i < 62; i++) {
		snprintf(day_names[i], sizeof day_names[i], "%zu/%zu",
		    i < 30 ? (size_t)6 : (size_t)7, i < 30 ? i + 1 : i - 29);
		days[i] = day_names[i];
	}
	for (size_t j = 0; j < 11; j++) {
		for (size_t i = 0; i < 62; i++) {
			double base = 30000.0 / (double)(j + 1);
			double wave = 1 + 0.4 * sin((double)(i * (j + 2)) * 0.7);

			vals[j][i] = floor(base * wave);
		}
		series[j].label = ports[j];
		series[j].color = j == 10 ? chart_palette_other() :
		    chart_palette(j);
		series[j].values = vals[j];
	}
}

/* ---- ticks and numbers ---- */

static void
check_ticks(double lo, double hi, size_t target)
{
	struct chart_ticks tk = chart_ticks_nice(lo, hi, target);
	double m = tk.step / pow(10, floor(log10(tk.step) + 1e-9));

	assert_true(tk.step > 0);
	assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 ||
	    fabs(m - 5) < 1e-9);
	assert_true(tk.min <= lo + 1e-9 * fabs(lo));
	assert_true(tk.max >= hi - 1e-9 * fabs(hi));
	assert_true(fabs(tk.max / tk.step - round(tk.max / tk.step)) < 1e-6);
	assert_true(tk.n >= 2 && tk.n <= 2 * target + 1);
	assert_true(fabs(tk.min + (double)(tk.n - 1) * tk.step - tk.max) <
	    tk.step * 1e-6);
}

static void
test_ticks(void **state)
{
	struct chart_ticks tk;

	(void)state;
	tk = chart_ticks_nice(0, 293252, 6);
	assert_true(tk.min == 0 && tk.max == 300000 && tk.step == 50000);
	assert_int_equal(tk.n, 7);
	tk = chart_ticks_nice(0, 1, 6);
	assert_true(tk.min == 0 && fabs(tk.max - 1) < 1e-12);
	assert_true(fabs(tk.step - 0.2) < 1e-12);
	assert_int_equal(chart_ticks_decimals(&tk), 1);
	tk = chart_ticks_nice(0, 7, 6);
	assert_true(tk.max == 8 && tk.step == 2);
	tk = chart_ticks_nice(0, 1e15, 6);
	assert_true(tk.max == 1e15 && tk.step == 2e14);
	tk = chart_ticks_nice(0, 0, 6);
	assert_true(tk.min == 0 && tk.max == 1 && tk.step > 0);
	tk = chart_ticks_nice(5, 5, 6);
	assert_true(tk.min == 0 && tk.max >= 5);
	tk = chart_ticks_nice(NAN, INFINITY, 6);
	assert_true(tk.min == 0 && tk.max == 1);
	tk = chart_ticks_nice_min(0, 1, 6, 1);
	assert_true(tk.max == 1 && tk.step == 1);
	tk = chart_ticks_nice_min(0, 3, 6, 1);
	assert_true(tk.max == 3 && tk.step == 1);

	for (double hi = 0.013; hi < 1e16; hi *= 1.37)
		for (size_t target = 3; target <= 8; target++)
			check_ticks(0, hi, target);
	check_ticks(-37, 1234, 6);
	check_ticks(-5e6, -1e3, 5);
}

static void
test_format(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(chart_format_number(0, 0, buf, sizeof buf), "0");
	assert_string_equal(chart_format_number(999, 0, buf, sizeof buf), "999");
	assert_string_equal(chart_format_number(1000, 0, buf, sizeof buf),
	    "1,000");
	assert_string_equal(chart_format_number(1234567, 0, buf, sizeof buf),
	    "1,234,567");
	assert_string_equal(chart_format_number(-1234, 0, buf, sizeof buf),
	    "-1,234");
	assert_string_equal(chart_format_number(ldexp(1, 40), 0, buf,
	    sizeof buf), "1,099,511,627,776");
	assert_string_equal(chart_format_number(1e15, 0, buf, sizeof buf),
	    "1,000,000,000,000,000");
	assert_string_equal(chart_format_number(1234.5678, 2, buf, sizeof buf),
	    "1,234.57");
	assert_string_equal(chart_format_number(0.2, 1, buf, sizeof buf), "0.2");
	assert_string_equal(chart_format_number(-0.01, 1, buf, sizeof buf),
	    "0.0");
	assert_string_equal(chart_format_number(999.6, 0, buf, sizeof buf),
	    "1,000");
	assert_string_equal(chart_format_number(NAN, 0, buf, sizeof buf), "-");
	assert_string_equal(chart_format_number(1234567, 0, buf, 6), "1,234");
}

static void
test_palette(void **state)
{
	struct chart_rgb a, b, o = chart_palette_other();

	(void)state;
	assert_true(chart_palette_size() == 10);  /* test_palette.c: why */
	for (size_t i = 0; i < chart_palette_size(); i++) {
		a = chart_palette(i);
		for (size_t k = i + 1; k < chart_palette_size(); k++) {
			b = chart_palette(k);
			assert_true(fabs(a.r - b.r) + fabs(a.g - b.g) +
			    fabs(a.b - b.b) > 0.1);
		}
		assert_true(fabs(a.r - o.r) + fabs(a.g - o.g) +
		    fabs(a.b - o.b) > 0.1);
	}
	a = chart_palette(chart_palette_size());
	b = chart_palette(0);
	assert_true(a.r == b.r && a.g == b.g && a.b == b.b);
	assert_true(chart_rgb_parse("#0072B2", &a));
	assert_true(fabs(a.b - 178 / 255.0) < 1e-9);
	assert_false(chart_rgb_parse("#0072B", &a));
	assert_false(chart_rgb_parse("zz0000", &a));
}

/* ---- drawing ---- */

static bool
draw(const struct sample *s, struct chart_style *st, cairo_t *cr, double x,
		double y, double w, double h)
{
	switch (s->kind) {
	case BAR:
		return chart_bar_draw(s->chart, st, cr, x, y, w, h);
	case PIE:
		return chart_pie_draw(s->chart, st, cr, x, y, w, h);
	case LINE:
	default:
		return chart_line_draw(s->chart, st, cr, x, y, w, h);
	}
}

static void
write_png(const struct sample *s, const char *name, int w, int h)
{
	const char *dir = getenv("TALOT_CHART_PNG_DIR");
	cairo_surface_t *surf;
	struct chart_style st;
	char path[1024];
	cairo_t *cr;

	if (dir == NULL || dir[0] == '\0')
		return;
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w * 2, h * 2);
	cr = cairo_create(surf);
	cairo_scale(cr, 2, 2);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	chart_style_defaults(&st);
	assert_true(draw(s, &st, cr, 10, 10, w - 20, h - 20));
	snprintf(path, sizeof path, "%s/%s.png", dir, name);
	assert_int_equal(cairo_surface_write_to_png(surf, path),
	    CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
}

/* Draws s into a transparent w×h image inset by MARGIN and checks that
 * something is painted inside and nothing outside; then into a PDF. */
static void
check_chart(const struct sample *s, const char *name, int w, int h)
{
	cairo_surface_t *surf;
	struct chart_style st;
	unsigned char *data;
	size_t inside = 0, outside = 0, touching = 0;
	int stride;
	cairo_t *cr;
	char path[256];

	surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	cr = cairo_create(surf);
	chart_style_defaults(&st);
	assert_true(draw(s, &st, cr, MARGIN, MARGIN, w - 2 * MARGIN,
	    h - 2 * MARGIN));
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	if (st.unknown_glyphs != 0)
		fail_msg("%s: %zu unknown glyphs, first '%s'", name,
		    st.unknown_glyphs, st.first_unknown);
	cairo_surface_flush(surf);
	data = cairo_image_surface_get_data(surf);
	stride = cairo_image_surface_get_stride(surf);
	for (int py = 0; py < h; py++) {
		for (int px = 0; px < w; px++) {
			uint32_t pix;
			bool in = px >= MARGIN && px < w - MARGIN &&
			    py >= MARGIN && py < h - MARGIN;

			memcpy(&pix, data + (size_t)py * (size_t)stride +
			    (size_t)px * 4, 4);
			bool edge = px == MARGIN || px == w - MARGIN - 1 ||
			    py == MARGIN || py == h - MARGIN - 1;

			if ((pix >> 24) == 0)
				continue;
			if (in)
				inside++;
			else
				outside++;
			/* charts clip to their rectangle; at a usable size
			 * nothing should even reach its edge (clipped text) */
			if (in && edge && w >= 300 && h >= 200)
				touching++;
		}
	}
	if (outside != 0)
		fail_msg("%s: %zu pixels painted outside the rectangle", name,
		    outside);
	if (touching != 0)
		fail_msg("%s: %zu pixels on the rectangle's edge", name,
		    touching);
	assert_true(inside > 100);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);

	snprintf(path, sizeof path, "/tmp/talot_test_chart_%s.pdf", name);
	surf = cairo_pdf_surface_create(path, w, h);
	cr = cairo_create(surf);
	chart_style_defaults(&st);
	assert_true(draw(s, &st, cr, MARGIN, MARGIN, w - 2 * MARGIN,
	    h - 2 * MARGIN));
	assert_int_equal(st.unknown_glyphs, 0);
	cairo_destroy(cr);
	cairo_surface_finish(surf);
	assert_int_equal(cairo_surface_status(surf), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(surf);

	write_png(s, name, w, h);
}

static void
test_bar(void **state)
{
	static const double seps[] = { 29 };
	double huge[2][6];
	struct chart_series hs[2];
	struct chart_series zs[3];
	struct chart_bar c = { 0 };
	struct sample s = { BAR, &c };

	(void)state;
	c.mode = CHART_BAR_STACKED;
	c.categories = days;
	c.ncat = 30;
	c.series = series;
	c.nseries = 11;
	c.y_label = "アクセス数(件)";
	check_chart(&s, "bar_stacked_30", 800, 500);
	check_chart(&s, "bar_stacked_30_small", 420, 260);

	c.ncat = 31;
	c.x_label = "日付";
	check_chart(&s, "bar_stacked_31", 800, 500);

	c.ncat = 61;
	c.separators = seps;
	c.nseparators = 1;
	c.x_label = NULL;
	check_chart(&s, "bar_stacked_2months", 800, 400);
	c.separators = NULL;
	c.nseparators = 0;

	c.mode = CHART_BAR_PERCENT;
	c.ncat = 30;
	c.y_label = "割合";
	vals[0][3] = 0;
	for (size_t j = 0; j < 11; j++)
		vals[j][5] = 0;   /* a zero column stays empty */
	check_chart(&s, "bar_percent_30", 800, 500);

	c.mode = CHART_BAR_STACKED;
	c.categories = months;
	c.ncat = 6;
	c.nseries = 3;
	c.y_label = "アクセス数(件)";
	check_chart(&s, "bar_months_3series", 600, 360);

	c.ncat = 1;
	c.nseries = 11;
	check_chart(&s, "bar_one_category", 500, 360);

	for (size_t j = 0; j < 3; j++) {
		zs[j] = series[j];
		zs[j].values = zeros;
	}
	c.categories = days;
	c.ncat = 30;
	c.series = zs;
	c.nseries = 3;
	check_chart(&s, "bar_all_zero", 600, 360);
	c.mode = CHART_BAR_PERCENT;
	check_chart(&s, "bar_percent_all_zero", 600, 360);

	for (size_t i = 0; i < 6; i++) {
		huge[0][i] = 4.0e14 + 1e13 * (double)i;
		huge[1][i] = ldexp(1, 33) * (double)(i + 1);
	}
	hs[0] = series[0];
	hs[0].values = huge[0];
	hs[1] = series[1];
	hs[1].values = huge[1];
	c.mode = CHART_BAR_STACKED;
	c.categories = months;
	c.ncat = 6;
	c.series = hs;
	c.nseries = 2;
	check_chart(&s, "bar_huge", 600, 360);

	c.series = series;
	c.nseries = 11;
	c.categories = days;
	c.ncat = 31;
	check_chart(&s, "bar_tiny", 150, 100);
	c.series = hs;
	c.nseries = 2;
	c.ncat = 0;
	check_chart(&s, "bar_empty", 500, 300);
	c.nseries = 0;
	check_chart(&s, "bar_no_series", 500, 300);
}

static void
test_pie(void **state)
{
	struct chart_rgb colors[11];
	double v[11] = { 34500, 20100, 12000, 9000, 7000, 5000, 3000, 1500,
		600, 80, 7219 };
	double small[11] = { 90000, 3000, 2500, 2000, 1500, 900, 400, 300,
		200, 30, 1000 };
	double z[3] = { 0, 0, 0 };
	double one[1] = { 42 };
	struct chart_pie c = { 0 };
	struct sample s = { PIE, &c };

	(void)state;
	for (size_t i = 0; i < 11; i++)
		colors[i] = i == 10 ? chart_palette_other() : chart_palette(i);
	c.labels = countries;
	c.values = v;
	c.colors = colors;
	c.n = 11;
	check_chart(&s, "pie_countries", 600, 360);
	c.values = small;
	check_chart(&s, "pie_many_small", 600, 360);
	c.labels = ports;
	check_chart(&s, "pie_ports_narrow", 300, 360);
	check_chart(&s, "pie_tiny", 120, 90);
	c.values = z;
	c.n = 3;
	check_chart(&s, "pie_all_zero", 500, 300);
	c.values = one;
	c.n = 1;
	c.decimals = CHART_PIE_NO_DECIMALS;
	check_chart(&s, "pie_one", 400, 300);
}

static void
test_line(void **state)
{
	double hosts[6] = { 1234, 1510, NAN, 1822, 2010, 1903 };
	double access[6] = { 291234, 310552, 402111, 388023, 350210, 420999 };
	double sparse[6] = { NAN, 5, NAN, NAN, 7, 9 };
	struct chart_series ls[3] = {
		{ "アクセス数", chart_palette(0), access },
		{ "発信元数", chart_palette(1), hosts },
		{ "疎", chart_palette(2), sparse },
	};
	struct chart_line c = { 0 };
	struct sample s = { LINE, &c };

	(void)state;
	c.categories = months;
	c.ncat = 6;
	c.series = ls;
	c.nseries = 2;
	c.y_label = "アクセス数(件)";
	c.y2_label = "発信元数(件)";
	c.markers = true;
	c.value_labels = true;
	check_chart(&s, "line_dual", 600, 320);
	c.y2_label = NULL;
	c.value_labels = false;
	c.series = ls + 1;
	c.nseries = 2;
	check_chart(&s, "line_gaps", 600, 320);
	c.series = ls;
	c.categories = days;
	c.ncat = 31;
	c.series = series;
	c.nseries = 2;
	c.markers = false;
	check_chart(&s, "line_31", 800, 400);
	check_chart(&s, "line_tiny", 130, 90);
	c.ncat = 0;
	check_chart(&s, "line_empty", 500, 300);
}

static void
test_invalid(void **state)
{
	struct chart_style st;
	cairo_surface_t *surf;
	cairo_t *cr;
	struct chart_bar b = { 0 };
	struct chart_pie p = { 0 };
	struct chart_line l = { 0 };

	(void)state;
	chart_style_defaults(&st);
	surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 100, 100);
	cr = cairo_create(surf);
	b.ncat = 3;
	assert_false(chart_bar_draw(&b, &st, cr, 0, 0, 100, 100));
	b.categories = days;
	b.nseries = 1;
	assert_false(chart_bar_draw(&b, &st, cr, 0, 0, 100, 100));
	b.nseries = 0;
	assert_false(chart_bar_draw(&b, &st, cr, 0, 0, 0, 100));
	assert_false(chart_bar_draw(NULL, &st, cr, 0, 0, 100, 100));
	p.n = 2;
	assert_false(chart_pie_draw(&p, &st, cr, 0, 0, 100, 100));
	l.ncat = 2;
	assert_false(chart_line_draw(&l, &st, cr, 0, 0, 100, 100));
	assert_true(chart_bar_draw(&b, &st, cr, 0, 0, 100, 100));
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
}

static void
test_shared_context(void **state)
{
	cairo_surface_t *surf;
	struct chart_style st;
	PangoFontMap *fm;
	PangoContext *ctx;
	struct chart_bar c = { 0 };
	cairo_t *cr;

	(void)state;
	surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 300);
	cr = cairo_create(surf);
	fm = pango_cairo_font_map_new();
	ctx = pango_font_map_create_context(fm);
	chart_style_defaults(&st);
	st.pango = ctx;
	c.categories = days;
	c.ncat = 7;
	c.series = series;
	c.nseries = 3;
	c.y_label = "アクセス数(件)";
	assert_true(chart_bar_draw(&c, &st, cr, 0, 0, 400, 300));
	assert_true(chart_bar_draw(&c, &st, cr, 0, 0, 400, 300));
	assert_int_equal(st.unknown_glyphs, 0);
	/* a face without Japanese: unknown glyphs are counted and shown */
	chart_style_defaults(&st);
	st.font_family = "Noto Sans CJK JP";
	st.pango = ctx;
	c.y_label = "\xf3\xb0\x80\x80 private use";
	assert_true(chart_bar_draw(&c, &st, cr, 0, 0, 400, 300));
	assert_true(st.unknown_glyphs > 0);
	assert_string_equal(st.first_unknown, "\xf3\xb0\x80\x80");
	g_object_unref(ctx);
	g_object_unref(fm);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_palette),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_pie),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_shared_context),
	};
	int rc;

	fill_data();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	pango_cairo_font_map_set_default(NULL);
	return rc;
}
