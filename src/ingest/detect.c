/* detect.c — which reader an input file needs, by its first bytes, and the
 * names of the reasons a packet or line is skipped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ingest.h"
#include "ingest_internal.h"

const char *
ingest_skip_name(enum ingest_skip r)
{
	static const char *const names[INGEST_SKIP_N] = {
		[INGEST_SKIP_FRAGMENT] = "non-first fragments",
		[INGEST_SKIP_PROTO] = "other protocols",
		[INGEST_SKIP_ICMPV6] = "ICMPv6",
		[INGEST_SKIP_TCP_ACK] = "TCP with ACK",
		[INGEST_SKIP_NOT_IP] = "not IP",
		[INGEST_SKIP_SHORT] = "cut before the ports",
		[INGEST_SKIP_NOT_LOG] = "not LOG lines",
		[INGEST_SKIP_OUTBOUND] = "outbound",
	};

	if ((unsigned)r >= INGEST_SKIP_N)
		return "?";
	return names[r];
}

bool
ingest_detect(const char *path, enum ingest_format *fmt, struct err *e)
{
	unsigned char m[4];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	n = fread(m, 1, sizeof(m), fp);
	if (ferror(fp)) {
		int saved = errno;
		fclose(fp);
		return err_set(e, "%s: %s", path, strerror(saved));
	}
	fclose(fp);
	*fmt = INGEST_LOG;
	if (n < 2)
		return true;
	if (m[0] == 0x1f && m[1] == 0x8b)
		return err_set(e, "%s: a gzip-compressed file; decompress it "
		    "first (gunzip -k, or zcat into a file)", path);
	if (n < 4)
		return true;
	/* pcap: microsecond and nanosecond variants, either byte order, and
	 * the modified format libpcap also reads */
	if ((m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0xc3 && m[3] == 0xd4) ||
	    (m[0] == 0xd4 && m[1] == 0xc3 && m[2] == 0xb2 && m[3] == 0xa1) ||
	    (m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0x3c && m[3] == 0x4d) ||
	    (m[0] == 0x4d && m[1] == 0x3c && m[2] == 0xb2 && m[3] == 0xa1) ||
	    (m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0xcd && m[3] == 0x34) ||
	    (m[0] == 0x34 && m[1] == 0xcd && m[2] == 0xb2 && m[3] == 0xa1))
		*fmt = INGEST_PCAP;
	else if (m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a)
		*fmt = INGEST_PCAPNG;
	else if ((m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) ||
	    (m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') ||
	    (m[0] == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X'))
		return err_set(e, "%s: a compressed file (zstd, bzip2 or xz); "
		    "decompress it first", path);
	return true;
}

bool
ingest_read_file(const char *path, const struct ingest_read_opts *o,
    ingest_event_fn fn, void *ctx, struct ingest_file_stats *st,
    struct err *e)
{
	enum ingest_format fmt;

	memset(st, 0, sizeof(*st));
	if (!ingest_detect(path, &fmt, e))
		return false;
	if (fmt == INGEST_LOG)
		return logline_read_file(path, o, fn, ctx, st, e);
	return capture_read_file(path, fn, ctx, st, e);
}
