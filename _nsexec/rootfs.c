/*
 * The container's root filesystem: mounts, devices, pivot_root, masked and
 * read-only paths, sysctl.
 *
 * Paths inside the root are never trusted twice. Each is resolved once, with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) from the root's fd (so `..`
 * and absolute symlinks stay inside it), to an O_PATH fd; mounts are made
 * with the fd-based mount API (open_tree/fsopen, mount_setattr, move_mount)
 * onto that fd, so a container that swaps a path for a symlink while we work
 * (it may share a volume with this one) changes nothing we do. What we mount
 * from is checked through its fd: /dev/null is the host's char device 1:3,
 * /proc is a procfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "executor.h"
#include "ops.h"

#define MAX_LINKS 40

char *fd_path(int fd, char buf[32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

int open_in_root(int root, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
	};
	while (*path == '/')
		path++;
	return (int)syscall(SYS_openat2, root, *path ? path : ".", &how, sizeof(how));
}

/* dirname and basename of a path in the root, in buffers of the caller's. */
static void split_path(const char *path, char *parent, char *base)
{
	char copy[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", path);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *slash = strrchr(copy, '/');
	if (!slash) {
		strcpy(parent, ".");
		snprintf(base, NAME_MAX + 1, "%s", copy);
		return;
	}
	snprintf(base, NAME_MAX + 1, "%s", slash + 1);
	*slash = '\0';
	snprintf(parent, PATH_MAX, "%s", *copy ? copy : "/");
}

/* Where a symlink `base` in directory `parent` points, as a path in the root. */
static int link_target(int parentfd, const char *parent, const char *base, char *out)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(parentfd, base, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	int len = target[0] == '/' ? snprintf(out, PATH_MAX, "%s", target)
				   : snprintf(out, PATH_MAX, "%s/%.*s", parent, PATH_MAX - 2, target);
	if (len >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Make `base` in parentfd, a directory or an empty file; 0, or -1 with errno. */
static int make_entry(int parentfd, const char *base, int dir)
{
	if (dir)
		return mkdirat(parentfd, base, 0755);
	int made = openat(parentfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (made >= 0)
		close(made);
	return made < 0 ? -1 : 0;
}

/* O_PATH fd of `path` in the root, made if missing: a directory (dir), or
 * else anything there already or an empty file. Symlinks met are followed
 * as the container would (inside the root), and what they point to is made
 * if missing; depth counts them. -1 with errno on failure. */
static int ensure(int root, const char *path, int depth, int dir)
{
	char parent[PATH_MAX], base[NAME_MAX + 1], next[PATH_MAX];
	int kind = dir ? O_DIRECTORY : 0;
	int fd = open_in_root(root, path, O_PATH | kind, 0);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	if (depth > MAX_LINKS) {
		errno = ELOOP;
		return -1;
	}
	split_path(path, parent, base);
	int parentfd = ensure(root, parent, depth, 1);
	if (parentfd < 0)
		return -1;
	if (strcmp(base, "..") == 0 || strcmp(base, ".") == 0) {
		close(parentfd);
		return open_in_root(root, path, O_PATH | kind, 0);
	}
	if (make_entry(parentfd, base, dir) == 0)
		fd = openat(parentfd, base, O_PATH | kind | O_NOFOLLOW | O_CLOEXEC);
	else if (errno != EEXIST)
		fd = -1; /* EROFS, EACCES...: said as it is */
	else if (link_target(parentfd, parent, base, next) == 0)
		fd = ensure(root, next, depth + 1, dir); /* a dangling symlink */
	else
		errno = EEXIST, fd = -1;
	int saved = errno;
	close(parentfd);
	errno = saved;
	return fd;
}

int ensure_dir(int root, const char *path, int depth)
{
	return ensure(root, path, depth, 1);
}

static int ensure_file(int root, const char *path, int depth)
{
	return ensure(root, path, depth, 0);
}

static int must(int fd, const char *what, const char *path)
{
	if (fd < 0)
		fail(errno, "%s %s", what, path);
	return fd;
}

static void move_onto(int mntfd, int target, const char *dest)
{
	if (move_mount(mntfd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		fail(errno, "mounting on %s", dest);
}

static void set_attrs(int mntfd, uint64_t set, uint64_t clear, uint64_t propagation, int recursive)
{
	struct mount_attr attr = {.attr_set = set, .attr_clr = clear, .propagation = propagation};
	if (!set && !clear && !propagation)
		return;
	if (mount_setattr(mntfd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		fail(errno, "setting mount attributes");
}

/* A detached copy of the mount tree at fd (recursive: with submounts). */
static int clone_tree(int fd, int recursive, const char *what)
{
	int mntfd = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
			      (recursive ? AT_RECURSIVE : 0));
	if (mntfd < 0)
		fail(errno, "binding %s", what);
	return mntfd;
}

/* The filesystem's own words on why it refused, if it said any. */
static void fail_with_fs_log(int fsfd, int err, const char *fstype)
{
	char log[512];
	ssize_t n = read(fsfd, log, sizeof(log) - 1);
	if (n > 2) {
		log[n] = '\0';
		log[strcspn(log, "\n")] = '\0';
		fail(err, "mounting %s (%s)", fstype, log + 2);
	}
	fail(err, "mounting %s", fstype);
}

/* A new mount of fstype, detached, with `options` (k=v or flags); -1 with
 * errno when the kernel refuses to create it. */
static int new_fs(const char *fstype, const char *source, char **options, int *err)
{
	int fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0) {
		*err = errno;
		return -1;
	}
	if (*source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		fail_with_fs_log(fsfd, errno, fstype);
	for (char **o = options; *o; o++) {
		char key[256];
		const char *eq = strchr(*o, '=');
		int rc;
		if (eq) {
			snprintf(key, sizeof(key), "%.*s", (int)(eq - *o), *o);
			rc = fsconfig(fsfd, FSCONFIG_SET_STRING, key, eq + 1, 0);
		} else {
			rc = fsconfig(fsfd, FSCONFIG_SET_FLAG, *o, NULL, 0);
		}
		if (rc < 0)
			fail_with_fs_log(fsfd, errno, fstype);
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		*err = errno;
		if (*err != EPERM)
			fail_with_fs_log(fsfd, *err, fstype);
		close(fsfd);
		return -1;
	}
	int mntfd = fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
	*err = errno;
	close(fsfd);
	return mntfd;
}

/* Mount flags an unprivileged user namespace may not clear on a bind of a
 * mount that has them (the kernel locks them): keep them, as runc does. */
static uint64_t locked_attrs(int srcfd)
{
	struct statvfs st;
	uint64_t attrs = 0;
	if (!ex.in_userns || fstatvfs(srcfd, &st) < 0)
		return 0;
	if (st.f_flag & ST_RDONLY) attrs |= MOUNT_ATTR_RDONLY;
	if (st.f_flag & ST_NOSUID) attrs |= MOUNT_ATTR_NOSUID;
	if (st.f_flag & ST_NODEV) attrs |= MOUNT_ATTR_NODEV;
	if (st.f_flag & ST_NOEXEC) attrs |= MOUNT_ATTR_NOEXEC;
	return attrs;
}

void op_root_private(const struct op *op)
{
	if (mount(NULL, "/", NULL, (unsigned long)arg_int(op, 0), NULL) < 0)
		fail(errno, NULL);
}

void op_bind_rootfs(const struct op *op)
{
	const char *rootfs = arg_str(op, 0);
	/* pivot_root needs the new root to be a mount point. Without a mount
	 * namespace the mounts are the host's: nothing is bound, the root is
	 * only opened (for the chroot). */
	if (!arg_int(op, 1) && mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		fail(errno, "binding %s", rootfs);
	ex.rootfd = must(open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC), "opening", rootfs);
}

/* What may be mounted over inside the container's /proc, as with runc (lxcfs
 * and the like bind these); anything else there is refused. */
static const char *const proc_targets[] = {
	"/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps",
	"/proc/uptime", "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev",
	"/proc/sys/kernel/ns_last_pid", NULL,
};

/* A mount point must not lie in a procfs (a symlink of the image can point
 * at /proc/self/...): mounting there would reach the set-up process's own
 * files (its fds, its oom score). */
void refuse_procfs(int fd, const char *dest)
{
	struct statfs fs;
	char clean[PATH_MAX];
	if (fstatfs(fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
		return;
	snprintf(clean, sizeof(clean), "/%s", dest + strspn(dest, "/"));
	clean[strlen(clean) - (strlen(clean) > 1 && clean[strlen(clean) - 1] == '/')] = '\0';
	for (const char *const *p = proc_targets; *p; p++)
		if (strcmp(clean, *p) == 0)
			return;
	fail(0, "%s is inside /proc: refusing to mount there", dest);
}

static int mount_target(const char *dest, int want_dir)
{
	int fd = want_dir ? ensure_dir(ex.rootfd, dest, 0) : ensure_file(ex.rootfd, dest, 0);
	must(fd, "making the mount point", dest);
	refuse_procfs(fd, dest);
	return fd;
}

/* A procfs of our own, never attached: the exec fifo is reached through its
 * self/fd, not through the container's /proc. */
int private_proc(void)
{
	char *none[] = {NULL};
	int err = 0;
	if (ex.procfd < 0)
		ex.procfd = new_fs("proc", "proc", none, &err);
	if (ex.procfd < 0)
		fail(err, "mounting a private procfs");
	return ex.procfd;
}

static void refuse_symlink(const char *dest)
{
	struct stat st;
	int fd = open_in_root(ex.rootfd, dest, O_PATH | O_NOFOLLOW, 0);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode))
		fail(0, "%s in the rootfs is a symlink: refusing to mount on it", dest);
	close(fd);
}

static int is_bind(int how)
{
	return how & (MOUNT_HOW_BIND | MOUNT_HOW_RBIND);
}

/* A detached copy of a bind mount's source with its attributes set. */
static int clone_source(const struct op *op, int how, int *is_dir)
{
	const char *source = arg_str(op, 1);
	struct stat st;
	int srcfd = must(open(source, O_PATH | O_CLOEXEC), "opening the source", source);
	if (fstat(srcfd, &st) < 0)
		fail(errno, "%s", source);
	*is_dir = S_ISDIR(st.st_mode);
	int mntfd = clone_tree(srcfd, how & MOUNT_HOW_RBIND, source);
	set_attrs(mntfd, (uint64_t)arg_int(op, 3),
		  (uint64_t)arg_int(op, 4) & ~locked_attrs(srcfd), 0, 0);
	set_attrs(mntfd, (uint64_t)arg_int(op, 5), (uint64_t)arg_int(op, 6), 0, 1);
	if (how & (MOUNT_HOW_IDMAP | MOUNT_HOW_RIDMAP))
		idmap_mount(mntfd, arg_str(op, 10), arg_str(op, 11), arg_str(op, 12),
			    how & MOUNT_HOW_RIDMAP);
	close(srcfd);
	return mntfd;
}

/* Bind sources are host paths: they are cloned (open_tree) before any
 * namespace changes, as the host's root, since in a user namespace the
 * init could no longer open them (a 0700 directory on the way); OP_MOUNT
 * attaches the clone later, inside the container's root. */
static int prepared[MAX_OPS], prepared_is_dir[MAX_OPS], any_prepared;

void prepare_bind(const struct op *op)
{
	int how = (int)arg_int(op, 8);
	if (!any_prepared) {
		for (int i = 0; i < MAX_OPS; i++)
			prepared[i] = -1;
		any_prepared = 1;
	}
	/* An unprivileged caller may clone no mount before it owns a user and
	 * mount namespace: its sources are bound later, in the container. */
	if (is_bind(how) && !(how & MOUNT_HOW_LATE_SOURCE) && geteuid() == 0)
		prepared[current_op] = clone_source(op, how, &prepared_is_dir[current_op]);
}

/* A new tmpfs without mode= takes the mode of the directory it covers, if
 * the root had one there (a new directory leaves it the tmpfs's 1777), as
 * with runc; done before the attributes make the mount read-only. */
static void give_covered_mode(int mntfd, const char *dest)
{
	struct stat st;
	int covered = open_in_root(ex.rootfd, dest, O_PATH | O_DIRECTORY, 0);
	if (covered < 0)
		return;
	int top = openat(mntfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0 || fstat(covered, &st) < 0 || fchmod(top, st.st_mode & 07777) < 0)
		fail(errno, "giving the tmpfs the mode of %s", dest);
	close(top);
	close(covered);
}

/* The detached mount OP_MOUNT attaches, attributes set; sets *is_dir to
 * its root's type. */
static int make_mount(const struct op *op, int how, int *is_dir)
{
	const char *source = arg_str(op, 1), *fstype = arg_str(op, 2);
	int mntfd, err = 0;
	if (any_prepared && prepared[current_op] >= 0) {
		*is_dir = prepared_is_dir[current_op];
		return prepared[current_op];
	}
	if (is_bind(how))
		return clone_source(op, how, is_dir);
	char **options = arg_list(op, 9);
	*is_dir = 1;
	mntfd = new_fs(fstype, source, options, &err);
	free(options);
	if (mntfd >= 0) {
		uint64_t set = (uint64_t)arg_int(op, 3);
		if (how & MOUNT_HOW_COVERED_MODE)
			give_covered_mode(mntfd, arg_str(op, 0));
		if (how & MOUNT_HOW_COPYUP)
			set &= ~(uint64_t)MOUNT_ATTR_RDONLY; /* once the copy is in: op_mount */
		set_attrs(mntfd, set, (uint64_t)arg_int(op, 4), 0, 0);
		set_attrs(mntfd, (uint64_t)arg_int(op, 5), (uint64_t)arg_int(op, 6), 0, 1);
		return mntfd;
	}
	if (err == EPERM && (how & MOUNT_HOW_SYSFS_FALLBACK)) {
		/* sysfs needs the network namespace's owner: show the host's, read-only. */
		int sysfd = must(open("/sys", O_PATH | O_DIRECTORY | O_CLOEXEC), "opening", "/sys");
		mntfd = clone_tree(sysfd, 1, "/sys");
		close(sysfd);
		set_attrs(mntfd, MOUNT_ATTR_RDONLY, 0, 0, 1);
		return mntfd;
	}
	fail(err, "mounting %s", fstype);
}

static void copy_up(int covered, int mntfd)
{
	struct statfs fs;
	int from = openat(covered, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int to = openat(mntfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (from < 0 || to < 0)
		fail(errno, "tmpcopyup");
	if (fstatfs(to, &fs) < 0 || fs.f_type != TMPFS_MAGIC)
		fail(0, "tmpcopyup: the new mount is not a tmpfs");
	copy_tree(from, to); /* takes `from` */
	close(to);
}

void op_mount(const struct op *op)
{
	const char *dest = arg_str(op, 0);
	int how = (int)arg_int(op, 8), is_dir = 1, covered = -1;
	if (how & MOUNT_HOW_NO_SYMLINK)
		refuse_symlink(dest);
	int mntfd = make_mount(op, how, &is_dir);
	int target = mount_target(dest, is_dir);
	if (how & MOUNT_HOW_COPYUP)
		covered = must(openat(target, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), "opening", dest);
	move_onto(mntfd, target, dest);
	/* rprivate, rslave...: mount_setattr takes the type alone, the MS_REC as AT_RECURSIVE */
	uint64_t propagation = (uint64_t)arg_int(op, 7);
	set_attrs(mntfd, 0, 0, propagation & ~(uint64_t)MS_REC, (propagation & MS_REC) != 0);
	if (covered >= 0) {
		copy_up(covered, mntfd);
		close(covered);
		set_attrs(mntfd, (uint64_t)arg_int(op, 3) & MOUNT_ATTR_RDONLY, 0, 0, 0);
	}
	close(target);
	close(mntfd);
}

void op_cgroup_tmpfs(const struct op *op)
{
	char *options[] = {"mode=755", NULL};
	int err = 0;
	const char *dest = arg_str(op, 0);
	int mntfd = new_fs("tmpfs", "tmpfs", options, &err);
	if (mntfd < 0)
		fail(err, "mounting a tmpfs for cgroups");
	int target = mount_target(dest, 1);
	set_attrs(mntfd, (uint64_t)arg_int(op, 1), 0, 0, 0);
	move_onto(mntfd, target, dest);
	close(target);
	ex.cgroup_tmpfs = mntfd;
}

void op_cgroup_hier(const struct op *op)
{
	const char *name = arg_str(op, 0), *hostdir = arg_str(op, 1);
	int mntfd, err = 0;
	if (mkdirat(ex.cgroup_tmpfs, name, 0755) < 0 && errno != EEXIST)
		fail(errno, "making %s", name);
	int target = must(openat(ex.cgroup_tmpfs, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
			  "opening", name);
	if (*hostdir) {
		int srcfd = must(open(hostdir, O_PATH | O_DIRECTORY | O_CLOEXEC), "opening", hostdir);
		mntfd = clone_tree(srcfd, 1, hostdir);
		close(srcfd);
	} else {
		char **options = arg_list(op, 2);
		mntfd = new_fs("cgroup", "cgroup", options, &err);
		free(options);
		if (mntfd < 0)
			fail(err, "mounting the %s hierarchy", name);
	}
	set_attrs(mntfd, (uint64_t)arg_int(op, 3), 0, 0, 0);
	move_onto(mntfd, target, name);
	close(target);
	close(mntfd);
}

void op_cgroup_done(const struct op *op)
{
	set_attrs(ex.cgroup_tmpfs, (uint64_t)arg_int(op, 0), 0, 0, 0);
	close(ex.cgroup_tmpfs);
	ex.cgroup_tmpfs = -1;
}

static int parent_of(const char *path, char *base)
{
	char parent[PATH_MAX];
	split_path(path, parent, base);
	return must(ensure_dir(ex.rootfd, parent, 0), "making the directory", parent);
}

void op_mknod(const struct op *op)
{
	char base[NAME_MAX + 1];
	const char *path = arg_str(op, 0);
	int dirfd = parent_of(path, base);
	if (unlinkat(dirfd, base, 0) < 0 && errno != ENOENT)
		fail(errno, "replacing %s", path);
	if (mknodat(dirfd, base, (mode_t)arg_int(op, 1), (dev_t)arg_int(op, 2)) < 0)
		fail(errno, "creating %s", path);
	if (fchownat(dirfd, base, (uid_t)arg_int(op, 3), (gid_t)arg_int(op, 4), AT_SYMLINK_NOFOLLOW) < 0)
		fail(errno, "chown %s", path);
	close(dirfd);
}

/* In a user namespace mknod is refused: bind the host's node instead. */
void op_bind_device(const struct op *op)
{
	const char *path = arg_str(op, 0);
	struct stat st;
	int hostfd = must(open(path, O_PATH | O_CLOEXEC), "opening the host's", path);
	if (fstat(hostfd, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
		fail(0, "the host's %s is not a device", path);
	int mntfd = clone_tree(hostfd, 0, path);
	int target = mount_target(path, 0);
	if (fstat(target, &st) < 0 || S_ISDIR(st.st_mode))
		fail(EISDIR, "%s", path);
	move_onto(mntfd, target, path);
	close(target);
	close(mntfd);
	close(hostfd);
}

void op_symlink(const struct op *op)
{
	char base[NAME_MAX + 1];
	int dirfd = parent_of(arg_str(op, 1), base);
	if (symlinkat(arg_str(op, 0), dirfd, base) < 0 && errno != EEXIST)
		fail(errno, "%s", arg_str(op, 1));
	close(dirfd);
}

static void pivot(void)
{
	int old_root = must(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), "opening", "/");
	if (fchdir(ex.rootfd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		fail(errno, NULL);
	/* The old root is now stacked on the new one at "/"; let go of it without
	 * its unmount reaching the host. From the old root's own fd: "." is the new
	 * root, whose mounts must keep the propagation their entries asked for. */
	if (fchdir(old_root) < 0 || mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
	    umount2(".", MNT_DETACH) < 0)
		fail(errno, "detaching the old root");
	close(old_root);
}

/* mountinfo's octal escapes (\040 for a space...) undone in place. */
static void unescape(char *s)
{
	char *out = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* The whole of our mountinfo, NUL-terminated (malloc'd). */
static char *read_mountinfo(void)
{
	int fd = must(openat(private_proc(), "self/mountinfo", O_RDONLY | O_CLOEXEC),
		      "opening", "/proc/self/mountinfo");
	size_t used = 0, size = 1 << 16;
	char *text = malloc(size);
	ssize_t n;
	while (text && (n = read(fd, text + used, size - used - 1)) > 0) {
		used += (size_t)n;
		if (size - used < 4096)
			text = realloc(text, size *= 2);
	}
	if (!text || n < 0)
		fail(text ? errno : ENOMEM, "reading /proc/self/mountinfo");
	text[used] = '\0';
	close(fd);
	return text;
}

/* A mount point that stays: the root, what lies on the way to it (it cannot
 * go without the root) and what is inside it. */
static int keeps(const char *point, const char *rootfs)
{
	size_t n = strlen(point), r = strlen(rootfs);
	if (strcmp(point, "/") == 0)
		return 1;
	if (n <= r && strncmp(point, rootfs, n) == 0 && (rootfs[n] == '/' || !rootfs[n]))
		return 1;
	return n > r && strncmp(point, rootfs, r) == 0 && point[r] == '/';
}

/* The mount at `point` detached (lazily), reached without following a
 * symlink on the way. Gone already (with a parent), or locked (a user
 * namespace may not uncover what the host's mounts hide): left, out of
 * reach of the chroot. */
static void detach_point(int host_root, const char *point)
{
	char path[32];
	int fd = open_in_root(host_root, point, O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	if (fd < 0)
		return;
	/* The magic link of our own procfs names the mount the fd is on. */
	snprintf(path, sizeof(path), "self/fd/%d", fd);
	if (fchdir(private_proc()) < 0)
		fail(errno, "detaching %s", point);
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		fail(errno, "detaching %s", point);
	close(fd);
}

/* --no-pivot: the host's mounts but the root's and its ancestors' go (the
 * last ones first), then the root is moved onto "/" and chrooted into, as
 * switch_root does on a ramdisk, where pivot_root is refused. */
static void move_root(const char *rootfs)
{
	char *text = read_mountinfo();
	size_t count = 0, lines = 1;
	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	char **points = calloc(lines, sizeof(char *));
	int host_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!points || host_root < 0)
		fail(points ? errno : ENOMEM, "detaching the host's mounts");
	/* Each line's fifth field is its mount point (cut out in place). */
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *point = line;
		for (int i = 0; i < 4 && point; i++)
			point = strchr(point + 1, ' ');
		if (!point)
			continue;
		point++;
		point[strcspn(point, " ")] = '\0';
		unescape(point);
		if (!keeps(point, rootfs))
			points[count++] = point;
	}
	while (count > 0)
		detach_point(host_root, points[--count]);
	close(host_root);
	free(points);
	free(text);
	if (fchdir(ex.rootfd) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		fail(errno, "moving the root onto /");
	if (chroot(".") < 0)
		fail(errno, "chroot");
}

void op_pivot_root(const struct op *op)
{
	unsigned long propagation = (unsigned long)arg_int(op, 0);
	switch (arg_int(op, 1)) {
	case ROOT_SWITCH_MOVE:
		move_root(arg_str(op, 2));
		break;
	case ROOT_SWITCH_CHROOT:
		if (fchdir(ex.rootfd) < 0 || chroot(".") < 0)
			fail(errno, "chroot");
		break;
	default:
		pivot();
	}
	if (chdir("/") < 0)
		fail(errno, NULL);
	if (propagation && mount(NULL, "/", NULL, propagation, NULL) < 0)
		fail(errno, "linux.rootfsPropagation");
	close(ex.rootfd);
	ex.rootfd = must(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), "opening", "/");
}

static int open_proc(void)
{
	struct statfs fs;
	int fd = open_in_root(ex.rootfd, "proc", O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
	if (fd < 0 || fstatfs(fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
		fail(0, "the container needs proc mounted at /proc");
	return fd;
}

void op_check_proc(const struct op *op)
{
	if (!arg_int(op, 0))
		close(open_proc());
	/* Made now, with the privileges it takes and before the masks cover
	 * parts of /proc (after which the kernel refuses a new procfs). */
	private_proc();
}

void op_sysctl(const struct op *op)
{
	struct statfs fs;
	struct open_how how = {
		.flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int proc = open_proc();
	int fd = (int)syscall(SYS_openat2, proc, arg_str(op, 0), &how, sizeof(how));
	if (fd < 0)
		fail(errno, NULL);
	if (fstatfs(fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
		fail(0, "not a procfs file");
	const char *value = arg_str(op, 1);
	if (write(fd, value, strlen(value)) < 0)
		fail(errno, NULL);
	close(fd);
	close(proc);
}

/* The source of masked files: the container's /dev/null, opened once,
 * without following symlinks, and checked to be the null device (another
 * container sharing this /dev may have swapped it for a link to /proc). */
static int null_device(void)
{
	struct stat st;
	if (ex.devnull >= 0)
		return ex.devnull;
	ex.devnull = open_in_root(ex.rootfd, "/dev/null", O_PATH, RESOLVE_NO_SYMLINKS);
	if (ex.devnull < 0 || fstat(ex.devnull, &st) < 0)
		fail(errno, "opening /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		fail(0, "/dev/null in the container is not the null device");
	return ex.devnull;
}

void op_mask(const struct op *op)
{
	const char *path = arg_str(op, 0);
	struct stat st;
	int mntfd, err = 0;
	int target = open_in_root(ex.rootfd, path, O_PATH, 0);
	if (target < 0 && errno == ENOENT)
		return;
	must(target, "opening", path);
	if (fstat(target, &st) < 0)
		fail(errno, "%s", path);
	if (S_ISDIR(st.st_mode)) {
		char *options[] = {"ro", NULL}; /* a read-only superblock, as runc's */
		mntfd = new_fs("tmpfs", "tmpfs", options, &err);
		if (mntfd < 0)
			fail(err, "%s", path);
		set_attrs(mntfd, MOUNT_ATTR_RDONLY, 0, 0, 0);
	} else {
		mntfd = clone_tree(null_device(), 0, "/dev/null");
	}
	move_onto(mntfd, target, path);
	close(mntfd);
	close(target);
}

void op_readonly(const struct op *op)
{
	const char *path = arg_str(op, 0);
	int target = open_in_root(ex.rootfd, path, O_PATH, 0);
	if (target < 0 && errno == ENOENT)
		return;
	must(target, "opening", path);
	int mntfd = clone_tree(target, 1, path);
	set_attrs(mntfd, MOUNT_ATTR_RDONLY, 0, 0, 1);
	move_onto(mntfd, target, path);
	close(mntfd);
	close(target);
}

/* The mount at path (inside the root) read-only, its submounts as they are. */
void op_mount_readonly(const struct op *op)
{
	const char *path = arg_str(op, 0);
	int target = must(open_in_root(ex.rootfd, path, O_PATH | O_DIRECTORY, 0), "opening", path);
	set_attrs(target, MOUNT_ATTR_RDONLY, 0, 0, 0);
	close(target);
}

void op_root_readonly(const struct op *op)
{
	(void)op;
	set_attrs(ex.rootfd, MOUNT_ATTR_RDONLY, 0, 0, 0);
}
