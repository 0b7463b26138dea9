/* bulletin_xlsx.h — the workbooks for analysts (libxlsxwriter).
 *
 * The month workbook holds the figures of the month's bulletin as tables
 * and native, editable Excel charts: a summary sheet 概要, then one sheet
 * per figure of the PDF (図1.1 推移, 図2.1.n PORT, 図2.2.1 … 図3.2.2), each
 * with a caption, a table (numbers as numbers, frozen header, autofilter,
 * column widths for Japanese text) and a chart of the figure's kind with
 * the PDF's colours (labels.h).  libxlsxwriter 1.1 has no secondary axis,
 * so the two measures of 図1.1 are two line charts.
 *
 * The range workbook (talot export) holds one row per month of a range
 * (sheet 月別) and monthly tables per port and per country (range.h).
 *
 * Both are written atomically (atomic.h): a failure leaves the previous
 * file untouched.  The document's created date is date (the caller's
 * SOURCE_DATE_EPOCH or now, render_date()), so two writes of the same model
 * and date give identical bytes.  libxlsxwriter reads a date of 0 as
 * "now": 1970-01-01T00:00:00Z is written as 00:00:01, the nearest it can.  Text (labels, captions) is always written as a
 * string, never as a formula.
 */
#ifndef TALOT_BULLETIN_XLSX_H
#define TALOT_BULLETIN_XLSX_H

#include <stdbool.h>
#include <time.h>

#include "catalog.h"
#include "err.h"
#include "model.h"
#include "range.h"

/* Writes the workbook of m to path (conventionally DIR/talot-YYYY-MM.xlsx).
 * m and cat are borrowed for the call; cat may be NULL (labels fall back to
 * codes and default port labels).  warnings (may be NULL) collects the
 * catalogue gaps met.  Returns false with e = "PATH: reason". */
bool bulletin_xlsx_write(const struct month_model *m,
    const struct catalog *cat, time_t date, const char *path,
    struct diag *warnings, struct err *e);

/* Writes the range workbook of r to path, as above. */
bool bulletin_xlsx_write_range(const struct range_model *r,
    const struct catalog *cat, time_t date, const char *path,
    struct diag *warnings, struct err *e);

#endif
