/* fuzz_logline.c — firewall LOG lines: logline_parse() on each line of the
 * input, and logline_read_file() on the whole input as a file.
 *
 * Byte 0 sets the options: bit 0 a --year (2026), bit 1 the zone
 * Asia/Tokyo for zone-less stamps (else UTC).  The rest is the text.
 *
 * Invariants: a line gives an event, a skip reason or an error with a
 * non-empty one-line message without control characters; an event is
 * IPv4/IPv6 TCP/UDP/ICMP with an ICMP type <= 255; a line without " IN="
 * is never an event nor an error.  The file reader accounts for every line
 * (events + skips == lines read) or fails with "FILE:LINE: ".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "ingest.h"
#include "ingest_internal.h"
#include "fuzz_common.h"

static char path[96];
static struct ingest_tz *tokyo;

static bool
on_event(void *ctx, const struct ingest_event *ev, struct err *e)
{
	(void)ctx;
	(void)e;
	FUZZ_CHECK(ev->family == 4 || ev->family == 6);
	FUZZ_CHECK(ev->proto == 1 || ev->proto == 6 || ev->proto == 17);
	if (ev->proto == 1)
		FUZZ_CHECK(ev->port <= 255);
	return true;
}

static void
check_line(const uint8_t *p, size_t n, const struct ingest_read_opts *o)
{
	char *line = fuzz_dup(p, n);
	struct ingest_event ev;
	char msg[200];
	int r;

	msg[0] = '\0';
	r = logline_parse(line, n, o, &ev, msg, sizeof(msg));
	FUZZ_CHECK(r >= -1 && r <= INGEST_EVENT);
	if (r == -1) {
		FUZZ_CHECK(msg[0] != '\0');
		for (const char *c = msg; *c; c++)
			FUZZ_CHECK((unsigned char)*c >= 0x20 &&
			    (unsigned char)*c < 0x7f);
	} else if (r == INGEST_EVENT) {
		on_event(NULL, &ev, NULL);
	}
	if (memmem(line, n, " IN=", 4) == NULL)
		FUZZ_CHECK(r == INGEST_SKIP_NOT_LOG);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_read_opts o = { 0, NULL };
	struct ingest_file_stats st;
	struct err e;
	size_t pos = 0;
	int64_t sum;
	FILE *fp;
	bool ok;

	if (size < 1)
		return 0;
	/* without tzdata, zone-less stamps are read as UTC */
	if (tokyo == NULL)
		tokyo = ingest_tz_open("Asia/Tokyo", &e);
	if (data[0] & 1)
		o.year = 2026;
	if (data[0] & 2)
		o.tz = tokyo;
	data++;
	size--;
	while (pos < size) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t n = nl != NULL ? (size_t)(nl - (data + pos)) : size - pos;

		check_line(data + pos, n, &o);
		pos += n + 1;
	}
	if (path[0] == '\0')
		fuzz_tmp_path(path, sizeof(path), "fuzz_logline", "");
	fp = fopen(path, "wb");
	FUZZ_CHECK(fp != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, fp) == size);
	FUZZ_CHECK(fclose(fp) == 0);
	memset(&st, 0, sizeof(st));
	e.msg[0] = '\0';
	ok = logline_read_file(path, &o, on_event, NULL, &st, &e);
	unlink(path);
	if (!ok) {
		char want[80];
		snprintf(want, sizeof(want), "%s:%lld: ", path,
		    (long long)st.packets);
		FUZZ_CHECK(strncmp(e.msg, want, strlen(want)) == 0);
		return 0;
	}
	sum = st.events;
	for (int i = 0; i < INGEST_SKIP_N; i++)
		sum += st.skipped[i];
	FUZZ_CHECK(sum == st.packets);
	return 0;
}
