/* bulletin_xlsx.h — the workbooks for analysts (libxlsxwriter).
 *
 * The month workbook is the XLSX renderer of an edition (edition.h): a
 * summary sheet, then one sheet per figure of the edition, each with its
 * caption, a table (numbers as numbers, frozen header, autofilter, column
 * widths for Japanese text) and a native chart of the figure's kind with
 * the edition's colours.  libxlsxwriter 1.1 has no secondary axis, so the
 * two measures of 図1.1 are two line charts.  It reads nothing but the
 * edition.
 *
 * The range workbook (talot export) holds one row per month of a range
 * (sheet 月別) and monthly tables per port and per country (range.h).
 *
 * Both are written atomically (atomic.h): a failure leaves the previous
 * file untouched.  The document's created date is the edition's date
 * (SOURCE_DATE_EPOCH or now, read once by render_date()), so two writes of
 * the same edition give identical bytes.  libxlsxwriter reads a date of 0
 * as "now": 1970-01-01T00:00:00Z is written as 00:00:01, the nearest it
 * can.  Text (labels, captions) is always written as a string, never as a
 * formula.
 */
#ifndef TALOT_BULLETIN_XLSX_H
#define TALOT_BULLETIN_XLSX_H

#include <stdbool.h>
#include <time.h>

#include "atomic.h"
#include "edition.h"
#include "err.h"
#include "range_edition.h"

/* Writes the workbook of ed to path.  Returns false with e = "PATH: reason". */
bool bulletin_xlsx_write(const struct edition *ed, const char *path,
    struct err *e);

/* The same, but leaves the written workbook in af's temporary file, for
 * the caller to atomic_commit() or atomic_abort() (render_month() writes
 * it beside the PDF and keeps it only when the PDF succeeds). */
bool bulletin_xlsx_write_pending(const struct edition *ed, const char *path,
    struct atomic_file *af, struct err *e);
/* Writes the range workbook of red to path, as above. */
bool bulletin_xlsx_write_range(const struct range_edition *red,
    const char *path, struct err *e);

#endif
