/* palette.c — colour-blind-safe series colours.
 *
 * Ten colours and a grey for その他, every pair (the grey included) at
 * least 12 CIEDE2000 apart for normal vision and under simulated
 * deuteranopia and protanopia (Machado, Oliveira & Fernandes 2009,
 * severity 1.0, in linear RGB); tests/test_chart.c checks it.  They come
 * from Okabe–Ito ("Color Universal Design", 2008), Paul Tol's schemes
 * (https://personal.sron.nl/~pault/) and a max–min search over an RGB grid,
 * picked by a max–min search of the union under the three visions, with
 * lightness L* 35–88 so that every colour stands out on white.  Twenty colours cannot keep
 * such a distance (the former 20-colour set had pairs 2 apart under
 * deuteranopia): a figure shows at most as many keys as there are colours.
 */
#include <string.h>

#include "chart_internal.h"

static const char *const palette[] = {
	"#0072B2", /* blue (Okabe–Ito) */
	"#E69F00", /* orange (Okabe–Ito) */
	"#009E73", /* bluish green (Okabe–Ito) */
	"#AA0000", /* dark red */
	"#88CCEE", /* cyan (Tol muted) */
	"#997700", /* dark yellow (Tol medium contrast) */
	"#994455", /* dark red-purple (Tol medium contrast) */
	"#008888", /* teal */
	"#EEDD88", /* light yellow (Tol light) */
	"#6699CC", /* light blue (Tol medium contrast) */
};

#define PALETTE_SIZE (sizeof palette / sizeof palette[0])

static const char palette_other[] = "#B4B4B4";

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
chart_rgb_parse(const char *text, struct chart_rgb *out)
{
	int d[6];

	if (text == NULL || out == NULL)
		return false;
	if (text[0] == '#')
		text++;
	if (strlen(text) != 6)
		return false;
	for (size_t i = 0; i < 6; i++)
		if ((d[i] = hex_digit(text[i])) < 0)
			return false;
	out->r = (d[0] * 16 + d[1]) / 255.0;
	out->g = (d[2] * 16 + d[3]) / 255.0;
	out->b = (d[4] * 16 + d[5]) / 255.0;
	return true;
}

static struct chart_rgb
from_table(const char *hex)
{
	struct chart_rgb c = { 0.5, 0.5, 0.5 };

	(void)chart_rgb_parse(hex, &c);
	return c;
}

struct chart_rgb
chart_palette(size_t i)
{
	return from_table(palette[i % PALETTE_SIZE]);
}

struct chart_rgb
chart_palette_other(void)
{
	return from_table(palette_other);
}

size_t
chart_palette_size(void)
{
	return PALETTE_SIZE;
}

double
chart_rgb_luminance(struct chart_rgb c)
{
	return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

void
chart_set_rgb(cairo_t *cr, struct chart_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}
