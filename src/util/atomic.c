#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

/* Temporary files (and private folders) being written, for the signal
 * handler: plain arrays, so that it only reads memory and unlinks. */
#define ACTIVE_MAX 16
static char active_tmp[ACTIVE_MAX][4096];
static char active_dir[ACTIVE_MAX][4096];
static volatile sig_atomic_t active_used[ACTIVE_MAX];

static void
block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Two threads may write files at once (render_month() writes the workbook
 * beside the PDF): the slots are taken and freed under a lock, with the
 * signals blocked in that thread; the handler only reads. */
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;

static void
active_add(const char *tmp, const char *dir)
{
	pthread_mutex_lock(&active_lock);
	for (int i = 0; i < ACTIVE_MAX; i++) {
		if (!active_used[i] && strlen(tmp) < sizeof(active_tmp[i]) &&
		    (dir == NULL || strlen(dir) < sizeof(active_dir[i]))) {
			strcpy(active_tmp[i], tmp);
			strcpy(active_dir[i], dir != NULL ? dir : "");
			active_used[i] = 1;
			break;
		}
	}
	pthread_mutex_unlock(&active_lock);
}

static void
active_remove(const char *tmp)
{
	pthread_mutex_lock(&active_lock);
	for (int i = 0; i < ACTIVE_MAX; i++)
		if (active_used[i] && strcmp(active_tmp[i], tmp) == 0)
			active_used[i] = 0;
	pthread_mutex_unlock(&active_lock);
}

void
atomic_extra_add(const char *path)
{
	sigset_t old;

	block_signals(&old);
	active_add(path, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
atomic_extra_remove(const char *path)
{
	sigset_t old;

	block_signals(&old);
	active_remove(path);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void
on_signal(int sig)
{
	/* files first, then the folders they were in */
	for (int i = 0; i < ACTIVE_MAX; i++)
		if (active_used[i])
			unlink(active_tmp[i]);
	for (int i = 0; i < ACTIVE_MAX; i++)
		if (active_used[i] && active_dir[i][0] != '\0')
			rmdir(active_dir[i]);
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

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

bool
atomic_target_check(const char *path, struct err *e)
{
	struct stat sb;

	if (path[0] == '\0')
		return err_set(e, "an empty file name");
	/* a symlink is replaced, its target never written: refuse one to a
	 * device, FIFO or folder all the same, the user meant that */
	if (stat(path, &sb) != 0 && lstat(path, &sb) != 0)
		return true;     /* a new file */
	if (S_ISLNK(sb.st_mode))
		return true;     /* a dangling symlink */
	if (S_ISREG(sb.st_mode)) {
		char link[64], *dir;
		ssize_t n;
		bool special;

		if (lstat(path, &sb) != 0 || !S_ISLNK(sb.st_mode))
			return true;
		/* /dev/stdout -> /proc/self/fd/1 may well name a regular
		 * file: replacing the link would break /dev */
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		dir = dir_of(path);
		special = strncmp(link, "/proc/", 6) == 0 ||
		    strncmp(link, "/dev/", 5) == 0 || (dir != NULL &&
		    (strcmp(dir, "/dev") == 0 || strncmp(dir, "/dev/", 5) == 0 ||
		    strncmp(dir, "/proc/", 6) == 0));
		free(dir);
		if (!special)
			return true;
		return err_set(e, "%s: a link to a device or file descriptor; talot replaces only files",
		    path);
	}
	return err_set(e, "%s: exists and is not a regular file (%s); talot replaces only files",
	    path, S_ISDIR(sb.st_mode) ? "a folder" : S_ISCHR(sb.st_mode) ||
	    S_ISBLK(sb.st_mode) ? "a device" : S_ISFIFO(sb.st_mode) ?
	    "a FIFO" : S_ISSOCK(sb.st_mode) ? "a socket" : "not a file");
}

/* af->path and a template "DIR/.NAME.PID.tmp-XXXXXX" in *tmpl. */
static bool
names(struct atomic_file *af, const char *path, char **tmpl, struct err *e)
{
	char *dir;
	size_t len;

	memset(af, 0, sizeof(*af));
	if (!atomic_target_check(path, e))
		return false;
	dir = dir_of(path);
	if (dir == NULL)
		return err_set(e, "%s: out of memory", path);
	len = strlen(dir) + strlen(base_of(path)) + 64;
	af->path = strdup(path);
	*tmpl = malloc(len);
	if (af->path == NULL || *tmpl == NULL) {
		free(dir);
		free(*tmpl);
		*tmpl = NULL;
		atomic_abort(af);
		return err_set(e, "%s: out of memory", path);
	}
	snprintf(*tmpl, len, "%s/.%s.%ld.tmp-XXXXXX", dir, base_of(path),
	    (long)getpid());
	free(dir);
	return true;
}

bool
atomic_begin(struct atomic_file *af, const char *path, struct err *e)
{
	sigset_t old;
	mode_t um;
	int fd, er;

	if (!names(af, path, &af->tmp, e))
		return false;
	/* mkstemp opens with O_CREAT|O_EXCL: a planted symlink is refused;
	 * no signal may come between creating and registering the file */
	block_signals(&old);
	fd = mkstemp(af->tmp);
	er = errno;
	if (fd >= 0)
		active_add(af->tmp, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		free(af->tmp);
		af->tmp = NULL;
		atomic_abort(af);
		return err_set(e, "%s: cannot write in its folder: %s", path,
		    strerror(er));
	}
	um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	af->fp = fdopen(fd, "wb");
	if (af->fp == NULL) {
		er = errno;
		close(fd);
		atomic_abort(af);
		return err_set(e, "%s: %s", path, strerror(er));
	}
	return true;
}

bool
atomic_begin_private(struct atomic_file *af, const char *path,
    struct err *e)
{
	sigset_t old;
	size_t len;
	char *d;
	int er;

	if (!names(af, path, &af->dir, e))
		return false;
	block_signals(&old);
	d = mkdtemp(af->dir);
	er = errno;
	len = strlen(af->dir) + strlen(base_of(path)) + 2;
	af->tmp = d != NULL ? malloc(len) : NULL;
	if (af->tmp != NULL) {
		snprintf(af->tmp, len, "%s/%s", af->dir, base_of(path));
		active_add(af->tmp, af->dir);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (d == NULL) {
		free(af->dir);
		af->dir = NULL;
		atomic_abort(af);
		return err_set(e, "%s: cannot write in its folder: %s", path,
		    strerror(er));
	}
	if (af->tmp == NULL) {
		atomic_abort(af);
		return err_set(e, "%s: out of memory", path);
	}
	return true;
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

bool
atomic_commit(struct atomic_file *af, struct err *e)
{
	char *dir;
	int fd, er = af->write_errno;

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
	if (er != 0) {
		err_set(e, "%s: %s", af->path, er == ENOSPC || er == EFBIG ?
		    "disk full or file too large; the previous file was kept" :
		    strerror(er));
		atomic_abort(af);
		return false;
	}
	active_remove(af->tmp);
	if (af->dir != NULL)
		rmdir(af->dir);
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
	free(af->dir);
	free(af->path);
	memset(af, 0, sizeof(*af));
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
	if (af->dir != NULL)
		rmdir(af->dir);
	free(af->tmp);
	free(af->dir);
	free(af->path);
	memset(af, 0, sizeof(*af));
}

/* Removes a leftover: a file, or a private folder and what it holds. */
static void
remove_leftover(const char *full)
{
	struct stat sb;
	struct dirent *de;
	DIR *d;

	if (lstat(full, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(full);
		return;
	}
	d = opendir(full);
	while (d != NULL && (de = readdir(d)) != NULL) {
		char inner[8192];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(inner, sizeof(inner), "%s/%s", full, de->d_name);
		unlink(inner);
	}
	if (d != NULL)
		closedir(d);
	rmdir(full);
}

void
atomic_cleanup(const char *path, long owner)
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
		char *end, full[4096 + 512];
		long pid;

		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 ||
		    n[1 + blen] != '.')
			continue;
		p = n + 2 + blen;
		pid = strtol(p, &end, 10);
		if (end == p || strncmp(end, ".tmp-", 5) != 0 || pid <= 0)
			continue;
		if (owner > 0 && pid != owner)
			continue;
		/* never a file of a process that runs: a concurrent
		 * render's file in progress */
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, n);
		remove_leftover(full);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
}
