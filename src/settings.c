#include "settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		*--e = '\0';
	return s;
}

bool
settings_parse_port(const char *s, struct key *out)
{
	char proto[8];
	unsigned port;
	int n = 0;

	if (sscanf(s, "%u/%7[a-z]%n", &port, proto, &n) == 2 &&
	    s[n] == '\0') {
		int p = strcmp(proto, "tcp") == 0 ? PROTO_TCP :
		    strcmp(proto, "udp") == 0 ? PROTO_UDP :
		    strcmp(proto, "icmp") == 0 ? PROTO_ICMP : 0;

		if (p == 0 || port > (p == PROTO_ICMP ? 255u : 65535u))
			return false;
		*out = key_port(p, (int)port);
		return true;
	}
	if (sscanf(s, "icmp/%u%n", &port, &n) == 1 && s[n] == '\0' &&
	    port <= 255) {
		*out = key_port(PROTO_ICMP, (int)port);
		return true;
	}
	return false;
}

bool
settings_load(const char *dir, struct settings *s, struct err *e)
{
	char path[4096], line[1024];
	unsigned long lineno = 0;
	FILE *fp;

	memset(s, 0, sizeof(*s));
	snprintf(s->observatory, sizeof(s->observatory), "talot");
	snprintf(s->author, sizeof(s->author), "talot");
	snprintf(s->font, sizeof(s->font), "IPAexGothic");
	snprintf(path, sizeof(path), "%s/settings.conf", dir);
	fp = fopen(path, "r");
	if (fp == NULL)
		return errno == ENOENT ? true :
		    err_set(e, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *k, *v, *eq;

		lineno++;
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL) {
			fclose(fp);
			return err_set(e, "%s:%lu: expected 'key = value'", path,
			    lineno);
		}
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		if (strcmp(k, "observatory") == 0)
			snprintf(s->observatory, sizeof(s->observatory), "%s", v);
		else if (strcmp(k, "author") == 0)
			snprintf(s->author, sizeof(s->author), "%s", v);
		else if (strcmp(k, "font") == 0)
			snprintf(s->font, sizeof(s->font), "%s", v);
		else if (strncmp(k, "notable.", 8) == 0) {
			month_t m;
			char *tok, *save = NULL;

			if (!month_parse(k + 8, &m)) {
				fclose(fp);
				return err_set(e, "%s:%lu: '%s' is not notable.YYYY-MM",
				    path, lineno, k);
			}
			for (tok = strtok_r(v, " ,", &save); tok != NULL;
			    tok = strtok_r(NULL, " ,", &save)) {
				struct key port;

				if (!settings_parse_port(tok, &port)) {
					fclose(fp);
					return err_set(e, "%s:%lu: '%s' is not a port like 1026/udp",
					    path, lineno, tok);
				}
				if (s->npins < sizeof(s->pins) / sizeof(*s->pins)) {
					s->pins[s->npins].month = m;
					s->pins[s->npins].port = port;
					s->npins++;
				}
			}
		} else {
			fclose(fp);
			return err_set(e, "%s:%lu: unknown setting '%s'", path,
			    lineno, k);
		}
	}
	fclose(fp);
	return true;
}

size_t
settings_pins(const struct settings *s, month_t m, struct key *out,
    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->npins && n < max; i++)
		if (s->pins[i].month == m)
			out[n++] = s->pins[i].port;
	return n;
}
