/* fuzz_csv_line.c — csv_parse_line(), csv_is_header() and the streaming
 * csv_reader.
 *
 * Every '\n'-separated line of the input, and the whole input as one line,
 * is parsed; a row must satisfy the format's rules (valid date, sensor
 * charset, proto/port ranges, 0 <= sources <= accesses <= 10^15, ...) and
 * must print back to a line that parses to the same row.  A header line
 * must never parse as a row.
 *
 * The reader runs over fmemopen() of the input and is compared line by line
 * with a plain reference splitter (BOM, CRLF, over-long lines, NUL bytes).
 * An input starting with "#!" also runs the reader over a stream that repeats
 * the input past the reader's 256 KiB buffer with short reads of a size taken
 * from the input, optionally failing with EIO part way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/types.h>

#include "csv.h"
#include "fuzz_common.h"

#define READ_BUF (256 * 1024)  /* csv.c's CSV_READ_BUF */

static bool
sensor_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '_' || c == '.' || c == '-';
}

static void
check_row(const struct csv_row *row)
{
	int y = row->day / 10000, m = row->day / 100 % 100, d = row->day % 100;
	size_t sl = strnlen(row->sensor, sizeof(row->sensor));

	FUZZ_CHECK(csv_date_valid(y, m, d));
	FUZZ_CHECK(sl >= 1 && sl <= CSV_SENSOR_MAX);
	for (size_t i = 0; i < sl; i++)
		FUZZ_CHECK(sensor_char(row->sensor[i]));
	if (row->marker) {
		FUZZ_CHECK(row->proto == 0 && row->port == 0);
		FUZZ_CHECK(row->accesses == 0 && row->sources == 0);
		return;
	}
	FUZZ_CHECK(row->proto == 1 || row->proto == 6 || row->proto == 17);
	if (row->proto == 1)
		FUZZ_CHECK(row->port <= 255);
	FUZZ_CHECK(row->cc[0] >= 'A' && row->cc[0] <= 'Z');
	FUZZ_CHECK(row->cc[1] >= 'A' && row->cc[1] <= 'Z');
	FUZZ_CHECK(row->cc[2] == '\0');
	FUZZ_CHECK(row->sources >= 0);
	FUZZ_CHECK(row->sources <= row->accesses);
	FUZZ_CHECK(row->accesses <= CSV_COUNT_MAX);
	FUZZ_CHECK(row->accesses == 0 || row->sources >= 1);
}

/* Prints row back as a canonical line and parses it again. */
static void
check_roundtrip(const struct csv_row *row)
{
	char line[256], msg[128];
	struct csv_row again;
	int n;

	if (row->marker)
		n = snprintf(line, sizeof(line), "%04d-%02d-%02d,%s,*,*,*,0,0",
		    row->day / 10000, row->day / 100 % 100, row->day % 100,
		    row->sensor);
	else
		n = snprintf(line, sizeof(line),
		    "%04d-%02d-%02d,%s,%s,%u,%s,%lld,%lld", row->day / 10000,
		    row->day / 100 % 100, row->day % 100, row->sensor,
		    csv_proto_name(row->proto), (unsigned)row->port, row->cc,
		    (long long)row->accesses, (long long)row->sources);
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(line));
	FUZZ_CHECK(csv_parse_line(line, (size_t)n, &again, msg, sizeof(msg)) ==
	    CSV_LINE_ROW);
	FUZZ_CHECK(again.day == row->day && again.marker == row->marker &&
	    again.proto == row->proto && again.port == row->port &&
	    again.accesses == row->accesses && again.sources == row->sources &&
	    strcmp(again.sensor, row->sensor) == 0 &&
	    strcmp(again.cc, row->cc) == 0);
}

/* One line (no '\n'), in an exact-size heap copy; msglen varies with the
 * input so that truncated messages are exercised too. */
static void
check_line(const uint8_t *p, size_t n, size_t msglen)
{
	char *line = fuzz_dup(p, n);
	char *msg = malloc(msglen > 0 ? msglen : 1);
	struct csv_row row;
	enum csv_line_kind k;
	bool header;

	if (msg == NULL)
		abort();
	if (msglen > 0)
		msg[0] = '\0';
	k = csv_parse_line(line, n, &row, msglen > 0 ? msg : NULL, msglen);
	FUZZ_CHECK(k == CSV_LINE_ROW || k == CSV_LINE_SKIP ||
	    k == CSV_LINE_ERROR);
	if (k == CSV_LINE_ROW) {
		check_row(&row);
		check_roundtrip(&row);
	}
	if (k == CSV_LINE_ERROR && msglen > 0)
		FUZZ_CHECK(fuzz_terminated(msg, msglen) &&
		    (msglen == 1 || msg[0] != '\0'));
	header = csv_is_header(line, n);
	if (header)
		FUZZ_CHECK(k == CSV_LINE_ERROR);
	free(msg);
	free(line);
}

/* ---- reader ---------------------------------------------------------------- */

/* A stream serving buf[0..len) in reads of at most `chunk` bytes, failing
 * with EIO at byte fail_at (if < len). */
struct cookie {
	const uint8_t *buf;
	size_t len, pos, chunk, fail_at;
};

static ssize_t
cookie_read(void *c_, char *out, size_t size)
{
	struct cookie *c = c_;
	size_t n = c->len - c->pos;

	if (c->pos >= c->fail_at && c->fail_at < c->len) {
		errno = EIO;
		return -1;
	}
	if (n > size)
		n = size;
	if (n > c->chunk)
		n = c->chunk;
	if (c->fail_at < c->len && c->pos + n > c->fail_at)
		n = c->fail_at - c->pos;
	memcpy(out, c->buf + c->pos, n);
	c->pos += n;
	return (ssize_t)n;
}

/* Runs the reader over fp and compares it with the reference split of
 * s[0..len).  With can_fail, the stream may stop with CSV_READ_IOERR; what
 * came before must still match. */
static void
check_reader(FILE *fp, const uint8_t *s, size_t len, bool can_fail,
    bool reuse)
{
	static char *kept;
	struct csv_reader r;
	size_t pos = 0;
	unsigned long lineno = 0;

	if (reuse) {
		/* csv_reader_init() without its 256 KiB malloc, which would
		 * cost most of the time of an execution under ASan */
		if (kept == NULL)
			FUZZ_CHECK((kept = malloc(READ_BUF)) != NULL);
		memset(&r, 0, sizeof(r));
		r.fp = fp;
		r.buf = kept;
	} else {
		FUZZ_CHECK(csv_reader_init(&r, fp));
	}
	for (;;) {
		const char *line = NULL;
		size_t n = 0, seg, segstart, eff;
		const uint8_t *nl;
		enum csv_read_status st = csv_reader_next(&r, &line, &n);
		enum csv_read_status want;

		if (st == CSV_READ_IOERR) {
			FUZZ_CHECK(can_fail);
			break;
		}
		if (pos >= len) {
			FUZZ_CHECK(st == CSV_READ_EOF);
			/* EOF stays EOF */
			FUZZ_CHECK(csv_reader_next(&r, &line, &n) == CSV_READ_EOF);
			break;
		}
		nl = memchr(s + pos, '\n', len - pos);
		seg = nl != NULL ? (size_t)(nl - (s + pos)) : len - pos;
		segstart = pos;
		pos += seg + (nl != NULL);
		lineno++;
		if (lineno == 1 && seg >= 3 && memcmp(s + segstart, "\xEF\xBB\xBF",
		    3) == 0) {
			segstart += 3;
			seg -= 3;
		}
		eff = seg - (seg > 0 && s[segstart + seg - 1] == '\r');
		if (eff > CSV_LINE_MAX)
			want = CSV_READ_TOOLONG;
		else if (memchr(s + segstart, '\0', seg) != NULL)
			want = CSV_READ_NUL;
		else
			want = CSV_READ_LINE;
		/* a failing stream must not look like a clean end */
		FUZZ_CHECK(st != CSV_READ_EOF);
		FUZZ_CHECK(st == want);
		FUZZ_CHECK(r.lineno == lineno);
		if (st == CSV_READ_LINE) {
			FUZZ_CHECK(n == seg);
			FUZZ_CHECK(memcmp(line, s + segstart, n) == 0);
			FUZZ_CHECK(memchr(line, '\n', n) == NULL);
		}
	}
	if (!reuse)
		csv_reader_finish(&r);
}

static void
reader_fmemopen(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	FILE *fp = fmemopen(copy, size, "rb");

	if (fp == NULL) {
		/* glibc refuses size 0; an empty file is tested below */
		FUZZ_CHECK(size == 0);
		fp = fopen("/dev/null", "rb");
		FUZZ_CHECK(fp != NULL);
	}
	check_reader(fp, data, size, false, true);
	fclose(fp);
	free(copy);
}

/* "#!" inputs: byte 2 picks the read size, byte 3 the repeat count, byte 4
 * whether and where the stream fails. */
static void
reader_big(const uint8_t *data, size_t size)
{
	static const size_t chunks[8] = { 1, 7, 512, 4095, 4096, 65536,
		READ_BUF - 1, (size_t)1 << 20 };
	cookie_io_functions_t io = { .read = cookie_read };
	struct cookie c;
	uint8_t *buf;
	size_t reps, len;
	FILE *fp;

	if (size < 5 || data[0] != '#' || data[1] != '!')
		return;
	reps = 1 + (size_t)data[3] * ((READ_BUF + 4096) / 64) / size;
	len = reps * size;
	/* just past one buffer; three buffers (a line skipped over several
	 * refills) only for data[3] == 255, as it costs more */
	if (len > (size_t)READ_BUF + 8192 && data[3] != 255)
		len = (size_t)READ_BUF + 8192;
	if (len > (size_t)3 * READ_BUF)
		len = (size_t)3 * READ_BUF;
	buf = malloc(len);
	if (buf == NULL)
		abort();
	for (size_t o = 0; o < len; o += size)
		memcpy(buf + o, data, len - o < size ? len - o : size);
	c = (struct cookie){ .buf = buf, .len = len,
		.chunk = chunks[data[2] & 7], .fail_at = (size_t)-1 };
	/* at most ~2000 reads, so that an execution stays fast */
	if (c.chunk < len / 2048)
		c.chunk = len / 2048;
	if (data[4] & 1)
		c.fail_at = (size_t)data[4] * len / 256;
	fp = fopencookie(&c, "rb", io);
	FUZZ_CHECK(fp != NULL);
	check_reader(fp, buf, len, c.fail_at < len, false);
	fclose(fp);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 0;

	/* the whole input as one line */
	check_line(data, size, size % 97);
	/* each line */
	while (pos < size) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t n = nl != NULL ? (size_t)(nl - (data + pos)) : size - pos;

		check_line(data + pos, n, 128);
		pos += n + 1;
	}
	reader_fmemopen(data, size);
	reader_big(data, size);
	return 0;
}
