/* fuzz_mmdb.c — countries from a MaxMind-format database: geoip_open() on
 * the input written to a file, lookups in what opens, and the country-code
 * rule geoip_cc_normalise().
 *
 * Input: the whole input is the .mmdb file; its last 16 bytes are also
 * used as an IPv6 address and its last 4 as an IPv4 address to look up.
 *
 * Invariants: geoip_open() fails with a message naming the file, or opens
 * a database whose type names country or city data; a lookup fails with a
 * message naming the file, or gives two upper-case ASCII letters; the code
 * rule gives two upper-case letters, the input's own letters when they are
 * two ASCII letters, else "ZZ".
 */
#include <stdio.h>
#include <unistd.h>

#include "ingest.h"
#include "ingest_internal.h"
#include "fuzz_common.h"

static char path[96];

static void
check_cc(const char cc[3])
{
	FUZZ_CHECK(cc[0] >= 'A' && cc[0] <= 'Z');
	FUZZ_CHECK(cc[1] >= 'A' && cc[1] <= 'Z');
	FUZZ_CHECK(cc[2] == '\0');
}

static void
lookup(struct geoip *g, int family, const uint8_t addr[16])
{
	char cc[3] = "??";
	struct err e;

	e.msg[0] = '\0';
	if (geoip_country(g, family, addr, cc, &e))
		check_cc(cc);
	else
		FUZZ_CHECK(strncmp(e.msg, path, strlen(path)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geoip *g;
	struct err e;
	uint8_t a6[16] = { 0 }, a4[16] = { 0 };
	char cc[3];
	FILE *fp;

	/* the code rule on the first two bytes */
	if (size >= 2) {
		bool ok = geoip_cc_normalise((const char *)data, 2, cc);
		bool letters = true;
		check_cc(cc);
		for (int i = 0; i < 2; i++) {
			char c = (char)data[i];
			letters = letters && ((c >= 'A' && c <= 'Z') ||
			    (c >= 'a' && c <= 'z'));
		}
		FUZZ_CHECK(ok == letters);
		if (!ok)
			FUZZ_CHECK(strcmp(cc, "ZZ") == 0);
	}
	if (path[0] == '\0')
		fuzz_tmp_path(path, sizeof(path), "fuzz_mmdb", ".mmdb");
	fp = fopen(path, "wb");
	FUZZ_CHECK(fp != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, fp) == size);
	FUZZ_CHECK(fclose(fp) == 0);
	e.msg[0] = '\0';
	g = geoip_open(path, &e);
	/* libmaxminddb has mapped it: the name can go */
	unlink(path);
	if (g == NULL) {
		FUZZ_CHECK(strncmp(e.msg, path, strlen(path)) == 0);
		return 0;
	}
	FUZZ_CHECK(geoip_type(g) != NULL);
	if (size >= 16)
		memcpy(a6, data + size - 16, 16);
	if (size >= 4)
		memcpy(a4, data + size - 4, 4);
	lookup(g, 6, a6);
	lookup(g, 4, a4);
	lookup(g, 4, a4);     /* from the cache */
	a4[3] ^= 0x80;
	lookup(g, 4, a4);
	geoip_close(g);
	return 0;
}
