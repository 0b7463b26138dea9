/* ingest_internal.h — the pure parts of the readers and lookups, exposed
 * for the unit tests and the fuzz targets.  Nothing here does I/O. */
#ifndef TALOT_INGEST_INTERNAL_H
#define TALOT_INGEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

/* The result of decoding one packet or line: an event, or why not. */
#define INGEST_EVENT INGEST_SKIP_N

/* Decodes one captured packet of link type dlt (a DLT_ value as libpcap
 * reports it) into ev (its time left alone).  Returns INGEST_EVENT, or the
 * reason it is not an access; -1 when dlt is not a supported link type.
 * Reads only p[0..caplen). */
int capture_decode(int dlt, const uint8_t *p, size_t caplen,
    struct ingest_event *ev);

/* True if libpcap's link type dlt is one capture_decode() reads. */
bool capture_dlt_supported(int dlt);

/* One line of a firewall log (without '\n'; a trailing '\r' is allowed;
 * may hold NUL bytes and any byte values).  Returns INGEST_EVENT with ev
 * filled, a skip reason, or -1 with a message (no place) in msg. */
int logline_parse(const char *line, size_t len,
    const struct ingest_read_opts *o, struct ingest_event *ev, char *msg,
    size_t msglen);

/* Reads a LOG file line by line (the text half of ingest_read_file). */
bool logline_read_file(const char *path, const struct ingest_read_opts *o,
    ingest_event_fn fn, void *ctx, struct ingest_file_stats *st,
    struct err *e);

/* Reads a pcap or pcapng file (the capture half of ingest_read_file). */
bool capture_read_file(const char *path, ingest_event_fn fn, void *ctx,
    struct ingest_file_stats *st, struct err *e);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t ingest_days_from_civil(int64_t y, int m, int d);
void ingest_civil_from_days(int64_t z, int *y, int *m, int *d);

/* A country code as a database holds it (s[0..len), not terminated) to
 * talot's form: two ASCII letters, upper-cased, into cc; anything else
 * (empty, three letters, digits, non-ASCII) gives "ZZ".  Returns true if
 * the code was usable. */
bool geoip_cc_normalise(const char *s, size_t len, char cc[3]);

/* Parses "ADDR" or "ADDR/LEN" (s[0..len)) into family (4 or 6), addr
 * (network order, IPv4 in the first 4 bytes) and prefix length; false with
 * a message in msg. */
bool prefix_parse_cidr(const char *s, size_t len, int *family,
    uint8_t addr[16], int *plen, char *msg, size_t msglen);

#endif
