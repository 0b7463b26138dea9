#include "labels.h"

#include <stdio.h>
#include <string.h>

/* Copies s into buf, cut at a character boundary if it does not fit. */
static const char *
copy_label(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len == 0)
		return buf;
	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memmove(buf, s, n);
	buf[n] = '\0';
	return buf;
}

const char *
label_key(const struct catalog *cat, const struct key *k, char *buf,
    size_t len, struct diag *d)
{
	const char *s;

	switch (k->kind) {
	case KEY_PORT:
		s = catalog_port_label(cat, k->proto, k->port, buf, len);
		if (d != NULL && catalog_port_explanation(cat, k->proto,
		    k->port) == NULL)
			diag_warning(d, "port %u/%s is not in the port catalogue (ports.csv): shown without explanation",
			    k->port, k->proto == PROTO_TCP ? "tcp" :
			    k->proto == PROTO_UDP ? "udp" : "icmp");
		return s != buf ? copy_label(buf, len, s) : buf;
	case KEY_COUNTRY:
		s = catalog_country_name(cat, k->cc);
		if (s == NULL) {
			if (d != NULL)
				diag_warning(d, "country code %s is not in the country table (countries.csv): shown as its code",
				    k->cc);
			s = k->cc;
		}
		return copy_label(buf, len, s);
	default:
		snprintf(buf, len, "%s", LABEL_OTHER);
		return buf;
	}
}

struct chart_rgb
label_color(const struct month_model *m, const struct key *k)
{
	int slot = model_color_slot(m, k);

	if (slot < 0)
		return chart_palette_other();
	return chart_palette((size_t)slot);
}

const char *
label_month(month_t m, char *buf, size_t len)
{
	snprintf(buf, len, "%d年%d月", month_year(m), month_mon(m));
	return buf;
}
