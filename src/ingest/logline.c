/* logline.c — iptables/nftables LOG records to inbound events.
 *
 * The kernel's LOG target (and nftables' log statement) writes one line per
 * packet, which syslog or the journal prefixes with a time stamp and host:
 *
 *   2026-11-30T12:00:01.123456+09:00 host kernel: [123.45] DROP IN=eth0
 *   OUT= MAC=… SRC=203.0.113.5 DST=192.0.2.1 LEN=44 … PROTO=TCP SPT=40000
 *   DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0
 *
 * A line is a LOG record when it holds " IN=", then " SRC=", then
 * " PROTO=".  Other lines are counted and skipped.  A LOG record that
 * cannot be read (no time stamp, a bad address or port) is an error with
 * its FILE:LINE.  docs/ingest.md says what counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ingest.h"
#include "ingest_internal.h"

#define LOG_LINE_MAX (64 * 1024)  /* longer lines are not LOG records */
#define LOG_READ_BUF (256 * 1024)

static bool
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* The n digits at s as a number, or -1. */
static int
digits(const char *s, const char *end, int n)
{
	int v = 0;

	if (end - s < n)
		return -1;
	for (int i = 0; i < n; i++) {
		if (!isdig(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The first needle (not empty, NUL-free) in s[0..end), or NULL. */
static const char *
find(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	while (s < end && (size_t)(end - s) >= n) {
		const char *c = memchr(s, needle[0], (size_t)(end - s) - n + 1);

		if (c == NULL)
			return NULL;
		if (memcmp(c, needle, n) == 0)
			return c;
		s = c + 1;
	}
	return NULL;
}

int64_t
ingest_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
ingest_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool
date_valid(int y, int m, int d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	if (d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	return true;
}

static int
month_from_name(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (memcmp(s, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

/* Skips ".123456" after seconds. */
static const char *
skip_fraction(const char *p, const char *end)
{
	if (p < end && *p == '.') {
		p++;
		while (p < end && isdig(*p))
			p++;
	}
	return p;
}

enum stamp { STAMP_OK, STAMP_NONE, STAMP_BAD, STAMP_NO_YEAR };

/* The time stamp at the start of a line, into *sec. */
static enum stamp
parse_stamp(const char *p, const char *end, const struct ingest_read_opts *o,
    int64_t *sec, const char **bad)
{
	int y, mo, d, h, mi, s;

	*bad = NULL;
	/* RFC 5424: "<PRI>1 " before the stamp */
	if (p < end && *p == '<') {
		const char *q = p + 1;
		while (q < end && isdig(*q) && q - p < 5)
			q++;
		if (q < end && *q == '>') {
			p = q + 1;
			if (p + 1 < end && p[0] == '1' && p[1] == ' ')
				p += 2;
		}
	}
	/* ISO 8601 / RFC 3339: 2026-11-30T12:00:01[.frac](Z|+09:00|+0900)
	 * or with a space instead of the T */
	if (end - p >= 19 && isdig(p[0]) && p[4] == '-') {
		y = digits(p, end, 4);
		mo = digits(p + 5, end, 2);
		d = digits(p + 8, end, 2);
		h = digits(p + 11, end, 2);
		mi = digits(p + 14, end, 2);
		s = digits(p + 17, end, 2);
		if (p[7] != '-' || (p[10] != 'T' && p[10] != ' ' &&
		    p[10] != 't') || p[13] != ':' || p[16] != ':' || y < 0 ||
		    mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 ||
		    !date_valid(y, mo, d) || h > 23 || mi > 59 || s > 60) {
			*bad = "a malformed ISO 8601 time stamp";
			return STAMP_BAD;
		}
		if (s == 60)
			s = 59;   /* a leap second stays in its minute */
		p = skip_fraction(p + 19, end);
		if (p < end && (*p == 'Z' || *p == 'z')) {
			*sec = ingest_days_from_civil(y, mo, d) * 86400 +
			    h * 3600 + mi * 60 + s;
			return STAMP_OK;
		}
		if (p < end && (*p == '+' || *p == '-')) {
			int sign = *p == '-' ? -1 : 1, oh, om;
			oh = digits(p + 1, end, 2);
			if (p + 3 < end && p[3] == ':')
				om = digits(p + 4, end, 2);
			else
				om = digits(p + 3, end, 2);
			if (oh < 0 || om < 0 || oh > 23 || om > 59) {
				*bad = "a malformed UTC offset in its time stamp";
				return STAMP_BAD;
			}
			*sec = ingest_days_from_civil(y, mo, d) * 86400 +
			    h * 3600 + mi * 60 + s - sign * (oh * 3600 + om * 60);
			return STAMP_OK;
		}
		/* no offset: local time of the zone given */
		*sec = o->tz != NULL ? ingest_tz_utc(o->tz, y, mo, d, h, mi, s) :
		    ingest_days_from_civil(y, mo, d) * 86400 + h * 3600 +
		    mi * 60 + s;
		return STAMP_OK;
	}
	/* journalctl -o short-unix: 1796040001.123456 */
	if (p < end && isdig(*p)) {
		const char *q = p;
		int64_t v = 0;
		while (q < end && isdig(*q) && q - p < 12)
			v = v * 10 + (*q++ - '0');
		q = skip_fraction(q, end);
		if (q < end && *q == ' ' && q - p >= 9) {
			*sec = v;
			return STAMP_OK;
		}
		return STAMP_NONE;
	}
	/* traditional syslog: "Nov 30 12:00:01" (or "Nov  3 …") */
	if (end - p >= 15 && p[3] == ' ' && (mo = month_from_name(p)) != 0) {
		d = p[4] == ' ' ? digits(p + 5, end, 1) : digits(p + 4, end, 2);
		h = digits(p + 7, end, 2);
		mi = digits(p + 10, end, 2);
		s = digits(p + 13, end, 2);
		if (d < 0 || h < 0 || mi < 0 || s < 0 || p[6] != ' ' ||
		    p[9] != ':' || p[12] != ':' || h > 23 || mi > 59 || s > 60) {
			*bad = "a malformed syslog time stamp";
			return STAMP_BAD;
		}
		if (o->year == 0)
			return STAMP_NO_YEAR;
		if (!date_valid(o->year, mo, d)) {
			*bad = "a syslog date that does not exist in the year given";
			return STAMP_BAD;
		}
		if (s == 60)
			s = 59;
		*sec = o->tz != NULL ?
		    ingest_tz_utc(o->tz, o->year, mo, d, h, mi, s) :
		    ingest_days_from_civil(o->year, mo, d) * 86400 + h * 3600 +
		    mi * 60 + s;
		return STAMP_OK;
	}
	return STAMP_NONE;
}

/* One "KEY=VALUE" or flag word of the record. */
struct field {
	const char *v;
	size_t n;
	bool set;
};

struct record {
	struct field in, out, src, dst, proto, spt, dpt, type;
	bool ack, mf, incomplete;
	bool later;          /* a FRAG offset other than 0 */
};

static bool
is(const char *t, size_t n, const char *word)
{
	size_t k = strlen(word);
	return n == k && memcmp(t, word, k) == 0;
}

/* FRAG:185, FRAG=185 (the offset; anything but 0 is a later fragment) */
static void
frag_value(const char *v, size_t n, struct record *r)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] >= '1' && v[i] <= '9')
			r->later = true;
}

static void
take(struct field *f, const char *t, size_t n, size_t klen)
{
	/* the first occurrence wins (LEN= and ID= come twice; these not) */
	if (f->set)
		return;
	f->v = t + klen;
	f->n = n - klen;
	f->set = true;
}

static void
scan_fields(const char *p, const char *end, struct record *r)
{
	bool after_proto = false;

	while (p < end) {
		const char *t = p;
		size_t n;

		while (p < end && *p != ' ')
			p++;
		n = (size_t)(p - t);
		while (p < end && *p == ' ')
			p++;
		if (n == 0)
			continue;
		if (n >= 3 && memcmp(t, "IN=", 3) == 0)
			take(&r->in, t, n, 3);
		else if (n >= 4 && memcmp(t, "OUT=", 4) == 0)
			take(&r->out, t, n, 4);
		else if (n >= 4 && memcmp(t, "SRC=", 4) == 0)
			take(&r->src, t, n, 4);
		else if (n >= 4 && memcmp(t, "DST=", 4) == 0)
			take(&r->dst, t, n, 4);
		else if (n >= 6 && memcmp(t, "PROTO=", 6) == 0) {
			take(&r->proto, t, n, 6);
			after_proto = true;
		} else if (n >= 4 && memcmp(t, "SPT=", 4) == 0)
			take(&r->spt, t, n, 4);
		else if (n >= 4 && memcmp(t, "DPT=", 4) == 0)
			take(&r->dpt, t, n, 4);
		else if (n >= 5 && memcmp(t, "TYPE=", 5) == 0 && after_proto)
			take(&r->type, t, n, 5);
		else if (n >= 5 && (memcmp(t, "FRAG:", 5) == 0 ||
		    memcmp(t, "FRAG=", 5) == 0))
			frag_value(t + 5, n - 5, r);
		else if (is(t, n, "ACK") && after_proto)
			r->ack = true;
		else if (is(t, n, "MF"))
			r->mf = true;
		/* "INCOMPLETE [2 bytes]" of a cut transport header; an IPv6
		 * fragment header's "INCOMPLETE" (more fragments) comes
		 * before PROTO= */
		else if (is(t, n, "INCOMPLETE") && after_proto)
			r->incomplete = true;
		/* an ICMP error quotes the offending packet in [ … ]: its
		 * fields are not the record's */
		else if (t[0] == '[' && after_proto)
			break;
	}
}

static bool
parse_addr(const struct field *f, int *family, uint8_t out[16])
{
	char buf[64];

	if (!f->set || f->n == 0 || f->n >= sizeof(buf) ||
	    memchr(f->v, '\0', f->n) != NULL)
		return false;
	memcpy(buf, f->v, f->n);
	buf[f->n] = '\0';
	memset(out, 0, 16);
	if (inet_pton(AF_INET, buf, out) == 1) {
		*family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, buf, out) == 1) {
		*family = 6;
		return true;
	}
	return false;
}

/* A decimal number of at most 5 digits, at most max; -1 otherwise. */
static long
parse_num(const struct field *f, long max)
{
	long v = 0;

	if (!f->set || f->n == 0 || f->n > 5)
		return -1;
	for (size_t i = 0; i < f->n; i++) {
		if (!isdig(f->v[i]))
			return -1;
		v = v * 10 + (f->v[i] - '0');
	}
	return v <= max ? v : -1;
}

/* A message "PRE" + the quoted input + "POST" (quoted at most 47 bytes,
 * control and non-ASCII bytes shown as '?'). */
static int
fail(char *msg, size_t msglen, const char *pre, const char *arg, size_t n,
    const char *post)
{
	if (msg != NULL && msglen > 0) {
		char shown[48];
		size_t k = arg == NULL ? 0 : n < sizeof(shown) - 1 ? n :
		    sizeof(shown) - 1;

		if (k > 0)
			memcpy(shown, arg, k);
		shown[k] = '\0';
		for (size_t i = 0; i < k; i++)
			if ((unsigned char)shown[i] < 0x20 ||
			    (unsigned char)shown[i] >= 0x7f)
				shown[i] = '?';
		snprintf(msg, msglen, "%s%s%s", pre, shown, post);
	}
	return -1;
}

int
logline_parse(const char *line, size_t len, const struct ingest_read_opts *o,
    struct ingest_event *ev, char *msg, size_t msglen)
{
	const char *end = line + len, *in, *src, *proto, *bad;
	struct record r;
	int64_t sec = 0;
	int fs, fd;
	long v;

	if (len > 0 && end[-1] == '\r')
		end--;
	/* a LOG record: " IN=", then " SRC=", then " PROTO=" */
	in = find(line, end, " IN=");
	if (in == NULL)
		return INGEST_SKIP_NOT_LOG;
	src = find(in, end, " SRC=");
	if (src == NULL)
		return INGEST_SKIP_NOT_LOG;
	proto = find(src, end, " PROTO=");
	if (proto == NULL)
		return INGEST_SKIP_NOT_LOG;

	switch (parse_stamp(line, in, o, &sec, &bad)) {
	case STAMP_OK:
		break;
	case STAMP_NO_YEAR:
		return fail(msg, msglen, "a syslog time stamp without a year; "
		    "give the year with --year", NULL, 0, "");
	case STAMP_BAD:
		return fail(msg, msglen, "", bad, strlen(bad), "");
	case STAMP_NONE:
		return fail(msg, msglen, "a LOG record without a time stamp at "
		    "the start of the line (ISO 8601, RFC 3339 or syslog)",
		    NULL, 0, "");
	}

	memset(&r, 0, sizeof(r));
	scan_fields(in + 1, end, &r);
	memset(ev, 0, sizeof(*ev));
	ev->sec = sec;
	if (!parse_addr(&r.src, &fs, ev->src))
		return fail(msg, msglen, "SRC=", r.src.v, r.src.n,
		    " is not an IP address");
	if (!parse_addr(&r.dst, &fd, ev->dst))
		return fail(msg, msglen, "DST=", r.dst.v, r.dst.n,
		    " is not an IP address");
	if (fs != fd)
		return fail(msg, msglen, "SRC= and DST= are of different IP "
		    "versions", NULL, 0, "");
	ev->family = (uint8_t)fs;
	/* sent by this host: not an access to it */
	if (r.in.n == 0 && r.out.set && r.out.n > 0)
		return INGEST_SKIP_OUTBOUND;
	if (r.later)
		return INGEST_SKIP_FRAGMENT;
	if (is(r.proto.v, r.proto.n, "TCP") || is(r.proto.v, r.proto.n, "UDP")) {
		bool tcp = r.proto.v[0] == 'T';

		if (r.incomplete)
			return INGEST_SKIP_SHORT;
		/* the kernel leaves the ports out of a later fragment (and of
		 * an IPv6 one unless it logs IP options) */
		if (!r.dpt.set && !r.spt.set)
			return INGEST_SKIP_FRAGMENT;
		v = parse_num(&r.dpt, 65535);
		if (v < 0)
			return fail(msg, msglen, "DPT=", r.dpt.v, r.dpt.n,
			    " is not a port 0-65535");
		if (tcp && r.ack)
			return INGEST_SKIP_TCP_ACK;
		ev->proto = tcp ? 6 : 17;
		ev->port = (uint16_t)v;
		return INGEST_EVENT;
	}
	if (is(r.proto.v, r.proto.n, "ICMP")) {
		if (r.incomplete)
			return INGEST_SKIP_SHORT;
		if (!r.type.set)
			return INGEST_SKIP_FRAGMENT;
		v = parse_num(&r.type, 255);
		if (v < 0)
			return fail(msg, msglen, "TYPE=", r.type.v, r.type.n,
			    " is not an ICMP type 0-255");
		if (ev->family == 6)
			return INGEST_SKIP_ICMPV6;
		ev->proto = 1;
		ev->port = (uint16_t)v;
		return INGEST_EVENT;
	}
	if (is(r.proto.v, r.proto.n, "ICMPv6"))
		return INGEST_SKIP_ICMPV6;
	if (r.proto.n == 0)
		return fail(msg, msglen, "PROTO= is empty", NULL, 0, "");
	return INGEST_SKIP_PROTO;
}

/* ---- the file ---------------------------------------------------------- */

/* The month (1-12) of a traditional syslog stamp starting line, else 0. */
static int
syslog_month(const char *p, size_t n)
{
	const char *end = p + n;

	if (p < end && *p == '<') {
		const char *q = p + 1;
		while (q < end && isdig(*q) && q - p < 5)
			q++;
		if (q < end && *q == '>')
			p = q + 1;
	}
	if (end - p < 15 || p[3] != ' ' || p[6] != ' ' || p[9] != ':')
		return 0;
	return month_from_name(p);
}

bool
logline_read_file(const char *path, const struct ingest_read_opts *o,
    ingest_event_fn fn, void *ctx, struct ingest_file_stats *st,
    struct err *e)
{
	static const struct ingest_read_opts none = { 0, NULL };
	struct ingest_read_opts cur;
	int last_mon = 0;
	char *buf;
	size_t len = 0, pos = 0;
	bool eof = false, skipping = false, ok = true;
	int64_t lineno = 0;
	struct ingest_event ev;
	char msg[256];
	FILE *fp;

	if (o == NULL)
		o = &none;
	/* the year of syslog stamps: the one given for the first, one more
	 * after each turn of the year (December, then January) */
	cur = *o;
	fp = fopen(path, "rb");
	if (fp == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	buf = malloc(LOG_READ_BUF);
	if (buf == NULL) {
		fclose(fp);
		return err_set(e, "%s: out of memory", path);
	}
	for (;;) {
		const char *nl;
		size_t n;
		int r;

		nl = pos < len ? memchr(buf + pos, '\n', len - pos) : NULL;
		if (nl == NULL && !eof) {
			/* refill: keep the partial line at the front */
			if (pos > 0) {
				memmove(buf, buf + pos, len - pos);
				len -= pos;
				pos = 0;
			}
			if (len == LOG_READ_BUF) {
				/* far longer than any LOG record: skip to
				 * the end of this line */
				if (!skipping) {
					lineno++;
					st->packets++;
					st->skipped[INGEST_SKIP_NOT_LOG]++;
				}
				skipping = true;
				len = 0;
			}
			n = fread(buf + len, 1, LOG_READ_BUF - len, fp);
			if (n == 0) {
				if (ferror(fp)) {
					ok = err_set(e, "%s: %s", path,
					    strerror(errno));
					break;
				}
				eof = true;
			}
			len += n;
			continue;
		}
		if (nl == NULL) {
			if (pos >= len)
				break;
			nl = buf + len;   /* a last line without '\n' */
		}
		n = (size_t)(nl - (buf + pos));
		if (skipping) {
			skipping = false;
			pos += n + 1;
			continue;
		}
		lineno++;
		st->packets++;
		if (n > LOG_LINE_MAX) {
			r = INGEST_SKIP_NOT_LOG;
		} else {
			if (cur.year != 0) {
				int mon = syslog_month(buf + pos, n);
				if (mon != 0 && last_mon != 0 && mon < last_mon - 6)
					cur.year++;
				if (mon != 0)
					last_mon = mon;
			}
			r = logline_parse(buf + pos, n, &cur, &ev, msg,
			    sizeof(msg));
		}
		pos += n + 1;
		if (r < 0) {
			ok = err_set(e, "%s:%lld: %s", path, (long long)lineno,
			    msg);
			break;
		}
		if (r != INGEST_EVENT) {
			st->skipped[r]++;
			continue;
		}
		st->events++;
		if (!fn(ctx, &ev, e)) {
			ok = false;
			break;
		}
	}
	free(buf);
	fclose(fp);
	return ok;
}
