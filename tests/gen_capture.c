/* gen_capture.c — writes one list of events as a capture or as firewall LOG
 * lines, so that tests can feed the same traffic to every reader of
 * `talot ingest` and compare with counts computed from the list itself.
 *
 *   gen_capture -f pcap|pcapng|log|events [-l LINK] [-n] [-t iso|syslog|unix]
 *               [-o +HH:MM] [-T BYTES] EVENTS OUT
 *
 *   -f    output format: a pcap file (written with libpcap's pcap_dump), a
 *         pcapng file (SHB, IDB, EPB blocks written by hand), iptables LOG
 *         lines, or the event list itself (one event per line, normalised;
 *         useful with random:N:SEED)
 *   -l    link type of a capture: en10mb (default), sll, sll2, raw, ipv4,
 *         ipv6, null, loop (ipv4/ipv6 refuse events of the other family)
 *   -n    nanosecond time stamps (pcap magic 0xa1b23c4d; pcapng if_tsresol 9)
 *   -t    LOG time stamps: iso (default, 2026-11-30T12:00:01.123456+00:00),
 *         syslog ("Nov 30 12:00:01", zone-less, in the -o offset), or unix
 *         (1796040001.123456)
 *   -o    offset of iso and syslog stamps (default +00:00); iso with -o Z
 *         writes a trailing Z
 *   -T    cuts BYTES off the end of the output (a capture rotated while
 *         written)
 *   EVENTS a file, "-" for stdin, or random:N:SEED for N pseudo-random
 *         events (sources from 1 M IPv4 addresses, 1/16 IPv6, TCP SYN/UDP/
 *         ICMP echo to 198.51.100.0/24 on 24 ports, one per 8.64 ms from
 *         2026-11-30T00:00:00Z)
 *
 * An event line:  TIME SRC DST PROTO PORT [ATTR...]   ('#' comments allowed)
 *   TIME   2026-11-30T12:00:01Z or 2026-11-30T12:00:01.5Z (UTC), or epoch
 *          seconds with an optional fraction (1796040001.25)
 *   SRC, DST  IPv4 or IPv6 addresses (both of one family)
 *   PROTO  tcp | udp | icmp (PORT is the ICMP type) | icmp6 | arp (a non-IP
 *          frame) | a protocol number (e.g. 47)
 *   PORT   destination port, or ICMP type
 *   ATTR   flags=S|SA|R|RA|A|F|FPU|none (TCP flags, default S)
 *          vlan=ID[,ID] (802.1Q tag; two tags: 802.1ad outer, 802.1Q inner)
 *          frag=first|later (IPv4: MF / offset 1480; IPv6: fragment header)
 *          ext=hop,rt,dst (IPv6 extension headers before the payload)
 *          ipopt (IPv4 header with 4 bytes of options)
 *          short (captured length cut 2 bytes into the transport header)
 *          sport=N (source port, default 40000 + line number)
 *          out (LOG only: an outbound record, IN= empty and OUT=eth0)
 *
 * Every event is an inbound packet; what talot must count is exactly the
 * events that are TCP without ACK, UDP, or ICMP (not icmp6, not a later
 * fragment, not short, not arp, not another protocol, not out).
 *
 * Examples (tests/meson.build builds it as build/tests/gen_capture):
 *   gen_capture -f pcap -l sll2 events.txt day.pcap
 *   gen_capture -f log -t iso -o +09:00 events.txt day.log
 *   gen_capture -f pcap random:10000000:1 big.pcap
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

struct event {
	int64_t sec;
	uint32_t nsec;
	int family;
	uint8_t src[16], dst[16];
	int proto;            /* IP protocol number; -1 arp */
	int port;
	int flags;            /* TCP flags byte */
	int vlan[2], nvlan;
	int frag;             /* 0, 1 first, 2 later */
	int ext[3], next;     /* IPv6 extension header types */
	int ipopt, shortcap, out;
	int sport;
};

enum { F_FIN = 1, F_SYN = 2, F_RST = 4, F_PSH = 8, F_ACK = 16, F_URG = 32 };

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "gen_capture: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
parse_time(const char *s, struct event *ev)
{
	int y, mo, d, h, mi, se, n = 0;
	const char *p;
	uint32_t ns = 0;
	int digits = 0;

	if (strchr(s, 'T') != NULL) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
		    &se, &n) != 6)
			return -1;
		ev->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 +
		    mi * 60 + se;
		p = s + n;
	} else {
		char *end;
		ev->sec = strtoll(s, &end, 10);
		if (end == s)
			return -1;
		p = end;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			if (digits < 9)
				ns = ns * 10 + (uint32_t)(*p - '0');
		for (; digits < 9; digits++)
			ns *= 10;
	}
	if (*p == 'Z')
		p++;
	ev->nsec = ns;
	return *p == '\0' ? 0 : -1;
}

static int
parse_flags(const char *s)
{
	int f = 0;

	if (strcmp(s, "none") == 0)
		return 0;
	for (; *s; s++) {
		switch (*s) {
		case 'S': f |= F_SYN; break;
		case 'A': f |= F_ACK; break;
		case 'R': f |= F_RST; break;
		case 'F': f |= F_FIN; break;
		case 'P': f |= F_PSH; break;
		case 'U': f |= F_URG; break;
		default: return -1;
		}
	}
	return f;
}

static int
parse_event(char *line, long lineno, struct event *ev)
{
	char *tok[16];
	int nt = 0;
	char *save = NULL, *t;
	char *hash = strchr(line, '#');

	if (hash != NULL)
		*hash = '\0';
	for (t = strtok_r(line, " \t\r\n", &save); t != NULL && nt < 16;
	    t = strtok_r(NULL, " \t\r\n", &save))
		tok[nt++] = t;
	if (nt == 0)
		return 0;
	if (nt < 5)
		die("events:%ld: expected TIME SRC DST PROTO PORT [ATTR...]",
		    lineno);
	memset(ev, 0, sizeof(*ev));
	ev->flags = F_SYN;
	ev->sport = 40000 + (int)(lineno % 20000);
	if (parse_time(tok[0], ev) != 0)
		die("events:%ld: bad time", lineno);
	if (inet_pton(AF_INET, tok[1], ev->src) == 1 &&
	    inet_pton(AF_INET, tok[2], ev->dst) == 1)
		ev->family = 4;
	else if (inet_pton(AF_INET6, tok[1], ev->src) == 1 &&
	    inet_pton(AF_INET6, tok[2], ev->dst) == 1)
		ev->family = 6;
	else
		die("events:%ld: bad or mixed addresses", lineno);
	if (strcmp(tok[3], "tcp") == 0)
		ev->proto = 6;
	else if (strcmp(tok[3], "udp") == 0)
		ev->proto = 17;
	else if (strcmp(tok[3], "icmp") == 0)
		ev->proto = 1;
	else if (strcmp(tok[3], "icmp6") == 0)
		ev->proto = 58;
	else if (strcmp(tok[3], "arp") == 0)
		ev->proto = -1;
	else if (isdigit((unsigned char)tok[3][0]))
		ev->proto = atoi(tok[3]);
	else
		die("events:%ld: bad protocol", lineno);
	ev->port = atoi(tok[4]);
	for (int i = 5; i < nt; i++) {
		char *a = tok[i];
		if (strncmp(a, "flags=", 6) == 0) {
			if ((ev->flags = parse_flags(a + 6)) < 0)
				die("events:%ld: bad flags", lineno);
		} else if (strncmp(a, "vlan=", 5) == 0) {
			char *c = strchr(a + 5, ',');
			ev->vlan[0] = atoi(a + 5);
			ev->nvlan = 1;
			if (c != NULL) {
				ev->vlan[1] = atoi(c + 1);
				ev->nvlan = 2;
			}
		} else if (strcmp(a, "frag=first") == 0) {
			ev->frag = 1;
		} else if (strcmp(a, "frag=later") == 0) {
			ev->frag = 2;
		} else if (strncmp(a, "ext=", 4) == 0) {
			char *s2 = NULL;
			for (char *x = strtok_r(a + 4, ",", &s2);
			    x != NULL && ev->next < 3; x = strtok_r(NULL, ",", &s2))
				ev->ext[ev->next++] = strcmp(x, "hop") == 0 ? 0 :
				    strcmp(x, "rt") == 0 ? 43 : 60;
		} else if (strcmp(a, "ipopt") == 0) {
			ev->ipopt = 1;
		} else if (strcmp(a, "short") == 0) {
			ev->shortcap = 1;
		} else if (strcmp(a, "out") == 0) {
			ev->out = 1;
		} else if (strncmp(a, "sport=", 6) == 0) {
			ev->sport = atoi(a + 6);
		} else {
			die("events:%ld: unknown attribute %s", lineno, a);
		}
	}
	return 1;
}

/* ---- the random source ---------------------------------------------------- */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
random_event(uint64_t i, struct event *ev)
{
	static const int ports[24] = { 23, 22, 80, 443, 445, 135, 139, 3389,
		8080, 1433, 3306, 5900, 6379, 25, 53, 123, 161, 1900, 5060,
		2323, 7547, 81, 8443, 37215 };
	uint64_t r = rng(), a = rng();
	uint64_t t = 1795996800ULL * 1000000ULL + i * 8640ULL;

	memset(ev, 0, sizeof(*ev));
	ev->sec = (int64_t)(t / 1000000);
	ev->nsec = (uint32_t)(t % 1000000) * 1000;
	ev->sport = 1024 + (int)(r % 60000);
	ev->flags = F_SYN;
	if ((r >> 20) % 16 == 0) {
		ev->family = 6;
		ev->src[0] = 0x20; ev->src[1] = 0x01; ev->src[2] = 0x0d;
		ev->src[3] = 0xb8;
		ev->src[15] = (uint8_t)a;
		ev->src[14] = (uint8_t)(a >> 8);
		ev->src[13] = (uint8_t)(a >> 16) & 0x0f;
		ev->dst[0] = 0x20; ev->dst[1] = 0x01; ev->dst[2] = 0x0d;
		ev->dst[3] = 0xb8; ev->dst[15] = 1;
	} else {
		uint32_t s = (uint32_t)(a % 1000000);
		ev->family = 4;
		/* 1 M sources spread over a few /8s */
		ev->src[0] = (uint8_t)(1 + s % 200);
		ev->src[1] = (uint8_t)(s >> 8);
		ev->src[2] = (uint8_t)(s >> 16);
		ev->src[3] = (uint8_t)(s * 7);
		ev->dst[0] = 198; ev->dst[1] = 51; ev->dst[2] = 100;
		ev->dst[3] = (uint8_t)((r >> 8) % 256);
	}
	switch ((r >> 32) % 8) {
	case 0: ev->proto = 17; ev->port = ports[(r >> 40) % 24]; break;
	case 1: ev->proto = ev->family == 4 ? 1 : 58; ev->port = 8;
		if (ev->family == 6) ev->port = 128;
		break;
	default: ev->proto = 6; ev->port = ports[(r >> 40) % 24]; break;
	}
}

/* ---- packets ---------------------------------------------------------------- */

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static unsigned
csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* The transport header (or payload of a later fragment) at p; its length. */
static size_t
transport(const struct event *ev, uint8_t *p)
{
	if (ev->frag == 2) {
		memset(p, 0xab, 16);
		return 16;
	}
	switch (ev->proto) {
	case 6:
		memset(p, 0, 20);
		put16(p, (unsigned)ev->sport);
		put16(p + 2, (unsigned)ev->port);
		put32(p + 4, 0x12345678);
		if (ev->flags & F_ACK)
			put32(p + 8, 0x9abcdef0);
		p[12] = 5 << 4;
		p[13] = (uint8_t)ev->flags;
		put16(p + 14, 1024);
		return 20;
	case 17:
		put16(p, (unsigned)ev->sport);
		put16(p + 2, (unsigned)ev->port);
		put16(p + 4, 12);
		put16(p + 6, 0);
		memcpy(p + 8, "talo", 4);
		return 12;
	case 1:
	case 58:
		p[0] = (uint8_t)ev->port;
		p[1] = 0;
		put16(p + 2, 0);
		put16(p + 4, 1);
		put16(p + 6, 1);
		if (ev->proto == 1)
			put16(p + 2, csum(p, 8));
		return 8;
	default:
		memset(p, 0xcd, 8);
		return 8;
	}
}

/* The IP packet at p; returns its length and sets *cap to what a capture
 * holds of it. */
static size_t
ip_packet(const struct event *ev, uint8_t *p, size_t *cap)
{
	size_t hl, tl, l3;

	if (ev->family == 4) {
		hl = ev->ipopt ? 24 : 20;
		tl = transport(ev, p + hl);
		memset(p, 0, hl);
		p[0] = (uint8_t)(0x40 | (hl / 4));
		put16(p + 2, (unsigned)(hl + tl));
		put16(p + 4, 54321);
		if (ev->frag == 1)
			put16(p + 6, 0x2000);
		else if (ev->frag == 2)
			put16(p + 6, 185);
		p[8] = 241;
		p[9] = (uint8_t)ev->proto;
		memcpy(p + 12, ev->src, 4);
		memcpy(p + 16, ev->dst, 4);
		if (ev->ipopt) {
			p[20] = 1; p[21] = 1; p[22] = 1; p[23] = 0;
		}
		put16(p + 10, csum(p, hl));
		l3 = hl;
	} else {
		uint8_t *h = p + 40;
		uint8_t *nh = p + 6;
		memset(p, 0, 40);
		p[0] = 0x60;
		p[7] = 64;
		memcpy(p + 8, ev->src, 16);
		memcpy(p + 24, ev->dst, 16);
		for (int i = 0; i < ev->next; i++) {
			*nh = (uint8_t)ev->ext[i];
			memset(h, 0, 8);
			h[1] = 0;          /* 8 bytes */
			if (ev->ext[i] == 60 || ev->ext[i] == 0) {
				h[2] = 1; h[3] = 4;  /* PadN over the rest */
			}
			nh = h;
			h += 8;
		}
		if (ev->frag) {
			*nh = 44;
			memset(h, 0, 8);
			put16(h + 2, ev->frag == 1 ? 1 : (185 << 3));
			put32(h + 4, 0xcafe);
			nh = h;
			h += 8;
		}
		*nh = (uint8_t)ev->proto;
		l3 = (size_t)(h - p);
		tl = transport(ev, h);
		put16(p + 4, (unsigned)(l3 - 40 + tl));
	}
	*cap = ev->shortcap ? l3 + 2 : l3 + tl;
	return l3 + tl;
}

static const uint8_t mac_dst[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01 };
static const uint8_t mac_src[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02 };

/* The frame for link type dlt at p; its length, *cap what is captured. */
static size_t
frame(const struct event *ev, int dlt, uint8_t *p, size_t *cap)
{
	size_t l2 = 0, len, ipcap;
	unsigned etype = ev->proto < 0 ? 0x0806 : ev->family == 4 ? 0x0800 :
	    0x86dd;
	uint8_t *ip;

	switch (dlt) {
	case DLT_EN10MB:
		memcpy(p, mac_dst, 6);
		memcpy(p + 6, mac_src, 6);
		l2 = 12;
		for (int i = 0; i < ev->nvlan; i++) {
			put16(p + l2, ev->nvlan == 2 && i == 0 ? 0x88a8 : 0x8100);
			put16(p + l2 + 2, (unsigned)ev->vlan[i] & 0x0fff);
			l2 += 4;
		}
		put16(p + l2, etype);
		l2 += 2;
		break;
	case DLT_LINUX_SLL:
		memset(p, 0, 16);
		put16(p, 0);
		put16(p + 2, 1);
		put16(p + 4, 6);
		memcpy(p + 6, mac_src, 6);
		put16(p + 14, etype);
		l2 = 16;
		break;
	case DLT_LINUX_SLL2:
		memset(p, 0, 20);
		put16(p, etype);
		put32(p + 4, 2);
		put16(p + 8, 1);
		p[10] = 0;
		p[11] = 6;
		memcpy(p + 12, mac_src, 6);
		l2 = 20;
		break;
	case DLT_NULL:
	case DLT_LOOP: {
		uint32_t af = ev->proto < 0 ? 7 : ev->family == 4 ? 2 :
		    dlt == DLT_NULL ? 24 : 30;
		if (dlt == DLT_NULL)
			memcpy(p, &af, 4);   /* host byte order */
		else
			put32(p, af);
		l2 = 4;
		break;
	}
	default:
		l2 = 0;
	}
	ip = p + l2;
	if (ev->proto < 0) {
		/* not IP: an ARP request, or for raw link types a header whose
		 * version is neither 4 nor 6 */
		memset(ip, 0, 28);
		if (l2 == 0)
			ip[0] = 0x20;
		*cap = l2 + 28;
		return l2 + 28;
	}
	len = ip_packet(ev, ip, &ipcap);
	*cap = l2 + ipcap;
	return l2 + len;
}

/* ---- writers ---------------------------------------------------------------- */

struct out {
	const char *fmt;
	int dlt;
	int nano;
	const char *tstyle;
	const char *offset;
	FILE *fp;
	pcap_t *dead;
	pcap_dumper_t *dump;
	long line;
};

static void
ng_block(FILE *fp, uint32_t type, const uint8_t *body, size_t n)
{
	uint32_t len = (uint32_t)(12 + ((n + 3) & ~(size_t)3));
	static const uint8_t pad[4];

	fwrite(&type, 4, 1, fp);
	fwrite(&len, 4, 1, fp);
	fwrite(body, 1, n, fp);
	fwrite(pad, 1, ((n + 3) & ~(size_t)3) - n, fp);
	fwrite(&len, 4, 1, fp);
}

static void
open_out(struct out *o, const char *path)
{
	if (strcmp(o->fmt, "pcap") == 0) {
		o->dead = pcap_open_dead_with_tstamp_precision(o->dlt, 262144,
		    o->nano ? PCAP_TSTAMP_PRECISION_NANO :
		    PCAP_TSTAMP_PRECISION_MICRO);
		if (o->dead == NULL)
			die("%s: pcap_open_dead failed", path);
		o->dump = pcap_dump_open(o->dead, path);
		if (o->dump == NULL)
			die("%s: %s", path, pcap_geterr(o->dead));
		return;
	}
	o->fp = fopen(path, "wb");
	if (o->fp == NULL)
		die("%s: cannot create", path);
	if (strcmp(o->fmt, "pcapng") == 0) {
		uint8_t shb[16], idb[20];
		uint32_t magic = 0x1A2B3C4D;
		uint16_t v;
		int64_t sl = -1;

		memcpy(shb, &magic, 4);
		v = 1; memcpy(shb + 4, &v, 2);
		v = 0; memcpy(shb + 6, &v, 2);
		memcpy(shb + 8, &sl, 8);
		ng_block(o->fp, 0x0A0D0D0A, shb, 16);
		{
			/* LINKTYPE_ value of the DLT (they differ for raw IP) */
			uint16_t linktype = (uint16_t)(o->dlt == DLT_RAW ? 101 :
			    o->dlt == DLT_LOOP ? 108 : o->dlt);
			uint16_t res = 0;
			uint32_t snap = 262144;
			size_t n = 8;
			memcpy(idb, &linktype, 2);
			memcpy(idb + 2, &res, 2);
			memcpy(idb + 4, &snap, 4);
			if (o->nano) {
				/* if_tsresol = 9, then opt_endofopt */
				uint16_t code = 9, olen = 1;
				memcpy(idb + 8, &code, 2);
				memcpy(idb + 10, &olen, 2);
				idb[12] = 9; idb[13] = idb[14] = idb[15] = 0;
				memset(idb + 16, 0, 4);
				n = 20;
			}
			ng_block(o->fp, 1, idb, n);
		}
	}
}

static void
fmt_ip(const struct event *ev, const uint8_t *a, char *buf)
{
	inet_ntop(ev->family == 4 ? AF_INET : AF_INET6, a, buf, 64);
}

static void
write_log(struct out *o, const struct event *ev)
{
	static const char *mon[12] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char src[64], dst[64], ts[64];
	int off = 0;
	FILE *fp = o->fp;
	struct tm tm;
	time_t t;

	if (ev->proto < 0)
		return;  /* a firewall logs IP packets only */
	if (strcmp(o->offset, "Z") != 0) {
		int hh = 0, mm = 0;
		if (sscanf(o->offset + 1, "%2d:%2d", &hh, &mm) != 2)
			die("bad offset %s", o->offset);
		off = (hh * 3600 + mm * 60) * (o->offset[0] == '-' ? -1 : 1);
	}
	t = (time_t)(ev->sec + off);
	gmtime_r(&t, &tm);
	if (strcmp(o->tstyle, "syslog") == 0)
		snprintf(ts, sizeof(ts), "%s %2d %02d:%02d:%02d",
		    mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	else if (strcmp(o->tstyle, "unix") == 0)
		snprintf(ts, sizeof(ts), "%lld.%06u", (long long)ev->sec,
		    ev->nsec / 1000);
	else
		snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%06u%s",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ev->nsec / 1000,
		    strcmp(o->offset, "Z") == 0 ? "Z" : o->offset);
	fmt_ip(ev, ev->src, src);
	fmt_ip(ev, ev->dst, dst);
	fprintf(fp, "%s sensor kernel: [%ld.%06ld] DROP %s OUT=%s ", ts,
	    1000 + o->line, o->line % 1000000, ev->out ? "IN=" : "IN=eth0",
	    ev->out ? "eth0" : "");
	if (!ev->out)
		fprintf(fp, "MAC=00:00:5e:00:53:01:00:00:5e:00:53:02:%s ",
		    ev->family == 4 ? "08:00" : "86:dd");
	fprintf(fp, "SRC=%s DST=%s ", src, dst);
	if (ev->family == 4) {
		fprintf(fp, "LEN=44 TOS=0x00 PREC=0x00 TTL=241 ID=54321 ");
		if (ev->frag == 1)
			fprintf(fp, "MF ");
		if (ev->frag == 2)
			fprintf(fp, "FRAG:185 ");
		if (ev->ipopt)
			fprintf(fp, "OPT (01010100) ");
	} else {
		fprintf(fp, "LEN=60 TC=0 HOPLIMIT=64 FLOWLBL=0 ");
		if (ev->frag)
			fprintf(fp, "FRAG:%d %sID:0000cafe ",
			    ev->frag == 1 ? 0 : 1480,
			    ev->frag == 1 ? "INCOMPLETE " : "");
	}
	switch (ev->proto) {
	case 6:
		fprintf(fp, "PROTO=TCP ");
		if (ev->frag == 2)
			break;
		if (ev->shortcap) {
			fprintf(fp, "INCOMPLETE [2 bytes] ");
			break;
		}
		fprintf(fp, "SPT=%d DPT=%d WINDOW=1024 RES=0x00 %s%s%s%s%s%s"
		    "URGP=0 ", ev->sport, ev->port,
		    ev->flags & F_URG ? "URG " : "",
		    ev->flags & F_ACK ? "ACK " : "",
		    ev->flags & F_PSH ? "PSH " : "",
		    ev->flags & F_RST ? "RST " : "",
		    ev->flags & F_SYN ? "SYN " : "",
		    ev->flags & F_FIN ? "FIN " : "");
		break;
	case 17:
		fprintf(fp, "PROTO=UDP ");
		if (ev->frag == 2)
			break;
		if (ev->shortcap) {
			fprintf(fp, "INCOMPLETE [2 bytes] ");
			break;
		}
		fprintf(fp, "SPT=%d DPT=%d LEN=12 ", ev->sport, ev->port);
		break;
	case 1:
	case 58:
		fprintf(fp, "PROTO=%s ", ev->proto == 1 ? "ICMP" : "ICMPv6");
		if (ev->frag == 2)
			break;
		if (ev->shortcap) {
			fprintf(fp, "INCOMPLETE [2 bytes] ");
			break;
		}
		fprintf(fp, "TYPE=%d CODE=0 ", ev->port);
		if (ev->port == 8 || ev->port == 0 || ev->port == 128)
			fprintf(fp, "ID=1 SEQ=1 ");
		break;
	default:
		fprintf(fp, "PROTO=%d ", ev->proto);
	}
	fputc('\n', fp);
}

static void
write_event_line(struct out *o, const struct event *ev)
{
	char src[64], dst[64];
	static const char *fl = "FSRPAU";
	char flags[8];
	int n = 0;

	fmt_ip(ev, ev->src, src);
	fmt_ip(ev, ev->dst, dst);
	for (int i = 0; i < 6; i++)
		if (ev->flags & (1 << i))
			flags[n++] = fl[i];
	flags[n] = '\0';
	fprintf(o->fp, "%lld.%09u %s %s ", (long long)ev->sec, ev->nsec, src,
	    dst);
	if (ev->proto == 6)
		fprintf(o->fp, "tcp %d flags=%s sport=%d\n", ev->port,
		    n ? flags : "none", ev->sport);
	else if (ev->proto == 17)
		fprintf(o->fp, "udp %d sport=%d\n", ev->port, ev->sport);
	else if (ev->proto == 1)
		fprintf(o->fp, "icmp %d\n", ev->port);
	else if (ev->proto == 58)
		fprintf(o->fp, "icmp6 %d\n", ev->port);
	else
		fprintf(o->fp, "%d %d\n", ev->proto, ev->port);
}

static void
write_event(struct out *o, const struct event *ev)
{
	static uint8_t buf[512];
	size_t len, cap;

	o->line++;
	if (strcmp(o->fmt, "log") == 0) {
		write_log(o, ev);
		return;
	}
	if (strcmp(o->fmt, "events") == 0) {
		write_event_line(o, ev);
		return;
	}
	if ((o->dlt == DLT_IPV4 && ev->family != 4 && ev->proto >= 0) ||
	    (o->dlt == DLT_IPV6 && ev->family != 6 && ev->proto >= 0))
		die("event %ld: this link type holds one IP version only",
		    o->line);
	len = frame(ev, o->dlt, buf, &cap);
	if (o->dump != NULL) {
		struct pcap_pkthdr h;
		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (time_t)ev->sec;
		h.ts.tv_usec = (suseconds_t)(o->nano ? ev->nsec : ev->nsec / 1000);
		h.caplen = (bpf_u_int32)cap;
		h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)o->dump, &h, buf);
	} else {
		uint8_t epb[20 + 512];
		uint32_t v;
		uint64_t ts = o->nano ? (uint64_t)ev->sec * 1000000000ULL +
		    ev->nsec : (uint64_t)ev->sec * 1000000ULL + ev->nsec / 1000;
		v = 0; memcpy(epb, &v, 4);
		v = (uint32_t)(ts >> 32); memcpy(epb + 4, &v, 4);
		v = (uint32_t)ts; memcpy(epb + 8, &v, 4);
		v = (uint32_t)cap; memcpy(epb + 12, &v, 4);
		v = (uint32_t)len; memcpy(epb + 16, &v, 4);
		memcpy(epb + 20, buf, cap);
		ng_block(o->fp, 6, epb, 20 + cap);
	}
}

static int
parse_dlt(const char *s)
{
	static const struct { const char *n; int dlt; } t[] = {
		{ "en10mb", DLT_EN10MB }, { "sll", DLT_LINUX_SLL },
		{ "sll2", DLT_LINUX_SLL2 }, { "raw", DLT_RAW },
		{ "ipv4", DLT_IPV4 }, { "ipv6", DLT_IPV6 },
		{ "null", DLT_NULL }, { "loop", DLT_LOOP },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].n) == 0)
			return t[i].dlt;
	die("unknown link type %s", s);
	return -1;
}

int
main(int argc, char **argv)
{
	struct out o = { .fmt = NULL, .dlt = DLT_EN10MB, .tstyle = "iso",
		.offset = "+00:00" };
	long cut = 0;
	int c;
	struct event ev;

	while ((c = getopt(argc, argv, "f:l:nt:o:T:")) != -1) {
		switch (c) {
		case 'f': o.fmt = optarg; break;
		case 'l': o.dlt = parse_dlt(optarg); break;
		case 'n': o.nano = 1; break;
		case 't': o.tstyle = optarg; break;
		case 'o': o.offset = optarg; break;
		case 'T': cut = atol(optarg); break;
		default: goto usage;
		}
	}
	if (o.fmt == NULL || argc - optind != 2 ||
	    (strcmp(o.fmt, "pcap") != 0 && strcmp(o.fmt, "pcapng") != 0 &&
	    strcmp(o.fmt, "log") != 0 && strcmp(o.fmt, "events") != 0))
		goto usage;
	open_out(&o, argv[optind + 1]);
	if (strncmp(argv[optind], "random:", 7) == 0) {
		unsigned long long n = 0, seed = 0;
		if (sscanf(argv[optind] + 7, "%llu:%llu", &n, &seed) != 2)
			goto usage;
		rng_state = seed;
		for (unsigned long long i = 0; i < n; i++) {
			random_event(i, &ev);
			write_event(&o, &ev);
		}
	} else {
		FILE *in = strcmp(argv[optind], "-") == 0 ? stdin :
		    fopen(argv[optind], "r");
		char line[1024];
		long lineno = 0;
		if (in == NULL)
			die("%s: cannot open", argv[optind]);
		while (fgets(line, sizeof(line), in) != NULL) {
			lineno++;
			if (parse_event(line, lineno, &ev))
				write_event(&o, &ev);
		}
		if (in != stdin)
			fclose(in);
	}
	if (o.dump != NULL) {
		pcap_dump_close(o.dump);
		pcap_close(o.dead);
	} else if (fclose(o.fp) != 0) {
		die("%s: write failed", argv[optind + 1]);
	}
	if (cut > 0) {
		FILE *f = fopen(argv[optind + 1], "r+b");
		long size;
		if (f == NULL || fseek(f, 0, SEEK_END) != 0)
			die("%s: cannot cut", argv[optind + 1]);
		size = ftell(f);
		fclose(f);
		if (truncate(argv[optind + 1], size > cut ? size - cut : 0) != 0)
			die("%s: cannot cut", argv[optind + 1]);
	}
	return 0;
usage:
	fprintf(stderr, "usage: gen_capture -f pcap|pcapng|log|events [-l LINK] "
	    "[-n] [-t iso|syslog|unix] [-o +HH:MM] [-T BYTES] EVENTS OUT\n");
	return 2;
}
