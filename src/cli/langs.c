#include "langs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulletin_pdf.h"
#include "textfile.h"

bool
langs_parse(const char *list, char names[LANGS_MAX][8], size_t *n)
{
	const char *p = list;

	*n = 0;
	if (list == NULL || *list == '\0')
		return false;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (len < 2 || len > 3 || *n == LANGS_MAX)
			return false;
		for (size_t i = 0; i < len; i++)
			if (p[i] < 'a' || p[i] > 'z')
				return false;
		memcpy(names[*n], p, len);
		names[*n][len] = '\0';
		for (size_t i = 0; i < *n; i++)
			if (strcmp(names[i], names[*n]) == 0)
				return false;
		(*n)++;
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
}

static bool
is_file(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	struct stat sb;
	bool ok = p != NULL && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);

	free(p);
	return ok;
}

static char *
parent_of(const char *dir)
{
	char *p = path_join(dir, "..");

	return p;
}

/* Finds the folders of language name under base. */
static bool
locate(const char *base, const char *name, struct lang_ctx *l,
    struct err *e)
{
	char *sub = path_join(base, name);

	if (sub == NULL)
		return err_set(e, "out of memory");
	if (is_file(sub, "bulletin.md")) {
		l->dir = sub;
		l->tables_dir = strdup(is_file(sub, "ports.csv") ? sub : base);
	} else if (is_file(base, "bulletin.md")) {
		/* one language's folder */
		free(sub);
		l->dir = strdup(base);
		l->tables_dir = is_file(base, "ports.csv") ? strdup(base) :
		    parent_of(base);
	} else {
		err_set(e, "%s: no template folder for the language '%s' (%s/bulletin.md)",
		    base, name, sub);
		free(sub);
		return false;
	}
	if (l->dir == NULL || l->tables_dir == NULL)
		return err_set(e, "out of memory");
	return true;
}

char *
langs_read_notes(const char *path, struct err *e)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;

	if (fp == NULL) {
		err_set(e, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(1024 * 1024 + 1);
	if (buf == NULL) {
		fclose(fp);
		err_set(e, "%s: out of memory", path);
		return NULL;
	}
	n = fread(buf, 1, 1024 * 1024 + 1, fp);
	if (ferror(fp) || n > 1024 * 1024) {
		err_set(e, ferror(fp) ? "%s: read error" :
		    "%s: larger than 1 MiB", path);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	if (!text_check(path, buf, n, e) || !bulletin_notes_check(path, buf, e)) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool
langs_load(const char *base, char names[LANGS_MAX][8], size_t n,
    const char *notes, struct lang_ctx *out, struct diag *warn,
    struct err *e)
{
	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct lang_ctx *l = &out[i];
		const char *lang;

		snprintf(l->name, sizeof(l->name), "%s", names[i]);
		if (!locate(base, l->name, l, e) ||
		    !settings_load(l->dir, &l->settings, e) ||
		    (l->strings = strtab_load(l->dir, e)) == NULL)
			goto fail;
		lang = strtab_has(l->strings, "lang") ?
		    strtab_get(l->strings, "lang", NULL) : "";
		if (strcmp(lang, l->name) != 0) {
			err_set(e, "%s/strings.conf: the folder is for the language '%s', not '%s'",
			    l->dir, lang, l->name);
			goto fail;
		}
		if ((l->cat = catalog_load_lang(l->tables_dir, l->name, e)) ==
		    NULL)
			goto fail;
		if (notes == NULL)
			continue;
		if (i == 0) {
			l->notes_name = strdup(notes);
		} else {
			l->notes_name = path_with_lang(notes, l->name);
			if (l->notes_name != NULL && access(l->notes_name, F_OK) != 0) {
				diag_warning(warn, "%s: no commentary for the '%s' edition (%s not found)",
				    notes, l->name, l->notes_name);
				free(l->notes_name);
				l->notes_name = NULL;
				continue;
			}
		}
		if (l->notes_name == NULL) {
			err_set(e, "out of memory");
			goto fail;
		}
		if ((l->notes_md = langs_read_notes(l->notes_name, e)) == NULL)
			goto fail;
	}
	return true;
fail:
	langs_free(out, n);
	return false;
}

void
langs_free(struct lang_ctx *l, size_t n)
{
	for (size_t i = 0; l != NULL && i < n; i++) {
		free(l[i].dir);
		free(l[i].tables_dir);
		strtab_free(l[i].strings);
		catalog_destroy(l[i].cat);
		free(l[i].notes_md);
		free(l[i].notes_name);
		memset(&l[i], 0, sizeof(l[i]));
	}
}
