/*
 * tmpcopyup (a runc mount option podman uses): a tmpfs mounted over a
 * directory of the rootfs starts with a copy of what that directory held.
 *
 * The directory may be a volume another container writes while we copy, so
 * every entry is opened once (O_PATH | O_NOFOLLOW) and its type, contents and
 * owner are read through that fd: swapping a file for a symlink to a host
 * file between our look and our read copies the symlink, never the file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executor.h"

/* Each level holds a directory fd and a little stack: a tree from a shared
 * volume may not be deeper than this. */
#define MAX_DEPTH 256

static void fill(int from_dir, int to_dir, int depth);

static void copy_bytes(int entry, int to_dir, const char *name)
{
	char path[32], buf[65536];
	/* Reopen the fd we checked, not the name (which may have changed). */
	int in = open(fd_path(entry, path), O_RDONLY | O_CLOEXEC);
	int out = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (in < 0 || out < 0)
		fail(errno, "tmpcopyup: copying %s", name);
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail(errno, "tmpcopyup: reading %s", name);
		if (n == 0)
			break;
		if (write_all(out, buf, (size_t)n) < 0)
			fail(errno, "tmpcopyup: writing %s", name);
	}
	close(in);
	if (close(out) < 0)
		fail(errno, "tmpcopyup: writing %s", name);
}

static void own(int to_dir, const char *name, const struct stat *st)
{
	if (fchownat(to_dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		fail(errno, "tmpcopyup: chown %s", name);
	if (!S_ISLNK(st->st_mode) && fchmodat(to_dir, name, st->st_mode & 07777, 0) < 0)
		fail(errno, "tmpcopyup: chmod %s", name);
}

static void copy_dir(int entry, int to_dir, const char *name, int depth)
{
	if (depth > MAX_DEPTH)
		fail(ELOOP, "tmpcopyup: %s: more than %d levels", name, MAX_DEPTH);
	if (mkdirat(to_dir, name, 0700) < 0)
		fail(errno, "tmpcopyup: %s", name);
	int from = openat(entry, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int to = openat(to_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (from < 0 || to < 0)
		fail(errno, "tmpcopyup: %s", name);
	fill(from, to, depth);
	close(to);
}

static void copy_entry(int from_dir, int to_dir, const char *name, int depth)
{
	struct stat st;
	char target[PATH_MAX];
	int entry = openat(from_dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (entry < 0 && errno == ENOENT)
		return; /* gone since the directory was read */
	if (entry < 0 || fstat(entry, &st) < 0)
		fail(errno, "tmpcopyup: %s", name);
	if (S_ISDIR(st.st_mode)) {
		copy_dir(entry, to_dir, name, depth + 1);
	} else if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(entry, "", target, sizeof(target) - 1);
		if (n < 0)
			fail(errno, "tmpcopyup: %s", name);
		target[n] = '\0';
		if (symlinkat(target, to_dir, name) < 0)
			fail(errno, "tmpcopyup: %s", name);
	} else if (S_ISREG(st.st_mode)) {
		copy_bytes(entry, to_dir, name);
	} else if (mknodat(to_dir, name, st.st_mode, st.st_rdev) < 0) {
		fail(errno, "tmpcopyup: %s", name);
	}
	own(to_dir, name, &st);
	close(entry);
}

/* Copy the entries of from_dir into to_dir (both O_RDONLY directories;
 * from_dir is consumed), and give to_dir from_dir's mode and owner. */
void copy_tree(int from_dir, int to_dir)
{
	fill(from_dir, to_dir, 0);
}

static void fill(int from_dir, int to_dir, int depth)
{
	struct stat st;
	if (fstat(from_dir, &st) < 0)
		fail(errno, "tmpcopyup");
	DIR *dir = fdopendir(from_dir);
	if (!dir)
		fail(errno, "tmpcopyup");
	struct dirent *d;
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		copy_entry(dirfd(dir), to_dir, d->d_name, depth);
	}
	closedir(dir);
	if (fchown(to_dir, st.st_uid, st.st_gid) < 0 || fchmod(to_dir, st.st_mode & 07777) < 0)
		fail(errno, "tmpcopyup");
}
