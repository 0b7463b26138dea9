/* fuzz_capture.c — the capture reader: capture_decode() on one packet of
 * any supported link type, and capture_read_file() on a whole file.
 *
 * Input: byte 0 even → decoder mode: byte 1 picks the link type (of the
 * eight supported), the rest is one packet.  Byte 0 odd → file mode: the
 * rest is written to a temporary file and read as a pcap or pcapng file.
 *
 * Invariants: the decoder returns an event or a skip reason (never -1 for
 * a supported link type); an event is IPv4 or IPv6, TCP, UDP or ICMP, with
 * an ICMP type <= 255, and its addresses are the packet's bytes.  The file
 * reader either fails with a message naming the file, or accounts for
 * every packet (events + skips == packets) and, when it reports a cut last
 * record, places the cut inside the file.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "ingest.h"
#include "ingest_internal.h"
#include "fuzz_common.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

static const int dlts[8] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	DLT_RAW, 228 /* DLT_IPV4 */, 229 /* DLT_IPV6 */, DLT_NULL, DLT_LOOP };

static char path[96];
static int64_t npackets;

static void
check_event(const struct ingest_event *ev)
{
	FUZZ_CHECK(ev->family == 4 || ev->family == 6);
	FUZZ_CHECK(ev->proto == 1 || ev->proto == 6 || ev->proto == 17);
	if (ev->proto == 1)
		FUZZ_CHECK(ev->port <= 255);
	if (ev->family == 4)
		for (int i = 4; i < 16; i++)
			FUZZ_CHECK(ev->src[i] == 0 && ev->dst[i] == 0);
}

static bool
on_event(void *ctx, const struct ingest_event *ev, struct err *e)
{
	(void)ctx;
	(void)e;
	check_event(ev);
	npackets++;
	return true;
}

static void
decoder(const uint8_t *data, size_t size)
{
	struct ingest_event ev;
	int dlt = dlts[size > 0 ? data[0] % 8 : 0];
	uint8_t *pkt;
	size_t n = size > 0 ? size - 1 : 0;
	int r;

	/* an exact-size copy, so that ASan sees any read past the end */
	pkt = (uint8_t *)fuzz_dup(data + (size > 0), n);
	memset(&ev, 0, sizeof(ev));
	r = capture_decode(dlt, pkt, n, &ev);
	FUZZ_CHECK(r >= 0 && r <= INGEST_EVENT);
	if (r == INGEST_EVENT) {
		check_event(&ev);
		/* the source address is somewhere in the packet */
		FUZZ_CHECK(ev.family == 4 ?
		    memmem(pkt, n, ev.src, 4) != NULL :
		    memmem(pkt, n, ev.src, 16) != NULL);
	}
	FUZZ_CHECK(r != INGEST_SKIP_NOT_LOG);
	free(pkt);
}

static void
file(const uint8_t *data, size_t size)
{
	struct ingest_file_stats st;
	struct err e;
	FILE *fp;
	int64_t sum;
	bool ok;

	if (path[0] == '\0')
		fuzz_tmp_path(path, sizeof(path), "fuzz_capture", "");
	fp = fopen(path, "wb");
	FUZZ_CHECK(fp != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, fp) == size);
	FUZZ_CHECK(fclose(fp) == 0);
	memset(&st, 0, sizeof(st));
	e.msg[0] = '\0';
	npackets = 0;
	ok = capture_read_file(path, on_event, NULL, &st, &e);
	unlink(path);
	if (!ok) {
		FUZZ_CHECK(strncmp(e.msg, path, strlen(path)) == 0);
		return;
	}
	sum = st.events;
	for (int i = 0; i < INGEST_SKIP_N; i++) {
		FUZZ_CHECK(st.skipped[i] >= 0);
		sum += st.skipped[i];
	}
	FUZZ_CHECK(sum == st.packets);
	FUZZ_CHECK(npackets == st.events);
	FUZZ_CHECK(st.skipped[INGEST_SKIP_NOT_LOG] == 0);
	if (st.truncated)
		FUZZ_CHECK(st.truncated_at >= -1 &&
		    st.truncated_at <= (int64_t)size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0)
		decoder(data + 1, size - 1);
	else
		file(data + 1, size - 1);
	return 0;
}
