#include "settings.h"

#include "textfile.h"

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

/* Reads path whole (at most 64 KiB) into a NUL-terminated buffer; NULL
 * with *missing when it does not exist. */
static char *
slurp(const char *path, size_t *len, bool *missing, struct err *e)
{
	FILE *fp = text_fopen_own(path);
	char *buf;

	*missing = false;
	if (fp == NULL) {
		*missing = errno == ENOENT;
		if (!*missing)
			err_set(e, "%s: %s", path, text_open_strerror(errno));
		return NULL;
	}
	buf = malloc(65536 + 1);
	if (buf == NULL) {
		fclose(fp);
		err_set(e, "%s: out of memory", path);
		return NULL;
	}
	*len = fread(buf, 1, 65536 + 1, fp);
	if (ferror(fp) || *len > 65536) {
		err_set(e, ferror(fp) ? "%s: read error" :
		    "%s: larger than 64 KiB", path);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}

static bool
setting(struct settings *s, const char *path, unsigned long lineno, char *k,
    char *v, struct err *e)
{
	char *dst = NULL;
	size_t cap = 0;

	if (strcmp(k, "observatory") == 0) {
		dst = s->observatory;
		cap = sizeof(s->observatory);
	} else if (strcmp(k, "author") == 0) {
		dst = s->author;
		cap = sizeof(s->author);
	} else if (strcmp(k, "font") == 0) {
		dst = s->font;
		cap = sizeof(s->font);
	} else if (strcmp(k, "timezone") == 0) {
		dst = s->timezone;
		cap = sizeof(s->timezone);
	}
	if (dst != NULL) {
		if (strlen(v) >= cap)
			return err_set(e, "%s:%lu: the value of '%s' is longer than %zu bytes",
			    path, lineno, k, cap - 1);
		memcpy(dst, v, strlen(v) + 1);
	} else if (strncmp(k, "notable.", 8) == 0) {
		month_t m;
		char *tok, *save = NULL;

		if (!month_parse(k + 8, &m))
			return err_set(e, "%s:%lu: '%s' is not notable.YYYY-MM",
			    path, lineno, k);
		for (tok = strtok_r(v, " ,", &save); tok != NULL;
		    tok = strtok_r(NULL, " ,", &save)) {
			struct key port;

			if (!settings_parse_port(tok, &port))
				return err_set(e, "%s:%lu: '%s' is not a port like 1026/udp",
				    path, lineno, tok);
			for (size_t i = 0; i < s->npins; i++)
				if (s->pins[i].month == m &&
				    key_equal(&s->pins[i].port, &port))
					return err_set(e, "%s:%lu: '%s' is pinned twice for %s",
					    path, lineno, tok, k + 8);
			if (s->npins < sizeof(s->pins) / sizeof(*s->pins)) {
				s->pins[s->npins].month = m;
				s->pins[s->npins].port = port;
				s->npins++;
			}
		}
	} else
		return err_set(e, "%s:%lu: unknown setting '%s'", path, lineno,
		    k);
	return true;
}

bool
settings_load(const char *dir, struct settings *s, struct err *e)
{
	char *path, *buf, *line, *next;
	unsigned long lineno = 0;
	size_t len;
	bool missing, ok = true;

	memset(s, 0, sizeof(*s));
	snprintf(s->observatory, sizeof(s->observatory), "talot");
	snprintf(s->author, sizeof(s->author), "talot");
	snprintf(s->font, sizeof(s->font), "BIZ UDPGothic");
	path = path_join(dir, "settings.conf");
	if (path == NULL)
		return err_set(e, "out of memory");
	buf = slurp(path, &len, &missing, e);
	if (buf == NULL) {
		free(path);
		return missing;
	}
	if (!text_check(path, buf, len, e)) {
		free(buf);
		free(path);
		return false;
	}
	for (line = buf; ok && line != NULL; line = next) {
		char *k, *v, *eq;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL) {
			ok = err_set(e, "%s:%lu: expected 'key = value'", path,
			    lineno);
			break;
		}
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		ok = text_field_check(path, (int)lineno, "the setting", k, 0, e) &&
		    text_field_check(path, (int)lineno, "the value", v, 0, e) &&
		    setting(s, path, lineno, k, v, e);
	}
	free(buf);
	free(path);
	return ok;
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
