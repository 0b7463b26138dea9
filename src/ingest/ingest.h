/* ingest.h — from packets and firewall log lines to talot's rows.
 *
 * Two halves meet here:
 *   readers (capture.c, logline.c) turn an input file into inbound events;
 *   lookups (prefix.c, geoip.c, tzday.c) give each event its sensor, its
 *   source's country and its day;
 *   the aggregator (agg.c) and the store count them exactly.
 * The readers know nothing of sensors, countries or the store.
 */
#ifndef TALOT_INGEST_H
#define TALOT_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* ---- one inbound access ---- */
struct ingest_event {
	int64_t sec;          /* UTC seconds since the epoch */
	uint8_t family;       /* 4 or 6 */
	uint8_t proto;        /* 1 ICMP, 6 TCP, 17 UDP (talot's codes) */
	uint16_t port;        /* destination port, or the ICMP type */
	uint8_t src[16];      /* network order; IPv4 in the first 4 bytes */
	uint8_t dst[16];
};

/* Why a packet or line was not an event.  Every reason is counted and
 * reported; docs/ingest.md says exactly what each one means. */
enum ingest_skip {
	INGEST_SKIP_FRAGMENT,     /* a non-first IP fragment (no ports) */
	INGEST_SKIP_PROTO,        /* not TCP, UDP or ICMP */
	INGEST_SKIP_ICMPV6,       /* ICMPv6 (types differ from ICMP's) */
	INGEST_SKIP_TCP_ACK,      /* TCP with ACK set: a reply, not a probe */
	INGEST_SKIP_NOT_IP,       /* a link-layer frame that is not IPv4/6 */
	INGEST_SKIP_SHORT,        /* a packet cut before its ports */
	INGEST_SKIP_NOT_LOG,      /* a text line that is not a LOG record */
	INGEST_SKIP_OUTBOUND,     /* sent by the host: a LOG record with OUT=
	                           * set and no IN=, or a packet a Linux
	                           * cooked capture marks outgoing */
	INGEST_SKIP_N
};
const char *ingest_skip_name(enum ingest_skip r);

struct ingest_file_stats {
	int64_t packets;          /* packets or lines read */
	int64_t events;           /* handed to the callback */
	int64_t skipped[INGEST_SKIP_N];
	bool truncated;           /* last record cut short (a warning) */
	int64_t truncated_at;     /* its byte offset */
};

enum ingest_format { INGEST_PCAP, INGEST_PCAPNG, INGEST_LOG };

/* Called once per event; false stops the read (e set by the callee). */
typedef bool (*ingest_event_fn)(void *ctx, const struct ingest_event *ev,
    struct err *e);

struct ingest_read_opts {
	int year;                 /* for syslog "Mon DD HH:MM:SS" stamps; 0 = refuse */
	const struct ingest_tz *tz;  /* zone of zone-less log stamps (may be NULL: UTC) */
};

/* Detects the format of path by its content (pcap or pcapng magic, else
 * text).  false with e ("FILE: …") when the file cannot be read. */
bool ingest_detect(const char *path, enum ingest_format *fmt, struct err *e);

/* Reads one input file and calls fn for each inbound event.  A capture cut
 * short in its last record is read up to its last whole packet and flagged
 * in st.  A corrupt header or an unknown link type ("FILE: …"), or a line
 * that looks like a LOG record but cannot be parsed ("FILE:LINE: …"), is
 * an error: false with e set (events already delivered are the caller's
 * to discard). */
bool ingest_read_file(const char *path, const struct ingest_read_opts *o,
    ingest_event_fn fn, void *ctx, struct ingest_file_stats *st,
    struct err *e);

/* ---- prefixes: --sensor-map and --exclude ---- */
struct prefix_table;
/* Loads "CIDR NAME" lines (with_names) or "CIDR" lines; '#' comments and
 * blank lines allowed.  A bad CIDR is "FILE:LINE: …". */
struct prefix_table *prefix_table_load(const char *path, bool with_names,
    struct err *e);
void prefix_table_free(struct prefix_table *t);
/* Longest match: the entry's name ("" without names), or NULL. */
const char *prefix_table_match(const struct prefix_table *t, int family,
    const uint8_t addr[16]);

/* ---- countries: a MaxMind-format database ---- */
struct geoip;
/* Opens a .mmdb; a missing file, a file that is not an MMDB, or one with no
 * country data is "FILE: …". */
struct geoip *geoip_open(const char *path, struct err *e);
void geoip_close(struct geoip *g);
/* country.iso_code, else registered_country.iso_code, else "ZZ".  cc gets
 * two upper-case letters and a NUL. */
bool geoip_country(struct geoip *g, int family, const uint8_t addr[16],
    char cc[3], struct err *e);
/* The database's type ("GeoLite2-Country", "DBIP-Country-Lite") and build
 * time (UTC seconds), for the record of each sensor-day. */
const char *geoip_type(const struct geoip *g);
int64_t geoip_build_epoch(const struct geoip *g);

/* ---- days in a time zone ---- */
struct ingest_tz;
/* A zone of the system's tz database ("Asia/Tokyo", "UTC"); an unknown
 * zone is an error naming it. */
struct ingest_tz *ingest_tz_open(const char *zone, struct err *e);
void ingest_tz_free(struct ingest_tz *tz);
/* The day (YYYYMMDD) of UTC second sec in the zone. */
int32_t ingest_tz_day(const struct ingest_tz *tz, int64_t sec);
/* UTC second of local civil time in the zone (for zone-less stamps). */
int64_t ingest_tz_utc(const struct ingest_tz *tz, int y, int mon, int d,
    int h, int mi, int s);

#endif
