#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary files being written, for the signal handler. */
#define ACTIVE_MAX 4
static char active[ACTIVE_MAX][4096];
static volatile sig_atomic_t active_used[ACTIVE_MAX];

static void
active_add(const char *tmp)
{
	for (int i = 0; i < ACTIVE_MAX; i++) {
		if (!active_used[i] && strlen(tmp) < sizeof(active[i])) {
			strcpy(active[i], tmp);
			active_used[i] = 1;
			return;
		}
	}
}

static void
active_remove(const char *tmp)
{
	for (int i = 0; i < ACTIVE_MAX; i++)
		if (active_used[i] && strcmp(active[i], tmp) == 0)
			active_used[i] = 0;
}

static void
on_signal(int sig)
{
	for (int i = 0; i < ACTIVE_MAX; i++)
		if (active_used[i])
			unlink(active[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
atomic_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	d = strndup(path, (size_t)(slash - path));
	return d;
}

static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

bool
atomic_begin(struct atomic_file *af, const char *path, struct err *e)
{
	char *dir = dir_of(path);
	size_t len;
	int fd;

	memset(af, 0, sizeof(*af));
	if (dir == NULL)
		return err_set(e, "%s: out of memory", path);
	len = strlen(dir) + strlen(base_of(path)) + 64;
	af->path = strdup(path);
	af->tmp = malloc(len);
	if (af->path == NULL || af->tmp == NULL) {
		free(dir);
		atomic_abort(af);
		return err_set(e, "%s: out of memory", path);
	}
	snprintf(af->tmp, len, "%s/.%s.%ld.tmp-XXXXXX", dir, base_of(path),
	    (long)getpid());
	free(dir);
	/* mkstemp opens with O_CREAT|O_EXCL: a planted symlink is refused */
	fd = mkstemp(af->tmp);
	if (fd < 0) {
		int er = errno;

		free(af->tmp);
		af->tmp = NULL;
		atomic_abort(af);
		return err_set(e, "%s: cannot write in its folder: %s", path,
		    strerror(er));
	}
	{
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	active_add(af->tmp);
	af->fp = fdopen(fd, "wb");
	if (af->fp == NULL) {
		close(fd);
		atomic_abort(af);
		return err_set(e, "%s: %s", path, strerror(errno));
	}
	return true;
}

bool
atomic_commit(struct atomic_file *af, struct err *e)
{
	char *dir;
	int fd, er = 0;

	if (af->write_errno != 0)
		er = af->write_errno;
	if (af->fp != NULL) {
		/* a failed write leaves the stream's error flag: check it
		 * before fflush, which may then have nothing left to write */
		if (er == 0 && ferror(af->fp))
			er = errno != 0 ? errno : EIO;
		if (er == 0 && (fflush(af->fp) != 0 ||
		    fsync(fileno(af->fp)) != 0))
			er = errno;
		if (fclose(af->fp) != 0 && er == 0)
			er = errno;
		af->fp = NULL;
	} else if (er == 0) {
		fd = open(af->tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 || fsync(fd) != 0)
			er = errno;
		if (fd >= 0)
			close(fd);
	}
	if (er == 0 && rename(af->tmp, af->path) != 0)
		er = errno;
	if (er == 0)
		active_remove(af->tmp);
	if (er != 0) {
		err_set(e, "%s: %s", af->path, er == ENOSPC ?
		    "disk full; the previous file was kept" : strerror(er));
		atomic_abort(af);
		return false;
	}
	dir = dir_of(af->path);
	if (dir != NULL) {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
		free(dir);
	}
	free(af->tmp);
	af->tmp = NULL;
	free(af->path);
	af->path = NULL;
	return true;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->fp != NULL)
		fclose(af->fp);
	if (af->tmp != NULL) {
		unlink(af->tmp);
		active_remove(af->tmp);
	}
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof(*af));
}

void
atomic_cleanup(const char *path)
{
	char *dir = dir_of(path);
	const char *base = base_of(path);
	size_t blen = strlen(base);
	struct dirent *de;
	DIR *d;

	if (dir == NULL)
		return;
	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		const char *n = de->d_name, *p;
		char *end, full[4096];
		long pid;

		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 ||
		    n[1 + blen] != '.')
			continue;
		p = n + 2 + blen;
		pid = strtol(p, &end, 10);
		if (end == p || strncmp(end, ".tmp-", 5) != 0 || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, n);
		unlink(full);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
}

bool
atomic_write(struct atomic_file *af, const void *data, size_t len)
{
	if (af->write_errno != 0)
		return false;
	errno = 0;
	if (fwrite(data, 1, len, af->fp) != len) {
		af->write_errno = errno != 0 ? errno : EIO;
		return false;
	}
	return true;
}
