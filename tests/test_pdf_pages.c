/* test_pdf_pages.c — pages drawn in one thread and written by another
 * (pdf_pages.c): every page arrives, in order and with its drawing, its
 * link areas and its outline entries, over many more pages than the writer
 * is allowed to fall behind; a page whose drawing failed is refused with
 * cairo's error, and the pages around it are still written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "pdf_pages.h"

#define W 200.0
#define H 100.0

struct out {
	unsigned char *s;
	size_t n, cap;
};

static cairo_status_t
out_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct out *o = closure;

	if (o->n + len > o->cap) {
		size_t cap = (o->n + len) * 2;
		unsigned char *s = realloc(o->s, cap);

		if (s == NULL)
			return CAIRO_STATUS_NO_MEMORY;
		o->s = s;
		o->cap = cap;
	}
	memcpy(o->s + o->n, data, len);
	o->n += len;
	return CAIRO_STATUS_SUCCESS;
}

static size_t
count(const struct out *o, const char *needle)
{
	size_t k = 0, m = strlen(needle);

	for (size_t i = 0; m <= o->n && i <= o->n - m; i++)
		if (memcmp(o->s + i, needle, m) == 0)
			k++;
	return k;
}

/* The content streams of the PDF inflated and joined, in file order
 * (cairo writes a page's form before the next page). */
static char *
inflate_all(const struct out *o, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *all = malloc(cap);

	assert_non_null(all);
	for (size_t i = 0; i + 7 < o->n; i++) {
		z_stream z;
		unsigned char buf[65536];
		int r;

		if (memcmp(o->s + i, "stream\n", 7) != 0)
			continue;
		memset(&z, 0, sizeof(z));
		assert_int_equal(inflateInit(&z), Z_OK);
		z.next_in = o->s + i + 7;
		z.avail_in = (uInt)(o->n - i - 7);
		do {
			z.next_out = buf;
			z.avail_out = sizeof(buf);
			r = inflate(&z, Z_NO_FLUSH);
			if (n + sizeof(buf) - z.avail_out + 1 > cap) {
				cap *= 2;
				all = realloc(all, cap);
				assert_non_null(all);
			}
			memcpy(all + n, buf, sizeof(buf) - z.avail_out);
			n += sizeof(buf) - z.avail_out;
		} while (r == Z_OK);
		inflateEnd(&z);
		all[n++] = '\n';
	}
	all[n] = '\0';
	*len = n;
	return all;
}

/* Page k is a rectangle k + 1 points wide at (1, 1): "1 1 K 2 re". */
static void
draw_page(cairo_t *cr, int k)
{
	cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
	cairo_rectangle(cr, 1, 1, k + 1, 2);
	cairo_fill(cr);
}

static void
write_pages(int npages, struct out *o, int bad_page)
{
	cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(out_write,
	    o, W, H);
	struct pdf_pages *pp = pdf_pages_start(surf, W, H);
	int sec = 0;

	assert_non_null(pp);
	for (int k = 0; k < npages; k++) {
		cairo_t *cr = pdf_pages_begin(pp);
		char link[64], title[32];

		assert_non_null(cr);
		draw_page(cr, k);
		if (k == bad_page)
			cairo_restore(cr);   /* no cairo_save(): an error */
		snprintf(title, sizeof(title), "page %d", k + 1);
		snprintf(link, sizeof(link), "page=%d pos=[0 0]", k + 1);
		if (k % 10 == 0) {
			sec = pdf_pages_outline(pp, 0, title, link,
			    CAIRO_PDF_OUTLINE_FLAG_OPEN);
			assert_true(sec > 0);
		} else {
			assert_true(pdf_pages_outline(pp, sec, title, link,
			    0) > sec);
		}
		snprintf(link, sizeof(link),
		    "uri='https://example.org/%d' rect=[1 1 %d 2]", k, k + 1);
		assert_true(pdf_pages_link(pp, link));
		if (k == bad_page)
			assert_int_equal(pdf_pages_end(pp, cr),
			    CAIRO_STATUS_INVALID_RESTORE);
		else
			assert_int_equal(pdf_pages_end(pp, cr),
			    CAIRO_STATUS_SUCCESS);
	}
	assert_int_equal(pdf_pages_finish(pp), CAIRO_STATUS_SUCCESS);
	cairo_surface_finish(surf);
	assert_int_equal(cairo_surface_status(surf), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(surf);
}

/* 60 pages, 30 times what the writer may fall behind: all of them, each
 * with its own rectangle, in order, its link and its outline entry. */
static void
test_many_pages(void **state)
{
	struct out o = { 0 };
	size_t len;
	char *all, *at;

	(void)state;
	write_pages(60, &o, -1);
	assert_int_equal(count(&o, "/Type /Page %"), 60);
	assert_int_equal(count(&o, "/Subtype /Link"), 60);
	assert_int_equal(count(&o, "/Title (page "), 60);
	assert_int_equal(count(&o, "/URI (https://example.org/"), 60);
	all = inflate_all(&o, &len);
	at = all;
	for (int k = 0; k < 60; k++) {
		char re[32];

		snprintf(re, sizeof(re), "1 1 %d 2 re", k + 1);
		at = strstr(at, re);
		assert_non_null(at);   /* page k, after page k - 1 */
		at += strlen(re);
	}
	free(all);
	free(o.s);
}

/* The third page's drawing fails: it is refused (and not written), the
 * others are. */
static void
test_failed_page(void **state)
{
	struct out o = { 0 };

	(void)state;
	write_pages(5, &o, 2);
	assert_int_equal(count(&o, "/Type /Page %"), 4);
	free(o.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_pages),
		cmocka_unit_test(test_failed_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
