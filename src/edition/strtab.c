#include "strtab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"

#define STRINGS_FILE_MAX ((size_t)1 << 20)
#define STRINGS_KEY_MAX 96
#define STRINGS_VALUE_MAX 4096
#define STRINGS_EXPANDED_MAX ((size_t)64 * 1024)

struct entry {
	char *key;
	char *value;
	unsigned line;
};

struct strtab {
	char *name;               /* file, for messages */
	size_t n;
	struct entry *e;          /* sorted by key */
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
	    ((const struct entry *)b)->key);
}

static bool
key_valid(const char *k)
{
	if (*k == '\0' || strlen(k) > STRINGS_KEY_MAX)
		return false;
	for (; *k != '\0'; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		    (*k >= '0' && *k <= '9') || *k == '.' || *k == '_' ||
		    *k == '-'))
			return false;
	return true;
}

void
strtab_free(struct strtab *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].key);
		free(s->e[i].value);
	}
	free(s->e);
	free(s->name);
	free(s);
}

static char *
trim(char *a, char *b)
{
	while (a < b && (*a == ' ' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
		b--;
	*b = '\0';
	return a;
}

struct strtab *
strtab_parse(const char *name, const char *text, size_t len, struct err *e)
{
	struct strtab *s = calloc(1, sizeof(*s));
	char *copy = NULL, *p, *end;
	size_t cap = 0;
	unsigned line = 0;

	if (s == NULL || (s->name = strdup(name)) == NULL ||
	    (copy = malloc(len + 1)) == NULL) {
		err_set(e, "%s: out of memory", name);
		goto fail;
	}
	if (!text_check(name, text, len, e))
		goto fail;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (p = copy; p < copy + len; p = end + 1) {
		char *eq, *k, *v;

		line++;
		end = memchr(p, '\n', (size_t)(copy + len - p));
		if (end == NULL)
			end = copy + len;
		*end = '\0';
		k = trim(p, end);
		if (*k == '\0' || *k == '#')
			continue;
		for (const char *c = k; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 && *c != '\t') {
				err_set(e, "%s:%u: control character in a string",
				    name, line);
				goto fail;
			}
		eq = strchr(k, '=');
		if (eq == NULL) {
			err_set(e, "%s:%u: expected \"key = value\"", name, line);
			goto fail;
		}
		v = trim(eq + 1, k + strlen(k));
		k = trim(k, eq);
		/* "…" keeps the spaces inside */
		if (v[0] == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		if (!key_valid(k)) {
			err_set(e, "%s:%u: bad key '%.64s' (letters, digits, . _ -)",
			    name, line, k);
			goto fail;
		}
		if (strlen(v) > STRINGS_VALUE_MAX) {
			err_set(e, "%s:%u: value longer than %d bytes", name,
			    line, STRINGS_VALUE_MAX);
			goto fail;
		}
		if (s->n == cap) {
			size_t nc = cap ? cap * 2 : 128;
			struct entry *ne = realloc(s->e, nc * sizeof(*ne));

			if (ne == NULL) {
				err_set(e, "%s: out of memory", name);
				goto fail;
			}
			s->e = ne;
			cap = nc;
		}
		s->e[s->n].key = strdup(k);
		s->e[s->n].value = strdup(v);
		s->e[s->n].line = line;
		s->n++;
		if (s->e[s->n - 1].key == NULL || s->e[s->n - 1].value == NULL) {
			err_set(e, "%s: out of memory", name);
			goto fail;
		}
	}
	if (s->n > 0)
		qsort(s->e, s->n, sizeof(*s->e), entry_cmp);
	for (size_t i = 1; i < s->n; i++)
		if (strcmp(s->e[i - 1].key, s->e[i].key) == 0) {
			unsigned a = s->e[i - 1].line, b = s->e[i].line;

			err_set(e, "%s:%u: key '%s' given twice (also line %u)",
			    name, a > b ? a : b, s->e[i].key, a > b ? b : a);
			goto fail;
		}
	free(copy);
	return s;
fail:
	free(copy);
	strtab_free(s);
	return NULL;
}

struct strtab *
strtab_load(const char *dir, struct err *e)
{
	char *path = path_join(dir, "strings.conf");
	struct strtab *s = NULL;
	char *buf = NULL;
	size_t len;
	FILE *fp;

	if (path == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	fp = fopen(path, "rb");
	if (fp == NULL) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto out;
	}
	buf = malloc(STRINGS_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		err_set(e, "%s: out of memory", path);
		goto out;
	}
	len = fread(buf, 1, STRINGS_FILE_MAX + 1, fp);
	if (ferror(fp) || len > STRINGS_FILE_MAX) {
		err_set(e, ferror(fp) ? "%s: read error" :
		    "%s: larger than 1 MiB", path);
		fclose(fp);
		goto out;
	}
	fclose(fp);
	s = strtab_parse(path, buf, len, e);
out:
	free(buf);
	free(path);
	return s;
}

static const struct entry *
find(const struct strtab *s, const char *key)
{
	struct entry k = { .key = (char *)key };

	if (s == NULL || s->n == 0)
		return NULL;
	return bsearch(&k, s->e, s->n, sizeof(*s->e), entry_cmp);
}

bool
strtab_has(const struct strtab *s, const char *key)
{
	return find(s, key) != NULL;
}

const char *
strtab_get(const struct strtab *s, const char *key, struct err *e)
{
	const struct entry *en = find(s, key);

	if (en == NULL) {
		err_set(e, "%s: missing string '%s'", s ? s->name :
		    "strings.conf", key);
		return NULL;
	}
	return en->value;
}

char *
strtab_expand(const struct strtab *s, const char *key,
    const struct str_arg *args, size_t nargs, struct err *e)
{
	const struct entry *en = find(s, key);
	const char *p;
	char *out;
	size_t len = 0, cap;

	if (en == NULL) {
		err_set(e, "%s: missing string '%s'", s ? s->name :
		    "strings.conf", key);
		return NULL;
	}
	cap = strlen(en->value) + 64;
	out = malloc(cap);
	if (out == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	for (p = en->value; *p != '\0'; ) {
		const char *add = p;
		size_t n = 1;

		if (p[0] == '{' && p[1] == '{') {
			const char *close = strstr(p + 2, "}}");
			size_t nl;
			size_t i;

			if (close == NULL) {
				err_set(e, "%s:%u: string '%s': unclosed {{",
				    s->name, en->line, key);
				free(out);
				return NULL;
			}
			nl = (size_t)(close - (p + 2));
			for (i = 0; i < nargs; i++)
				if (strlen(args[i].name) == nl &&
				    strncmp(args[i].name, p + 2, nl) == 0)
					break;
			if (i == nargs) {
				err_set(e, "%s:%u: string '%s': unknown placeholder {{%.*s}}",
				    s->name, en->line, key, (int)(nl > 48 ? 48 : nl),
				    p + 2);
				free(out);
				return NULL;
			}
			add = args[i].value ? args[i].value : "";
			n = strlen(add);
			p = close + 2;
		} else {
			p++;
		}
		if (len + n + 1 > cap) {
			char *no;

			cap = (len + n + 1) * 2;
			if (cap > STRINGS_EXPANDED_MAX + 1 ||
			    (no = realloc(out, cap)) == NULL) {
				err_set(e, "%s: string '%s' expands too far",
				    s->name, key);
				free(out);
				return NULL;
			}
			out = no;
		}
		memcpy(out + len, add, n);
		len += n;
	}
	out[len] = '\0';
	return out;
}

size_t
strtab_count(const struct strtab *s)
{
	return s ? s->n : 0;
}

const char *
strtab_key(const struct strtab *s, size_t i)
{
	return s && i < s->n ? s->e[i].key : NULL;
}
