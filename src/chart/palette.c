/* palette.c — colour-blind-safe series colours.
 *
 * The 8 Okabe–Ito colours (Okabe & Ito, "Color Universal Design", 2008),
 * ordered so that neighbours in a stack differ in lightness, then 12 from
 * Paul Tol's muted and light schemes (https://personal.sron.nl/~pault/).
 */
#include <string.h>

#include "chart_internal.h"

static const char *const palette[] = {
	/* Okabe–Ito */
	"#0072B2", /* blue */
	"#E69F00", /* orange */
	"#009E73", /* bluish green */
	"#D55E00", /* vermillion */
	"#56B4E9", /* sky blue */
	"#CC79A7", /* reddish purple */
	"#F0E442", /* yellow */
	"#000000", /* black */
	/* Paul Tol muted */
	"#332288", /* indigo */
	"#DDCC77", /* sand */
	"#117733", /* green */
	"#CC6677", /* rose */
	"#88CCEE", /* cyan */
	"#882255", /* wine */
	"#44AA99", /* teal */
	"#999933", /* olive */
	"#AA4499", /* purple */
	/* Paul Tol light */
	"#EE8866", /* light orange */
	"#BBCC33", /* pear */
	"#77AADD", /* light blue */
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
