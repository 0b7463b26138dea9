#include "textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool
utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else
			goto fail;
		if (len - i <= n)
			goto fail;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto fail;
		i += n + 1;
	}
	return true;
fail:
	if (bad != NULL)
		*bad = i;
	return false;
}

static int
line_at(const char *s, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

bool
text_check(const char *where, const char *s, size_t len, struct err *e)
{
	const char *nul = memchr(s, '\0', len);
	size_t bad;

	if (!utf8_valid(s, nul ? (size_t)(nul - s) : len, &bad))
		return err_set(e, "%s:%d: invalid UTF-8; save the file as UTF-8",
		    where, line_at(s, bad));
	if (nul != NULL)
		return err_set(e, "%s:%d: NUL byte in text; save the file as plain UTF-8 text",
		    where, line_at(s, (size_t)(nul - s)));
	return true;
}

bool
text_field_check(const char *where, int line, const char *what,
    const char *s, size_t max, struct err *e)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t nchars = 0;

	for (; *p != '\0'; p++) {
		unsigned cp = *p;

		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			cp = p[1];
		else if (*p >= 0x20 && *p != 0x7F) {
			nchars += (*p & 0xC0) != 0x80;
			continue;
		}
		return err_set(e,
		    "%s:%d: %s holds the control character U+%04X (only printable text; write it on one line)",
		    where, line, what, cp);
	}
	if (max > 0 && nchars > max)
		return err_set(e, "%s:%d: %s is longer than %zu characters (%zu)",
		    where, line, what, max, nchars);
	return true;
}

FILE *
text_fopen_own(const char *path)
{
	struct stat sb;
	FILE *f;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0) {
		int errnum = errno;

		close(fd);
		errno = errnum;
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		errno = EFTYPE_TEXT;
		return NULL;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		int errnum = errno;

		close(fd);
		errno = errnum;
	}
	return f;
}

const char *
text_open_strerror(int errnum)
{
	if (errnum == ELOOP)
		return "refused, it is a symbolic link (a template folder is read only for the files really in it)";
	if (errnum == EFTYPE_TEXT)
		return "refused, it is not a regular file";
	return strerror(errnum);
}

char *
path_join(const char *dir, const char *file)
{
	size_t dl = strlen(dir), fl = strlen(file);
	bool slash = dl > 0 && dir[dl - 1] != '/';
	char *p = malloc(dl + slash + fl + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + slash, file, fl + 1);
	return p;
}

char *
path_with_lang(const char *path, const char *lang)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t stem = dot != NULL && dot != path && (slash == NULL ||
	    dot > slash + 1) ? (size_t)(dot - path) : strlen(path);
	size_t len = strlen(path) + strlen(lang) + 2;
	char *p = malloc(len);

	if (p != NULL)
		snprintf(p, len, "%.*s.%s%s", (int)stem, path, lang, path + stem);
	return p;
}
