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
#include "chart_internal.h"
#include "fmt.h"

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

/* ---- label placement: fixtures at the extremes ---- */

#define BIG 3000
#define NBOX 40000

static struct chart_label_box boxes[NBOX];
static char big_names[BIG][32];
static const char *big_labels[BIG];
static double big_vals[BIG][250];
static struct chart_series big_series[BIG];
static struct chart_rgb big_colors[BIG];
static double big_pie[BIG];
static char cat_names[250][16];
static const char *cats250[250];

static const struct chart_unit ja_units[] = {
	{ 1e4, "万", NULL }, { 1e8, "億", NULL }, { 1e12, "兆", NULL },
};
/* as templates/en/strings.conf: plural in the axis title, "167 million"
 * at a point */
static const struct chart_unit en_units[] = {
	{ 1e3, "thousands", " thousand" }, { 1e6, "millions", " million" },
	{ 1e9, "billions", " billion" },
};

static void
fill_big(void)
{
	for (size_t j = 0; j < BIG; j++) {
		snprintf(big_names[j], sizeof big_names[j], "%zu/tcp", j + 1);
		big_labels[j] = big_names[j];
		big_colors[j] = chart_palette(j);
		big_pie[j] = 1000 + (double)(j % 7);
		for (size_t i = 0; i < 250; i++)
			big_vals[j][i] = 1000 + (double)((i * 7 + j * 3) % 11);
		big_series[j] = (struct chart_series){ big_names[j],
		    big_colors[j], big_vals[j] };
	}
	for (size_t i = 0; i < 250; i++) {
		snprintf(cat_names[i], sizeof cat_names[i], "%zu/%zu",
		    i / 31 % 12 + 1, i % 31 + 1);
		cats250[i] = cat_names[i];
	}
}

static bool
overlap(const struct chart_label_box *a, const struct chart_label_box *b)
{
	const double eps = 0.01;

	return a->x < b->x + b->w - eps && b->x < a->x + a->w - eps &&
	    a->y < b->y + b->h - eps && b->y < a->y + a->h - eps;
}

/* Draws s into an image with the given style and the labels reported;
 * checks that no two text boxes intersect, no value label covers a
 * marker, and no box leaves the chart's rectangle.  Returns the labels. */
static struct chart_labels
check_labels(const struct sample *s, const char *name,
		const struct chart_style *base, int w, int h)
{
	const char *dir = getenv("TALOT_CHART_PNG_DIR");
	struct chart_labels lb = { boxes, NBOX, 0, 0, 0, 0, 0, 0 };
	struct chart_style st = *base;
	cairo_surface_t *surf;
	cairo_t *cr;
	size_t n, ntext = 0;

	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	st.labels = &lb;
	assert_true(draw(s, &st, cr, MARGIN, MARGIN, w - 2 * MARGIN,
	    h - 2 * MARGIN));
	if (st.unknown_glyphs != 0)
		fail_msg("%s: %zu unknown glyphs, first '%s'", name,
		    st.unknown_glyphs, st.first_unknown);
	assert_true(lb.n <= NBOX);
	assert_true(lb.n > 0);
	n = lb.n;
	assert_true(lb.x == MARGIN && lb.y == MARGIN);
	for (size_t a = 0; a < n; a++) {
		const struct chart_label_box *p = &boxes[a];

		if (p->kind != CHART_LABEL_MARKER)
			ntext++;
		if (p->kind != CHART_LABEL_MARKER &&
		    (p->x < lb.x || p->y < lb.y || p->x + p->w > lb.x + lb.w ||
		    p->y + p->h > lb.y + lb.h))
			fail_msg("%s: label %zu (kind %d) at %.1f,%.1f %.1fx%.1f "
			    "leaves the chart", name, a, (int)p->kind, p->x,
			    p->y, p->w, p->h);
		for (size_t b = a + 1; b < n; b++) {
			const struct chart_label_box *q = &boxes[b];
			bool pm = p->kind == CHART_LABEL_MARKER;
			bool qm = q->kind == CHART_LABEL_MARKER;

			if (pm && qm)
				continue;
			if ((pm && q->kind != CHART_LABEL_VALUE) ||
			    (qm && p->kind != CHART_LABEL_VALUE))
				continue;
			if (overlap(p, q))
				fail_msg("%s: boxes %zu (kind %d, %.1f,%.1f %.1fx%.1f) "
				    "and %zu (kind %d, %.1f,%.1f %.1fx%.1f) "
				    "intersect", name, a, (int)p->kind, p->x,
				    p->y, p->w, p->h, b, (int)q->kind, q->x,
				    q->y, q->w, q->h);
		}
	}
	assert_true(ntext > 0);
	if (dir != NULL && dir[0] != '\0') {
		char path[1024];

		snprintf(path, sizeof path, "%s/%s.png", dir, name);
		assert_int_equal(cairo_surface_write_to_png(surf, path),
		    CAIRO_STATUS_SUCCESS);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	return lb;
}

static size_t
count_kind(const struct chart_labels *lb, enum chart_label_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < lb->n; i++)
		n += boxes[i].kind == k;
	return n;
}

static double
max_width(const struct chart_labels *lb, enum chart_label_kind k)
{
	double m = 0;

	for (size_t i = 0; i < lb->n; i++)
		if (boxes[i].kind == k && boxes[i].w > m)
			m = boxes[i].w;
	return m;
}

/* The vertical span of the tick label centres: the plot's height. */
static double
tick_span(const struct chart_labels *lb, double *top, double *bottom)
{
	double lo = INFINITY, hi = -INFINITY;

	for (size_t i = 0; i < lb->n; i++)
		if (boxes[i].kind == CHART_LABEL_TICK) {
			double c = boxes[i].y + boxes[i].h / 2;

			lo = fmin(lo, c);
			hi = fmax(hi, c);
		}
	if (top != NULL)
		*top = lo;
	if (bottom != NULL)
		*bottom = hi;
	return hi - lo;
}

static void
test_labels_huge(void **state)
{
	static double a[12], b[12], d[31];
	struct chart_series ls[2] = {
		{ "アクセス数", { 0.0, 0.45, 0.7 }, a },
		{ "発信元数", { 0.9, 0.6, 0.0 }, b },
	};
	struct chart_line c = { 0 };
	struct chart_series bs[1] = { { "アクセス数", { 0.0, 0.45, 0.7 }, d } };
	struct chart_bar bar = { 0 };
	struct sample s = { LINE, &c }, sb = { BAR, &bar };
	struct chart_style st;
	struct chart_labels lb;

	(void)state;
	for (size_t i = 0; i < 12; i++) {
		a[i] = 1.9e13 - (double)i * 3.1e11;
		b[i] = 4.1e12 - (double)i * 2.7e10;
	}
	for (size_t i = 0; i < 31; i++)
		d[i] = 9.5e11 + (double)(i % 5) * 1.3e11;
	c.categories = months;
	c.ncat = 6;
	c.series = ls;
	c.nseries = 2;
	c.y_label = "アクセス数(件/観測点・日)";
	c.y2_label = "発信元数(/観測点・日)";
	c.markers = true;
	c.value_labels = true;
	chart_style_defaults(&st);
	/* without a scheme: powers of ten, short tick labels too */
	lb = check_labels(&s, "labels_huge_plain", &st, 600, 320);
	assert_true(max_width(&lb, CHART_LABEL_TICK) < 600 * 0.06);
	st.units = ja_units;
	st.nunits = 3;
	lb = check_labels(&s, "labels_huge", &st, 600, 320);
	/* 兆 on the axis: tick labels are short ("20"), not 20,000,000,... */
	assert_true(max_width(&lb, CHART_LABEL_TICK) < 600 * 0.06);
	assert_int_equal(count_kind(&lb, CHART_LABEL_VALUE), 12);
	/* one legend only: the two axis titles, no legend entries */
	assert_int_equal(count_kind(&lb, CHART_LABEL_LEGEND), 0);
	assert_int_equal(count_kind(&lb, CHART_LABEL_TITLE), 2);

	bar.categories = days;
	bar.ncat = 31;
	bar.series = bs;
	bar.nseries = 1;
	bar.y_label = "アクセス数(件)";
	lb = check_labels(&sb, "labels_huge_bar", &st, 600, 320);
	assert_true(max_width(&lb, CHART_LABEL_TICK) < 600 * 0.06);
}

static void
test_labels_250(void **state)
{
	struct chart_line c = { 0 };
	struct chart_bar bar = { 0 };
	struct sample s = { LINE, &c }, sb = { BAR, &bar };
	struct chart_style st;
	struct chart_labels lb;

	(void)state;
	chart_style_defaults(&st);
	c.categories = cats250;
	c.ncat = 250;
	c.series = big_series;
	c.nseries = 2;
	c.y_label = "件数";
	c.y2_label = "発信元";
	c.markers = true;
	c.value_labels = true;
	lb = check_labels(&s, "labels_250_line", &st, 800, 360);
	/* most labels do not fit: they are dropped, not overprinted */
	assert_true(lb.dropped > 0);
	assert_true(count_kind(&lb, CHART_LABEL_VALUE) > 10);
	assert_int_equal(count_kind(&lb, CHART_LABEL_VALUE) + lb.dropped, 500);

	bar.categories = cats250;
	bar.ncat = 250;
	bar.series = big_series;
	bar.nseries = 11;
	bar.y_label = "件数";
	check_labels(&sb, "labels_250_bar", &st, 800, 360);
	/* 250 countries in a pie */
	{
		struct chart_pie p = { big_labels, big_pie, big_colors, 250, 0, NULL };
		struct sample sp = { PIE, &p };

		check_labels(&sp, "labels_250_pie", &st, 600, 360);
	}
}

static void
test_labels_3000(void **state)
{
	struct chart_pie p = { big_labels, big_pie, big_colors, BIG, 0, NULL };
	struct chart_bar bar = { 0 };
	struct chart_line c = { 0 };
	struct sample sp = { PIE, &p }, sb = { BAR, &bar }, s = { LINE, &c };
	struct chart_style st;
	struct chart_labels lb;
	double top, bottom;

	(void)state;
	chart_style_defaults(&st);
	lb = check_labels(&sp, "labels_3000_pie", &st, 600, 360);
	/* the legend is cut short ("… +N"), never spills out */
	assert_true(count_kind(&lb, CHART_LABEL_LEGEND) < 200);

	bar.categories = days;
	bar.ncat = 5;
	bar.series = big_series;
	bar.nseries = BIG;
	bar.y_label = "件数";
	lb = check_labels(&sb, "labels_3000_bar", &st, 600, 360);
	/* the plot keeps at least about min_plot_frac of the height */
	assert_true(tick_span(&lb, &top, &bottom) > (360 - 2 * MARGIN) * 0.5);

	c.categories = days;
	c.ncat = 5;
	c.series = big_series;
	c.nseries = BIG;
	c.markers = true;
	c.value_labels = true;
	check_labels(&s, "labels_3000_line", &st, 600, 360);
}

static void
test_labels_pie(void **state)
{
	static const char *const names[] = {
		"445/tcp", "135/tcp", "1026/udp", "Ping(ICMP)", "その他",
	};
	double v99[5] = { 99000, 500, 500, 0, 0 };
	double eq[5] = { 38, 38, 8, 8, 8 };
	struct chart_rgb cols[5];
	struct chart_pie p = { names, v99, cols, 5, 0, NULL };
	struct sample sp = { PIE, &p };
	struct chart_style st;
	struct chart_labels lb;
	bool named = false;

	(void)state;
	for (size_t i = 0; i < 5; i++)
		cols[i] = chart_palette(i);
	chart_style_defaults(&st);
	lb = check_labels(&sp, "labels_pie_99", &st, 600, 300);
	/* outside labels carry the name: wider than a bare "0.4%" */
	for (size_t i = 0; i < lb.n; i++) {
		double pw;
		struct chart_text t;
		cairo_surface_t *surf = cairo_image_surface_create(
		    CAIRO_FORMAT_RGB24, 10, 10);
		cairo_t *cr = cairo_create(surf);

		assert_true(chart_text_begin(&t, &st, cr));
		chart_text_size(&t, "0.36%", 1, &pw, NULL);
		chart_text_end(&t);
		cairo_destroy(cr);
		cairo_surface_destroy(surf);
		if (boxes[i].kind == CHART_LABEL_VALUE && boxes[i].w > pw * 1.8)
			named = true;
	}
	assert_true(named);
	/* clear of the bottom edge, where a caption follows */
	for (size_t i = 0; i < lb.n; i++)
		if (boxes[i].kind == CHART_LABEL_VALUE)
			assert_true(boxes[i].y + boxes[i].h <=
			    lb.y + lb.h - 2);
	p.values = eq;
	check_labels(&sp, "labels_pie_equal", &st, 600, 300);
	/* a narrow pie: long names are ellipsized or dropped, never clipped */
	p.labels = big_labels;
	check_labels(&sp, "labels_pie_narrow", &st, 220, 200);
}

static void
test_labels_coincide(void **state)
{
	static double a[6] = { 1000, 1100, 900, 1200, 1000, 800 };
	static double b[6] = { 500, 550, 450, 600, 500, 400 };
	struct chart_series ls[2] = {
		{ "アクセス数", { 0.0, 0.45, 0.7 }, a },
		{ "発信元数", { 0.9, 0.6, 0.0 }, b },
	};
	struct chart_line c = { 0 };
	struct sample s = { LINE, &c };
	struct chart_style st;
	struct chart_labels lb;
	size_t k = 0;
	double w0 = 0, w1 = 0;

	(void)state;
	c.categories = months;
	c.ncat = 6;
	c.series = ls;
	c.nseries = 2;
	c.y_label = "アクセス数";
	c.y2_label = "発信元数";
	c.markers = true;
	c.value_labels = true;
	chart_style_defaults(&st);
	/* right axis is exactly half the left: the points coincide */
	lb = check_labels(&s, "labels_coincide", &st, 600, 320);
	/* both series keep all their labels */
	assert_int_equal(count_kind(&lb, CHART_LABEL_VALUE), 12);
	/* the markers of the series drawn underneath are larger, so both
	 * stay visible where they coincide */
	for (size_t i = 0; i < lb.n; i++)
		if (boxes[i].kind == CHART_LABEL_MARKER) {
			if (k < 6)
				w1 = boxes[i].w;   /* series 1 is drawn first */
			else
				w0 = boxes[i].w;
			k++;
		}
	assert_int_equal(k, 12);
	assert_true(w1 > w0 * 1.1);
}

/* Topmost row (in image pixels) with the colour rgb in column px..px+n. */
static int
top_row(cairo_surface_t *surf, int x0, int x1, uint32_t rgb)
{
	unsigned char *data = cairo_image_surface_get_data(surf);
	int stride = cairo_image_surface_get_stride(surf);
	int h = cairo_image_surface_get_height(surf);

	for (int y = 0; y < h; y++)
		for (int x = x0; x < x1; x++) {
			uint32_t pix;

			memcpy(&pix, data + (size_t)y * (size_t)stride +
			    (size_t)x * 4, 4);
			if ((pix & 0xffffff) == rgb)
				return y;
		}
	return -1;
}

static void
test_headroom(void **state)
{
	static double v[5] = { 500, 1000, 400, 600, 200 };
	struct chart_series bs[1] = { { "件数", { 1, 0, 0 }, v } };
	struct chart_bar bar = { 0 };
	struct chart_labels lb = { boxes, NBOX, 0, 0, 0, 0, 0, 0 };
	struct chart_style st;
	cairo_surface_t *surf;
	cairo_t *cr;
	double top, bottom;
	int row;

	(void)state;
	bar.categories = days;
	bar.ncat = 5;
	bar.series = bs;
	bar.nseries = 1;
	bar.y_label = "件数";
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 300);
	cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	chart_style_defaults(&st);
	st.labels = &lb;
	assert_true(chart_bar_draw(&bar, &st, cr, 0, 0, 400, 300));
	cairo_surface_flush(surf);
	tick_span(&lb, &top, &bottom);
	row = top_row(surf, 0, 400, 0xff0000);
	assert_true(row > 0);
	/* the tallest column (1000, a round number) stays clearly below the
	 * top of the axis */
	assert_true((double)row - top >= (bottom - top) * 0.04);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
}

static void
test_units(void **state)
{
	struct chart_style st;
	char buf[64];
	const struct chart_unit *u;

	(void)state;
	chart_style_defaults(&st);
	/* no scheme: powers of ten from 10^8 on */
	assert_null(chart_unit_for(&st, 9e7));
	assert_string_equal(chart_unit_for(&st, 5e12)->name, "×10^12");
	assert_string_equal(chart_unit_for(&st, 2e8)->name, "×10^6");
	st.units = ja_units;
	st.nunits = 3;
	assert_null(chart_unit_for(&st, 999999));
	u = chart_unit_for(&st, 2e6);
	assert_non_null(u);
	assert_string_equal(u->name, "万");
	assert_string_equal(chart_unit_for(&st, 3e9)->name, "億");
	assert_string_equal(chart_unit_for(&st, 2e13)->name, "兆");
	assert_string_equal(chart_format_unit(1.5e12, chart_unit_for(&st,
	    2e13), 0, buf, sizeof buf), "1.50兆");
	assert_string_equal(chart_format_unit(1.234e13, chart_unit_for(&st,
	    2e13), 0, buf, sizeof buf), "12.3兆");
	st.units = en_units;
	assert_string_equal(chart_unit_for(&st, 2.5e9)->name, "billions");
	/* a data label: the number, a space and the singular */
	assert_string_equal(chart_format_unit(1.6667e8, chart_unit_for(&st,
	    2e8), 0, buf, sizeof buf), "167 million");
	assert_string_equal(chart_format_unit(3.333e7, chart_unit_for(&st,
	    4e7), 0, buf, sizeof buf), "33.3 million");
	st.unit_from = 1e4;
	assert_string_equal(chart_unit_for(&st, 2e4)->name, "thousands");

	/* drawn: the axis title carries the unit, the ticks are short */
	{
		static double v[3] = { 1.2e9, 2.4e9, 1.8e9 };
		struct chart_series bs[1] = { { "hits", { 0, 0, 1 }, v } };
		static const char *const m3[] = { "Jan", "Feb", "Mar" };
		struct chart_bar bar = { 0 };
		struct sample sb = { BAR, &bar };
		struct chart_labels lb;
		double plain_title, plain_tick;

		bar.categories = m3;
		bar.ncat = 3;
		bar.series = bs;
		bar.nseries = 1;
		bar.y_label = "Hits";
		chart_style_defaults(&st);
		st.units = en_units;
		st.nunits = 3;
		st.unit_from = 1e30;    /* never: plain numbers */
		lb = check_labels(&sb, "units_plain", &st, 500, 300);
		plain_title = max_width(&lb, CHART_LABEL_TITLE);
		plain_tick = max_width(&lb, CHART_LABEL_TICK);
		st.unit_from = 0;
		lb = check_labels(&sb, "units_billion", &st, 500, 300);
		assert_true(max_width(&lb, CHART_LABEL_TITLE) > plain_title * 2);
		assert_true(max_width(&lb, CHART_LABEL_TICK) < plain_tick / 2);
	}
}

static void
test_missing(void **state)
{
	static double v[31];
	bool miss[31] = { true, true, true };
	struct chart_series bs[1] = { { "件数", { 0, 0, 1 }, v } };
	struct chart_bar bar = { 0 };
	struct chart_line c = { 0 };
	struct sample sb = { BAR, &bar }, s = { LINE, &c };
	struct chart_labels lb;
	struct chart_style st;
	bool month_miss[6] = { false, false, true, false, false, false };
	double mv[6] = { 5, 6, NAN, 7, 8, 9 };
	struct chart_series ms[1] = { { "件数", { 0, 0, 1 }, mv } };
	size_t notes = 0;

	(void)state;
	for (size_t i = 3; i < 31; i++)
		v[i] = 100 + (double)i;
	bar.categories = days;
	bar.ncat = 31;
	bar.series = bs;
	bar.nseries = 1;
	bar.y_label = "件数";
	bar.missing = miss;
	bar.missing_text = "欠測";
	chart_style_defaults(&st);
	lb = check_labels(&sb, "missing_days", &st, 600, 300);
	/* one run of three days: shaded, one word within its slots */
	for (size_t i = 0; i < lb.n; i++)
		if (boxes[i].kind == CHART_LABEL_NOTE) {
			double right_of_run = MARGIN + 0.2 * 600;

			assert_true(boxes[i].x + boxes[i].w < right_of_run);
			notes++;
		}
	assert_int_equal(notes, 1);
	{
		cairo_surface_t *surf = cairo_image_surface_create(
		    CAIRO_FORMAT_RGB24, 600, 300);
		cairo_t *cr = cairo_create(surf);
		double top, bottom;
		int shaded = 0;

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		st.labels = &lb;
		lb.n = 0;
		assert_true(chart_bar_draw(&bar, &st, cr, 0, 0, 600, 300));
		cairo_surface_flush(surf);
		tick_span(&lb, &top, &bottom);
		/* grey shading in the missing days, not in the others */
		for (int y = (int)top + 5; y < (int)bottom - 30; y++) {
			unsigned char *d = cairo_image_surface_get_data(surf);
			int stride = cairo_image_surface_get_stride(surf);
			uint32_t pix;

			for (size_t i = 0; i < lb.n; i++)
				if (boxes[i].kind == CHART_LABEL_NOTE) {
					int x = (int)(boxes[i].x + boxes[i].w / 2);

					memcpy(&pix, d + (size_t)y * (size_t)stride
					    + (size_t)x * 4, 4);
					unsigned r = pix >> 16 & 0xff,
					    g = pix >> 8 & 0xff, b = pix & 0xff;

					if (r == g && g == b && r >= 0xe0 &&
					    r < 0xf8)
						shaded++;
				}
		}
		assert_true(shaded > 20);
		cairo_destroy(cr);
		cairo_surface_destroy(surf);
		st.labels = NULL;
	}
	/* months without data, in a line chart */
	c.categories = months;
	c.ncat = 6;
	c.series = ms;
	c.nseries = 1;
	c.y_label = "件数";
	c.markers = true;
	c.value_labels = true;
	c.missing = month_miss;
	c.missing_text = "データなし";
	lb = check_labels(&s, "missing_months", &st, 600, 300);
	assert_int_equal(count_kind(&lb, CHART_LABEL_NOTE), 1);
}

static void
test_geometry(void **state)
{
	static double small[5] = { 5, 9, 7, 3, 4 };
	static double large[5] = { 52000, 91000, 77000, 30000, 45000 };
	struct chart_series s1[2] = {
		{ "中国", { 0, 0, 1 }, small }, { "米国", { 1, 0, 0 }, small },
	};
	struct chart_series s2[2] = {
		{ "セントビンセント及びグレナディーン諸島", { 0, 0, 1 }, large },
		{ "米国", { 1, 0, 0 }, large },
	};
	struct chart_bar b1 = { 0 }, b2 = { 0 };
	struct sample sa = { BAR, &b1 }, sb = { BAR, &b2 };
	struct chart_geometry g1 = { 0 }, g2 = { 0 };
	struct chart_style st;
	struct chart_labels la, lb;
	cairo_surface_t *surf;
	cairo_t *cr;
	double ra = 0, rb = 0, xa = INFINITY, xb = INFINITY;

	(void)state;
	b1.categories = b2.categories = days;
	b1.ncat = b2.ncat = 5;
	b1.series = s1;
	b2.series = s2;
	b1.nseries = b2.nseries = 2;
	b1.y_label = b2.y_label = "件数";
	chart_style_defaults(&st);
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cr = cairo_create(surf);
	assert_true(chart_bar_measure(&b1, &st, cr, 560, 260, &g1));
	assert_true(chart_bar_measure(&b2, &st, cr, 560, 260, &g2));
	assert_true(g2.axis_width > g1.axis_width);
	chart_geometry_merge(&g1, &g2);
	chart_geometry_apply(&st, &g1);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	la = check_labels(&sa, "geometry_a", &st, 600, 300);
	/* the first category label of each chart sits at the same place */
	for (size_t i = 0; i < la.n; i++) {
		if (boxes[i].kind == CHART_LABEL_TICK)
			ra = fmax(ra, boxes[i].x + boxes[i].w);
		if (boxes[i].kind == CHART_LABEL_CATEGORY)
			xa = fmin(xa, boxes[i].x + boxes[i].w / 2);
	}
	lb = check_labels(&sb, "geometry_b", &st, 600, 300);
	for (size_t i = 0; i < lb.n; i++) {
		if (boxes[i].kind == CHART_LABEL_TICK)
			rb = fmax(rb, boxes[i].x + boxes[i].w);
		if (boxes[i].kind == CHART_LABEL_CATEGORY)
			xb = fmin(xb, boxes[i].x + boxes[i].w / 2);
	}
	assert_true(fabs(ra - rb) < 0.01);
	assert_true(fabs(xa - xb) < 0.01);
}

static void
test_long_legend(void **state)
{
	static char names[11][200];
	static struct chart_series ls[11];
	struct chart_bar bar = { 0 };
	struct sample sb = { BAR, &bar };
	struct chart_style st;
	struct chart_labels lb;

	(void)state;
	for (size_t j = 0; j < 11; j++) {
		snprintf(names[j], sizeof names[j],
		    "%s(とても長い国名の例・その%zu・正式名称)", countries[j], j);
		ls[j] = series[j];
		ls[j].label = names[j];
	}
	bar.categories = days;
	bar.ncat = 31;
	bar.series = ls;
	bar.nseries = 11;
	bar.y_label = "件数";
	chart_style_defaults(&st);
	lb = check_labels(&sb, "long_legend", &st, 600, 300);
	/* the plot keeps (nearly) the full height: the legend is beside it,
	 * its labels ellipsized */
	assert_true(tick_span(&lb, NULL, NULL) > (300 - 2 * MARGIN) * 0.7);
	assert_true(max_width(&lb, CHART_LABEL_LEGEND) < 600 * 0.3);
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
	st.font_family = "BIZ UDPGothic";
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

/* One rounding rule: a chart's number labels round half away from zero,
 * exactly as the text does (fmt_decimal), .5 cases included. */
static void
test_rounding_agrees(void **state)
{
	static const double cases[] = { 0.5, 1.5, 2.5, 3.5, 1086.5, 277.5,
		0.125, 0.375, 2.675, 1.005, 0.05, 0.15, 0.25, 0.35, 12.345,
		999.5, 1234567.5, 0.045 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		for (int d = 0; d <= 2; d++) {
			char a[64], b[64], stripped[64];
			size_t o = 0;

			chart_format_number(cases[i], d, a, sizeof(a));
			for (const char *c = a; *c != '\0'; c++)
				if (*c != ',')
					stripped[o++] = *c;
			stripped[o] = '\0';
			fmt_decimal(cases[i], d, b, sizeof(b));
			if (strcmp(stripped, b) != 0)
				fail_msg("%g at %d decimals: chart '%s', text '%s'",
				    cases[i], d, a, b);
		}
	/* the cases the issue names */
	{
		char a[64];

		assert_string_equal(chart_format_number(2.5, 0, a, sizeof(a)), "3");
		assert_string_equal(chart_format_number(1086.5, 0, a, sizeof(a)),
		    "1,087");
	}
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
		cmocka_unit_test(test_labels_huge),
		cmocka_unit_test(test_labels_250),
		cmocka_unit_test(test_labels_3000),
		cmocka_unit_test(test_labels_pie),
		cmocka_unit_test(test_labels_coincide),
		cmocka_unit_test(test_headroom),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_long_legend),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_shared_context),
		cmocka_unit_test(test_rounding_agrees),
	};
	int rc;

	fill_data();
	fill_big();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	pango_cairo_font_map_set_default(NULL);
	return rc;
}
