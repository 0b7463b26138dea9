/* test_csv.c — the interchange format (SPEC §3): csv_parse_line, the header,
 * dates, and the streaming reader.
 *
 * Every rule of the format is tried once accepted and once refused; refused
 * lines must say which field is wrong.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* ---- helpers ---- */

static enum csv_line_kind
parse_n(const char *s, size_t len, struct csv_row *r, char *msg, size_t msglen)
{
	/* a copy without terminator, so that reading past len shows in ASan */
	char *copy = malloc(len ? len : 1);
	enum csv_line_kind k;

	assert_non_null(copy);
	memcpy(copy, s, len);
	msg[0] = '\0';
	k = csv_parse_line(copy, len, r, msg, msglen);
	free(copy);
	return k;
}

static enum csv_line_kind
parse(const char *s, struct csv_row *r, char *msg)
{
	return parse_n(s, strlen(s), r, msg, 256);
}

/* The line parses into a row; returns it. */
static struct csv_row
ok_row(const char *s)
{
	struct csv_row r;
	char msg[256];
	enum csv_line_kind k = parse(s, &r, msg);

	if (k != CSV_LINE_ROW)
		fail_msg("refused '%s': %s", s, msg);
	return r;
}

/* The line is refused with a message containing want. */
static void
refused(const char *s, const char *want)
{
	struct csv_row r;
	char msg[256];
	enum csv_line_kind k = parse(s, &r, msg);

	if (k != CSV_LINE_ERROR)
		fail_msg("accepted '%s' (kind %d)", s, (int)k);
	if (msg[0] == '\0')
		fail_msg("no message for '%s'", s);
	if (want != NULL && strstr(msg, want) == NULL)
		fail_msg("message for '%s' is '%s', expected it to mention '%s'",
		    s, msg, want);
}

static void
skipped(const char *s)
{
	struct csv_row r;
	char msg[256];
	enum csv_line_kind k = parse(s, &r, msg);

	if (k != CSV_LINE_SKIP)
		fail_msg("'%s' gave kind %d (%s), expected SKIP", s, (int)k, msg);
}

/* "2007-06-04,s01,<mid>,<tail>" style builders */
static const char *
line3(char *buf, size_t len, const char *a, const char *b, const char *c)
{
	snprintf(buf, len, "%s%s%s", a, b, c);
	return buf;
}

/* ---- valid rows ---- */

static void
test_valid_rows(void **state)
{
	struct csv_row r;

	(void)state;
	r = ok_row("2007-06-04,s01,tcp,135,CN,120,31");
	assert_int_equal(r.day, 20070604);
	assert_string_equal(r.sensor, "s01");
	assert_false(r.marker);
	assert_int_equal(r.proto, 6);
	assert_int_equal(r.port, 135);
	assert_string_equal(r.cc, "CN");
	assert_int_equal(r.accesses, 120);
	assert_int_equal(r.sources, 31);

	r = ok_row("2007-06-04,s01,udp,1026,JP,5,2");
	assert_int_equal(r.proto, 17);
	assert_int_equal(r.port, 1026);

	r = ok_row("2007-06-04,s01,icmp,8,JP,5,2");
	assert_int_equal(r.proto, 1);
	assert_int_equal(r.port, 8);

	r = ok_row("2007-06-04,s01,tcp,0,US,1,1");
	assert_int_equal(r.port, 0);
	r = ok_row("2007-06-04,s01,udp,65535,US,1,1");
	assert_int_equal(r.port, 65535);
	r = ok_row("2007-06-04,s01,icmp,0,US,1,1");
	assert_int_equal(r.port, 0);
	r = ok_row("2007-06-04,s01,icmp,255,US,1,1");
	assert_int_equal(r.port, 255);

	r = ok_row("2007-06-04,s01,tcp,80,ZZ,7,7");
	assert_string_equal(r.cc, "ZZ");
	assert_int_equal(r.accesses, 7);
	assert_int_equal(r.sources, 7);

	r = ok_row("2007-06-04,s01,tcp,80,KR,0,0");
	assert_false(r.marker);
	assert_int_equal(r.accesses, 0);
	assert_int_equal(r.sources, 0);

	r = ok_row("2007-06-04,s01,tcp,80,KR,1000000000000000,1");
	assert_int_equal(r.accesses, INT64_C(1000000000000000));
	r = ok_row("2007-06-04,s01,tcp,80,KR,1000000000000000,1000000000000000");
	assert_int_equal(r.sources, INT64_C(1000000000000000));

	/* years at the ends of the range */
	assert_int_equal(ok_row("1970-01-01,a,tcp,1,AA,1,1").day, 19700101);
	assert_int_equal(ok_row("9999-12-31,a,tcp,1,AA,1,1").day, 99991231);
}

static void
test_marker(void **state)
{
	struct csv_row r;

	(void)state;
	r = ok_row("2007-06-05,s07,*,*,*,0,0");
	assert_true(r.marker);
	assert_int_equal(r.day, 20070605);
	assert_string_equal(r.sensor, "s07");
	assert_int_equal(r.accesses, 0);
	assert_int_equal(r.sources, 0);

	r = ok_row(" 2007-06-05 , s07 , * , * , * , 0 , 0 ");
	assert_true(r.marker);
	r = ok_row("2007-06-05,s07,*,*,*,0,0   # up, nothing seen");
	assert_true(r.marker);

	refused("2007-06-05,s07,*,80,CN,0,0", "'*'");
	refused("2007-06-05,s07,*,*,CN,0,0", "'*'");
	refused("2007-06-05,s07,*,80,*,0,0", "'*'");
	refused("2007-06-05,s07,tcp,*,*,0,0", "port");
	refused("2007-06-05,s07,tcp,80,*,0,0", "country");
	refused("2007-06-05,s07,*,*,*,1,0", "0");
	refused("2007-06-05,s07,*,*,*,0,1", "0");
	refused("2007-06-05,s07,*,*,*,5,5", "0");
	refused("2007-06-05,s07,*,*,*,*,*", NULL);
	refused("2007-06-05,*,*,*,*,0,0", "sensor");
	refused("*,s07,*,*,*,0,0", "day");
	refused("2007-06-05,s07,**,*,*,0,0", "proto");
}

/* ---- fields one by one ---- */

static void
test_dates(void **state)
{
	static const char *const bad[] = {
		"2007-02-29", "1900-02-29", "2100-02-29", "2007-04-31",
		"2007-06-31", "2007-13-01", "2007-00-10", "2007-06-00",
		"2007-6-4", "2007-06-4", "07-06-04", "2007/06/04", "20070604",
		"2007-06-04T00:00", "1969-12-31", "10000-01-01", "2007-06-0x",
		"2007-O6-04", "+2007-06-04", " 2007-06-0 4", "0000-01-01",
		"2007-06-32", "2007-01-00", "-007-06-04",
	};
	char buf[256];

	(void)state;
	assert_int_equal(ok_row("2008-02-29,s,tcp,1,CN,1,1").day, 20080229);
	assert_int_equal(ok_row("2000-02-29,s,tcp,1,CN,1,1").day, 20000229);
	assert_int_equal(ok_row("2007-02-28,s,tcp,1,CN,1,1").day, 20070228);
	assert_int_equal(ok_row("2007-12-31,s,tcp,1,CN,1,1").day, 20071231);
	assert_int_equal(ok_row("2007-04-30,s,tcp,1,CN,1,1").day, 20070430);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		refused(line3(buf, sizeof(buf), "", bad[i],
		    ",s,tcp,1,CN,1,1"), "day");
	refused(",s,tcp,1,CN,1,1", "day");
	refused("   ,s,tcp,1,CN,1,1", "day");
}

static void
test_date_functions(void **state)
{
	(void)state;
	assert_true(csv_date_valid(2008, 2, 29));
	assert_true(csv_date_valid(2000, 2, 29));
	assert_false(csv_date_valid(2007, 2, 29));
	assert_false(csv_date_valid(2100, 2, 29));
	assert_false(csv_date_valid(1900, 2, 29));
	assert_false(csv_date_valid(2007, 4, 31));
	assert_true(csv_date_valid(2007, 1, 31));
	assert_false(csv_date_valid(2007, 13, 1));
	assert_false(csv_date_valid(2007, 0, 1));
	assert_false(csv_date_valid(2007, 1, 0));
	assert_false(csv_date_valid(1969, 12, 31));
	assert_true(csv_date_valid(1970, 1, 1));
	assert_true(csv_date_valid(9999, 12, 31));
	assert_false(csv_date_valid(10000, 1, 1));

	assert_int_equal(csv_parse_date("2007-06-04", 10), 20070604);
	assert_int_equal(csv_parse_date("2007-06-04x", 10), 20070604);
	assert_int_equal(csv_parse_date("2007-06-04", 9), -1);
	assert_int_equal(csv_parse_date("", 0), -1);
	assert_int_equal(csv_parse_date("2007-02-29", 10), -1);

	assert_int_equal(csv_proto_from_name("tcp", 3), 6);
	assert_int_equal(csv_proto_from_name("udp", 3), 17);
	assert_int_equal(csv_proto_from_name("icmp", 4), 1);
	assert_int_equal(csv_proto_from_name("TCP", 3), 0);
	assert_int_equal(csv_proto_from_name("tcp", 2), 0);
	assert_int_equal(csv_proto_from_name("", 0), 0);
	assert_string_equal(csv_proto_name(6), "tcp");
	assert_string_equal(csv_proto_name(17), "udp");
	assert_string_equal(csv_proto_name(1), "icmp");
	assert_string_equal(csv_proto_name(132), "?");
}

static void
test_ports(void **state)
{
	static const char *const bad[] = {
		"65536", "-1", "1e3", "0x10", "+80", "80.0", "8 0", "99999",
		"4294967296", "18446744073709551617", "abc", "*",
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,tcp,", bad[i],
		    ",CN,1,1"), "port");
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,udp,", bad[i],
		    ",CN,1,1"), "port");
	}
	refused("2007-06-04,s01,tcp,,CN,1,1", "port");
	refused("2007-06-04,s01,icmp,256,CN,1,1", "ICMP type");
	refused("2007-06-04,s01,icmp,65535,CN,1,1", "ICMP type");
	refused("2007-06-04,s01,icmp,-1,CN,1,1", "ICMP type");
	refused("2007-06-04,s01,icmp,x,CN,1,1", "ICMP type");
	assert_int_equal(ok_row("2007-06-04,s01,tcp, 445 ,CN,1,1").port, 445);
}

static void
test_proto(void **state)
{
	static const char *const bad[] = { "TCP", "Tcp", "UDP", "ICMP", "sctp",
		"ip", "6", "tcp6", "icmpv6", "t cp", "tc", };
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,", bad[i],
		    ",80,CN,1,1"), "proto");
	refused("2007-06-04,s01,,80,CN,1,1", "proto");
}

static void
test_country(void **state)
{
	static const char *const bad[] = { "cn", "Cn", "cN", "C", "CHN", "C1",
		"1C", "--", "**", "C N", "ÇN", };
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,tcp,80,", bad[i],
		    ",1,1"), "country");
	refused("2007-06-04,s01,tcp,80,,1,1", "country");
	assert_string_equal(ok_row("2007-06-04,s01,tcp,80,AA,1,1").cc, "AA");
	assert_string_equal(ok_row("2007-06-04,s01,tcp,80, US ,1,1").cc, "US");
}

static void
test_sensor(void **state)
{
	char name[80], buf[256];
	struct csv_row r;

	(void)state;
	memset(name, 'a', 64);
	name[64] = '\0';
	r = ok_row(line3(buf, sizeof(buf), "2007-06-04,", name,
	    ",tcp,80,CN,1,1"));
	assert_string_equal(r.sensor, name);
	assert_int_equal(strlen(r.sensor), 64);

	name[64] = 'a';
	name[65] = '\0';
	refused(line3(buf, sizeof(buf), "2007-06-04,", name, ",tcp,80,CN,1,1"),
	    "sensor");

	r = ok_row("2007-06-04,A-z_0.9,tcp,80,CN,1,1");
	assert_string_equal(r.sensor, "A-z_0.9");
	r = ok_row("2007-06-04,x,tcp,80,CN,1,1");
	assert_string_equal(r.sensor, "x");
	r = ok_row("2007-06-04,  s01\t,tcp,80,CN,1,1");
	assert_string_equal(r.sensor, "s01");

	refused("2007-06-04,s 01,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,s/01,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,../x,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,s\\1,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,s:1,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,s\"1,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,\"s1\",tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,センサ,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,s\xc3\xa9,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,,tcp,80,CN,1,1", "sensor");
	refused("2007-06-04,s\x01,tcp,80,CN,1,1", "sensor");
}

static void
test_counts(void **state)
{
	static const char *const big[] = {
		"1000000000000001",          /* 10^15 + 1 */
		"9999999999999999",
		"1000000000000000000",       /* 19 digits */
		"9223372036854775807",       /* INT64_MAX */
		"9223372036854775808",       /* 2^63: would wrap */
		"18446744073709551616",      /* 2^64: would wrap to 0 */
		"18446744073709551617",      /* 2^64 + 1: would wrap to 1 */
		"99999999999999999999",      /* 20 digits */
		"100000000000000000000",     /* 21 */
		"1000000000000000000000",    /* 22 */
		"10000000000000000000000",   /* 23 */
		"100000000000000000000000",  /* 24 */
		"1000000000000000000000000", /* 25 */
	};
	static const char *const nan[] = { "-1", "-0", "+1", "1.0", "1e3",
		"0x10", "one", "1 2", "--1", "1-", "*", "９", };
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(big) / sizeof(*big); i++) {
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,tcp,80,CN,", big[i],
		    ",1"), "accesses");
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,tcp,80,CN,", big[i],
		    ",1"), "too large");
		refused(line3(buf, sizeof(buf),
		    "2007-06-04,s01,tcp,80,CN,1000000000000000,", big[i], ""),
		    "sources");
		refused(line3(buf, sizeof(buf),
		    "2007-06-04,s01,tcp,80,CN,1000000000000000,", big[i], ""),
		    "too large");
	}
	for (size_t i = 0; i < sizeof(nan) / sizeof(*nan); i++) {
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,tcp,80,CN,", nan[i],
		    ",1"), "accesses");
		refused(line3(buf, sizeof(buf), "2007-06-04,s01,tcp,80,CN,5,",
		    nan[i], ""), "sources");
	}
	refused("2007-06-04,s01,tcp,80,CN,1,2", "exceed");
	refused("2007-06-04,s01,tcp,80,CN,0,1", "exceed");
	refused("2007-06-04,s01,tcp,80,CN,999999999999999,1000000000000000",
	    "exceed");
	refused("2007-06-04,s01,tcp,80,CN,1,0", "source");
	refused("2007-06-04,s01,tcp,80,CN,1000000000000000,0", "source");
	refused("2007-06-04,s01,icmp,8,CN,3,0", "source");
}

static void
test_fields(void **state)
{
	struct csv_row r;

	(void)state;
	refused("2007-06-04,s01,tcp,80,CN,1", "7 fields");
	refused("2007-06-04,s01,tcp,80,CN", "7 fields");
	refused("2007-06-04", "7 fields");
	refused("2007-06-04,s01,tcp,80,CN,1,1,", "7 fields");
	refused("2007-06-04,s01,tcp,80,CN,1,1,1", "7 fields");
	refused("2007-06-04,s01,tcp,80,CN,1,1,1,1,1,1", "7 fields");
	refused(",,,,,,,,,,,,,,,,,,,,", "7 fields");
	refused(",,,,,,", "empty");
	refused("2007-06-04,s01,tcp,80,CN,,1", "accesses");
	refused("2007-06-04,s01,tcp,80,CN,1,", "sources");
	refused("2007-06-04,s01,tcp,80,CN,1,  ", "sources");
	refused("\"2007-06-04\",s01,tcp,80,CN,1,1", "day");
	refused("2007-06-04;s01;tcp;80;CN;1;1", "7 fields");
	refused("2007-06-04\ts01\ttcp\t80\tCN\t1\t1", "7 fields");

	/* blanks around fields and the line */
	r = ok_row("  2007-06-04 ,\ts01 , tcp ,  80 , CN , 12 , 3  ");
	assert_int_equal(r.day, 20070604);
	assert_string_equal(r.sensor, "s01");
	assert_int_equal(r.port, 80);
	assert_string_equal(r.cc, "CN");
	assert_int_equal(r.accesses, 12);
	assert_int_equal(r.sources, 3);

	/* CRLF: the reader hands over the line with its '\r' */
	r = ok_row("2007-06-04,s01,tcp,80,CN,12,3\r");
	assert_int_equal(r.sources, 3);
	r = ok_row("2007-06-04,s01,tcp,80,CN,12,3 # c\r");
	assert_int_equal(r.sources, 3);
	refused("2007-06-04,s01,tcp,80,CN,12,3\r\r", "carriage return");
	refused("2007-06-04,s01,tcp,80\r,CN,12,3", "carriage return");

	/* a trailing comment */
	r = ok_row("2007-06-04,s01,tcp,135,CN,120,31     # distinct sources");
	assert_int_equal(r.accesses, 120);
	assert_int_equal(r.sources, 31);
	r = ok_row("2007-06-04,s01,tcp,135,CN,120,31#x,y,z,1,2,3");
	assert_int_equal(r.sources, 31);
	r = ok_row("2007-06-04,s01,tcp,135,CN,120,31 # 日本語のコメント");
	assert_int_equal(r.sources, 31);
	refused("2007-06-04,s01,tcp,135,CN,120 # ,31", "7 fields");
}

static void
test_skip_lines(void **state)
{
	char msg[64];
	struct csv_row r;

	(void)state;
	skipped("");
	skipped(" ");
	skipped("\t \t");
	skipped("\r");
	skipped("  \r");
	skipped("#");
	skipped("# a comment");
	skipped("   # indented comment");
	skipped("#2007-06-04,s01,tcp,135,CN,120,31");
	skipped("# コメント\r");
	skipped("# day,sensor,proto,port,country,accesses,sources");
	/* a non-NUL-terminated empty buffer */
	assert_int_equal(csv_parse_line("x", 0, &r, msg, sizeof(msg)),
	    CSV_LINE_SKIP);
}

static void
test_utf8(void **state)
{
	(void)state;
	/* well-formed UTF-8 in a comment is fine */
	skipped("# 中国 → 日本 😀");
	/* ill-formed UTF-8 is refused, even in a comment: the file must be
	 * UTF-8 */
	refused("# \xff\xfe comment", "UTF-8");
	refused("# \xc3", "UTF-8");                  /* truncated */
	refused("# \xc0\xaf", "UTF-8");              /* overlong '/' */
	refused("# \xe0\x80\xaf", "UTF-8");          /* overlong */
	refused("# \xed\xa0\x80", "UTF-8");          /* surrogate */
	refused("# \xf4\x90\x80\x80", "UTF-8");      /* > U+10FFFF */
	refused("# \x80", "UTF-8");                  /* lone continuation */
	refused("2007-06-04,s01,tcp,135,CN,120,31 # \xe3\x81", "UTF-8");
	refused("2007-06-04,s\xff,tcp,135,CN,120,31", "UTF-8");
	/* well-formed non-ASCII in a field is refused by the field's rule */
	refused("2007-06-04,s01,tcp,135,ＣＮ,120,31", "country");
}

static void
test_message_bounds(void **state)
{
	struct csv_row r;
	char msg[8];
	char big[600];

	(void)state;
	/* a short buffer is filled and terminated, never overrun */
	memset(msg, 'x', sizeof(msg));
	assert_int_equal(csv_parse_line("2007-06-04,s01,TCP,80,CN,1,1", 28, &r,
	    msg, sizeof(msg)), CSV_LINE_ERROR);
	assert_int_equal(strlen(msg), sizeof(msg) - 1);
	/* no buffer at all */
	assert_int_equal(csv_parse_line("2007-06-04,s01,TCP,80,CN,1,1", 28, &r,
	    NULL, 0), CSV_LINE_ERROR);
	/* a very long bad field is quoted shortened */
	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	{
		char line[800], m[256];

		snprintf(line, sizeof(line), "2007-06-04,s01,tcp,80,CN,%s,1", big);
		assert_int_equal(parse_n(line, strlen(line), &r, m, sizeof(m)),
		    CSV_LINE_ERROR);
		assert_true(strlen(m) < 200);
		snprintf(line, sizeof(line), "2007-06-04,s01,tcp,%s,CN,1,1", big);
		assert_int_equal(parse_n(line, strlen(line), &r, m, sizeof(m)),
		    CSV_LINE_ERROR);
		assert_true(strlen(m) < 200);
	}
}

static void
test_header(void **state)
{
	static const char *const yes[] = {
		CSV_HEADER,
		CSV_HEADER "\r",
		" day , sensor , proto , port , country , accesses , sources ",
		"day,\tsensor,proto,port,country,accesses,sources\t\r",
	};
	static const char *const no[] = {
		"",
		"Day,sensor,proto,port,country,accesses,sources",
		"DAY,SENSOR,PROTO,PORT,COUNTRY,ACCESSES,SOURCES",
		"day,sensor,proto,port,country,accesses",
		"day,sensor,proto,port,country,accesses,sources,",
		"day,sensor,proto,port,country,accesses,sources,extra",
		"sensor,day,proto,port,country,accesses,sources",
		"day,sensor,protocol,port,country,accesses,sources",
		"day;sensor;proto;port;country;accesses;sources",
		"\"day\",\"sensor\",\"proto\",\"port\",\"country\",\"accesses\",\"sources\"",
		"day,sensor,proto,port,country,accesses,sourcesx",
		"day,sensor,proto,port,country,accesses,source",
		"day,sensor,proto,port,country,,accesses,sources",
		",day,sensor,proto,port,country,accesses,sources",
		"day",
		"\xEF\xBB\xBF" CSV_HEADER, /* the reader strips the BOM */
		"2007-06-04,s01,tcp,135,CN,120,31",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (!csv_is_header(yes[i], strlen(yes[i])))
			fail_msg("'%s' not taken as the header", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (csv_is_header(no[i], strlen(no[i])))
			fail_msg("'%s' taken as the header", no[i]);
	/* length is respected: a prefix of the header is not the header */
	assert_false(csv_is_header(CSV_HEADER, strlen(CSV_HEADER) - 1));
	/* a header is not a data row */
	refused(CSV_HEADER, NULL);
}

/* ---- the streaming reader ---- */

struct got {
	enum csv_read_status st;
	unsigned long lineno;
	char *text;   /* owned copy for CSV_READ_LINE */
	size_t len;
};

/* Reads everything from fp into at most max results (EOF included). */
static size_t
read_all(FILE *fp, struct got *out, size_t max)
{
	struct csv_reader rd;
	size_t n = 0;

	assert_true(csv_reader_init(&rd, fp));
	while (n < max) {
		const char *line = NULL;
		size_t len = 0;
		enum csv_read_status st = csv_reader_next(&rd, &line, &len);

		out[n].st = st;
		out[n].lineno = rd.lineno;
		out[n].text = NULL;
		out[n].len = 0;
		if (st == CSV_READ_LINE) {
			out[n].text = malloc(len + 1);
			assert_non_null(out[n].text);
			memcpy(out[n].text, line, len);
			out[n].text[len] = '\0';
			out[n].len = len;
		}
		n++;
		if (st == CSV_READ_EOF || st == CSV_READ_IOERR)
			break;
	}
	csv_reader_finish(&rd);
	return n;
}

static size_t
read_mem(const char *data, size_t len, struct got *out, size_t max)
{
	FILE *fp = tmpfile();
	size_t n;

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	rewind(fp);
	n = read_all(fp, out, max);
	fclose(fp);
	return n;
}

static void
free_got(struct got *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].text);
}

static void
expect_line(const struct got *g, unsigned long lineno, const char *text)
{
	if (g->st != CSV_READ_LINE)
		fail_msg("line %lu: status %d, expected a line '%s'", lineno,
		    (int)g->st, text);
	assert_int_equal(g->lineno, lineno);
	assert_int_equal(g->len, strlen(text));
	assert_memory_equal(g->text, text, g->len);
}

static void
test_reader_basic(void **state)
{
	static const char data[] = "a\nbb\r\n\nccc\r\nd";
	struct got g[16];
	size_t n;

	(void)state;
	n = read_mem(data, sizeof(data) - 1, g, 16);
	assert_int_equal(n, 6);
	expect_line(&g[0], 1, "a");
	expect_line(&g[1], 2, "bb\r");
	expect_line(&g[2], 3, "");
	expect_line(&g[3], 4, "ccc\r");
	expect_line(&g[4], 5, "d");         /* no final newline */
	assert_int_equal(g[5].st, CSV_READ_EOF);
	free_got(g, n);

	/* empty input */
	n = read_mem("", 0, g, 16);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].st, CSV_READ_EOF);
	assert_int_equal(g[0].lineno, 0);

	/* one empty line */
	n = read_mem("\n", 1, g, 16);
	assert_int_equal(n, 2);
	expect_line(&g[0], 1, "");
	assert_int_equal(g[1].st, CSV_READ_EOF);
	free_got(g, n);

	/* a final "\r" without "\n" is still a line */
	n = read_mem("x\r\ny\r", 5, g, 16);
	assert_int_equal(n, 3);
	expect_line(&g[0], 1, "x\r");
	expect_line(&g[1], 2, "y\r");
	free_got(g, n);
}

static void
test_reader_bom(void **state)
{
	static const char data[] = "\xEF\xBB\xBF" CSV_HEADER "\r\n"
	    "\xEF\xBB\xBFx\n";
	struct got g[8];
	size_t n;

	(void)state;
	n = read_mem(data, sizeof(data) - 1, g, 8);
	assert_int_equal(n, 3);
	expect_line(&g[0], 1, CSV_HEADER "\r");
	assert_true(csv_is_header(g[0].text, g[0].len));
	/* only the first line's BOM is a BOM */
	expect_line(&g[1], 2, "\xEF\xBB\xBFx");
	free_got(g, n);

	/* a BOM alone, and a BOM on an empty first line */
	n = read_mem("\xEF\xBB\xBF", 3, g, 8);
	assert_int_equal(n, 2);
	expect_line(&g[0], 1, "");
	free_got(g, n);
	n = read_mem("\xEF\xBB\xBF\nz\n", 6, g, 8);
	assert_int_equal(n, 3);
	expect_line(&g[0], 1, "");
	expect_line(&g[1], 2, "z");
	free_got(g, n);
	/* half a BOM is data */
	n = read_mem("\xEF\xBBx\n", 4, g, 8);
	expect_line(&g[0], 1, "\xEF\xBBx");
	free_got(g, n);
}

static void
test_reader_nul(void **state)
{
	static const char data[] = "a\nb\0c\nd\n\0\ne";
	struct got g[8];
	size_t n;

	(void)state;
	n = read_mem(data, sizeof(data) - 1, g, 8);
	assert_int_equal(n, 6);
	expect_line(&g[0], 1, "a");
	assert_int_equal(g[1].st, CSV_READ_NUL);
	assert_int_equal(g[1].lineno, 2);
	expect_line(&g[2], 3, "d");
	assert_int_equal(g[3].st, CSV_READ_NUL);
	assert_int_equal(g[3].lineno, 4);
	expect_line(&g[4], 5, "e");
	assert_int_equal(g[5].st, CSV_READ_EOF);
	free_got(g, n);
}

/* Lines of the given lengths (of 'x'), each followed by "\n" unless last
 * and !final_nl; checks statuses and line numbers. */
static void
check_lengths(const size_t *lens, size_t nl, bool final_nl)
{
	size_t total = 0, o = 0, n;
	char *data;
	struct got *g = calloc(nl + 2, sizeof(*g));

	assert_non_null(g);
	for (size_t i = 0; i < nl; i++)
		total += lens[i] + 1;
	data = malloc(total);
	assert_non_null(data);
	for (size_t i = 0; i < nl; i++) {
		memset(data + o, 'x', lens[i]);
		/* mark each line so that a shifted buffer would show */
		if (lens[i] > 0)
			data[o] = (char)('A' + i % 26);
		o += lens[i];
		if (i + 1 < nl || final_nl)
			data[o++] = '\n';
	}
	n = read_mem(data, o, g, nl + 2);
	assert_int_equal(n, nl + 1);
	for (size_t i = 0; i < nl; i++) {
		assert_int_equal(g[i].lineno, i + 1);
		if (lens[i] > CSV_LINE_MAX) {
			if (g[i].st != CSV_READ_TOOLONG)
				fail_msg("line %zu of %zu bytes: status %d",
				    i + 1, lens[i], (int)g[i].st);
		} else {
			assert_int_equal(g[i].st, CSV_READ_LINE);
			assert_int_equal(g[i].len, lens[i]);
			if (lens[i] > 0)
				assert_int_equal(g[i].text[0], 'A' + i % 26);
			for (size_t k = 1; k < lens[i]; k++)
				assert_int_equal(g[i].text[k], 'x');
		}
	}
	assert_int_equal(g[nl].st, CSV_READ_EOF);
	free_got(g, n);
	free(g);
	free(data);
}

static void
test_reader_long_lines(void **state)
{
	const size_t mb = 1024 * 1024;
	const size_t a[] = { 3, mb, 5 };
	const size_t b[] = { CSV_LINE_MAX, CSV_LINE_MAX + 1, 7 };
	const size_t c[] = { 1, 100000, 2, 300000, 3, 262144, 262143, 262145, 4 };
	const size_t d[] = { 10, mb };        /* too long at the end */
	const size_t e[] = { 4 * mb + 17, 1, 2 * mb };

	(void)state;
	check_lengths(a, 3, true);
	check_lengths(a, 3, false);
	check_lengths(b, 3, true);
	check_lengths(c, 9, true);
	check_lengths(d, 2, true);
	check_lengths(d, 2, false);
	check_lengths(e, 3, false);
}

static void
test_reader_buffer_boundaries(void **state)
{
	/* many lines of varying length: every position of a line end relative
	 * to the reader's buffer occurs */
	size_t nl = 200000;
	size_t *lens = malloc(nl * sizeof(*lens));

	(void)state;
	assert_non_null(lens);
	for (size_t i = 0; i < nl; i++)
		lens[i] = (i * 7919) % 23;
	check_lengths(lens, nl, true);
	check_lengths(lens, nl, false);
	free(lens);
}

static void
test_reader_fmemopen(void **state)
{
	static char data[] = "day,sensor,proto,port,country,accesses,sources\n"
	    "# c\n2007-06-04,s01,tcp,135,CN,120,31\r\n";
	FILE *fp;
	struct got g[8];
	size_t n;
	struct csv_row r;
	char msg[128];

	(void)state;
	fp = fmemopen(data, sizeof(data) - 1, "r");
	assert_non_null(fp);
	n = read_all(fp, g, 8);
	fclose(fp);
	assert_int_equal(n, 4);
	assert_true(csv_is_header(g[0].text, g[0].len));
	assert_int_equal(parse_n(g[1].text, g[1].len, &r, msg, sizeof(msg)),
	    CSV_LINE_SKIP);
	assert_int_equal(parse_n(g[2].text, g[2].len, &r, msg, sizeof(msg)),
	    CSV_LINE_ROW);
	assert_int_equal(g[2].lineno, 3);
	assert_int_equal(r.accesses, 120);
	assert_int_equal(g[3].st, CSV_READ_EOF);
	free_got(g, n);
}

static void
test_reader_ioerr(void **state)
{
	/* a directory opened as a stream: fread fails with EISDIR */
	struct csv_reader rd;
	const char *line;
	size_t len;
	FILE *fp = fopen("/tmp", "r");

	(void)state;
	if (fp == NULL)
		skip();
	assert_true(csv_reader_init(&rd, fp));
	assert_int_equal(csv_reader_next(&rd, &line, &len), CSV_READ_IOERR);
	csv_reader_finish(&rd);
	csv_reader_finish(&rd); /* twice is harmless */
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_rows),
		cmocka_unit_test(test_marker),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_date_functions),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_proto),
		cmocka_unit_test(test_country),
		cmocka_unit_test(test_sensor),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_skip_lines),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_message_bounds),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_reader_basic),
		cmocka_unit_test(test_reader_bom),
		cmocka_unit_test(test_reader_nul),
		cmocka_unit_test(test_reader_long_lines),
		cmocka_unit_test(test_reader_buffer_boundaries),
		cmocka_unit_test(test_reader_fmemopen),
		cmocka_unit_test(test_reader_ioerr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
