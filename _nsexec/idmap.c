/*
 * Id-mapped bind mounts: mounts[].uidMappings/gidMappings and the idmap and
 * ridmap options (runtime-spec config.md).
 *
 * The kernel takes an id mapping for a mount only as a user namespace
 * (mount_setattr(2), MOUNT_ATTR_IDMAP with attr.userns_fd), and only on a
 * detached mount: the clone of the bind's source, made while we are still
 * the host's root in the host's namespaces (prepare_bind in rootfs.c). The
 * namespace of a mapping is owned by a child made for it alone: it unshares
 * nothing else and does nothing but wait while we write its maps and open
 * its namespace; then it exits. Each mapping gets one namespace, shared by
 * the mounts that ask for the same one; idmap_release closes them once every
 * source is cloned (a mount keeps its mapping's namespace alive itself).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executor.h"

#define MAX_MAPPINGS 64

static struct {
	const char *uid_map, *gid_map; /* the plan's strings: they live as long as we do */
	int fd;
} made[MAX_MAPPINGS];
static int nmade;

/* Write one of a child's id maps: the whole text in one write, as the
 * kernel requires; 0, or -1 with errno. */
static int write_map(pid_t pid, const char *name, const char *text)
{
	char path[64];
	size_t len = strlen(text);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, len);
	int saved = errno;
	close(fd);
	errno = n == (ssize_t)len ? 0 : (n < 0 ? saved : EIO);
	return errno ? -1 : 0;
}

/* The child's whole life: hold its user namespace until the pipe closes. */
static _Noreturn void hold_namespace(int hold[2])
{
	char nothing;
	close(hold[1]);
	while (read(hold[0], &nothing, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* An fd of a new user namespace with these maps. */
static int make_userns(const char *uid_map, const char *gid_map)
{
	int hold[2], fd = -1;
	char path[64];
	const char *step = "writing uid_map";
	if (pipe2(hold, O_CLOEXEC) < 0)
		fail(errno, "making the id mapping's user namespace");
	pid_t child = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
	if (child < 0)
		fail(errno, "making the id mapping's user namespace");
	if (child == 0)
		hold_namespace(hold);
	close(hold[0]);
	if (write_map(child, "uid_map", uid_map) == 0) {
		step = "writing gid_map";
		if (write_map(child, "gid_map", gid_map) == 0) {
			step = "opening its user namespace";
			snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	int saved = errno;
	close(hold[1]); /* the child ends */
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	if (fd < 0)
		fail(saved, "id mapping: %s", step);
	return fd;
}

/* The namespace of a mapping: made once, shared by the mounts that use it. */
static int userns_of(const char *uid_map, const char *gid_map)
{
	for (int i = 0; i < nmade; i++)
		if (strcmp(made[i].uid_map, uid_map) == 0 && strcmp(made[i].gid_map, gid_map) == 0)
			return made[i].fd;
	if (nmade == MAX_MAPPINGS)
		idmap_release(); /* more distinct mappings than that: start over */
	made[nmade].uid_map = uid_map;
	made[nmade].gid_map = gid_map;
	made[nmade].fd = make_userns(uid_map, gid_map);
	return made[nmade++].fd;
}

void idmap_mount(int mntfd, const char *uid_map, const char *gid_map, const char *userns_path,
		 int recursive)
{
	int fd;
	if (*userns_path) {
		fd = open(userns_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			fail(errno, "id mapping: opening the user namespace %s", userns_path);
	} else {
		fd = userns_of(uid_map, gid_map);
	}
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)fd};
	if (mount_setattr(mntfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0) {
		int err = errno;
		/* EINVAL: most often a filesystem (of a submount, with ridmap)
		 * that cannot be id-mapped. */
		fail(err, "id-mapping the mount%s",
		     err == EINVAL ? " (does its filesystem support idmapped mounts?)" : "");
	}
	if (*userns_path)
		close(fd);
}

void idmap_release(void)
{
	for (int i = 0; i < nmade; i++)
		close(made[i].fd);
	nmade = 0;
}
