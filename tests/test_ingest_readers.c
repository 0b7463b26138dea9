/* test_ingest_readers.c — the readers (captures, LOG lines) and lookups
 * (prefixes, countries, days) of `talot ingest`.
 *
 * Captures and logs are written by tests/gen_capture from one event list;
 * the expected events are written out here by hand from that list (what
 * docs/ingest.md says counts), not computed by the code under test.  The
 * test country database is written by tests/make_mmdb.pl.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <maxminddb.h>
#include <pcap/pcap.h>

#include "ingest.h"
#include "ingest_internal.h"

static char tmpdir[256];
static const char *gen;
static const char *srcdir;

/* 2026-11-30T15:00:00Z, midnight of 1 December in Tokyo */
#define T0 INT64_C(1796050800)

/* The event list, and what each line is (E = an event). */
static const char *const events_txt =
    "# time src dst proto port attrs\n"
    "2026-11-30T14:59:59Z 203.0.113.5 192.0.2.1 tcp 23\n"            /* E */
    "2026-11-30T15:00:00Z 203.0.113.6 192.0.2.1 udp 53 vlan=100,200\n"/* E */
    "2026-11-30T15:00:01Z 2001:db8:1::5 2001:db8::1 tcp 22 ext=hop,rt,dst\n" /* E */
    "2026-11-30T15:00:02Z 2001:db8:1::5 2001:db8::1 icmp6 128\n"     /* ICMPv6 */
    "2026-11-30T15:00:03Z 198.51.100.7 192.0.2.1 icmp 8 frag=first ipopt\n" /* E */
    "2026-11-30T15:00:03Z 198.51.100.7 192.0.2.1 icmp 8 frag=later\n"/* fragment */
    "2026-11-30T15:00:04Z 198.51.100.7 192.0.2.1 tcp 80 flags=SA\n"  /* ACK */
    "2026-11-30T15:00:04Z 198.51.100.7 192.0.2.1 tcp 80 flags=RA\n"  /* ACK */
    "2026-11-30T15:00:05Z 198.51.100.8 192.0.2.2 tcp 445 flags=none\n" /* E */
    "2026-11-30T15:00:05Z 198.51.100.8 192.0.2.2 tcp 445 flags=FPU vlan=7\n" /* E */
    "2026-11-30T15:00:06Z 198.51.100.7 192.0.2.1 tcp 80 short\n"     /* short */
    "2026-11-30T15:00:07Z 198.51.100.7 192.0.2.1 arp 0\n"            /* not IP */
    "2026-11-30T15:00:08Z 198.51.100.7 192.0.2.1 47 0\n"             /* proto */
    "2026-11-30T15:00:09Z 2001:db8:1::6 2001:db8::1 udp 500 frag=first\n" /* E */
    "2026-11-30T15:00:09Z 2001:db8:1::6 2001:db8::1 udp 500 frag=later\n" /* fragment */
    "2026-11-30T15:00:10Z 198.51.100.9 192.0.2.3 icmp 13\n";         /* E */

struct want {
	int64_t sec;
	const char *src, *dst;
	int proto, port;
};

static const struct want want_all[] = {
	{ T0 - 1, "203.0.113.5", "192.0.2.1", 6, 23 },
	{ T0, "203.0.113.6", "192.0.2.1", 17, 53 },
	{ T0 + 1, "2001:db8:1::5", "2001:db8::1", 6, 22 },
	{ T0 + 3, "198.51.100.7", "192.0.2.1", 1, 8 },
	{ T0 + 5, "198.51.100.8", "192.0.2.2", 6, 445 },
	{ T0 + 5, "198.51.100.8", "192.0.2.2", 6, 445 },
	{ T0 + 9, "2001:db8:1::6", "2001:db8::1", 17, 500 },
	{ T0 + 10, "198.51.100.9", "192.0.2.3", 1, 13 },
};

/* ---- helpers ------------------------------------------------------------- */

static void
run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	assert_int_equal(rc, 0);
}

static char *
tpath(const char *name)
{
	static char buf[8][512];
	static int k;
	char *p = buf[k++ % 8];

	snprintf(p, 512, "%s/%s", tmpdir, name);
	return p;
}

static void
write_file(const char *path, const char *data, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void
write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

static long
file_size(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return (long)sb.st_size;
}

struct got {
	struct ingest_event ev[64];
	int n;
};

static bool
collect(void *ctx, const struct ingest_event *ev, struct err *e)
{
	struct got *g = ctx;

	(void)e;
	assert_true(g->n < 64);
	g->ev[g->n++] = *ev;
	return true;
}

static void
check_events(const struct got *g, const struct want *w, int n)
{
	assert_int_equal(g->n, n);
	for (int i = 0; i < n; i++) {
		uint8_t src[16] = { 0 }, dst[16] = { 0 };
		int fam = strchr(w[i].src, ':') != NULL ? 6 : 4;

		assert_int_equal(inet_pton(fam == 4 ? AF_INET : AF_INET6,
		    w[i].src, src), 1);
		assert_int_equal(inet_pton(fam == 4 ? AF_INET : AF_INET6,
		    w[i].dst, dst), 1);
		assert_int_equal(g->ev[i].sec, w[i].sec);
		assert_int_equal(g->ev[i].family, fam);
		assert_int_equal(g->ev[i].proto, w[i].proto);
		assert_int_equal(g->ev[i].port, w[i].port);
		assert_memory_equal(g->ev[i].src, src, 16);
		assert_memory_equal(g->ev[i].dst, dst, 16);
	}
}

static bool
read_file(const char *path, const struct ingest_read_opts *o, struct got *g,
    struct ingest_file_stats *st, struct err *e)
{
	memset(g, 0, sizeof(*g));
	e->msg[0] = '\0';
	return ingest_read_file(path, o, collect, g, st, e);
}

/* The tz database's zones the tests use (Debian's tzdata), or a skip. */
static bool
have_zones(void)
{
	const char *dir = getenv("TZDIR");
	char a[512], b[512];
	struct stat sb;

	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	snprintf(a, sizeof(a), "%s/Asia/Tokyo", dir);
	snprintf(b, sizeof(b), "%s/America/New_York", dir);
	if (stat(a, &sb) == 0 && stat(b, &sb) == 0)
		return true;
	fprintf(stderr, "skipped: the tz database (tzdata) is not installed\n");
	return false;
}

/* ---- captures ------------------------------------------------------------- */

static void
check_capture(const char *fmt, const char *link, const char *extra)
{
	char name[64];
	struct got g;
	struct ingest_file_stats st;
	struct err e;
	enum ingest_format f;

	snprintf(name, sizeof(name), "c-%s-%s%s", link, fmt, extra);
	run("%s -f %s -l %s %s %s %s", gen, fmt, link, extra, tpath("events.txt"),
	    tpath(name));
	assert_true(ingest_detect(tpath(name), &f, &e));
	assert_int_equal(f, strcmp(fmt, "pcap") == 0 ? INGEST_PCAP :
	    INGEST_PCAPNG);
	if (!read_file(tpath(name), NULL, &g, &st, &e))
		fail_msg("%s", e.msg);
	check_events(&g, want_all, 8);
	assert_int_equal(st.packets, 16);
	assert_int_equal(st.events, 8);
	assert_int_equal(st.skipped[INGEST_SKIP_ICMPV6], 1);
	assert_int_equal(st.skipped[INGEST_SKIP_FRAGMENT], 2);
	assert_int_equal(st.skipped[INGEST_SKIP_TCP_ACK], 2);
	assert_int_equal(st.skipped[INGEST_SKIP_SHORT], 1);
	assert_int_equal(st.skipped[INGEST_SKIP_NOT_IP], 1);
	assert_int_equal(st.skipped[INGEST_SKIP_PROTO], 1);
	assert_false(st.truncated);
}

static void
test_capture_link_types(void **state)
{
	static const char *links[] = { "en10mb", "sll", "sll2", "raw", "null",
		"loop" };

	(void)state;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		check_capture("pcap", links[i], "");
		check_capture("pcapng", links[i], "");
		check_capture("pcap", links[i], "-n");
		check_capture("pcapng", links[i], "-n");
	}
}

/* DLT_IPV4 and DLT_IPV6 hold one family each: the list split in two */
static void
test_capture_ipv4_ipv6(void **state)
{
	struct got g;
	struct ingest_file_stats st;
	struct err e;
	static const struct want w4[] = {
		{ T0 - 1, "203.0.113.5", "192.0.2.1", 6, 23 },
		{ T0 + 3, "198.51.100.7", "192.0.2.1", 1, 8 },
	};
	static const struct want w6[] = {
		{ T0 + 1, "2001:db8:1::5", "2001:db8::1", 6, 22 },
		{ T0 + 9, "2001:db8:1::6", "2001:db8::1", 17, 500 },
	};

	(void)state;
	write_text(tpath("v4.txt"),
	    "2026-11-30T14:59:59Z 203.0.113.5 192.0.2.1 tcp 23\n"
	    "2026-11-30T15:00:03Z 198.51.100.7 192.0.2.1 icmp 8 ipopt\n"
	    "2026-11-30T15:00:03Z 198.51.100.7 192.0.2.1 tcp 8 flags=A\n"
	    "2026-11-30T15:00:07Z 198.51.100.7 192.0.2.1 arp 0\n");
	write_text(tpath("v6.txt"),
	    "2026-11-30T15:00:01Z 2001:db8:1::5 2001:db8::1 tcp 22 ext=dst\n"
	    "2026-11-30T15:00:02Z 2001:db8:1::5 2001:db8::1 icmp6 128\n"
	    "2026-11-30T15:00:09Z 2001:db8:1::6 2001:db8::1 udp 500 ext=hop frag=first\n"
	    "2026-11-30T15:00:09Z 2001:db8:1::6 2001:db8::1 udp 500 ext=hop frag=later\n");
	run("%s -f pcap -l ipv4 %s %s", gen, tpath("v4.txt"), tpath("v4.pcap"));
	run("%s -f pcapng -l ipv6 %s %s", gen, tpath("v6.txt"),
	    tpath("v6.pcapng"));
	assert_true(read_file(tpath("v4.pcap"), NULL, &g, &st, &e));
	check_events(&g, w4, 2);
	assert_int_equal(st.skipped[INGEST_SKIP_TCP_ACK], 1);
	assert_int_equal(st.skipped[INGEST_SKIP_NOT_IP], 1);
	assert_true(read_file(tpath("v6.pcapng"), NULL, &g, &st, &e));
	check_events(&g, w6, 2);
	assert_int_equal(st.skipped[INGEST_SKIP_ICMPV6], 1);
	assert_int_equal(st.skipped[INGEST_SKIP_FRAGMENT], 1);
}

/* Hand-made packets for the decoder: stacked tags, SLL outgoing, padding */
static void
test_capture_decode(void **state)
{
	struct ingest_event ev;
	/* Ethernet, 802.1ad + 802.1Q + 802.1Q (three tags), IPv4 UDP to 161 */
	uint8_t p[128] = {
		0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e, 0, 0x53, 2,
		0x88, 0xa8, 0, 1, 0x81, 0x00, 0, 2, 0x81, 0x00, 0, 3,
		0x08, 0x00,
		0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0,
		198, 51, 100, 1, 192, 0, 2, 1,
		0x30, 0x39, 0, 161, 0, 8, 0, 0,
	};
	uint8_t sll[40] = { 0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00,
		0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
		8, 0, 0, 0 };

	(void)state;
	assert_int_equal(capture_decode(DLT_EN10MB, p, 54, &ev), INGEST_EVENT);
	assert_int_equal(ev.proto, 17);
	assert_int_equal(ev.port, 161);
	assert_int_equal(ev.family, 4);
	assert_int_equal(ev.src[0], 198);
	assert_int_equal(ev.dst[3], 1);
	/* cut inside the UDP ports */
	assert_int_equal(capture_decode(DLT_EN10MB, p, 49, &ev), INGEST_SKIP_SHORT);
	/* cut inside the tags */
	assert_int_equal(capture_decode(DLT_EN10MB, p, 19, &ev), INGEST_SKIP_SHORT);
	/* ethertype IPv4 but version 6 */
	p[26] = 0x65;
	assert_int_equal(capture_decode(DLT_EN10MB, p, 54, &ev), INGEST_SKIP_NOT_IP);
	p[26] = 0x43;  /* IHL 3: not IPv4 */
	assert_int_equal(capture_decode(DLT_EN10MB, p, 54, &ev), INGEST_SKIP_NOT_IP);
	/* SLL: packet type 4 is sent by the sensor itself */
	assert_int_equal(capture_decode(DLT_LINUX_SLL, sll, 40, &ev),
	    INGEST_SKIP_OUTBOUND);
	sll[1] = 0;
	/* the IP total length (20) ends the packet: the trailing ICMP bytes
	 * are link-layer padding */
	assert_int_equal(capture_decode(DLT_LINUX_SLL, sll, 40, &ev),
	    INGEST_SKIP_SHORT);
	sll[19] = 24;
	assert_int_equal(capture_decode(DLT_LINUX_SLL, sll, 40, &ev), INGEST_EVENT);
	assert_int_equal(ev.proto, 1);
	assert_int_equal(ev.port, 8);
	/* an unsupported link type */
	assert_int_equal(capture_decode(105, p, 54, &ev), -1);
	assert_false(capture_dlt_supported(105));
	assert_true(capture_dlt_supported(DLT_LINUX_SLL2));
	/* empty packets never read out of bounds */
	for (int d = 0; d < 300; d++)
		if (capture_dlt_supported(d))
			assert_int_not_equal(capture_decode(d, p, 0, &ev),
			    INGEST_EVENT);
}

static void
check_truncated(const char *fmt)
{
	struct got g;
	struct ingest_file_stats st;
	struct err e;
	char head[64], cut[64];

	/* the same list without its last event: where the cut record starts */
	snprintf(head, sizeof(head), "head.%s", fmt);
	snprintf(cut, sizeof(cut), "cut.%s", fmt);
	run("head -n 16 %s > %s", tpath("events.txt"), tpath("head.txt"));
	run("%s -f %s %s %s", gen, fmt, tpath("head.txt"), tpath(head));
	run("%s -f %s -T 7 %s %s", gen, fmt, tpath("events.txt"), tpath(cut));
	assert_true(read_file(tpath(cut), NULL, &g, &st, &e));
	assert_true(st.truncated);
	assert_int_equal(st.truncated_at, file_size(tpath(head)));
	/* every packet but the last (an event) */
	check_events(&g, want_all, 7);
	assert_int_equal(st.packets, 15);
	/* cut inside the record header */
	run("%s -f %s %s %s", gen, fmt, tpath("events.txt"), tpath(cut));
	assert_int_equal(truncate(tpath(cut), file_size(tpath(head)) + 5), 0);
	assert_true(read_file(tpath(cut), NULL, &g, &st, &e));
	assert_true(st.truncated);
	assert_int_equal(st.truncated_at, file_size(tpath(head)));
	assert_int_equal(g.n, 7);
	/* not cut: not flagged */
	assert_true(read_file(tpath(head), NULL, &g, &st, &e));
	assert_false(st.truncated);
}

static void
test_capture_truncated(void **state)
{
	(void)state;
	check_truncated("pcap");
	check_truncated("pcapng");
}

static void
test_capture_bad(void **state)
{
	struct got g;
	struct ingest_file_stats st;
	struct err e;
	enum ingest_format f;
	/* a pcap magic with a version 9.9 header */
	static const char badhdr[24] = { (char)0xd4, (char)0xc3, (char)0xb2,
		(char)0xa1, 9, 0, 9, 0 };
	pcap_t *dead;
	pcap_dumper_t *d;
	struct pcap_pkthdr h;
	uint8_t pkt[40] = { 0 };

	(void)state;
	write_file(tpath("badhdr.pcap"), badhdr, sizeof(badhdr));
	assert_true(ingest_detect(tpath("badhdr.pcap"), &f, &e));
	assert_int_equal(f, INGEST_PCAP);
	assert_false(read_file(tpath("badhdr.pcap"), NULL, &g, &st, &e));
	assert_non_null(strstr(e.msg, tpath("badhdr.pcap")));
	assert_non_null(strstr(e.msg, "corrupt"));
	/* a header cut short */
	write_file(tpath("short.pcap"), badhdr, 10);
	assert_false(read_file(tpath("short.pcap"), NULL, &g, &st, &e));
	assert_non_null(strstr(e.msg, "short.pcap: "));
	/* pcapng with a broken section header */
	write_file(tpath("bad.pcapng"), "\x0a\x0d\x0d\x0a\x1c\0\0\0xxxxyyyyzzzz",
	    16);
	assert_false(read_file(tpath("bad.pcapng"), NULL, &g, &st, &e));
	assert_non_null(strstr(e.msg, "bad.pcapng: "));
	/* an 802.11 capture: link type 105 */
	dead = pcap_open_dead(105, 65535);
	assert_non_null(dead);
	d = pcap_dump_open(dead, tpath("wifi.pcap"));
	assert_non_null(d);
	memset(&h, 0, sizeof(h));
	h.caplen = h.len = sizeof(pkt);
	pcap_dump((u_char *)d, &h, pkt);
	pcap_dump_close(d);
	pcap_close(dead);
	assert_false(read_file(tpath("wifi.pcap"), NULL, &g, &st, &e));
	assert_non_null(strstr(e.msg, "wifi.pcap: link type 105"));
	assert_non_null(strstr(e.msg, "not supported"));
	/* compressed and missing files */
	write_file(tpath("x.pcap.gz"), "\x1f\x8b\x08\0\0\0\0\0", 8);
	assert_false(ingest_detect(tpath("x.pcap.gz"), &f, &e));
	assert_non_null(strstr(e.msg, "gzip"));
	assert_false(read_file(tpath("none.pcap"), NULL, &g, &st, &e));
	assert_non_null(strstr(e.msg, "none.pcap: No such file"));
}

/* ---- LOG lines ------------------------------------------------------------ */

static void
test_log_file(void **state)
{
	struct got g;
	struct ingest_file_stats st;
	struct err e;
	enum ingest_format f;
	/* the LOG form of the list: no ARP line, and the cut TCP header is
	 * "INCOMPLETE" */
	static const char *styles[][2] = { { "iso", "+00:00" },
		{ "iso", "+09:00" }, { "iso", "Z" }, { "iso", "-05:30" },
		{ "unix", "Z" } };

	(void)state;
	for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
		run("%s -f log -t %s -o %s %s %s", gen, styles[i][0],
		    styles[i][1], tpath("events.txt"), tpath("c.log"));
		assert_true(ingest_detect(tpath("c.log"), &f, &e));
		assert_int_equal(f, INGEST_LOG);
		if (!read_file(tpath("c.log"), NULL, &g, &st, &e))
			fail_msg("%s", e.msg);
		check_events(&g, want_all, 8);
		assert_int_equal(st.packets, 15);
		assert_int_equal(st.skipped[INGEST_SKIP_ICMPV6], 1);
		assert_int_equal(st.skipped[INGEST_SKIP_FRAGMENT], 2);
		assert_int_equal(st.skipped[INGEST_SKIP_TCP_ACK], 2);
		assert_int_equal(st.skipped[INGEST_SKIP_SHORT], 1);
		assert_int_equal(st.skipped[INGEST_SKIP_PROTO], 1);
	}
}

static void
test_log_syslog_year(void **state)
{
	struct got g;
	struct ingest_file_stats st;
	struct err e;
	struct ingest_read_opts o = { 0, NULL };
	struct ingest_tz *tokyo;

	(void)state;
	if (!have_zones())
		skip();
	/* stamps written in Tokyo time, without zone or year */
	run("%s -f log -t syslog -o +09:00 %s %s", gen, tpath("events.txt"),
	    tpath("s.log"));
	assert_false(read_file(tpath("s.log"), &o, &g, &st, &e));
	assert_non_null(strstr(e.msg, "s.log:1: "));
	assert_non_null(strstr(e.msg, "--year"));
	tokyo = ingest_tz_open("Asia/Tokyo", &e);
	assert_non_null(tokyo);
	o.year = 2026;
	o.tz = tokyo;
	if (!read_file(tpath("s.log"), &o, &g, &st, &e))
		fail_msg("%s", e.msg);
	check_events(&g, want_all, 8);
	/* a file over New Year: the year given is the first line's, and
	 * January after December is the next year (a line a little out of
	 * order does not turn it) */
	o.tz = NULL;
	write_text(tpath("ny.log"),
	    "Dec 31 23:59:59 h k: IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.1 "
	    "PROTO=UDP SPT=1 DPT=7\n"
	    "Nov 30 23:59:59 h k: IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.1 "
	    "PROTO=UDP SPT=1 DPT=7\n"
	    "Jan  1 00:00:01 h k: IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.1 "
	    "PROTO=UDP SPT=1 DPT=7\n"
	    "Jan  1 00:00:02 h k: IN=eth0 OUT= SRC=192.0.2.9 DST=192.0.2.1 "
	    "PROTO=UDP SPT=1 DPT=7\n");
	if (!read_file(tpath("ny.log"), &o, &g, &st, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.ev[0].sec, INT64_C(1798761599));
	assert_int_equal(g.ev[1].sec, INT64_C(1796083199));
	assert_int_equal(g.ev[2].sec, INT64_C(1798761601));
	assert_int_equal(g.ev[3].sec, INT64_C(1798761602));
	ingest_tz_free(tokyo);
}

static void
test_log_lines(void **state)
{
	struct ingest_event ev;
	struct ingest_read_opts o = { 0, NULL };
	char msg[256];
	const char *tail = " IN=eth0 OUT= MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:08:00"
	    " SRC=203.0.113.5 DST=192.0.2.1 LEN=44 TOS=0x00 PREC=0x00 TTL=241"
	    " ID=54321 PROTO=TCP SPT=40000 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0";
	static const struct { const char *stamp; int64_t sec; } stamps[] = {
		{ "2026-11-30T12:00:01.123456+09:00 host kernel: [123.45] DROP",
		  INT64_C(1796007601) },
		{ "2026-11-30T03:00:01Z host kernel:", INT64_C(1796007601) },
		{ "2026-11-30 12:00:01.5+0900 host kernel:", INT64_C(1796007601) },
		{ "2026-11-29T22:00:01-05:00 host kernel:", INT64_C(1796007601) },
		{ "<4>1 2026-11-30T03:00:01.003Z host kernel - - -", INT64_C(1796007601) },
		{ "1795964401.250 host kernel:", INT64_C(1795964401) },
		{ "2026-11-30T03:00:01 host kernel: [UFW BLOCK]", INT64_C(1796007601) },
	};
	char line[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
		snprintf(line, sizeof(line), "%s%s", stamps[i].stamp, tail);
		assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
		    sizeof(msg)), INGEST_EVENT);
		assert_int_equal(ev.sec, stamps[i].sec);
		assert_int_equal(ev.proto, 6);
		assert_int_equal(ev.port, 23);
		assert_int_equal(ev.family, 4);
		assert_int_equal(ev.src[0], 203);
		assert_int_equal(ev.dst[3], 1);
	}
	/* CRLF */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k:%s\r", tail);
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_EVENT);
	/* IPv6, UDP; the UDP LEN= after DPT is not confused */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=2001:db8::5 DST=2001:db8::1 LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 "
	    "PROTO=UDP SPT=5353 DPT=1900 LEN=12");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_EVENT);
	assert_int_equal(ev.family, 6);
	assert_int_equal(ev.proto, 17);
	assert_int_equal(ev.port, 1900);
	assert_int_equal(ev.src[0], 0x20);
	assert_int_equal(ev.src[15], 5);
	/* ICMP: type, and an ICMP error quoting a packet: the quoted DPT and
	 * PROTO are not the record's */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=198.51.100.1 DST=192.0.2.1 LEN=56 TOS=0x00 PREC=0x00 TTL=50 "
	    "ID=1 PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.1 DST=198.51.100.1 "
	    "LEN=28 TOS=0x00 PREC=0x00 TTL=64 ID=2 PROTO=UDP SPT=53 DPT=999 "
	    "LEN=8 ]");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_EVENT);
	assert_int_equal(ev.proto, 1);
	assert_int_equal(ev.port, 3);
	/* outbound, and forwarded (counted) */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN= OUT=eth0 "
	    "SRC=192.0.2.1 DST=198.51.100.1 LEN=40 PROTO=TCP SPT=1 DPT=2 SYN");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_SKIP_OUTBOUND);
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth1 OUT=eth0 "
	    "SRC=192.0.2.1 DST=198.51.100.1 LEN=40 PROTO=TCP SPT=1 DPT=2 SYN");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_EVENT);
	/* TCP with ACK; a later fragment (FRAG: and FRAG=); UDPLITE; ICMPv6 */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 LEN=40 PROTO=TCP SPT=80 DPT=4000 "
	    "WINDOW=0 RES=0x00 ACK RST URGP=0");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_SKIP_TCP_ACK);
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 LEN=40 ID=5 FRAG=185 PROTO=UDP");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_SKIP_FRAGMENT);
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 LEN=40 PROTO=UDPLITE SPT=1 DPT=2");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_SKIP_PROTO);
	/* not LOG records */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h sshd[1]: "
	    "Accepted publickey for root from 192.0.2.9");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_SKIP_NOT_LOG);
	assert_int_equal(logline_parse("", 0, &o, &ev, msg, sizeof(msg)),
	    INGEST_SKIP_NOT_LOG);
	/* malformed LOG records */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=192.0.2.999 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=2");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), -1);
	assert_string_equal(msg, "SRC=192.0.2.999 is not an IP address");
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=70000");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, "DPT=70000"));
	snprintf(line, sizeof(line), "2026-13-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=7");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), -1);
	snprintf(line, sizeof(line), "kernel: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=7");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, "time stamp"));
	snprintf(line, sizeof(line), "Nov 30 12:00:01 h k: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=7");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, "--year"));
	o.year = 2026;   /* zone-less, no zone: UTC */
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), INGEST_EVENT);
	assert_int_equal(ev.sec, INT64_C(1796040001));
	/* Feb 29 in a common year */
	snprintf(line, sizeof(line), "Feb 29 12:00:01 h k: IN=eth0 OUT= "
	    "SRC=192.0.2.9 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=7");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), -1);
	/* control bytes in a quoted value are not echoed */
	snprintf(line, sizeof(line), "2026-11-30T03:00:01Z h k: IN=eth0 OUT= "
	    "SRC=1\x1b[2J DST=192.0.2.1 PROTO=TCP SPT=1 DPT=7");
	assert_int_equal(logline_parse(line, strlen(line), &o, &ev, msg,
	    sizeof(msg)), -1);
	assert_null(strchr(msg, '\x1b'));
}

static void
test_log_file_odd(void **state)
{
	struct got g;
	struct ingest_file_stats st;
	struct err e;
	char *big;
	FILE *fp;
	size_t bign = 300 * 1024;
	const char *rec = "2026-11-30T03:00:01Z h k: IN=eth0 OUT= SRC=192.0.2.9 "
	    "DST=192.0.2.1 PROTO=TCP SPT=1 DPT=7 SYN\r\n";

	(void)state;
	/* a long line, NUL bytes and invalid UTF-8 in non-LOG lines, CRLF,
	 * and a last line without its newline */
	big = malloc(bign);
	assert_non_null(big);
	memset(big, 'x', bign);
	fp = fopen(tpath("odd.log"), "wb");
	assert_non_null(fp);
	fputs(rec, fp);
	fwrite(big, 1, bign, fp);
	fputs(" IN=eth0 SRC=1 PROTO=TCP\n", fp);
	fwrite("a\0b\xff\xfe IN=\n", 1, 10, fp);
	fputs(rec, fp);
	fputs("\n", fp);
	fputs(rec, fp);
	fwrite(rec, 1, strlen(rec) - 2, fp);
	fclose(fp);
	free(big);
	assert_true(read_file(tpath("odd.log"), NULL, &g, &st, &e));
	assert_int_equal(g.n, 4);
	assert_int_equal(st.packets, 7);
	assert_int_equal(st.skipped[INGEST_SKIP_NOT_LOG], 3);
	for (int i = 0; i < 4; i++)
		assert_int_equal(g.ev[i].port, 7);
	/* a bad record on line 3: FILE:LINE */
	write_text(tpath("bad.log"), "hello\n\n"
	    "2026-11-30T03:00:01Z h k: IN=eth0 OUT= SRC=192.0.2.9 "
	    "DST=192.0.2.1 PROTO=TCP SPT=1 DPT=x SYN\n");
	assert_false(read_file(tpath("bad.log"), NULL, &g, &st, &e));
	assert_non_null(strstr(e.msg, "bad.log:3: DPT=x"));
	/* an empty file is a log without records */
	write_text(tpath("empty.log"), "");
	assert_true(read_file(tpath("empty.log"), NULL, &g, &st, &e));
	assert_int_equal(st.packets, 0);
}

/* ---- prefixes ------------------------------------------------------------- */

static const char *
match(const struct prefix_table *t, const char *a)
{
	uint8_t addr[16] = { 0 };
	int fam = strchr(a, ':') != NULL ? 6 : 4;

	assert_int_equal(inet_pton(fam == 4 ? AF_INET : AF_INET6, a, addr), 1);
	return prefix_table_match(t, fam, addr);
}

static void
test_prefix(void **state)
{
	struct prefix_table *t;
	struct err e;

	(void)state;
	write_text(tpath("map.txt"),
	    "# sensors\n"
	    "192.0.2.0/24 s-wide   # a /24\n"
	    "192.0.2.128/25\ts-half\n"
	    "192.0.2.200 s-host\r\n"
	    "\n"
	    "2001:db8::/32 v6-wide\n"
	    "2001:db8:0:1::/64 v6-net\n"
	    "2001:db8:0:1::/64 v6-net\n"
	    "0.0.0.0/0 default\n");
	t = prefix_table_load(tpath("map.txt"), true, &e);
	if (t == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(match(t, "192.0.2.1"), "s-wide");
	assert_string_equal(match(t, "192.0.2.127"), "s-wide");
	assert_string_equal(match(t, "192.0.2.128"), "s-half");
	assert_string_equal(match(t, "192.0.2.200"), "s-host");
	assert_string_equal(match(t, "192.0.2.201"), "s-half");
	assert_string_equal(match(t, "10.1.2.3"), "default");
	assert_string_equal(match(t, "2001:db8::1"), "v6-wide");
	assert_string_equal(match(t, "2001:db8:0:1:ffff::1"), "v6-net");
	assert_string_equal(match(t, "2001:db8:0:2::1"), "v6-wide");
	assert_null(match(t, "2001:db9::1"));
	prefix_table_free(t);

	write_text(tpath("ex.txt"), "198.51.100.0/24\n2001:db8:1::/48\n");
	t = prefix_table_load(tpath("ex.txt"), false, &e);
	assert_non_null(t);
	assert_string_equal(match(t, "198.51.100.77"), "");
	assert_null(match(t, "198.51.101.77"));
	assert_string_equal(match(t, "2001:db8:1:ffff::"), "");
	assert_null(match(t, "2001:db8:2::"));
	prefix_table_free(t);

	/* errors with their line */
	write_text(tpath("p.txt"), "192.0.2.0/24 a\n192.0.2.1/24 b\n");
	assert_null(prefix_table_load(tpath("p.txt"), true, &e));
	assert_non_null(strstr(e.msg, "p.txt:2: '192.0.2.1/24' has host bits "
	    "set; the network is 192.0.2.0/24"));
	write_text(tpath("p.txt"), "192.0.2.0/33 a\n");
	assert_null(prefix_table_load(tpath("p.txt"), true, &e));
	assert_non_null(strstr(e.msg, "p.txt:1: "));
	write_text(tpath("p.txt"), "\n\n192.0.2.0/24 a\n192.0.2.0/24 b\n");
	assert_null(prefix_table_load(tpath("p.txt"), true, &e));
	assert_non_null(strstr(e.msg, "p.txt:4: this prefix is mapped to 'a' on "
	    "line 3 and to 'b' here"));
	write_text(tpath("p.txt"), "192.0.2.0/24 bad/name\n");
	assert_null(prefix_table_load(tpath("p.txt"), true, &e));
	assert_non_null(strstr(e.msg, "p.txt:1: sensor name"));
	write_text(tpath("p.txt"), "192.0.2.0/24\n");
	assert_null(prefix_table_load(tpath("p.txt"), true, &e));
	assert_non_null(strstr(e.msg, "p.txt:1: expected"));
	write_text(tpath("p.txt"), "192.0.2.0/24 s01\n");
	assert_null(prefix_table_load(tpath("p.txt"), false, &e));
	write_text(tpath("p.txt"), "example.com s01\n");
	assert_null(prefix_table_load(tpath("p.txt"), true, &e));
	assert_non_null(strstr(e.msg, "not an IPv4 or IPv6 address"));
	write_text(tpath("p.txt"), "192.0.2.0/ s01\n");
	assert_null(prefix_table_load(tpath("p.txt"), true, &e));
	assert_null(prefix_table_load(tpath("nothere.txt"), true, &e));
	assert_non_null(strstr(e.msg, "nothere.txt: "));
}

/* ---- days ----------------------------------------------------------------- */

static void
test_tz(void **state)
{
	struct err e;
	struct ingest_tz *tokyo, *ny, *utc;
	/* 2026-03-08 (US DST starts 07:00Z) and 2026-11-01 (ends 06:00Z) */
	const int64_t mar8 = INT64_C(1772928000), nov1 = INT64_C(1793491200);

	(void)state;
	if (!have_zones())
		skip();
	tokyo = ingest_tz_open("Asia/Tokyo", &e);
	assert_non_null(tokyo);
	assert_int_equal(ingest_tz_day(tokyo, T0 - 1), 20261130);
	assert_int_equal(ingest_tz_day(tokyo, T0), 20261201);
	assert_int_equal(ingest_tz_day(tokyo, T0 - 1), 20261130);
	assert_int_equal(ingest_tz_day(tokyo, T0 + 86399), 20261201);
	assert_int_equal(ingest_tz_day(tokyo, T0 + 86400), 20261202);
	/* packets a little out of order around midnight */
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(ingest_tz_day(tokyo, T0 - 1 - i % 7), 20261130);
		assert_int_equal(ingest_tz_day(tokyo, T0 + i % 5), 20261201);
	}
	assert_int_equal(ingest_tz_utc(tokyo, 2026, 12, 1, 0, 0, 0), T0);
	assert_int_equal(ingest_tz_utc(tokyo, 2026, 12, 1, 23, 59, 59), T0 + 86399);

	ny = ingest_tz_open("America/New_York", &e);
	assert_non_null(ny);
	/* 8 March: 05:00Z (EST midnight) to 04:00Z next day (EDT): 23 h */
	assert_int_equal(ingest_tz_day(ny, mar8 + 5 * 3600 - 1), 20260307);
	assert_int_equal(ingest_tz_day(ny, mar8 + 5 * 3600), 20260308);
	assert_int_equal(ingest_tz_day(ny, mar8 + 86400 + 4 * 3600 - 1), 20260308);
	assert_int_equal(ingest_tz_day(ny, mar8 + 86400 + 4 * 3600), 20260309);
	/* 1 November: 04:00Z to 05:00Z next day: 25 h */
	assert_int_equal(ingest_tz_day(ny, nov1 + 4 * 3600 - 1), 20261031);
	assert_int_equal(ingest_tz_day(ny, nov1 + 4 * 3600), 20261101);
	assert_int_equal(ingest_tz_day(ny, nov1 + 86400 + 5 * 3600 - 1), 20261101);
	assert_int_equal(ingest_tz_day(ny, nov1 + 86400 + 5 * 3600), 20261102);
	/* local to UTC around the change */
	assert_int_equal(ingest_tz_utc(ny, 2026, 3, 8, 1, 0, 0), mar8 + 6 * 3600);
	assert_int_equal(ingest_tz_utc(ny, 2026, 3, 8, 12, 0, 0), mar8 + 16 * 3600);
	assert_int_equal(ingest_tz_utc(ny, 2026, 3, 9, 12, 0, 0),
	    mar8 + 86400 + 16 * 3600);
	assert_int_equal(ingest_tz_utc(ny, 2026, 3, 9, 13, 0, 0),
	    mar8 + 86400 + 17 * 3600);
	assert_int_equal(ingest_tz_utc(ny, 2026, 1, 15, 0, 0, 0),
	    INT64_C(1768453200));

	utc = ingest_tz_open("UTC", &e);
	assert_non_null(utc);
	/* the cached days agree with a plain computation, both zones
	 * interleaved, over a year in steps of 3593 s */
	for (int64_t t = mar8 - 90 * 86400; t < mar8 + 300 * 86400; t += 3593) {
		int y, m, d;
		ingest_civil_from_days(t / 86400, &y, &m, &d);
		assert_int_equal(ingest_tz_day(utc, t), y * 10000 + m * 100 + d);
		ingest_civil_from_days((t + 9 * 3600) / 86400, &y, &m, &d);
		assert_int_equal(ingest_tz_day(tokyo, t), y * 10000 + m * 100 + d);
		{
			/* New York: EDT from 8 March 07:00Z to 1 Nov 06:00Z */
			int off = t >= mar8 + 7 * 3600 && t < nov1 + 6 * 3600 ?
			    -4 : -5;
			ingest_civil_from_days((t + off * 3600) / 86400, &y, &m, &d);
			assert_int_equal(ingest_tz_day(ny, t),
			    y * 10000 + m * 100 + d);
		}
	}
	/* TZ is left as it was */
	assert_null(getenv("TZ"));
	ingest_tz_free(tokyo);
	ingest_tz_free(ny);
	ingest_tz_free(utc);

	assert_null(ingest_tz_open("Mars/Olympus_Mons", &e));
	assert_non_null(strstr(e.msg, "unknown time zone 'Mars/Olympus_Mons'"));
	assert_null(ingest_tz_open("../../etc/passwd", &e));
	assert_non_null(strstr(e.msg, "../../etc/passwd"));
	assert_null(ingest_tz_open("/etc/localtime", &e));
	assert_null(ingest_tz_open("", &e));
	ingest_tz_free(NULL);
}

/* ---- countries ------------------------------------------------------------ */

static bool
have_writer(void)
{
	return system("perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null") == 0;
}

static void
cc_of(struct geoip *g, const char *a, const char *want)
{
	uint8_t addr[16] = { 0 };
	int fam = strchr(a, ':') != NULL ? 6 : 4;
	char cc[3] = "??";
	struct err e;

	assert_int_equal(inet_pton(fam == 4 ? AF_INET : AF_INET6, a, addr), 1);
	if (!geoip_country(g, fam, addr, cc, &e))
		fail_msg("%s", e.msg);
	if (strcmp(cc, want) != 0)
		fail_msg("%s: got %s, want %s", a, cc, want);
}

static void
test_geoip(void **state)
{
	struct geoip *g;
	struct err e;
	char cc[3];

	(void)state;
	if (!have_writer()) {
		fprintf(stderr, "skipped: libmaxmind-db-writer-perl is not "
		    "installed\n");
		skip();
	}
	write_text(tpath("geo.txt"),
	    "203.0.113.0/24 CN\n"
	    "203.0.113.128/25 us\n"
	    "198.51.100.0/25 - JP\n"
	    "198.51.100.128/25 -\n"
	    "192.0.2.0/28 US KR\n"
	    "192.0.2.16/28 x1\n"
	    "192.0.2.32/28 USA KR\n"
	    "2001:db8:1::/48 DE\n"
	    "2001:db8:2::/48 - FR\n");
	run("SOURCE_DATE_EPOCH=1183248000 perl %s/tests/make_mmdb.pl %s %s",
	    srcdir, tpath("geo.txt"), tpath("geo.mmdb"));
	g = geoip_open(tpath("geo.mmdb"), &e);
	if (g == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(geoip_type(g), "talot-Test-Country");
	assert_int_equal(geoip_build_epoch(g), 1183248000);
	for (int pass = 0; pass < 2; pass++) {     /* the second from cache */
		cc_of(g, "203.0.113.5", "CN");
		cc_of(g, "203.0.113.200", "US");
		cc_of(g, "198.51.100.1", "JP");
		cc_of(g, "198.51.100.200", "ZZ");
		cc_of(g, "192.0.2.1", "US");
		cc_of(g, "192.0.2.17", "ZZ");
		cc_of(g, "192.0.2.33", "KR");   /* USA is no code: registered */
		cc_of(g, "8.8.8.8", "ZZ");
		cc_of(g, "2001:db8:1::77", "DE");
		cc_of(g, "2001:db8:2::77", "FR");
		cc_of(g, "2001:db8:3::77", "ZZ");
	}
	geoip_close(g);
	geoip_close(NULL);

	/* an IPv4-only database: IPv6 sources are unknown */
	write_text(tpath("geo4.txt"), "203.0.113.0/24 CN\n");
	run("perl %s/tests/make_mmdb.pl -4 -t DBIP-Country-Lite %s %s", srcdir,
	    tpath("geo4.txt"), tpath("geo4.mmdb"));
	g = geoip_open(tpath("geo4.mmdb"), &e);
	assert_non_null(g);
	cc_of(g, "203.0.113.5", "CN");
	cc_of(g, "2001:db8:1::77", "ZZ");
	geoip_close(g);

	/* foreign, not an MMDB, missing */
	run("perl %s/tests/make_mmdb.pl -t GeoLite2-ASN %s %s", srcdir,
	    tpath("geo4.txt"), tpath("asn.mmdb"));
	assert_null(geoip_open(tpath("asn.mmdb"), &e));
	assert_non_null(strstr(e.msg, "asn.mmdb: a 'GeoLite2-ASN' database has "
	    "no country data"));
	assert_null(geoip_open(tpath("geo.txt"), &e));
	assert_non_null(strstr(e.msg, "geo.txt: not a MaxMind-format"));
	assert_null(geoip_open(tpath("nothere.mmdb"), &e));
	assert_non_null(strstr(e.msg, "nothere.mmdb: "));

	/* the code rule */
	assert_true(geoip_cc_normalise("jp", 2, cc));
	assert_string_equal(cc, "JP");
	assert_false(geoip_cc_normalise("J1", 2, cc));
	assert_string_equal(cc, "ZZ");
	assert_false(geoip_cc_normalise("JPN", 3, cc));
	assert_false(geoip_cc_normalise("\xc3\xa9", 2, cc));
	assert_false(geoip_cc_normalise(NULL, 0, cc));
	assert_string_equal(cc, "ZZ");
}

/* The country of a by libmaxminddb's own per-address lookup: the
 * reference for geoip.c's flattened IPv4 table. */
static void
ref_country(MMDB_s *db, uint32_t a, char cc[3])
{
	struct sockaddr_in sin;
	MMDB_lookup_result_s r;
	MMDB_entry_data_s d;
	int rc = 0;
	static const char *const keys[2] = { "country", "registered_country" };

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(a);
	r = MMDB_lookup_sockaddr(db, (struct sockaddr *)&sin, &rc);
	assert_int_equal(rc, MMDB_SUCCESS);
	strcpy(cc, "ZZ");
	if (!r.found_entry)
		return;
	for (int k = 0; k < 2; k++) {
		memset(&d, 0, sizeof(d));
		if (MMDB_get_value(&r.entry, &d, keys[k], "iso_code", NULL) ==
		    MMDB_SUCCESS && d.has_data &&
		    d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size == 2 &&
		    isalpha((unsigned char)d.utf8_string[0]) &&
		    isalpha((unsigned char)d.utf8_string[1]) &&
		    (unsigned char)d.utf8_string[0] < 0x80 &&
		    (unsigned char)d.utf8_string[1] < 0x80) {
			cc[0] = (char)toupper((unsigned char)d.utf8_string[0]);
			cc[1] = (char)toupper((unsigned char)d.utf8_string[1]);
			return;
		}
	}
}

/* geoip_country() for IPv4 (a table built at open) agrees with
 * libmaxminddb's lookups, at random addresses and at every network's
 * edges, in an IPv6 and an IPv4 database of 1500 random networks. */
static void
test_geoip_table(void **state)
{
	static const char *codes[6] = { "CN", "US", "JP", "-", "kr", "X1" };
	uint64_t x = 12345;
	uint32_t nets[1500][2];
	FILE *fp;

	(void)state;
	if (!have_writer()) {
		fprintf(stderr, "skipped: libmaxmind-db-writer-perl is not "
		    "installed\n");
		skip();
	}
	fp = fopen(tpath("many.txt"), "w");
	assert_non_null(fp);
	for (int i = 0; i < 1500; i++) {
		int plen;
		uint32_t a;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		plen = 8 + (int)((x >> 33) % 25);
		a = (uint32_t)(x >> 17) & (0xffffffffu << (32 - plen));
		a = (a & 0x3fffffffu) | 0x40000000u;   /* 64.0.0.0/2: public */
		nets[i][0] = a;
		nets[i][1] = a | ~(0xffffffffu << (32 - plen));
		/* networks may overlap: the writer lets a later one
		 * replace the overlapped part */
		fprintf(fp, "%u.%u.%u.%u/%d %s %s\n", a >> 24, a >> 16 & 255,
		    a >> 8 & 255, a & 255, plen, codes[(x >> 40) % 6],
		    codes[(x >> 44) % 3]);
	}
	fclose(fp);
	for (int v = 0; v < 2; v++) {
		MMDB_s db;
		struct geoip *g;
		struct err e;

		run("perl %s/tests/make_mmdb.pl %s %s %s", srcdir, v ? "-4" : "",
		    tpath("many.txt"), tpath("many.mmdb"));
		g = geoip_open(tpath("many.mmdb"), &e);
		if (g == NULL)
			fail_msg("%s", e.msg);
		assert_int_equal(MMDB_open(tpath("many.mmdb"), MMDB_MODE_MMAP,
		    &db), MMDB_SUCCESS);
		for (int i = 0; i < 200000 + 1500 * 4; i++) {
			uint32_t a;
			uint8_t addr[16] = { 0 };
			char got[3], want[3];

			if (i < 1500 * 4) {
				int k = i / 4;
				a = nets[k][(i % 4) / 2] + (uint32_t)((i % 2) ?
				    ((i % 4) / 2 ? 1 : -1) : 0);
			} else {
				x = x * 6364136223846793005ULL +
				    1442695040888963407ULL;
				a = (uint32_t)(x >> 32);
			}
			addr[0] = (uint8_t)(a >> 24);
			addr[1] = (uint8_t)(a >> 16);
			addr[2] = (uint8_t)(a >> 8);
			addr[3] = (uint8_t)a;
			assert_true(geoip_country(g, 4, addr, got, &e));
			ref_country(&db, a, want);
			if (strcmp(got, want) != 0)
				fail_msg("%u.%u.%u.%u: %s, libmaxminddb %s",
				    addr[0], addr[1], addr[2], addr[3], got,
				    want);
		}
		MMDB_close(&db);
		geoip_close(g);
	}
}

static void
test_skip_names(void **state)
{
	(void)state;
	for (int r = 0; r < INGEST_SKIP_N; r++) {
		assert_non_null(ingest_skip_name((enum ingest_skip)r));
		assert_string_not_equal(ingest_skip_name((enum ingest_skip)r), "?");
	}
}

static int
setup(void **state)
{
	(void)state;
	gen = getenv("GEN_CAPTURE");
	srcdir = getenv("TALOT_SRCDIR");
	if (gen == NULL || srcdir == NULL) {
		fprintf(stderr, "GEN_CAPTURE and TALOT_SRCDIR must be set\n");
		return -1;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s/talot-ingest-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	write_text(tpath("events.txt"), events_txt);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_link_types),
		cmocka_unit_test(test_capture_ipv4_ipv6),
		cmocka_unit_test(test_capture_decode),
		cmocka_unit_test(test_capture_truncated),
		cmocka_unit_test(test_capture_bad),
		cmocka_unit_test(test_log_file),
		cmocka_unit_test(test_log_syslog_year),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_log_file_odd),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_tz),
		cmocka_unit_test(test_geoip),
		cmocka_unit_test(test_geoip_table),
		cmocka_unit_test(test_skip_names),
	};

	unsetenv("TZ");
	return cmocka_run_group_tests(tests, setup, teardown);
}
