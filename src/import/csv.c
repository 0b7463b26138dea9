#include "csv.h"

#include "textfile.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CSV_READ_BUF (256 * 1024)

static void
msgf(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
msgf(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (msg == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

bool
csv_date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int n;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	n = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		n = 29;
	return d <= n;
}

static bool
isdig(char c)
{
	return c >= '0' && c <= '9';
}

bool
csv_sensor_valid(const char *s, size_t len)
{
	if (len < 1 || len > CSV_SENSOR_MAX)
		return false;
	for (size_t k = 0; k < len; k++) {
		char c = s[k];

		if (!(isdig(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

int32_t
csv_parse_date(const char *s, size_t len)
{
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdig(s[i]))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!csv_date_valid(y, m, d))
		return -1;
	return y * 10000 + m * 100 + d;
}

int
csv_proto_from_name(const char *s, size_t len)
{
	if (len == 3 && memcmp(s, "tcp", 3) == 0)
		return 6;
	if (len == 3 && memcmp(s, "udp", 3) == 0)
		return 17;
	if (len == 4 && memcmp(s, "icmp", 4) == 0)
		return 1;
	return 0;
}

const char *
csv_proto_name(int proto)
{
	switch (proto) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	default:
		return "?";
	}
}

/* Parses a non-negative decimal integer up to max; 1 ok, 0 not a number,
 * -1 too large. */
static int
parse_uint(const char *s, size_t len, int64_t max, int64_t *out)
{
	int64_t v = 0;

	if (len == 0)
		return 0;
	if (len > 18) {
		/* all digits but too long for the cap: "too large" */
		for (size_t i = 0; i < len; i++)
			if (!isdig(s[i]))
				return 0;
		while (len > 1 && *s == '0') {
			s++;
			len--;
		}
		if (len > 18)
			return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (!isdig(s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 1;
}


static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *const field_names[7] = { "day", "sensor", "proto", "port",
	"country", "accesses", "sources" };

bool
csv_is_header(const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	size_t f = 0;

	if (len > 0 && line[len - 1] == '\r')
		end--;
	while (p <= end && f < 7) {
		const char *q = p, *a, *b;

		while (q < end && *q != ',')
			q++;
		a = p;
		b = q;
		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if ((size_t)(b - a) != strlen(field_names[f]) ||
		    memcmp(a, field_names[f], (size_t)(b - a)) != 0)
			return false;
		f++;
		if (q == end)
			return f == 7;
		p = q + 1;
	}
	return false;
}

enum csv_line_kind
csv_parse_line(const char *line, size_t len, struct csv_row *row, char *msg,
    size_t msglen)
{
	const char *fs[8];
	size_t fl[8];
	size_t nf = 0;
	const char *p, *end;
	int64_t v;
	int rc;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (memchr(line, '\r', len) != NULL) {
		msgf(msg, msglen, "stray carriage return inside the line");
		return CSV_LINE_ERROR;
	}
	if (!utf8_valid(line, len, NULL)) {
		msgf(msg, msglen, "invalid UTF-8");
		return CSV_LINE_ERROR;
	}
	/* Cut a comment: '#' cannot occur in any valid field. */
	p = memchr(line, '#', len);
	end = p != NULL ? p : line + len;
	while (end > line && is_blank(end[-1]))
		end--;
	p = line;
	while (p < end && is_blank(*p))
		p++;
	if (p == end)
		return CSV_LINE_SKIP;

	for (;;) {
		const char *q = p;

		while (q < end && *q != ',')
			q++;
		if (nf == 8)
			break;
		fs[nf] = p;
		fl[nf] = (size_t)(q - p);
		/* blanks around a field are tolerated */
		while (fl[nf] > 0 && is_blank(*fs[nf])) {
			fs[nf]++;
			fl[nf]--;
		}
		while (fl[nf] > 0 && is_blank(fs[nf][fl[nf] - 1]))
			fl[nf]--;
		nf++;
		if (q == end)
			break;
		p = q + 1;
	}
	if (nf != 7) {
		msgf(msg, msglen, "expected 7 fields (%s), found %s%zu", CSV_HEADER,
		    nf == 8 ? "more than " : "", nf == 8 ? (size_t)7 : nf);
		return CSV_LINE_ERROR;
	}
	for (size_t i = 0; i < 7; i++) {
		if (fl[i] == 0) {
			msgf(msg, msglen, "field '%s' is empty", field_names[i]);
			return CSV_LINE_ERROR;
		}
		for (size_t k = 0; k < fl[i]; k++) {
			if ((unsigned char)fs[i][k] >= 0x80 ||
			    (unsigned char)fs[i][k] < 0x20) {
				msgf(msg, msglen,
				    "field '%s' holds a character outside printable ASCII",
				    field_names[i]);
				return CSV_LINE_ERROR;
			}
		}
	}
	memset(row, 0, sizeof(*row));

	row->day = csv_parse_date(fs[0], fl[0]);
	if (row->day < 0) {
		msgf(msg, msglen, "day '%.*s' is not a valid date YYYY-MM-DD",
		    (int)(fl[0] > 32 ? 32 : fl[0]), fs[0]);
		return CSV_LINE_ERROR;
	}
	if (fl[1] > CSV_SENSOR_MAX) {
		msgf(msg, msglen, "sensor name longer than %d characters",
		    CSV_SENSOR_MAX);
		return CSV_LINE_ERROR;
	}
	if (fl[1] > 0 && !csv_sensor_valid(fs[1], fl[1])) {
		msgf(msg, msglen,
		    "sensor '%.*s' may hold only A-Z a-z 0-9 _ . -",
		    (int)fl[1], fs[1]);
		return CSV_LINE_ERROR;
	}
	memcpy(row->sensor, fs[1], fl[1]);
	row->sensor[fl[1]] = '\0';

	if (fl[2] == 1 && fs[2][0] == '*') {
		if (!(fl[3] == 1 && fs[3][0] == '*' && fl[4] == 1 &&
		    fs[4][0] == '*')) {
			msgf(msg, msglen,
			    "a '*' row must have '*' as proto, port and country");
			return CSV_LINE_ERROR;
		}
		if (!(fl[5] == 1 && fs[5][0] == '0' && fl[6] == 1 &&
		    fs[6][0] == '0')) {
			msgf(msg, msglen,
			    "a '*' row marks a sensor-day without traffic: accesses and sources must be 0");
			return CSV_LINE_ERROR;
		}
		row->marker = true;
		return CSV_LINE_ROW;
	}
	row->proto = (uint8_t)csv_proto_from_name(fs[2], fl[2]);
	if (row->proto == 0) {
		msgf(msg, msglen, "proto '%.*s' is not tcp, udp or icmp",
		    (int)(fl[2] > 16 ? 16 : fl[2]), fs[2]);
		return CSV_LINE_ERROR;
	}
	rc = parse_uint(fs[3], fl[3], row->proto == 1 ? 255 : 65535, &v);
	if (rc != 1) {
		msgf(msg, msglen, row->proto == 1 ?
		    "ICMP type '%.*s' is not an integer 0-255" :
		    "port '%.*s' is not an integer 0-65535",
		    (int)(fl[3] > 24 ? 24 : fl[3]), fs[3]);
		return CSV_LINE_ERROR;
	}
	row->port = (uint16_t)v;
	if (fl[4] != 2 || fs[4][0] < 'A' || fs[4][0] > 'Z' || fs[4][1] < 'A' ||
	    fs[4][1] > 'Z') {
		msgf(msg, msglen,
		    "country '%.*s' is not an ISO 3166-1 alpha-2 code (two upper-case letters, ZZ = unknown)",
		    (int)(fl[4] > 16 ? 16 : fl[4]), fs[4]);
		return CSV_LINE_ERROR;
	}
	row->cc[0] = fs[4][0];
	row->cc[1] = fs[4][1];
	row->cc[2] = '\0';
	for (int i = 5; i <= 6; i++) {
		rc = parse_uint(fs[i], fl[i], CSV_COUNT_MAX, &v);
		if (rc == 0) {
			msgf(msg, msglen, "%s '%.*s' is not a non-negative integer",
			    field_names[i], (int)(fl[i] > 24 ? 24 : fl[i]), fs[i]);
			return CSV_LINE_ERROR;
		}
		if (rc < 0) {
			msgf(msg, msglen,
			    "%s '%.*s' is too large (at most 10^15 per row)",
			    field_names[i], (int)(fl[i] > 24 ? 24 : fl[i]), fs[i]);
			return CSV_LINE_ERROR;
		}
		if (i == 5)
			row->accesses = v;
		else
			row->sources = v;
	}
	if (row->sources > row->accesses) {
		msgf(msg, msglen, "sources (%lld) exceed accesses (%lld)",
		    (long long)row->sources, (long long)row->accesses);
		return CSV_LINE_ERROR;
	}
	if (row->accesses > 0 && row->sources == 0) {
		msgf(msg, msglen, "accesses without any source (sources must be >= 1)");
		return CSV_LINE_ERROR;
	}
	return CSV_LINE_ROW;
}

bool
csv_reader_init(struct csv_reader *r, FILE *fp)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->buf = malloc(CSV_READ_BUF);
	return r->buf != NULL;
}

void
csv_reader_finish(struct csv_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

static bool
fill(struct csv_reader *r)
{
	size_t n;

	if (r->eof)
		return false;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len == CSV_READ_BUF)
		return true;
	n = fread(r->buf + r->len, 1, CSV_READ_BUF - r->len, r->fp);
	r->len += n;
	if (n == 0)
		r->eof = true;
	return n > 0;
}

enum csv_read_status
csv_reader_next(struct csv_reader *r, const char **line, size_t *len)
{
	for (;;) {
		char *start = r->buf + r->pos;
		size_t avail = r->len - r->pos;
		char *nl = memchr(start, '\n', avail);

		if (nl != NULL || (r->eof && avail > 0)) {
			size_t n = nl != NULL ? (size_t)(nl - start) : avail;

			r->lineno++;
			r->pos += n + (nl != NULL);
			if (!r->bom_checked) {
				r->bom_checked = true;
				if (n >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) {
					start += 3;
					n -= 3;
				}
			}
			if (n - (n > 0 && start[n - 1] == '\r') > CSV_LINE_MAX)
				return CSV_READ_TOOLONG;
			if (memchr(start, '\0', n) != NULL)
				return CSV_READ_NUL;
			*line = start;
			*len = n;
			return CSV_READ_LINE;
		}
		if (r->eof)
			return ferror(r->fp) ? CSV_READ_IOERR : CSV_READ_EOF;
		if (avail == CSV_READ_BUF) {
			/* a line longer than the buffer: skip to its end */
			r->lineno++;
			r->bom_checked = true;
			for (;;) {
				r->pos = r->len = 0;
				if (!fill(r))
					return ferror(r->fp) ? CSV_READ_IOERR :
					    CSV_READ_TOOLONG;
				nl = memchr(r->buf, '\n', r->len);
				if (nl != NULL) {
					r->pos = (size_t)(nl - r->buf) + 1;
					return CSV_READ_TOOLONG;
				}
			}
		}
		if (!fill(r) && ferror(r->fp))
			return CSV_READ_IOERR;
	}
}
