/* test_palette.c — the series palette stays distinct for colour-blind
 * readers.
 *
 * Each colour (and the grey of その他) is simulated for normal vision,
 * deuteranopia and protanopia with the matrices of Machado, Oliveira &
 * Fernandes (2009, "A physiologically-based model for simulation of color
 * vision deficiency", severity 1.0) applied in linear RGB, converted to
 * CIELAB (D65) and compared with CIEDE2000 (Sharma, Wu & Dalal 2005).  Every
 * pair must stay at least PALETTE_MIN_DE00 apart in all three visions.
 *
 * Why 12: a CIEDE2000 difference of about 1 is just noticeable side by side
 * on large patches; the small, separated marks of a chart (a legend
 * swatch, a thin band of a stacked bar) need several times that to be told
 * apart at a glance.  Okabe–Ito's eight colours, the usual reference for
 * colour-blind-safe charts, reach 11.6 among themselves: 12 is at least as
 * strict as that reference, for ten colours plus grey.  The former
 * 20-colour palette reached 2.0 (#56B4E9 / #77AADD); its first ten 9.3.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "chart.h"
#include "model.h"

#define PALETTE_MIN_DE00 12.0

enum vision { NORMAL, DEUTAN, PROTAN, NVISIONS };

static const char *const vision_name[] = { "normal", "deuteranopia",
	"protanopia" };

/* Machado et al. 2009, severity 1.0 (linear RGB). */
static const double machado[NVISIONS][3][3] = {
	{ { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
	{ { 0.367322, 0.860646, -0.227968 },
	  { 0.280085, 0.672501, 0.047413 },
	  { -0.011820, 0.042940, 0.968881 } },
	{ { 0.152286, 1.052583, -0.204868 },
	  { 0.114503, 0.786281, 0.099216 },
	  { -0.003882, -0.048116, 1.051998 } },
};

struct lab {
	double l, a, b;
};

static double
srgb_to_linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
lab_f(double t)
{
	return t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16) / 116;
}

static struct lab
simulate(struct chart_rgb c, enum vision v)
{
	double in[3] = { srgb_to_linear(c.r), srgb_to_linear(c.g),
		srgb_to_linear(c.b) }, l[3];
	double x, y, z, fx, fy, fz;
	struct lab o;

	for (int i = 0; i < 3; i++) {
		l[i] = 0;
		for (int j = 0; j < 3; j++)
			l[i] += machado[v][i][j] * in[j];
		l[i] = l[i] < 0 ? 0 : l[i] > 1 ? 1 : l[i];
	}
	x = 0.4124564 * l[0] + 0.3575761 * l[1] + 0.1804375 * l[2];
	y = 0.2126729 * l[0] + 0.7151522 * l[1] + 0.0721750 * l[2];
	z = 0.0193339 * l[0] + 0.1191920 * l[1] + 0.9503041 * l[2];
	fx = lab_f(x / 0.95047);
	fy = lab_f(y / 1.0);
	fz = lab_f(z / 1.08883);
	o.l = 116 * fy - 16;
	o.a = 500 * (fx - fy);
	o.b = 200 * (fy - fz);
	return o;
}

static double
deg(double r)
{
	return r * 180.0 / M_PI;
}

static double
rad(double d)
{
	return d * M_PI / 180.0;
}

/* CIEDE2000 (kL = kC = kH = 1). */
static double
de2000(struct lab p, struct lab q)
{
	double c1 = hypot(p.a, p.b), c2 = hypot(q.a, q.b), cb = (c1 + c2) / 2;
	double g = 0.5 * (1 - sqrt(pow(cb, 7) / (pow(cb, 7) + pow(25, 7))));
	double a1 = (1 + g) * p.a, a2 = (1 + g) * q.a;
	double c1p = hypot(a1, p.b), c2p = hypot(a2, q.b);
	double h1 = c1p == 0 ? 0 : fmod(deg(atan2(p.b, a1)) + 360, 360);
	double h2 = c2p == 0 ? 0 : fmod(deg(atan2(q.b, a2)) + 360, 360);
	double dl = q.l - p.l, dc = c2p - c1p, dh, dhh, lb, cbp, hb, t, dth;
	double rc, sl, sc, sh, rt;

	if (c1p * c2p == 0)
		dh = 0;
	else {
		dh = h2 - h1;
		if (dh > 180)
			dh -= 360;
		else if (dh < -180)
			dh += 360;
	}
	dhh = 2 * sqrt(c1p * c2p) * sin(rad(dh / 2));
	lb = (p.l + q.l) / 2;
	cbp = (c1p + c2p) / 2;
	if (c1p * c2p == 0)
		hb = h1 + h2;
	else if (fabs(h1 - h2) <= 180)
		hb = (h1 + h2) / 2;
	else if (h1 + h2 < 360)
		hb = (h1 + h2 + 360) / 2;
	else
		hb = (h1 + h2 - 360) / 2;
	t = 1 - 0.17 * cos(rad(hb - 30)) + 0.24 * cos(rad(2 * hb)) +
	    0.32 * cos(rad(3 * hb + 6)) - 0.20 * cos(rad(4 * hb - 63));
	dth = 30 * exp(-pow((hb - 275) / 25, 2));
	rc = 2 * sqrt(pow(cbp, 7) / (pow(cbp, 7) + pow(25, 7)));
	sl = 1 + 0.015 * pow(lb - 50, 2) / sqrt(20 + pow(lb - 50, 2));
	sc = 1 + 0.045 * cbp;
	sh = 1 + 0.015 * cbp * t;
	rt = -sin(rad(2 * dth)) * rc;
	return sqrt(pow(dl / sl, 2) + pow(dc / sc, 2) + pow(dhh / sh, 2) +
	    rt * (dc / sc) * (dhh / sh));
}

/* The formula against Sharma, Wu & Dalal's published test pairs. */
static void
test_de2000_reference(void **state)
{
	static const struct {
		struct lab p, q;
		double de;
	} ref[] = {
		{ { 50, 2.6772, -79.7751 }, { 50, 0, -82.7485 }, 2.0425 },
		{ { 50, 2.5, 0 }, { 50, 0, -2.5 }, 4.3065 },
		{ { 50, 2.5, 0 }, { 73, 25, -18 }, 27.1492 },
		{ { 50, 2.5, 0 }, { 58, 24, 15 }, 19.4535 },
		{ { 60.2574, -34.0099, 36.2677 }, { 60.4626, -34.1751, 39.4387 },
		  1.2644 },
		{ { 22.7233, 20.0904, -46.694 }, { 23.0331, 14.973, -42.5619 },
		  2.0373 },
		{ { 2.0776, 0.0795, -1.135 }, { 0.9033, -0.0636, -0.5514 },
		  0.9082 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
		double d = de2000(ref[i].p, ref[i].q);

		if (fabs(d - ref[i].de) > 1e-4) {
			print_error("pair %zu: %.4f, expected %.4f\n", i, d,
			    ref[i].de);
			fail();
		}
		assert_true(fabs(de2000(ref[i].q, ref[i].p) - d) < 1e-9);
	}
	/* the simulation keeps greys grey and white white */
	{
		struct chart_rgb w = { 1, 1, 1 };

		for (int v = 0; v < NVISIONS; v++)
			assert_true(fabs(simulate(w, (enum vision)v).l - 100) <
			    0.1);
	}
}

/* Ten colours and the grey, every pair apart in every vision. */
static void
test_palette_distinct(void **state)
{
	size_t n = chart_palette_size();
	struct chart_rgb c[32];
	double worst = 1e9;

	(void)state;
	/* a figure shows MODEL_TOP keys + その他; the model colours with
	 * MODEL_COLORS colours; the palette has exactly those */
	assert_int_equal(n, MODEL_COLORS);
	assert_true(MODEL_TOP <= MODEL_COLORS);
	assert_true(n < 32);
	for (size_t i = 0; i < n; i++)
		c[i] = chart_palette(i);
	c[n] = chart_palette_other();
	for (size_t i = 0; i <= n; i++) {
		for (size_t k = i + 1; k <= n; k++) {
			for (int v = 0; v < NVISIONS; v++) {
				double d = de2000(simulate(c[i], (enum vision)v),
				    simulate(c[k], (enum vision)v));

				if (d < worst)
					worst = d;
				if (d < PALETTE_MIN_DE00) {
					print_error("colours %zu and %zu%s: CIEDE2000 %.2f under %s, below %.0f\n",
					    i, k, k == n ? " (その他)" : "", d,
					    vision_name[v], PALETTE_MIN_DE00);
					fail();
				}
			}
		}
	}
	print_message("palette: smallest CIEDE2000 over normal, deuteranopia, protanopia: %.2f\n",
	    worst);
}

/* The other colour is a neutral grey. */
static void
test_other_grey(void **state)
{
	struct chart_rgb o = chart_palette_other();

	(void)state;
	assert_true(fabs(o.r - o.g) < 1e-9 && fabs(o.g - o.b) < 1e-9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_de2000_reference),
		cmocka_unit_test(test_palette_distinct),
		cmocka_unit_test(test_other_grey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
