#include "dirs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool
mkdir_parents(const char *path, struct err *e)
{
	char *p, *s;
	struct stat sb;
	bool ok = true;

	if (stat(path, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return err_set(e, "%s: not a folder", path);
		return true;
	}
	p = strdup(path);
	if (p == NULL)
		return err_set(e, "out of memory");
	for (s = p + 1; ok; s++) {
		bool last = *s == '\0';

		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			ok = err_set(e, "%s: cannot create the folder (%s)", p,
			    strerror(errno));
		else if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode))
			ok = err_set(e, "%s: not a folder", p);
		if (last)
			break;
		*s = '/';
	}
	free(p);
	return ok;
}
