/* catalog.h — the editable tables of port labels/explanations and country
 * names (`templates/ports.csv`, `templates/countries.csv`).
 *
 * ports.csv:     header `proto,port,label,explanation` and optionally, per
 *                further language, `explanation_LANG` (and `label_LANG`);
 *                proto is tcp, udp or
 *                icmp (the ICMP type goes in port); label is what the
 *                bulletin shows (`135/tcp`, `Ping(ICMP)`), empty for the
 *                default; explanation is one or two sentences, may be empty.
 * countries.csv: header `code,name` and optionally `name_LANG` per further
 *                language; code is an ISO 3166-1 alpha-2 code in upper
 *                case (ZZ = unknown), name the Japanese short name.
 *
 * references.csv (optional): header `proto,port,title,url` and optionally
 *                `title_LANG` and `url_LANG` per further language; one line
 *                per advisory about a port of ports.csv (several lines for
 *                several advisories, shown in file order, at most
 *                CATALOG_REFS_MAX a port).  title is the Japanese title,
 *                url an http:// or https:// address (RFC 3986 characters
 *                only: percent-encode spaces and non-ASCII); an empty
 *                title_LANG leaves the advisory out of that language's
 *                edition, an empty url_LANG means url.  An optional
 *                column `published` gives the advisory's month (YYYY-MM):
 *                a bulletin cites only advisories published by the end
 *                of its month (catalog_ref_published), so a 2007
 *                bulletin never points to a 2017 bulletin.
 *
 * All are UTF-8 CSV (RFC 4180 quoting; LF or CRLF).  Blank lines and lines
 * starting with `#` are ignored.  Lookups are O(log n) for ports and O(1)
 * for countries, and need no locking (the catalogue is read-only once
 * loaded).
 */
#ifndef TALOT_CATALOG_H
#define TALOT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Longest label or country name, and longest explanation, in characters
 * (an explanation fills at most a third of a page in the port table).
 * Control characters (tab and line breaks too) are refused in every
 * field, with FILE:LINE. */
#define CATALOG_LABEL_CHARS 64
#define CATALOG_EXPLANATION_CHARS 1000
#define CATALOG_TITLE_CHARS 200
#define CATALOG_URL_CHARS 2000
#define CATALOG_URL_MAX_TEXT "2000"
#define CATALOG_REFS_MAX 8

/* An advisory about a port: a title and its address, both owned by the
 * catalogue. */
struct catalog_ref {
	const char *title;
	const char *url;
	int published;    /* YYYYMM of publication, 0 when not given */
};

/* True if an advisory can be cited by the bulletin of month yyyymm: it was
 * published in that month or before, or its month is not given. */
bool catalog_ref_published(const struct catalog_ref *r, int yyyymm);

struct catalog;  /* opaque: ports + countries */

/* Reads DIR/ports.csv and DIR/countries.csv.  Returns a catalogue owned by
 * the caller (free with catalog_destroy()), or NULL with e set to
 * "DIR/ports.csv:LINE: message" (malformed line, duplicate entry, bad proto
 * or port, bad country code, invalid UTF-8) or "DIR/FILE: cannot open: …". */
struct catalog *catalog_load(const char *dir, struct err *e);

/* The same for one language: the columns explanation_LANG (ports.csv) and
 * name_LANG (countries.csv), and label_LANG where present (else label),
 * instead of the Japanese explanation and name.  A missing column, or an
 * empty text where the Japanese one is not, is an error naming the file
 * and line.  "ja" reads the base columns. */
struct catalog *catalog_load_lang(const char *dir, const char *lang,
    struct err *e);

/* Frees c; NULL is accepted. */
void catalog_destroy(struct catalog *c);

/* proto is the IP protocol number: 1 icmp, 6 tcp, 17 udp. */

/* The label to show for a port: the catalogue's label (owned by c, valid
 * until catalog_destroy()), else a default written into buf and returned:
 * "135/tcp", "53/udp", "ICMP type 13", "47/proto 47"-style for other
 * protocols.  c may be NULL (defaults only).  Returns NULL only when buf is
 * NULL or len is 0 and the port is not in the catalogue; a default that does
 * not fit is truncated. */
const char *catalog_port_label(const struct catalog *c, int proto, int port,
    char *buf, size_t len);

/* The catalogue's explanation of a port (owned by c, valid until
 * catalog_destroy()), or NULL if the port is not catalogued or has none. */
const char *catalog_port_explanation(const struct catalog *c, int proto,
    int port);

/* The advisories about a port in the catalogue's language: sets *refs to
 * an array (owned by c, valid until catalog_destroy()) and returns its
 * length, 0 (and *refs NULL or not) when there are none. */
size_t catalog_port_refs(const struct catalog *c, int proto, int port,
    const struct catalog_ref **refs);

/* Why url is not a link talot publishes ("is not an http:// or https://
 * address", "holds a space (write %20)", …), or NULL when it is one: an
 * http or https URL with a host, made of RFC 3986 characters only (so it
 * needs no escaping beyond HTML's & and '), at most CATALOG_URL_CHARS
 * long. */
const char *catalog_url_problem(const char *url);

/* The Japanese name of the country with upper-case alpha-2 code cc (owned by
 * c, valid until catalog_destroy()), or NULL for an unknown code. */
const char *catalog_country_name(const struct catalog *c, const char *cc);

#endif
