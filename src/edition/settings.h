/* settings.h — DIR/settings.conf of a template folder: "key = value"
 * lines, '#' comments.  Keys: observatory, author, font, timezone (the
 * zone talot ingest cuts days in, e.g. Asia/Tokyo), and
 * notable.YYYY-MM (ports pinned as notable for that month, e.g.
 * "1026/udp 1027/udp"). */
#ifndef TALOT_SETTINGS_H
#define TALOT_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "model.h"

struct settings {
	char observatory[128];
	char author[256];
	char font[128];
	char timezone[64];     /* "" when not set */
	size_t npins;
	struct {
		month_t month;
		struct key port;
	} pins[64];
};

/* A missing file gives the defaults; a malformed line an error
 * "DIR/settings.conf:LINE: message". */
bool settings_load(const char *dir, struct settings *s, struct err *e);
/* Parses "135/tcp", "1026/udp", "icmp/8" or "8/icmp". */
bool settings_parse_port(const char *s, struct key *out);
/* Ports pinned for month m into out (at most max). */
size_t settings_pins(const struct settings *s, month_t m, struct key *out,
    size_t max);

#endif
