/* site.c — collects the months of an output folder for the index.
 *
 * A month is listed when both talot-YYYY-MM.html and talot-YYYY-MM.json
 * are present; its numbers come from the JSON's "headline" line, which
 * bulletin_json.c writes on one line in a fixed form (docs/json.md). */
#include "site.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "edition.h"
#include "site_index.h"

#define JSON_MAX (64 * 1024 * 1024)

bool
site_file_exists(const char *dir, const char *name)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

bool
site_page_exists(const char *dir, month_t m, const char *lang)
{
	char name[64];

	return site_file_exists(dir, edition_file_name(m, lang, "html", name,
	    sizeof(name)));
}

/* Appends code point cp as UTF-8. */
static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* A JSON string starting at p (at its opening quote) decoded into an
 * owned string; *end after the closing quote.  NULL if malformed. */
static char *
json_str(const char *p, const char **end)
{
	char *out, *o;

	if (*p != '"')
		return NULL;
	p++;
	out = malloc(strlen(p) + 1);
	if (out == NULL)
		return NULL;
	for (o = out; *p != '"'; p++) {
		if (*p == '\0' || *p == '\n')
			goto bad;
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp;

			if (sscanf(p + 1, "%4x", &cp) != 1 || cp == 0 ||
			    (cp >= 0xD800 && cp < 0xE000))
				goto bad;
			o += put_utf8(o, cp);
			p += 4;
			break;
		}
		default:
			goto bad;
		}
	}
	*o = '\0';
	if (end)
		*end = p + 1;
	return out;
bad:
	free(out);
	return NULL;
}

/* The value after "key": in [from, line end), or NULL. */
static const char *
value_of(const char *from, const char *key)
{
	char pat[96];
	const char *p, *eol = strchr(from, '\n');

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(from, pat);
	if (p == NULL || (eol != NULL && p > eol))
		return NULL;
	return p + strlen(pat);
}

static char *
str_of(const char *from, const char *key)
{
	const char *v = value_of(from, key);

	return v != NULL ? json_str(v, NULL) : NULL;
}

static double
num_of(const char *from, const char *key)
{
	const char *v = value_of(from, key);
	char *end;
	double d;

	if (v == NULL || strncmp(v, "null", 4) == 0)
		return NAN;
	d = strtod(v, &end);
	return end == v ? NAN : d;
}

static char *
read_all(const char *path, struct err *e)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	if (fp == NULL) {
		err_set(e, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    n > JSON_MAX || fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		err_set(e, "%s: cannot read (too large?)", path);
		return NULL;
	}
	s = malloc((size_t)n + 1);
	if (s == NULL || fread(s, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		free(s);
		err_set(e, "%s: read error", path);
		return NULL;
	}
	fclose(fp);
	s[n] = '\0';
	return s;
}

static void
words_free(struct site_words *w)
{
	char **all[] = { &w->lang, &w->title, &w->publisher, &w->font,
		&w->month, &w->accesses, &w->sources,
		&w->accesses_per_sensor_day, &w->sources_per_sensor_day,
		&w->top_port, &w->notable, &w->none };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		free(*all[i]);
		*all[i] = NULL;
	}
}

static void
month_free(struct site_month *m)
{
	free(m->month_text);
	free(m->page);
	free(m->pdf);
	free(m->xlsx);
	free(m->json);
	free(m->top_port);
	for (size_t i = 0; i < m->nnotable; i++)
		free(m->notable[i]);
	free(m->notable);
}

/* Reads one month's headline; with words, also the page's words. */
static bool
month_read(const char *dir, month_t mo, struct site_month *m,
    struct site_words *w, struct err *e)
{
	char path[4096], name[64];
	const char *h, *p, *labels;
	char *s;

	memset(m, 0, sizeof(*m));
	m->month = mo;
	snprintf(path, sizeof(path), "%s/%s", dir, edition_file_name(mo, NULL,
	    "json", name, sizeof(name)));
	if ((s = read_all(path, e)) == NULL)
		return false;
	h = strstr(s, "\n  \"headline\": {");
	if (h == NULL) {
		free(s);
		return err_set(e, "%s: no headline (not written by talot?)",
		    path);
	}
	h++;
	m->month_text = str_of(h, "month_text");
	m->accesses = (int64_t)num_of(h, "accesses");
	m->sources = (int64_t)num_of(h, "sources");
	m->accesses_per_sensor_day = num_of(h, "accesses_per_sensor_day");
	m->sources_per_sensor_day = num_of(h, "sources_per_sensor_day");
	m->top_port = str_of(h, "top_port");
	m->page = strdup(edition_file_name(mo, NULL, "html", name,
	    sizeof(name)));
	m->json = strdup(edition_file_name(mo, NULL, "json", name,
	    sizeof(name)));
	if (site_file_exists(dir, edition_file_name(mo, NULL, "pdf", name, sizeof(name))))
		m->pdf = strdup(name);
	if (site_file_exists(dir, edition_file_name(mo, NULL, "xlsx", name, sizeof(name))))
		m->xlsx = strdup(name);
	p = value_of(h, "notable");
	if (p != NULL && *p == '[') {
		p++;
		while (*p == '"') {
			char *one = json_str(p, &p), **nn;

			if (one == NULL)
				break;
			nn = realloc(m->notable, (m->nnotable + 1) * sizeof(*nn));
			if (nn == NULL) {
				free(one);
				break;
			}
			m->notable = nn;
			m->notable[m->nnotable++] = one;
			if (strncmp(p, ", ", 2) == 0)
				p += 2;
		}
	}
	labels = value_of(h, "labels");
	if (w != NULL && labels != NULL) {
		words_free(w);
		p = strstr(s, "\n  \"lang\": ");
		w->lang = p != NULL ? str_of(p + 1, "lang") : NULL;
		w->title = str_of(labels, "title");
		w->publisher = str_of(labels, "publisher");
		w->font = str_of(labels, "font");
		w->month = str_of(labels, "month");
		w->accesses = str_of(labels, "accesses");
		w->sources = str_of(labels, "sources");
		w->accesses_per_sensor_day = str_of(labels,
		    "accesses_per_sensor_day");
		w->sources_per_sensor_day = str_of(labels,
		    "sources_per_sensor_day");
		w->top_port = str_of(labels, "top_port");
		w->notable = str_of(labels, "notable");
		w->none = str_of(labels, "none");
	}
	free(s);
	if (m->month_text == NULL || m->page == NULL || m->json == NULL ||
	    (w != NULL && (w->font == NULL || w->title == NULL ||
	    w->lang == NULL))) {
		month_free(m);
		return err_set(e, "%s: malformed headline", path);
	}
	return true;
}

/* "talot-YYYY-MM.json" exactly (the default language). */
static bool
month_of_name(const char *name, month_t *m)
{
	char ym[8];

	if (strlen(name) != strlen("talot-2007-06.json") ||
	    strncmp(name, "talot-", 6) != 0 ||
	    strcmp(name + 13, ".json") != 0)
		return false;
	memcpy(ym, name + 6, 7);
	ym[7] = '\0';
	return month_parse(ym, m);
}

bool
site_index_rebuild(const char *dir, struct err *e)
{
	struct site_index si;
	char path[4096];
	month_t *found = NULL, newest = 0;
	size_t nfound = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	bool ok = true;

	memset(&si, 0, sizeof(si));
	if (d == NULL)
		return err_set(e, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		month_t m, *nf;

		if (!month_of_name(de->d_name, &m) ||
		    !site_page_exists(dir, m, NULL))
			continue;
		nf = realloc(found, (nfound + 1) * sizeof(*nf));
		if (nf == NULL) {
			ok = err_set(e, "out of memory");
			break;
		}
		found = nf;
		found[nfound++] = m;
		if (nfound == 1 || m > newest)
			newest = m;
	}
	closedir(d);
	if (!ok || nfound == 0) {
		free(found);
		return ok;
	}
	si.months = calloc(nfound, sizeof(*si.months));
	if (si.months == NULL) {
		free(found);
		return err_set(e, "out of memory");
	}
	for (size_t i = 0; i < nfound && ok; i++) {
		ok = month_read(dir, found[i], &si.months[si.nmonths],
		    found[i] == newest ? &si.w : NULL, e);
		if (ok)
			si.nmonths++;
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	if (ok)
		ok = site_index_write(&si, path, e);
	for (size_t i = 0; i < si.nmonths; i++)
		month_free(&si.months[i]);
	free(si.months);
	words_free(&si.w);
	free(found);
	return ok;
}
