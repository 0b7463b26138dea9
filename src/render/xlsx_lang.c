#include "xlsx_lang.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <zlib.h>

#include "atomic.h"

/* ---- a growing buffer ---- */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s escaped for an XML attribute value */
static void
put_attr(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': puts_(b, "&amp;"); break;
		case '<': puts_(b, "&lt;"); break;
		case '>': puts_(b, "&gt;"); break;
		case '"': puts_(b, "&quot;"); break;
		default: put(b, s, 1);
		}
	}
}

/* ---- the chart part ---- */

/* The text run property elements of DrawingML. */
static const char *const RPR[] = { "a:rPr", "a:defRPr", "a:endParaRPr" };

/* 0..2 if p starts the start tag of an RPR element, else -1 */
static int
rpr_at(const char *p, const char *end)
{
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(RPR[i]);

		if ((size_t)(end - p) > n + 1 && p[0] == '<' &&
		    memcmp(p + 1, RPR[i], n) == 0 &&
		    (p[1 + n] == ' ' || p[1 + n] == '/' || p[1 + n] == '>'))
			return i;
	}
	return -1;
}

static const char *
find(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	for (; (size_t)(end - p) >= n; p++)
		if (*p == *s && memcmp(p, s, n) == 0)
			return p;
	return NULL;
}

/* copies the start tag [p, q) with lang="…" set to lang */
static void
put_start(struct buf *b, const char *p, const char *q, const char *lang)
{
	const char *a = find(p, q, " lang=\"");
	const char *v;

	if (a == NULL || (v = memchr(a + 7, '"', (size_t)(q - a - 7))) == NULL) {
		put(b, p, (size_t)(q - p));
		return;
	}
	put(b, p, (size_t)(a + 7 - p));
	put_attr(b, lang);
	put(b, v, (size_t)(q - v));
}

static void
put_faces(struct buf *b, const char *font)
{
	static const char *const el[] = { "a:latin", "a:ea", "a:cs" };

	for (int i = 0; i < 3; i++) {
		puts_(b, "<");
		puts_(b, el[i]);
		puts_(b, " typeface=\"");
		put_attr(b, font);
		puts_(b, "\"/>");
	}
}

/* the content [p, end) of a text run property element: after every
 * <a:latin …/>, the same as <a:ea …/> and <a:cs …/>; true if it had one */
static bool
put_content(struct buf *b, const char *p, const char *end)
{
	bool latin = false;
	const char *l, *q;

	while ((l = find(p, end, "<a:latin ")) != NULL &&
	    (q = find(l, end, "/>")) != NULL) {
		put(b, p, (size_t)(q + 2 - p));
		/* a:ea and a:cs take a:latin's attributes (CT_TextFont) */
		puts_(b, "<a:ea");
		put(b, l + 8, (size_t)(q + 2 - l - 8));
		puts_(b, "<a:cs");
		put(b, l + 8, (size_t)(q + 2 - l - 8));
		p = q + 2;
		latin = true;
	}
	put(b, p, (size_t)(end - p));
	return latin;
}

char *
xlsx_chart_lang_xml(const char *xml, size_t len, const char *lang,
    const char *font, size_t *outlen)
{
	struct buf b = { 0 };
	const char *p = xml, *end = xml + len, *lt;
	const char *clang = "<c:lang val=\"";

	while ((lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
		int k = rpr_at(lt, end);
		const char *gt, *close;
		char closing[32];

		put(&b, p, (size_t)(lt - p));
		p = lt;
		if ((size_t)(end - lt) > strlen(clang) &&
		    memcmp(lt, clang, strlen(clang)) == 0 &&
		    (gt = memchr(lt + strlen(clang), '"',
		    (size_t)(end - lt - strlen(clang)))) != NULL) {
			/* the chart's editing language */
			puts_(&b, clang);
			put_attr(&b, lang);
			p = gt;
			continue;
		}
		if (k < 0 || (gt = memchr(lt, '>', (size_t)(end - lt))) == NULL) {
			put(&b, lt, 1);
			p = lt + 1;
			continue;
		}
		if (gt[-1] == '/') {
			/* <a:rPr …/>: no typeface at all */
			if (font == NULL) {
				put_start(&b, lt, gt + 1, lang);
			} else {
				put_start(&b, lt, gt - 1, lang);
				puts_(&b, ">");
				put_faces(&b, font);
				snprintf(closing, sizeof(closing), "</%s>", RPR[k]);
				puts_(&b, closing);
			}
			p = gt + 1;
			continue;
		}
		put_start(&b, lt, gt + 1, lang);
		snprintf(closing, sizeof(closing), "</%s>", RPR[k]);
		if ((close = find(gt + 1, end, closing)) == NULL) {
			p = gt + 1;
			continue;
		}
		if (!put_content(&b, gt + 1, close) && font != NULL)
			put_faces(&b, font);
		p = close;
	}
	put(&b, p, (size_t)(end - p));
	if (b.oom || b.p == NULL) {
		free(b.p);
		return NULL;
	}
	*outlen = b.len;
	return b.p;
}

/* ---- the zip ---- */

static bool
is_chart_part(const char *name)
{
	size_t n = strlen(name);

	return strncmp(name, "xl/charts/chart", 15) == 0 && n > 19 &&
	    strcmp(name + n - 4, ".xml") == 0 && strchr(name + 10, '/') == NULL;
}

/* copies the current entry of uf to zf; false with *what set */
static bool
copy_entry(unzFile uf, zipFile zf, const char *lang, const char *font,
    const char **what)
{
	unz_file_info info;
	zip_fileinfo zi;
	char name[512];
	char extra[1024];
	int method, level;
	bool chart;
	char *data = NULL, *out = NULL;
	size_t outlen;
	bool ok = false;

	*what = "cannot read the written workbook";
	if (unzGetCurrentFileInfo(uf, &info, name, sizeof(name), extra,
	    sizeof(extra), NULL, 0) != UNZ_OK || info.size_filename >=
	    sizeof(name) || info.size_file_extra > sizeof(extra))
		return false;
	memset(&zi, 0, sizeof(zi));
	zi.tmz_date.tm_sec = info.tmu_date.tm_sec;
	zi.tmz_date.tm_min = info.tmu_date.tm_min;
	zi.tmz_date.tm_hour = info.tmu_date.tm_hour;
	zi.tmz_date.tm_mday = info.tmu_date.tm_mday;
	zi.tmz_date.tm_mon = info.tmu_date.tm_mon;
	zi.tmz_date.tm_year = info.tmu_date.tm_year;
	zi.dosDate = info.dosDate;
	zi.internal_fa = info.internal_fa;
	zi.external_fa = info.external_fa;
	chart = is_chart_part(name) && info.compression_method == Z_DEFLATED;
	if (unzOpenCurrentFile2(uf, &method, &level, chart ? 0 : 1) != UNZ_OK)
		return false;
	if (chart) {
		uLong n = info.uncompressed_size;

		if ((data = malloc(n + 1)) == NULL ||
		    unzReadCurrentFile(uf, data, (unsigned)n) != (int)n ||
		    unzCloseCurrentFile(uf) != UNZ_OK)
			goto done;
		*what = "out of memory";
		if ((out = xlsx_chart_lang_xml(data, n, lang, font,
		    &outlen)) == NULL)
			goto done;
		*what = "cannot write the workbook";
		/* level 1: at the default level, deflating the chart parts took a
		 * tenth of a workbook's time; the sample workbook grows 7 % */
		if (zipOpenNewFileInZip3(zf, name, &zi, extra,
		    info.size_file_extra, NULL, 0, NULL, Z_DEFLATED,
		    Z_BEST_SPEED, 0, -MAX_WBITS, DEF_MEM_LEVEL,
		    Z_DEFAULT_STRATEGY, NULL, 0) != ZIP_OK ||
		    zipWriteInFileInZip(zf, out, (unsigned)outlen) != ZIP_OK ||
		    zipCloseFileInZip(zf) != ZIP_OK)
			goto done;
	} else {
		/* copied compressed as it is */
		uLong left = info.compressed_size;
		char chunk[65536];

		*what = "cannot write the workbook";
		if (zipOpenNewFileInZip2(zf, name, &zi, extra,
		    info.size_file_extra, NULL, 0, NULL, method, level,
		    1) != ZIP_OK)
			goto done;
		while (left > 0) {
			unsigned want = left > sizeof(chunk) ? sizeof(chunk) :
			    (unsigned)left;

			if (unzReadCurrentFile(uf, chunk, want) != (int)want) {
				*what = "cannot read the written workbook";
				goto done;
			}
			if (zipWriteInFileInZip(zf, chunk, want) != ZIP_OK)
				goto done;
			left -= want;
		}
		if (zipCloseFileInZipRaw(zf, info.uncompressed_size,
		    info.crc) != ZIP_OK)
			goto done;
		unzCloseCurrentFile(uf);
	}
	ok = true;
done:
	if (!ok && !chart)
		unzCloseCurrentFile(uf);
	free(data);
	free(out);
	return ok;
}

bool
xlsx_chart_lang(const char *tmp, const char *path, const char *lang,
    const char *font, struct err *e)
{
	unzFile uf;
	zipFile zf = NULL;
	char *next;
	size_t n = strlen(tmp) + 8;
	const char *what = "cannot read the written workbook";
	int r;
	bool ok = false;

	if ((next = malloc(n)) == NULL)
		return err_set(e, "%s: out of memory", path);
	snprintf(next, n, "%s.lang", tmp);
	if ((uf = unzOpen(tmp)) == NULL)
		goto done;
	atomic_extra_add(next);
	what = "cannot write the workbook";
	if ((zf = zipOpen(next, APPEND_STATUS_CREATE)) == NULL)
		goto done;
	for (r = unzGoToFirstFile(uf); r == UNZ_OK; r = unzGoToNextFile(uf))
		if (!copy_entry(uf, zf, lang, font, &what))
			goto done;
	if (r != UNZ_END_OF_LIST_OF_FILE) {
		what = "cannot read the written workbook";
		goto done;
	}
	what = "cannot write the workbook";
	r = zipClose(zf, NULL);
	zf = NULL;
	if (r != ZIP_OK || rename(next, tmp) != 0)
		goto done;
	ok = true;
done:
	if (zf != NULL)
		zipClose(zf, NULL);
	if (uf != NULL)
		unzClose(uf);
	if (!ok) {
		unlink(next);
		err_set(e, "%s: %s", path, what);
	}
	atomic_extra_remove(next);
	free(next);
	return ok;
}
