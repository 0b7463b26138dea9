/* test_catalog.c — the port and country tables: the real files, lookups,
 * CSV quoting, and the bad fixtures with their FILE:LINE errors. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"

#define ICMP 1
#define TCP 6
#define UDP 17

/* ISO 3166-1 alpha-2, all 249 officially assigned codes (from the
 * iso-codes package, kept here independently of templates/countries.csv). */
static const char iso_codes[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE "
	"BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD "
	"CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
	"DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF "
	"GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU "
	"ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
	"KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME "
	"MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
	"NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
	"PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI "
	"SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK "
	"TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
	"VN VU WF WS YE YT ZA ZM ZW ";

static char *
path2(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

static struct catalog *
load_real(void)
{
	const char *src = getenv("TALOT_SRCDIR");
	char *dir = path2(src != NULL ? src : ".", "templates");
	struct err e = { "" };
	struct catalog *c = catalog_load(dir, &e);

	if (c == NULL)
		fail_msg("%s", e.msg);
	free(dir);
	return c;
}

static void
test_real_ports(void **state)
{
	struct catalog *c = load_real();
	static const struct { int proto, port; const char *label; } seed[] = {
		{ TCP, 135, "135/tcp" }, { UDP, 1026, "1026/udp" },
		{ UDP, 1027, "1027/udp" }, { TCP, 445, "445/tcp" },
		{ ICMP, 8, "Ping(ICMP)" }, { TCP, 1433, "1433/tcp" },
		{ TCP, 139, "139/tcp" }, { TCP, 2967, "2967/tcp" },
		{ TCP, 5900, "5900/tcp" }, { TCP, 22, "22/tcp" },
	};
	static const struct { int proto, port; } more[] = {
		{ TCP, 23 }, { TCP, 25 }, { TCP, 80 }, { TCP, 443 },
		{ TCP, 3389 }, { UDP, 1434 }, { UDP, 137 }, { TCP, 8080 },
		{ TCP, 3306 }, { TCP, 4899 }, { TCP, 6000 }, { UDP, 5060 },
		{ UDP, 53 }, { UDP, 161 }, { UDP, 1900 }, { TCP, 2745 },
		{ TCP, 6129 }, { TCP, 10000 }, { TCP, 5554 }, { TCP, 9988 },
		{ TCP, 27374 }, { TCP, 1080 }, { TCP, 3128 }, { TCP, 8000 },
		{ TCP, 111 }, { TCP, 21 }, { TCP, 42 }, { TCP, 4444 },
		{ TCP, 1023 }, { TCP, 5000 }, { TCP, 6346 }, { ICMP, 0 },
		{ ICMP, 3 }, { ICMP, 11 },
	};
	char buf[32];
	size_t n = 0;
	const int protos[] = { ICMP, TCP, UDP };

	(void)state;
	for (size_t i = 0; i < sizeof(seed) / sizeof(seed[0]); i++) {
		const char *x = catalog_port_explanation(c, seed[i].proto,
		    seed[i].port);

		assert_non_null(x);
		assert_true(strlen(x) > 20);
		assert_string_equal(catalog_port_label(c, seed[i].proto,
		    seed[i].port, buf, sizeof(buf)), seed[i].label);
	}
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if (catalog_port_explanation(c, more[i].proto, more[i].port) ==
		    NULL)
			fail_msg("no explanation for %d/%d", more[i].port,
			    more[i].proto);
	/* Every protocol and port: at least 40 catalogued, and the loop is
	 * a cheap check that lookups are fast. */
	for (int k = 0; k < 3; k++)
		for (int port = 0; port <= 65535; port++)
			n += catalog_port_explanation(c, protos[k], port) != NULL;
	assert_true(n >= 40);
	/* The field quoted with doubled quotes in ports.csv. */
	assert_non_null(strstr(catalog_port_explanation(c, UDP, 31337),
	    "\"エリート\""));
	catalog_destroy(c);
}

static void
test_labels_default(void **state)
{
	struct catalog *c = load_real();
	char buf[32], small[4];

	(void)state;
	assert_string_equal(catalog_port_label(c, TCP, 60001, buf, sizeof(buf)),
	    "60001/tcp");
	assert_string_equal(catalog_port_label(c, UDP, 40000, buf, sizeof(buf)),
	    "40000/udp");
	assert_string_equal(catalog_port_label(c, ICMP, 13, buf, sizeof(buf)),
	    "ICMP type 13");
	assert_string_equal(catalog_port_label(c, 47, 0, buf, sizeof(buf)),
	    "0/proto 47");
	assert_string_equal(catalog_port_label(NULL, TCP, 135, buf,
	    sizeof(buf)), "135/tcp");
	assert_string_equal(catalog_port_label(c, TCP, 12346, small,
	    sizeof(small)), "123");
	assert_null(catalog_port_label(c, TCP, 60001, NULL, 0));
	/* A catalogued label needs no buffer. */
	assert_string_equal(catalog_port_label(c, ICMP, 8, NULL, 0),
	    "Ping(ICMP)");
	assert_null(catalog_port_explanation(c, TCP, 60001));
	assert_null(catalog_port_explanation(c, TCP, -1));
	assert_null(catalog_port_explanation(c, TCP, 70000));
	assert_null(catalog_port_explanation(NULL, TCP, 135));
	catalog_destroy(c);
}

static void
test_real_countries(void **state)
{
	struct catalog *c = load_real();
	static const char *const names[][2] = {
		{ "CN", "中国" }, { "US", "米国" }, { "KR", "韓国" },
		{ "TW", "台湾" }, { "JP", "日本" }, { "RU", "ロシア" },
		{ "BR", "ブラジル" }, { "NL", "オランダ" }, { "DE", "ドイツ" },
		{ "GB", "英国" }, { "FR", "フランス" }, { "HK", "香港" },
		{ "ZZ", "不明" }, { "EU", "欧州連合" },
		{ "AP", "アジア太平洋地域" },
	};
	int n = 0;

	(void)state;
	for (const char *p = iso_codes; *p; p += 3) {
		char cc[3] = { p[0], p[1], '\0' };
		const char *name = catalog_country_name(c, cc);

		if (name == NULL || *name == '\0')
			fail_msg("no name for %s", cc);
		n++;
	}
	assert_int_equal(n, 249);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(catalog_country_name(c, names[i][0]),
		    names[i][1]);
	assert_null(catalog_country_name(c, "XX"));
	assert_null(catalog_country_name(c, "cn"));
	assert_null(catalog_country_name(c, "CNN"));
	assert_null(catalog_country_name(c, "C"));
	assert_null(catalog_country_name(c, ""));
	assert_null(catalog_country_name(c, NULL));
	assert_null(catalog_country_name(NULL, "CN"));
	catalog_destroy(c);
}

static void
put(const char *dir, const char *name, const char *text)
{
	char *p = path2(dir, name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void
rm(const char *dir, const char *name)
{
	char *p = path2(dir, name);

	unlink(p);
	free(p);
}

/* Another language's columns: chosen by catalog_load_lang(), checked
 * against the Japanese ones, and named in errors. */
static void
test_languages(void **state)
{
	char dir[] = "/tmp/talot-cat-XXXXXX";
	struct catalog *c;
	struct err e = { "" };
	char buf[32], want[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "ports.csv", "proto,port,label,explanation,explanation_en\n"
	    "tcp,135,,ja text,en text\n"
	    "udp,53,,,\n");
	put(dir, "countries.csv", "code,name,name_en\nJP,日本,Japan\n"
	    "KR,韓国,\"Korea, Republic of\"\n");
	c = catalog_load_lang(dir, "en", &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(catalog_port_explanation(c, TCP, 135), "en text");
	assert_string_equal(catalog_port_label(c, TCP, 135, buf, sizeof(buf)),
	    "135/tcp");
	assert_string_equal(catalog_country_name(c, "KR"), "Korea, Republic of");
	catalog_destroy(c);
	c = catalog_load(dir, &e);
	assert_non_null(c);
	assert_string_equal(catalog_port_explanation(c, TCP, 135), "ja text");
	assert_string_equal(catalog_country_name(c, "JP"), "日本");
	catalog_destroy(c);
	/* a language without its column */
	assert_null(catalog_load_lang(dir, "fr", &e));
	snprintf(want, sizeof(want), "%s/ports.csv:1: no column explanation_fr "
	    "for the 'fr' edition", dir);
	assert_string_equal(e.msg, want);
	/* an English explanation missing where the Japanese one is given */
	put(dir, "ports.csv", "proto,port,label,explanation,explanation_en\n"
	    "udp,53,,,\ntcp,135,,ja text,\n");
	assert_null(catalog_load_lang(dir, "en", &e));
	snprintf(want, sizeof(want), "%s/ports.csv:3: explanation_en is empty "
	    "where the Japanese explanation is not", dir);
	assert_string_equal(e.msg, want);
	/* an empty English name */
	put(dir, "ports.csv", "proto,port,label,explanation\n");
	put(dir, "countries.csv", "code,name,name_en\nJP,日本,\n");
	assert_null(catalog_load_lang(dir, "en", &e));
	snprintf(want, sizeof(want), "%s/ports.csv:1: no column explanation_en "
	    "for the 'en' edition", dir);
	assert_string_equal(e.msg, want);
	put(dir, "ports.csv", "proto,port,label,explanation,explanation_en\n");
	assert_null(catalog_load_lang(dir, "en", &e));
	snprintf(want, sizeof(want), "%s/countries.csv:2: empty name for JP", dir);
	assert_string_equal(e.msg, want);
	/* more columns than the reader keeps (found by fuzzing: an index out
	 * of bounds) */
	put(dir, "countries.csv", "code,name,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\n"
	    "JP,日本\n");
	assert_null(catalog_load_lang(dir, "en", &e));
	snprintf(want, sizeof(want), "%s/countries.csv:1: more than 16 columns",
	    dir);
	assert_string_equal(e.msg, want);
	/* a column given twice */
	put(dir, "countries.csv", "code,name,name_en,name_en\nJP,日本,a,b\n");
	assert_null(catalog_load_lang(dir, "en", &e));
	snprintf(want, sizeof(want), "%s/countries.csv:1: column 'name_en' "
	    "given twice", dir);
	assert_string_equal(e.msg, want);
	rm(dir, "ports.csv");
	rm(dir, "countries.csv");
	rmdir(dir);
}

/* references.csv: optional; several advisories per port in file order;
 * per language title_LANG/url_LANG; every URL checked; FILE:LINE errors. */
static void
test_references(void **state)
{
	char dir[] = "/tmp/talot-cat-XXXXXX";
	static const char ports[] = "proto,port,label,explanation,explanation_en\n"
	    "tcp,135,,ja,en\ntcp,445,,ja,en\nudp,1026,,,\n";
	static const char head[] = "proto,port,title,url,title_en,url_en\n";
	static const struct {
		const char *body;   /* after head */
		int line;
		const char *msg;
	} bad[] = {
		{ "tcp,135,t,javascript:alert(1),t,\n", 2, "the url 'javascript:alert(1)' is not an http:// or https:// address" },
		{ "tcp,135,t,ftp://example.org/,t,\n", 2, "the url 'ftp://example.org/' is not an http:// or https:// address" },
		{ "tcp,135,t,https://example.org/a b,t,\n", 2, "the url 'https://example.org/a b' holds a space (write %20)" },
		{ "tcp,135,t,https://example.org/,t,https://例え.jp/\n", 2, "the url_en 'https://例え.jp/' holds a non-ASCII character (percent-encode it as UTF-8)" },
		{ "tcp,135,t,https://example.org/\"x,t,\n", 2, "quote inside an unquoted field (quote the whole field and double the quote)" },
		{ "tcp,135,t,\"https://example.org/<x>\",t,\n", 2, "the url 'https://example.org/<x>' holds a character not allowed in a URL (percent-encode it)" },
		{ "tcp,135,t,https://example.org/%zz,t,\n", 2, "the url 'https://example.org/%zz' has a % not followed by two hex digits" },
		{ "tcp,135,t,https:///path,t,\n", 2, "the url 'https:///path' has no host name" },
		{ "tcp,135,t,,t,\n", 2, "the url '' is empty" },
		{ "tcp,135,t,https://example.org/,t,\n\ntcp,135,,https://example.org/,,\n", 4, "no title in any language" },
		{ "tcp,135,\"a\x01" "b\",https://example.org/,t,\n", 2, "the title holds the control character U+0001 (only printable text; write it on one line)" },
		{ "tcp,136,t,https://example.org/,t,\n", 2, "136/tcp is not in ports.csv (add it there first)" },
		{ "tcp,135,t,https://example.org/,t\n", 2, "expected 6 fields (as the header), found 5" },
		{ "sctp,135,t,https://example.org/,t,\n", 2, "unknown protocol 'sctp' (use tcp, udp or icmp)" },
	};
	struct catalog *c;
	struct err e = { "" };
	const struct catalog_ref *r;
	char want[512], body[4096];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "ports.csv", ports);
	put(dir, "countries.csv", "code,name,name_en\nJP,日本,Japan\n");
	/* no references.csv: none, and no error */
	c = catalog_load(dir, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(catalog_port_refs(c, TCP, 135, &r), 0);
	catalog_destroy(c);
	/* two for 445 in order, one English-only, one Japanese-only, a
	 * Japanese URL with its own English one, a quoted title */
	snprintf(body, sizeof(body), "%s%s", head,
	    "# a comment\n"
	    "tcp,445,MS08-067 日本語,https://example.org/ja/ms08-067,MS08-067 English,https://example.org/en/ms08-067\n"
	    "tcp,445,\"MS17-010, 日本語\",https://example.org/ms17-010?a=1&b='2',MS17-010 English,\n"
	    "tcp,135,,https://example.org/en-only,English only,\n"
	    "udp,1026,日本語のみ,http://example.org/%E3%81%82,,\n");
	put(dir, "references.csv", body);
	c = catalog_load(dir, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(catalog_port_refs(c, TCP, 445, &r), 2);
	assert_string_equal(r[0].title, "MS08-067 日本語");
	assert_string_equal(r[0].url, "https://example.org/ja/ms08-067");
	assert_string_equal(r[1].title, "MS17-010, 日本語");
	assert_string_equal(r[1].url, "https://example.org/ms17-010?a=1&b='2'");
	assert_int_equal(catalog_port_refs(c, TCP, 135, &r), 0);
	assert_int_equal(catalog_port_refs(c, UDP, 1026, &r), 1);
	assert_string_equal(r[0].url, "http://example.org/%E3%81%82");
	assert_int_equal(catalog_port_refs(c, UDP, 1027, &r), 0);
	catalog_destroy(c);
	c = catalog_load_lang(dir, "en", &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(catalog_port_refs(c, TCP, 445, &r), 2);
	assert_string_equal(r[0].title, "MS08-067 English");
	assert_string_equal(r[0].url, "https://example.org/en/ms08-067");
	assert_string_equal(r[1].url, "https://example.org/ms17-010?a=1&b='2'");
	assert_int_equal(catalog_port_refs(c, TCP, 135, &r), 1);
	assert_string_equal(r[0].title, "English only");
	assert_int_equal(catalog_port_refs(c, UDP, 1026, &r), 0);
	catalog_destroy(c);
	/* a language without its title column */
	assert_null(catalog_load_lang(dir, "fr", &e));
	snprintf(want, sizeof(want), "%s/ports.csv:1: no column explanation_fr "
	    "for the 'fr' edition", dir);
	assert_string_equal(e.msg, want);
	put(dir, "references.csv", "proto,port,title,url\n");
	assert_null(catalog_load_lang(dir, "en", &e));
	snprintf(want, sizeof(want), "%s/references.csv:1: no column title_en "
	    "for the 'en' edition", dir);
	assert_string_equal(e.msg, want);
	put(dir, "references.csv", "proto,port,title,url,note\n");
	assert_null(catalog_load(dir, &e));
	snprintf(want, sizeof(want), "%s/references.csv:1: unknown column "
	    "'note' (expected title_LANG, url_LANG or published)", dir);
	assert_string_equal(e.msg, want);
	put(dir, "references.csv", "proto,port,url,title\n");
	assert_null(catalog_load(dir, &e));
	snprintf(want, sizeof(want), "%s/references.csv:1: expected the header "
	    "line proto,port,title,url", dir);
	assert_string_equal(e.msg, want);
	/* at most CATALOG_REFS_MAX a port */
	snprintf(body, sizeof(body), "%s", head);
	for (int i = 0; i <= CATALOG_REFS_MAX; i++)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    "tcp,135,t%d,https://example.org/%d,,\n", i, i);
	put(dir, "references.csv", body);
	assert_null(catalog_load(dir, &e));
	snprintf(want, sizeof(want), "%s/references.csv:%d: more than %d "
	    "references for 135/tcp", dir, CATALOG_REFS_MAX + 2,
	    CATALOG_REFS_MAX);
	assert_string_equal(e.msg, want);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "%s%s", head, bad[i].body);
		put(dir, "references.csv", body);
		c = catalog_load(dir, &e);
		if (c != NULL)
			fail_msg("case %zu: expected an error", i);
		snprintf(want, sizeof(want), "%s/references.csv:%d: %s", dir,
		    bad[i].line, bad[i].msg);
		if (strcmp(e.msg, want) != 0)
			fail_msg("case %zu:\n got  %s\n want %s", i, e.msg, want);
	}
	/* the URL check alone */
	assert_null(catalog_url_problem("https://learn.microsoft.com/ja-jp/x"));
	assert_null(catalog_url_problem("http://a"));
	assert_non_null(catalog_url_problem("HTTPS://a"));
	assert_non_null(catalog_url_problem("https://a/\x7f"));
	assert_non_null(catalog_url_problem("https://a/\\"));
	assert_non_null(catalog_url_problem("data:text/html,x"));
	assert_non_null(catalog_url_problem("//example.org/"));
	rm(dir, "references.csv");
	rm(dir, "ports.csv");
	rm(dir, "countries.csv");
	rmdir(dir);
}

/* The published column: a month, checked, and the rule of which bulletin
 * may cite an advisory. */
static void
test_references_published(void **state)
{
	char dir[] = "/tmp/talot-cat-XXXXXX";
	struct err e = { "" };
	struct catalog *c;
	const struct catalog_ref *r;
	char want[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "ports.csv", "proto,port,label,explanation\ntcp,135,,ja\n");
	put(dir, "countries.csv", "code,name\nJP,日本\n");
	put(dir, "references.csv", "proto,port,title,url,published\n"
	    "tcp,135,a,https://example.org/a,2007-06\n"
	    "tcp,135,b,https://example.org/b,\n");
	c = catalog_load(dir, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(catalog_port_refs(c, TCP, 135, &r), 2);
	assert_int_equal(r[0].published, 200706);
	assert_int_equal(r[1].published, 0);
	assert_false(catalog_ref_published(&r[0], 200705));
	assert_true(catalog_ref_published(&r[0], 200706));
	assert_true(catalog_ref_published(&r[0], 200801));
	assert_true(catalog_ref_published(&r[1], 197001));
	catalog_destroy(c);
	for (size_t i = 0; i < 5; i++) {
		static const char *const badv[] = { "2007-13", "2007-6",
		    "1969-12", "2007/06", "07-06-1" };
		char body[256];

		snprintf(body, sizeof(body), "proto,port,title,url,published\n"
		    "tcp,135,a,https://example.org/a,%s\n", badv[i]);
		put(dir, "references.csv", body);
		assert_null(catalog_load(dir, &e));
		snprintf(want, sizeof(want), "%s/references.csv:2: bad "
		    "published month '%s' (YYYY-MM, 1970-01 to 9999-12, or "
		    "empty)", dir, badv[i]);
		assert_string_equal(e.msg, want);
	}
	rm(dir, "references.csv");
	rm(dir, "ports.csv");
	rm(dir, "countries.csv");
	rmdir(dir);
}

/* The real references.csv: every line loads in both languages, and the
 * advisories the seed bulletin and the catalogue's explanations cite. */
static void
test_real_references(void **state)
{
	const char *src = getenv("TALOT_SRCDIR");
	char *dir = path2(src != NULL ? src : ".", "templates");
	struct err e = { "" };
	struct catalog *ja = catalog_load(dir, &e), *en;
	const struct catalog_ref *r;
	bool found = false;

	(void)state;
	if (ja == NULL)
		fail_msg("%s", e.msg);
	en = catalog_load_lang(dir, "en", &e);
	if (en == NULL)
		fail_msg("%s", e.msg);
	/* the seed's 参考情報 under 1026/1027: MS03-043 */
	assert_int_equal(catalog_port_refs(ja, UDP, 1026, &r), 1);
	assert_non_null(strstr(r[0].title, "MS03-043"));
	assert_string_equal(r[0].url, "https://learn.microsoft.com/ja-jp/"
	    "security-updates/securitybulletins/2003/ms03-043");
	assert_int_equal(catalog_port_refs(en, UDP, 1027, &r), 1);
	assert_string_equal(r[0].url, "https://learn.microsoft.com/en-us/"
	    "security-updates/securitybulletins/2003/ms03-043");
	/* 135/tcp's explanation names MS03-026 */
	assert_true(catalog_port_refs(ja, TCP, 135, &r) >= 1);
	for (size_t i = 0; i < catalog_port_refs(ja, TCP, 135, &r); i++)
		found = found || strstr(r[i].url, "ms03-026") != NULL;
	assert_true(found);
	assert_true(catalog_port_refs(en, TCP, 445, &r) >= 2);
	free(dir);
	catalog_destroy(ja);
	catalog_destroy(en);
}

/* BOM, CRLF, comments, blank lines, quoting with commas and quotes, empty
 * label and empty explanation (a line break inside a quoted field is a
 * control character: test_control_chars). */
static void
test_csv_forms(void **state)
{
	char dir[] = "/tmp/talot-cat-XXXXXX";
	struct catalog *c;
	struct err e = { "" };
	char buf[32];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "ports.csv", "\xEF\xBB\xBFproto,port,label,explanation\r\n"
	    "# comment, with \"quotes\"\r\n"
	    "\r\n"
	    "tcp,80,HTTP,\"Web, \"\"quoted\"\", and more\"\r\n"
	    "udp,53,,\r\n"
	    "icmp , 8 ,Ping(ICMP), plain \r\n"
	    "tcp,1,,\"\"\r\n"
	    "tcp,2,x,y");
	put(dir, "countries.csv", "code,name\nJP,日本\n\"CN\",\"中国\"\n");
	c = catalog_load(dir, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(catalog_port_label(c, TCP, 80, buf, sizeof(buf)),
	    "HTTP");
	assert_string_equal(catalog_port_explanation(c, TCP, 80),
	    "Web, \"quoted\", and more");
	assert_string_equal(catalog_port_label(c, UDP, 53, buf, sizeof(buf)),
	    "53/udp");
	assert_null(catalog_port_explanation(c, UDP, 53));
	assert_string_equal(catalog_port_label(c, ICMP, 8, buf, sizeof(buf)),
	    "Ping(ICMP)");
	assert_string_equal(catalog_port_explanation(c, ICMP, 8), "plain");
	assert_null(catalog_port_explanation(c, TCP, 1));
	assert_string_equal(catalog_port_explanation(c, TCP, 2), "y");
	assert_string_equal(catalog_country_name(c, "CN"), "中国");
	assert_string_equal(catalog_country_name(c, "JP"), "日本");
	catalog_destroy(c);
	/* A folder without the files. */
	rm(dir, "ports.csv");
	assert_null(catalog_load(dir, &e));
	{
		char *want = path2(dir, "ports.csv: cannot open: No such file or "
		    "directory");

		assert_string_equal(e.msg, want);
		free(want);
	}
	rm(dir, "countries.csv");
	rmdir(dir);
	catalog_destroy(NULL);
}

struct bad_case {
	const char *dir;
	const char *file;
	int line;             /* 0: none */
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "ports-header", "ports.csv", 1, "expected the header line "
	    "proto,port,label,explanation" },
	{ "ports-empty", "ports.csv", 1, "empty file; expected the header line "
	    "proto,port,label,explanation" },
	{ "ports-fields", "ports.csv", 3, "expected 4 fields "
	    "(as the header), found 3" },
	{ "ports-extra-comma", "ports.csv", 2, "expected 4 fields "
	    "(as the header), found 5 (quote a field that "
	    "contains a comma)" },
	{ "ports-proto", "ports.csv", 4, "unknown protocol 'sctp' (use tcp, udp "
	    "or icmp)" },
	{ "ports-port", "ports.csv", 3, "bad port '65536' (a number 0-65535)" },
	{ "ports-icmp", "ports.csv", 4, "bad ICMP type '256' (a number 0-255)" },
	{ "ports-port-text", "ports.csv", 2, "bad port '8o' (a number "
	    "0-65535)" },
	{ "ports-dup", "ports.csv", 5, "duplicate entry for 135/tcp (first on "
	    "line 2)" },
	{ "ports-quote", "ports.csv", 3, "unterminated quoted field (a \" is "
	    "missing)" },
	{ "ports-quote-junk", "ports.csv", 2, "unexpected text after a closing "
	    "quote (write \"\" for a quote inside a quoted field)" },
	{ "ports-quote-inside", "ports.csv", 2, "quote inside an unquoted field "
	    "(quote the whole field and double the quote)" },
	{ "ports-utf8", "ports.csv", 3, "invalid UTF-8; save the file as "
	    "UTF-8" },
	{ "countries-code", "countries.csv", 2, "bad country code 'cn' (two "
	    "upper-case letters, ISO 3166-1 alpha-2)" },
	{ "countries-dup", "countries.csv", 4, "duplicate entry for CN (first "
	    "on line 2)" },
	{ "countries-empty", "countries.csv", 3, "empty name for JP" },
	{ "countries-header", "countries.csv", 1, "expected the header line "
	    "code,name" },
	{ "countries-fields", "countries.csv", 3, "expected 2 fields "
	    "(as the header), found 3" },
	{ "countries-missing", "countries.csv", 0, "cannot open: No such file "
	    "or directory" },
};

static void
test_bad_fixtures(void **state)
{
	const char *src = getenv("TALOT_SRCDIR");
	char *base = path2(src != NULL ? src : ".", "tests/data/catalog-bad");

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		char *dir = path2(base, bc->dir);
		struct err e = { "" };
		struct catalog *c = catalog_load(dir, &e);
		char want[2048];

		if (bc->line > 0)
			snprintf(want, sizeof(want), "%s/%s:%d: %s", dir, bc->file,
			    bc->line, bc->msg);
		else
			snprintf(want, sizeof(want), "%s/%s: %s", dir, bc->file,
			    bc->msg);
		if (c != NULL)
			fail_msg("%s: expected an error", bc->dir);
		if (strcmp(e.msg, want) != 0)
			fail_msg("%s:\n got  %s\n want %s", bc->dir, e.msg, want);
		free(dir);
	}
	free(base);
}

/* Control characters in any field are refused with FILE:LINE (they would
 * make the workbook's XML invalid), and so are overlong fields. */
static void
test_control_chars(void **state)
{
	static const struct {
		const char *file, *text, *msg;
	} cases[] = {
		{ "ports.csv", "proto,port,label,explanation\ntcp,80,HTTP,ok\n"
		    "tcp,81,a\x01" "b,x\n", "3: the label holds the control character U+0001" },
		{ "ports.csv", "proto,port,label,explanation\n"
		    "tcp,81,ab,x\vy\n", "2: the explanation holds the control character U+000B" },
		{ "ports.csv", "proto,port,label,explanation\n"
		    "tcp,81,ab,\"two\nlines\"\n", "2: the explanation holds the control character U+000A" },
		{ "ports.csv", "proto,port,label,explanation\n"
		    "tcp,81,a\tb,x\n", "2: the label holds the control character U+0009" },
		{ "ports.csv", "proto,port,label,explanation\n"
		    "tcp,81,a\xc2\x9b,x\n", "2: the label holds the control character U+009B" },
		{ "ports.csv", "proto,port,label,explanation\n"
		    "tcp,81,a\x7f,x\n", "2: the label holds the control character U+007F" },
		{ "countries.csv", "code,name\nJP,日本\nCN,中\x1b[31m国\n",
		    "3: the name holds the control character U+001B" },
	};
	char dir[] = "/tmp/talot-cat-XXXXXX";
	char longx[CATALOG_EXPLANATION_CHARS * 3 + 64];
	struct err e = { "" };

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *want;

		put(dir, "ports.csv", "proto,port,label,explanation\n");
		put(dir, "countries.csv", "code,name\nJP,日本\n");
		put(dir, cases[i].file, cases[i].text);
		assert_null(catalog_load(dir, &e));
		want = path2(dir, cases[i].file);
		if (strncmp(e.msg, want, strlen(want)) != 0 ||
		    e.msg[strlen(want)] != ':' ||
		    strncmp(e.msg + strlen(want) + 1, cases[i].msg,
		    strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got %s", i, e.msg);
		free(want);
	}
	/* an explanation of 1,000 characters is accepted, 1,001 is not */
	put(dir, "countries.csv", "code,name\nJP,日本\n");
	for (int n = CATALOG_EXPLANATION_CHARS; n <= CATALOG_EXPLANATION_CHARS + 1;
	    n++) {
		struct catalog *c;
		size_t o = (size_t)snprintf(longx, sizeof(longx),
		    "proto,port,label,explanation\ntcp,80,HTTP,");

		for (int k = 0; k < n; k++, o += 3)
			memcpy(longx + o, "解", 3);
		longx[o] = '\0';
		put(dir, "ports.csv", longx);
		c = catalog_load(dir, &e);
		if (n == CATALOG_EXPLANATION_CHARS) {
			if (c == NULL)
				fail_msg("%s", e.msg);
		} else {
			assert_null(c);
			assert_non_null(strstr(e.msg, "ports.csv:2: the explanation is longer than 1000 characters (1001)"));
		}
		catalog_destroy(c);
	}
	rm(dir, "ports.csv");
	rm(dir, "countries.csv");
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_ports),
		cmocka_unit_test(test_labels_default),
		cmocka_unit_test(test_real_countries),
		cmocka_unit_test(test_csv_forms),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_references_published),
		cmocka_unit_test(test_real_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
