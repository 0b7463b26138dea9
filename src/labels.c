#include "labels.h"

#include <stdio.h>
#include <string.h>

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
		if (s != buf)
			snprintf(buf, len, "%s", s);
		return buf;
	case KEY_COUNTRY:
		s = catalog_country_name(cat, k->cc);
		if (s == NULL) {
			if (d != NULL)
				diag_warning(d, "country code %s is not in the country table (countries.csv): shown as its code",
				    k->cc);
			s = k->cc;
		}
		snprintf(buf, len, "%s", s);
		return buf;
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
