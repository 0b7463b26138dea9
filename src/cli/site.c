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
#include "bulletin_html.h"
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
		&w->top_port, &w->notable, &w->none, &w->language };

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
month_read(const char *dir, month_t mo, const char *lang,
    struct site_month *m, struct site_words *w, struct err *e)
{
	char path[4096], name[64];
	const char *h, *p, *labels;
	char *s;

	memset(m, 0, sizeof(*m));
	m->month = mo;
	snprintf(path, sizeof(path), "%s/%s", dir, edition_file_name(mo, lang,
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
	m->page = strdup(edition_file_name(mo, lang, "html", name,
	    sizeof(name)));
	m->json = strdup(edition_file_name(mo, lang, "json", name,
	    sizeof(name)));
	if (site_file_exists(dir, edition_file_name(mo, lang, "pdf", name, sizeof(name))))
		m->pdf = strdup(name);
	if (site_file_exists(dir, edition_file_name(mo, lang, "xlsx", name, sizeof(name))))
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
		w->language = str_of(labels, "language");
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

/* "talot-YYYY-MM.json" (the default language, lang "") or
 * "talot-YYYY-MM.LANG.json" (LANG 2-3 lower-case letters). */
static bool
month_of_name(const char *name, month_t *m, char lang[8])
{
	char ym[8];
	size_t n = strlen(name), l;

	if (n < strlen("talot-2007-06.json") || strncmp(name, "talot-", 6) != 0 ||
	    strcmp(name + n - 5, ".json") != 0)
		return false;
	memcpy(ym, name + 6, 7);
	ym[7] = '\0';
	lang[0] = '\0';
	if (n > strlen("talot-2007-06.json")) {
		if (name[13] != '.')
			return false;
		l = n - 5 - 14;
		if (l < 2 || l > 3)
			return false;
		for (size_t i = 0; i < l; i++)
			if (name[14 + i] < 'a' || name[14 + i] > 'z')
				return false;
		memcpy(lang, name + 14, l);
		lang[l] = '\0';
		if (strcmp(lang, "ja") == 0)
			return false;     /* ja has no suffix */
	}
	return month_parse(ym, m);
}

/* The months of one language found in the folder. */
struct site_lang {
	char lang[8];                /* "" for the default (ja) */
	month_t *months;
	size_t n;
	month_t newest;
	struct site_index si;
	char index_name[32];         /* "index.html", "index.en.html" */
};

static const char *
lang_or_null(const struct site_lang *l)
{
	return l->lang[0] ? l->lang : NULL;
}

/* Lists the folder's months per language (both page and JSON present). */
static bool
site_scan(const char *dir, struct site_lang *langs, size_t *nlangs,
    struct err *e)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	bool ok = true;

	*nlangs = 0;
	if (d == NULL)
		return err_set(e, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		month_t m, *nm;
		char lang[8];
		struct site_lang *l = NULL;

		if (!month_of_name(de->d_name, &m, lang) ||
		    !site_page_exists(dir, m, lang[0] ? lang : NULL))
			continue;
		for (size_t i = 0; i < *nlangs; i++)
			if (strcmp(langs[i].lang, lang) == 0)
				l = &langs[i];
		if (l == NULL) {
			if (*nlangs == SITE_LANGS_MAX)
				continue;
			l = &langs[(*nlangs)++];
			memset(l, 0, sizeof(*l));
			snprintf(l->lang, sizeof(l->lang), "%s", lang);
		}
		nm = realloc(l->months, (l->n + 1) * sizeof(*nm));
		if (nm == NULL) {
			ok = err_set(e, "out of memory");
			break;
		}
		l->months = nm;
		l->months[l->n++] = m;
		if (l->n == 1 || m > l->newest)
			l->newest = m;
	}
	closedir(d);
	return ok;
}

static int
lang_order(const void *a, const void *b)
{
	const struct site_lang *x = a, *y = b;

	return strcmp(x->lang, y->lang);   /* the default ("") first */
}

size_t
site_page_langs(const char *dir, month_t m, char langs[][8], size_t max)
{
	struct site_lang found[SITE_LANGS_MAX];
	size_t nfound = 0, n = 0;
	struct err e = { "" };

	if (!site_scan(dir, found, &nfound, &e))
		return 0;
	for (size_t i = 0; i < nfound; i++) {
		for (size_t k = 0; k < found[i].n && n < max; k++)
			if (found[i].months[k] == m) {
				snprintf(langs[n++], 8, "%.7s", found[i].lang[0] ?
				    found[i].lang : "ja");
				break;
			}
		free(found[i].months);
	}
	return n;
}

char *
site_lang_name(const char *dir, month_t m, const char *lang)
{
	struct site_month sm;
	struct site_words w;
	struct err e = { "" };
	char *name;

	memset(&w, 0, sizeof(w));
	if (!month_read(dir, m, lang, &sm, &w, &e))
		return NULL;
	month_free(&sm);
	name = w.language;
	w.language = NULL;
	words_free(&w);
	return name;
}

bool
site_index_rebuild(const char *dir, struct err *e)
{
	struct site_lang langs[SITE_LANGS_MAX];
	struct html_alt alts[SITE_LANGS_MAX];
	size_t nlangs = 0;
	bool ok;

	ok = site_scan(dir, langs, &nlangs, e);
	if (nlangs > 1)
		qsort(langs, nlangs, sizeof(*langs), lang_order);
	/* every language's months and words */
	for (size_t li = 0; ok && li < nlangs; li++) {
		struct site_lang *l = &langs[li];
		struct site_index *si = &l->si;

		{
			char lang[8];

			memcpy(lang, l->lang, sizeof(lang));
			lang[7] = '\0';
			snprintf(l->index_name, sizeof(l->index_name),
			    "index%s%s.html", lang[0] ? "." : "", lang);
		}
		si->months = calloc(l->n, sizeof(*si->months));
		if (si->months == NULL) {
			ok = err_set(e, "out of memory");
			break;
		}
		for (size_t i = 0; i < l->n && ok; i++) {
			ok = month_read(dir, l->months[i], lang_or_null(l),
			    &si->months[si->nmonths], l->months[i] == l->newest ?
			    &si->w : NULL, e);
			if (ok)
				si->nmonths++;
		}
		alts[li] = (struct html_alt){ .lang = l->lang[0] ? l->lang :
		    "ja", .href = l->index_name, .name = si->w.language };
	}
	/* each index links to the others */
	for (size_t li = 0; ok && li < nlangs; li++) {
		struct site_index *si = &langs[li].si;
		char path[4096];
		size_t k = 0;

		for (size_t o = 0; o < nlangs; o++)
			if (o != li)
				si->alts[k++] = alts[o];
		si->nalts = k;
		snprintf(path, sizeof(path), "%s/%s", dir, langs[li].index_name);
		ok = site_index_write(si, path, e);
	}
	for (size_t li = 0; li < nlangs; li++) {
		struct site_index *si = &langs[li].si;

		for (size_t i = 0; i < si->nmonths; i++)
			month_free(&si->months[i]);
		free(si->months);
		words_free(&si->w);
		free(langs[li].months);
	}
	return ok;
}
