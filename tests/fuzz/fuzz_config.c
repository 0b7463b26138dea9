/* fuzz_config.c — the editable files of a template folder: catalog_load()
 * on ports.csv + countries.csv, settings_load() on settings.conf, and
 * settings_parse_port().
 *
 * Input: PORTS [ "\n%%\n" COUNTRIES [ "\n%%\n" SETTINGS ] ], written into a
 * private temporary folder; a part that is absent leaves its file missing.
 *
 * Invariants: a loaded catalogue answers every lookup with NULL or a
 * non-empty, NUL-terminated UTF-8 string; settings hold NUL-terminated
 * strings, at most 64 pins of valid ports and months; a port that
 * settings_parse_port() accepts prints back to a string it accepts again as
 * the same port.
 */
#include <unistd.h>

#include "catalog.h"
#include "fuzz_common.h"
#include "settings.h"

static char dir[64];
static char p_ports[96], p_countries[96], p_settings[96];

static void
cleanup(void)
{
	unlink(p_ports);
	unlink(p_countries);
	unlink(p_settings);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/talot-fuzz-XXXXXX",
	    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	snprintf(p_ports, sizeof(p_ports), "%s/ports.csv", dir);
	snprintf(p_countries, sizeof(p_countries), "%s/countries.csv", dir);
	snprintf(p_settings, sizeof(p_settings), "%s/settings.conf", dir);
	atexit(cleanup);
	return 0;
}

static void
put(const char *path, const uint8_t *p, size_t n, bool present)
{
	FILE *f;

	if (!present) {
		unlink(path);
		return;
	}
	f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(n == 0 || fwrite(p, 1, n, f) == n);
	FUZZ_CHECK(fclose(f) == 0);
}

static void
check_str(const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	FUZZ_CHECK(n > 0);
	FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)s, n));
}

static void
check_catalog(void)
{
	static const int protos[] = { 1, 6, 17, 47 };
	static const int ports[] = { 0, 1, 8, 22, 53, 80, 135, 255, 256, 445,
		1026, 65535 };
	struct err e;
	struct catalog *c;
	char buf[32], cc[3] = { 0 };

	memset(&e, 0, sizeof(e));
	c = catalog_load(dir, &e);
	if (c == NULL) {
		FUZZ_CHECK(fuzz_terminated(e.msg, sizeof(e.msg)));
		FUZZ_CHECK(strncmp(e.msg, dir, strlen(dir)) == 0);
		return;
	}
	for (size_t i = 0; i < sizeof(protos) / sizeof(*protos); i++)
		for (size_t j = 0; j < sizeof(ports) / sizeof(*ports); j++) {
			const char *l = catalog_port_label(c, protos[i], ports[j],
			    buf, sizeof(buf));

			FUZZ_CHECK(l != NULL);
			check_str(l);
			check_str(catalog_port_explanation(c, protos[i],
			    ports[j]));
		}
	for (cc[0] = 'A'; cc[0] <= 'Z'; cc[0]++)
		for (cc[1] = 'A'; cc[1] <= 'Z'; cc[1]++)
			check_str(catalog_country_name(c, cc));
	FUZZ_CHECK(catalog_country_name(c, "zz") == NULL);
	catalog_destroy(c);
}

static void
check_port_text(const char *s)
{
	struct key k, k2;
	char back[32];

	if (!settings_parse_port(s, &k))
		return;
	FUZZ_CHECK(k.kind == KEY_PORT);
	FUZZ_CHECK(k.proto == PROTO_TCP || k.proto == PROTO_UDP ||
	    k.proto == PROTO_ICMP);
	FUZZ_CHECK(k.proto != PROTO_ICMP || k.port <= 255);
	snprintf(back, sizeof(back), "%u/%s", (unsigned)k.port,
	    k.proto == PROTO_TCP ? "tcp" : k.proto == PROTO_UDP ? "udp" : "icmp");
	FUZZ_CHECK(settings_parse_port(back, &k2) && key_equal(&k, &k2));
}

static void
check_settings(const char *text)
{
	struct settings *s = malloc(sizeof(*s));
	struct err e;

	FUZZ_CHECK(s != NULL);
	memset(&e, 0, sizeof(e));
	if (settings_load(dir, s, &e)) {
		FUZZ_CHECK(fuzz_terminated(s->observatory, sizeof(s->observatory)));
		FUZZ_CHECK(fuzz_terminated(s->author, sizeof(s->author)));
		FUZZ_CHECK(fuzz_terminated(s->font, sizeof(s->font)));
		FUZZ_CHECK(s->npins <= sizeof(s->pins) / sizeof(*s->pins));
		for (size_t i = 0; i < s->npins; i++) {
			const struct key *k = &s->pins[i].port;
			struct key out[8];

			FUZZ_CHECK(month_year(s->pins[i].month) >= 1970);
			FUZZ_CHECK(k->kind == KEY_PORT);
			FUZZ_CHECK(k->proto == PROTO_TCP ||
			    k->proto == PROTO_UDP || k->proto == PROTO_ICMP);
			FUZZ_CHECK(settings_pins(s, s->pins[i].month, out, 8) >= 1);
		}
	} else {
		FUZZ_CHECK(fuzz_terminated(e.msg, sizeof(e.msg)) &&
		    e.msg[0] != '\0');
	}
	free(s);
	/* every blank-separated word of the settings as a port */
	{
		char *copy = strdup(text), *save = NULL;

		FUZZ_CHECK(copy != NULL);
		for (char *w = strtok_r(copy, " \t\r\n,=", &save); w != NULL;
		    w = strtok_r(NULL, " \t\r\n,=", &save))
			check_port_text(w);
		free(copy);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n%%\n";
	const uint8_t *part[3] = { data, NULL, NULL };
	size_t len[3] = { size, 0, 0 };
	char *settings_text;

	for (int i = 0; i < 2; i++) {
		const uint8_t *p = part[i], *end = p + len[i], *q;

		for (q = p; q + 4 <= end && memcmp(q, sep, 4) != 0; q++)
			;
		if (q + 4 > end)
			break;
		len[i] = (size_t)(q - p);
		part[i + 1] = q + 4;
		len[i + 1] = (size_t)(end - (q + 4));
	}
	put(p_ports, part[0], len[0], true);
	put(p_countries, part[1], len[1], part[1] != NULL);
	put(p_settings, part[2], len[2], part[2] != NULL);
	check_catalog();
	settings_text = fuzz_strdup(part[2] != NULL ? part[2] : data, len[2]);
	check_settings(settings_text);
	free(settings_text);
	return 0;
}
