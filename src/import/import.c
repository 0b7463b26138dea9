#include "import.h"

#include <errno.h>
#include <string.h>

bool
import_stream(struct store_import *im, FILE *fp, const char *name,
    struct diag *d, struct err *e)
{
	struct csv_reader rd;
	enum csv_read_status st;
	const char *line;
	size_t len;
	bool header = false;
	char msg[512];

	if (!csv_reader_init(&rd, fp))
		return err_set(e, "%s: out of memory", name);
	while ((st = csv_reader_next(&rd, &line, &len)) != CSV_READ_EOF) {
		struct csv_row row;
		struct err re;
		int rc;

		if (st == CSV_READ_IOERR) {
			csv_reader_finish(&rd);
			return err_set(e, "%s: read error: %s", name,
			    strerror(errno));
		}
		if (st == CSV_READ_TOOLONG) {
			diag_error(d, "%s:%lu: line longer than %d bytes", name,
			    rd.lineno, CSV_LINE_MAX);
			continue;
		}
		if (st == CSV_READ_NUL) {
			diag_error(d, "%s:%lu: NUL byte in the line", name,
			    rd.lineno);
			continue;
		}
		if (!header) {
			enum csv_line_kind k = csv_parse_line(line, len, &row,
			    msg, sizeof(msg));

			if (k == CSV_LINE_SKIP && !csv_is_header(line, len))
				continue;
			if (!csv_is_header(line, len)) {
				diag_error(d,
				    "%s:%lu: expected the header line '%s'",
				    name, rd.lineno, CSV_HEADER);
				csv_reader_finish(&rd);
				return true;
			}
			header = true;
			continue;
		}
		switch (csv_parse_line(line, len, &row, msg, sizeof(msg))) {
		case CSV_LINE_SKIP:
			continue;
		case CSV_LINE_ERROR:
			diag_error(d, "%s:%lu: %s", name, rd.lineno, msg);
			continue;
		case CSV_LINE_ROW:
			break;
		}
		re.msg[0] = '\0';
		rc = store_import_row(im, &row, &re);
		if (rc < 0) {
			csv_reader_finish(&rd);
			return err_set(e, "%s:%lu: %s", name, rd.lineno, re.msg);
		}
		if (rc == 0)
			diag_error(d, "%s:%lu: %s", name, rd.lineno, re.msg);
	}
	csv_reader_finish(&rd);
	if (!header)
		diag_error(d, "%s:%lu: no header line '%s'%s", name,
		    rd.lineno ? rd.lineno : 1, CSV_HEADER,
		    rd.lineno ? "" : " (the file is empty)");
	return true;
}

bool
import_files(struct store *s, char *const *files, size_t nfiles,
    struct diag *d, struct import_summary *sum, struct err *e)
{
	struct store_import *im = store_import_begin(s, e);
	bool ok = im != NULL;

	for (size_t i = 0; ok && i < nfiles; i++) {
		FILE *fp = strcmp(files[i], "-") == 0 ? stdin :
		    fopen(files[i], "rb");

		if (fp == NULL) {
			ok = err_set(e, "%s: %s", files[i], strerror(errno));
			break;
		}
		ok = import_stream(im, fp, strcmp(files[i], "-") == 0 ?
		    "<stdin>" : files[i], d, e);
		if (fp != stdin)
			fclose(fp);
	}
	if (ok && d->nerrors == 0)
		ok = store_import_commit(im, sum, e);
	store_import_destroy(im);
	return ok && d->nerrors == 0;
}
