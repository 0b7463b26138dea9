/* xlsx_lang.h — mark a written workbook's chart text as Japanese.
 *
 * libxlsxwriter writes every chart text run as lang="en-US" with only a
 * Latin typeface, and has no API for the language or the East Asian
 * font; spreadsheet programs then space Japanese text like English.  This
 * rewrites the chart parts (xl/charts/chart*.xml) of a finished .xlsx in
 * place: lang="ja-JP", and for every <a:latin typeface="F"/> the
 * <a:ea typeface="F"/><a:cs typeface="F"/> that follow it.  Every other
 * entry is copied compressed as it is, in the same order, with the same
 * dates, so the result is as reproducible as libxlsxwriter's own. */
#ifndef TALOT_XLSX_LANG_H
#define TALOT_XLSX_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Rewrites the workbook file tmp (a temporary file) for language tag
 * lang ("ja-JP"); font, if not NULL, is set where a text run names no
 * typeface.  path names the output in errors; on failure tmp may be
 * left as it was or removed, and e = "PATH: reason". */
bool xlsx_chart_lang(const char *tmp, const char *path, const char *lang,
    const char *font, struct err *e);

/* The chart part xml[0..len) rewritten (malloc'ed, *outlen set), or NULL
 * when out of memory.  Exposed for the unit tests. */
char *xlsx_chart_lang_xml(const char *xml, size_t len, const char *lang,
    const char *font, size_t *outlen);

#endif
