/* csv.h — the talot interchange format (SPEC §3): one line, one row.
 *
 *   day,sensor,proto,port,country,accesses,sources
 *   2007-06-04,s01,tcp,135,CN,120,31
 *   2007-06-05,s07,*,*,*,0,0          (observed sensor-day without traffic)
 *
 * csv_parse_line() is pure: it validates one data line into a csv_row or
 * explains in a short message what is wrong.  csv_reader streams a file line
 * by line with a bounded buffer, so memory does not grow with file size.
 */
#ifndef TALOT_CSV_H
#define TALOT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSV_HEADER "day,sensor,proto,port,country,accesses,sources"
#define CSV_SENSOR_MAX 64
#define CSV_LINE_MAX 4096          /* longer lines are refused */
#define CSV_COUNT_MAX INT64_C(1000000000000000) /* 10^15 per row */

struct csv_row {
	int32_t day;                   /* YYYYMMDD */
	char sensor[CSV_SENSOR_MAX + 1];
	bool marker;                   /* the all-* row: proto/port/cc unset */
	uint8_t proto;                 /* 1 icmp, 6 tcp, 17 udp */
	uint16_t port;                 /* port, or ICMP type */
	char cc[3];                    /* "CN", "ZZ" */
	int64_t accesses;
	int64_t sources;
};

enum csv_line_kind { CSV_LINE_ROW, CSV_LINE_SKIP, CSV_LINE_ERROR };

/* Parses one line (without its line ending; a trailing '\r' is allowed).
 * Comment lines ('#' first non-blank) and blank lines give CSV_LINE_SKIP;
 * a "# ..." after the last field is ignored.  On CSV_LINE_ERROR a message
 * without place is written into msg (msglen bytes). */
enum csv_line_kind csv_parse_line(const char *line, size_t len,
    struct csv_row *row, char *msg, size_t msglen);

/* True if line (without line ending) is the header, blanks around fields
 * allowed. */
bool csv_is_header(const char *line, size_t len);

/* YYYYMMDD of a valid date string "YYYY-MM-DD" (years 1970..9999), or -1. */
int32_t csv_parse_date(const char *s, size_t len);
bool csv_date_valid(int y, int m, int d);

/* True if s[0..len) is a sensor name: 1 to CSV_SENSOR_MAX characters of
 * A-Z a-z 0-9 _ . - (the same rule for the CSV and `talot ingest`). */
bool csv_sensor_valid(const char *s, size_t len);

/* Protocol number from name ("tcp" -> 6), or 0.  And back. */
int csv_proto_from_name(const char *s, size_t len);
const char *csv_proto_name(int proto);

/* ---- streaming reader ---- */
struct csv_reader {
	FILE *fp;
	char *buf;        /* CSV_READ_BUF bytes */
	size_t len, pos;  /* valid bytes, read position */
	bool eof;
	unsigned long lineno;  /* number of the line last returned */
	bool bom_checked;
};

/* Does not take ownership of fp. */
bool csv_reader_init(struct csv_reader *r, FILE *fp);
void csv_reader_finish(struct csv_reader *r);

enum csv_read_status { CSV_READ_LINE, CSV_READ_EOF, CSV_READ_TOOLONG,
	CSV_READ_NUL, CSV_READ_IOERR };
/* Returns the next line in *line and *len (valid until the next call), without
 * its '\n'.  A line longer than CSV_LINE_MAX is skipped and reported as
 * CSV_READ_TOOLONG (lineno set); a line with a NUL byte as CSV_READ_NUL. */
enum csv_read_status csv_reader_next(struct csv_reader *r, const char **line,
    size_t *len);

#endif
