/* png_diff.c — compares two PNG images (pages rasterised by pdftoppm) in
 * grey levels within a tolerance, with cairo's PNG loader:
 *
 *   png_diff EXPECTED.png ACTUAL.png
 *
 *   png_diff --blank PAGE.png
 *
 * prints the share of an A4 page's text area (72 pt from the top to 70 pt
 * from the bottom, as bulletin_pdf.c sets it) left blank below its last
 * ink, the running footer excluded.
 *
 * Exit 0 when both have the same size, the mean absolute difference is at
 * most MEAN_MAX grey levels and at most SHARE_MAX of the pixels differ by
 * more than PIXEL_MAX (so a moved line of text, a moved figure or a new
 * label fails, and a different antialiasing does not); 1 with one line
 * saying why; 2 when a file cannot be read. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>

#define MEAN_MAX 1.5
#define PIXEL_MAX 48
#define SHARE_MAX 0.004

static double
grey(const unsigned char *row, int x)
{
	uint32_t px = ((const uint32_t *)(const void *)row)[x];

	return 0.299 * ((px >> 16) & 0xff) + 0.587 * ((px >> 8) & 0xff) +
	    0.114 * (px & 0xff);
}

static cairo_surface_t *
load(const char *path)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	cairo_surface_t *rgb;
	cairo_t *cr;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "png_diff: %s: %s\n", path,
		    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return NULL;
	}
	/* grey, RGB or with alpha: drawn on white as RGB24 */
	rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
	cr = cairo_create(rgb);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	cairo_surface_flush(rgb);
	return rgb;
}

int
main(int argc, char **argv)
{
	cairo_surface_t *a, *b;
	int w, h, rc = 0;
	double sum = 0, big = 0;

	if (argc == 3 && strcmp(argv[1], "--blank") == 0) {
		const double page_h = 841.890, top = 72, bottom = 841.890 - 70;
		const unsigned char *d;
		int stride, last = -1;

		a = load(argv[2]);
		if (a == NULL)
			return 2;
		w = cairo_image_surface_get_width(a);
		h = cairo_image_surface_get_height(a);
		d = cairo_image_surface_get_data(a);
		stride = cairo_image_surface_get_stride(a);
		for (int y = 0; y < (int)(h * (bottom + 6) / page_h); y++)
			for (int x = 0; x < w; x++)
				if (grey(d + (size_t)y * stride, x) < 200)
					last = y;
		printf("%.3f\n", last < 0 ? 1.0 : fmax(0, (bottom -
		    (last + 1) * page_h / h) / (bottom - top)));
		cairo_surface_destroy(a);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: png_diff EXPECTED.png ACTUAL.png\n");
		return 2;
	}
	a = load(argv[1]);
	b = a != NULL ? load(argv[2]) : NULL;
	if (b == NULL) {
		if (a != NULL)
			cairo_surface_destroy(a);
		return 2;
	}
	w = cairo_image_surface_get_width(a);
	h = cairo_image_surface_get_height(a);
	if (w != cairo_image_surface_get_width(b) ||
	    h != cairo_image_surface_get_height(b)) {
		printf("size %dx%d, expected %dx%d\n",
		    cairo_image_surface_get_width(b),
		    cairo_image_surface_get_height(b), w, h);
		rc = 1;
	} else {
		const unsigned char *da = cairo_image_surface_get_data(a);
		const unsigned char *db = cairo_image_surface_get_data(b);
		int sa = cairo_image_surface_get_stride(a);
		int sb = cairo_image_surface_get_stride(b);

		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double d = fabs(grey(da + (size_t)y * sa, x) -
				    grey(db + (size_t)y * sb, x));

				sum += d;
				big += d > PIXEL_MAX;
			}
		sum /= (double)w * h;
		big /= (double)w * h;
		printf("mean difference %.3f grey levels (at most %.1f), %.3f%% of pixels differ by more than %d (at most %.1f%%)\n",
		    sum, MEAN_MAX, 100 * big, PIXEL_MAX, 100 * SHARE_MAX);
		rc = sum <= MEAN_MAX && big <= SHARE_MAX ? 0 : 1;
	}
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);
	return rc;
}
