/* capture.c — packets of a pcap or pcapng file to inbound events.
 *
 * libpcap reads both file formats (pcap_fopen_offline); this file decodes
 * the link layer (Ethernet with 802.1Q/802.1ad tags, Linux cooked SLL and
 * SLL2, raw IP, BSD loopback), IPv4 (options, fragments) and IPv6
 * (extension headers), and the first bytes of TCP, UDP and ICMP.  What is
 * an access and what is skipped is docs/ingest.md's "What counts".
 *
 * The read loop allocates nothing per packet and makes no system call of
 * its own: libpcap hands out each packet in its buffer (pcap_next_ex).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "ingest.h"
#include "ingest_internal.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define PKT_OUTGOING 4          /* Linux packet type: sent by this host */
#define TCP_ACK 0x10

static inline unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The transport header at p[0..n) of protocol proto. */
static int
transport(int proto, const uint8_t *p, size_t n, struct ingest_event *ev)
{
	switch (proto) {
	case 6:
		/* ports, then the flags byte at offset 13 */
		if (n < 14)
			return INGEST_SKIP_SHORT;
		if (p[13] & TCP_ACK)
			return INGEST_SKIP_TCP_ACK;
		ev->proto = 6;
		ev->port = (uint16_t)get16(p + 2);
		return INGEST_EVENT;
	case 17:
		if (n < 4)
			return INGEST_SKIP_SHORT;
		ev->proto = 17;
		ev->port = (uint16_t)get16(p + 2);
		return INGEST_EVENT;
	case 1:
		if (n < 1)
			return INGEST_SKIP_SHORT;
		ev->proto = 1;
		ev->port = p[0];
		return INGEST_EVENT;
	case 58:
		return INGEST_SKIP_ICMPV6;
	default:
		return INGEST_SKIP_PROTO;
	}
}

static int
ipv4(const uint8_t *p, size_t n, struct ingest_event *ev)
{
	size_t hl, tot;

	if (n < 20)
		return INGEST_SKIP_SHORT;
	hl = (size_t)(p[0] & 0x0f) * 4;
	if (hl < 20)
		return INGEST_SKIP_NOT_IP;   /* not a valid IPv4 header */
	if (n < hl)
		return INGEST_SKIP_SHORT;
	ev->family = 4;
	memset(ev->src, 0, sizeof(ev->src));
	memset(ev->dst, 0, sizeof(ev->dst));
	memcpy(ev->src, p + 12, 4);
	memcpy(ev->dst, p + 16, 4);
	/* a later fragment has no transport header */
	if (get16(p + 6) & 0x1fff)
		return INGEST_SKIP_FRAGMENT;
	/* the link layer may pad: read no further than the total length */
	tot = get16(p + 2);
	if (tot >= hl && tot < n)
		n = tot;
	return transport(p[9], p + hl, n - hl, ev);
}

static int
ipv6(const uint8_t *p, size_t n, struct ingest_event *ev)
{
	size_t off = 40;
	int nh;

	if (n < 40)
		return INGEST_SKIP_SHORT;
	ev->family = 6;
	memcpy(ev->src, p + 8, 16);
	memcpy(ev->dst, p + 24, 16);
	nh = p[6];
	/* each extension header is at least 8 bytes, so this ends */
	for (;;) {
		switch (nh) {
		case 0:    /* hop-by-hop options */
		case 43:   /* routing */
		case 60:   /* destination options */
			if (n < off + 2)
				return INGEST_SKIP_SHORT;
			nh = p[off];
			off += ((size_t)p[off + 1] + 1) * 8;
			break;
		case 51:   /* authentication header */
			if (n < off + 2)
				return INGEST_SKIP_SHORT;
			nh = p[off];
			off += ((size_t)p[off + 1] + 2) * 4;
			break;
		case 44:   /* fragment */
			if (n < off + 8)
				return INGEST_SKIP_SHORT;
			if (get16(p + off + 2) & 0xfff8)
				return INGEST_SKIP_FRAGMENT;
			nh = p[off];
			off += 8;
			break;
		default:
			if (n < off)
				return INGEST_SKIP_SHORT;
			return transport(nh, p + off, n - off, ev);
		}
	}
}

/* An IP packet whose version nibble says which. */
static int
ip_any(const uint8_t *p, size_t n, struct ingest_event *ev)
{
	if (n < 1)
		return INGEST_SKIP_SHORT;
	switch (p[0] >> 4) {
	case 4: return ipv4(p, n, ev);
	case 6: return ipv6(p, n, ev);
	default: return INGEST_SKIP_NOT_IP;
	}
}

static int
ethertype(unsigned type, const uint8_t *p, size_t n, struct ingest_event *ev)
{
	switch (type) {
	case ETH_IPV4:
		if (n >= 1 && p[0] >> 4 != 4)
			return INGEST_SKIP_NOT_IP;
		return ipv4(p, n, ev);
	case ETH_IPV6:
		if (n >= 1 && p[0] >> 4 != 6)
			return INGEST_SKIP_NOT_IP;
		return ipv6(p, n, ev);
	default:
		return INGEST_SKIP_NOT_IP;
	}
}

/* BSD loopback: a 4-byte address family, in the writer's byte order
 * (DLT_NULL) or network order (DLT_LOOP); both are read either way. */
static int
loopback(const uint8_t *p, size_t n, struct ingest_event *ev)
{
	uint32_t af;

	if (n < 4)
		return INGEST_SKIP_SHORT;
	af = get32(p);
	if ((af & 0xffff0000u) != 0)
		af = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		    (uint32_t)p[1] << 8 | p[0];
	switch (af) {
	case 2:
		return ipv4(p + 4, n - 4, ev);
	case 24:    /* NetBSD, OpenBSD */
	case 28:    /* FreeBSD */
	case 30:    /* macOS */
		return ipv6(p + 4, n - 4, ev);
	default:
		return INGEST_SKIP_NOT_IP;
	}
}

bool
capture_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	default:
		return false;
	}
}

int
capture_decode(int dlt, const uint8_t *p, size_t n, struct ingest_event *ev)
{
	size_t off;
	unsigned type;

	switch (dlt) {
	case DLT_EN10MB:
		if (n < 14)
			return INGEST_SKIP_SHORT;
		off = 12;
		type = get16(p + off);
		/* 802.1Q, 802.1ad and the older QinQ tag, stacked */
		while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
			off += 4;
			if (n < off + 2)
				return INGEST_SKIP_SHORT;
			type = get16(p + off);
		}
		off += 2;
		return ethertype(type, p + off, n - off, ev);
	case DLT_LINUX_SLL:
		if (n < 16)
			return INGEST_SKIP_SHORT;
		if (get16(p) == PKT_OUTGOING)
			return INGEST_SKIP_OUTBOUND;
		return ethertype(get16(p + 14), p + 16, n - 16, ev);
	case DLT_LINUX_SLL2:
		if (n < 20)
			return INGEST_SKIP_SHORT;
		if (p[10] == PKT_OUTGOING)
			return INGEST_SKIP_OUTBOUND;
		return ethertype(get16(p), p + 20, n - 20, ev);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return ip_any(p, n, ev);
	case DLT_NULL:
	case DLT_LOOP:
		return loopback(p, n, ev);
	default:
		return -1;
	}
}

/* ---- the file ---------------------------------------------------------- */

/* The byte offset of the first pcapng block that does not end inside a
 * file of size bytes: where a capture cut short in its last block was cut.
 * -1 if it cannot be told. */
static int64_t
pcapng_cut_offset(FILE *fp, int64_t size)
{
	uint8_t h[12];
	int64_t off = 0;
	bool swap = false;

	while (off + 12 <= size) {
		uint32_t type, len;

		if (fseeko(fp, (off_t)off, SEEK_SET) != 0 ||
		    fread(h, 1, 12, fp) != 12)
			return -1;
		type = get32(h);
		if (type == 0x0A0D0D0A) {
			/* a section header: its byte-order magic decides */
			swap = get32(h + 8) != 0x1A2B3C4D;
		}
		len = get32(h + 4);
		if (swap)
			len = (len >> 24) | ((len >> 8) & 0xff00) |
			    ((len << 8) & 0xff0000) | (len << 24);
		if (len < 12 || len % 4 != 0)
			return -1;
		if (off + (int64_t)len > size)
			return off;
		off += len;
	}
	return off < size ? off : -1;
}

bool
capture_read_file(const char *path, ingest_event_fn fn, void *ctx,
    struct ingest_file_stats *st, struct err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct ingest_event ev;
	pcap_t *pc;
	FILE *fp;
	int dlt, rc;
	bool ng;
	uint8_t magic[4];
	int64_t pos;       /* pcap: offset of the next record */
	int64_t rec;       /* pcap: size of a record header */
	struct stat sb;

	fp = fopen(path, "rb");
	if (fp == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (fread(magic, 1, 4, fp) != 4 || fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return err_set(e, "%s: not a pcap or pcapng capture (too short)",
		    path);
	}
	ng = get32(magic) == 0x0A0D0D0A;
	/* Alexey Kuznetzov's modified pcap has 8 more bytes per record */
	rec = get32(magic) == 0xa1b2cd34 || get32(magic) == 0x34cdb2a1 ? 24 :
	    16;
	/* libpcap reads record by record: a large buffer saves system calls */
	setvbuf(fp, NULL, _IOFBF, (size_t)1 << 20);
	errbuf[0] = '\0';
	/* pcap_fopen_offline owns fp from here; pcap_close closes it */
	pc = pcap_fopen_offline(fp, errbuf);
	if (pc == NULL) {
		fclose(fp);
		return err_set(e, "%s: corrupt or unreadable capture header: %s",
		    path, errbuf);
	}
	dlt = pcap_datalink(pc);
	if (!capture_dlt_supported(dlt)) {
		const char *name = pcap_datalink_val_to_name(dlt);
		const char *desc = pcap_datalink_val_to_description(dlt);

		err_set(e, "%s: link type %d (%s%s%s) is not supported; talot "
		    "reads Ethernet, Linux cooked (SLL, SLL2), raw IP and BSD "
		    "loopback captures", path, dlt, name != NULL ? name : "unknown",
		    desc != NULL ? ", " : "", desc != NULL ? desc : "");
		pcap_close(pc);
		return false;
	}
	memset(&ev, 0, sizeof(ev));
	pos = 24;
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		int r;

		st->packets++;
		pos += rec + (int64_t)h->caplen;
		r = capture_decode(dlt, data, h->caplen, &ev);
		if (r != INGEST_EVENT) {
			st->skipped[r]++;
			continue;
		}
		ev.sec = (int64_t)h->ts.tv_sec;
		st->events++;
		if (!fn(ctx, &ev, e)) {
			pcap_close(pc);
			return false;
		}
	}
	if (rc == PCAP_ERROR) {
		const char *msg = pcap_geterr(pc);

		if (strstr(msg, "truncated") != NULL) {
			/* the file ends inside a record: a capture rotated
			 * while it was written.  The packets before it count. */
			st->truncated = true;
			st->truncated_at = pos;
			if (ng) {
				FILE *f2 = pcap_file(pc);
				st->truncated_at = -1;
				if (f2 != NULL && fstat(fileno(f2), &sb) == 0)
					st->truncated_at = pcapng_cut_offset(
					    f2, (int64_t)sb.st_size);
			}
			pcap_close(pc);
			return true;
		}
		err_set(e, "%s: corrupt capture after %lld packets: %s", path,
		    (long long)st->packets, msg);
		pcap_close(pc);
		return false;
	}
	pcap_close(pc);
	return true;
}
