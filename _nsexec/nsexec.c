/*
 * _nsexec: the part of pyrunc's container init that must run before Python.
 *
 * setns() into a user namespace and becoming pid 1 of a new pid namespace only
 * work in a single-threaded process that has not done anything yet. This file is
 * compiled into a cffi extension module; the parent starts the interpreter with
 * LD_PRELOAD=<that module>, so the constructor below runs before CPython
 * initialises. It does nothing unless _PYRUNC_INITPIPE names an fd.
 *
 * Protocol on the init pipe (a unix stream socket shared with the parent):
 *   parent -> child  u32 length + text lines:  "flags <clone flags>",
 *                    "join <type> <path>" (type: user ipc uts net pid mnt cgroup time)
 *                    and "sync" when the parent must write id maps
 *   child -> parent  frame S "<pid>"   (with "sync") then waits for one byte:
 *                    the parent has written the user namespace's id maps
 *   child -> parent  frame C "<pid>"   the process Python runs in
 *   child -> parent  frame E "<message>"  and exit, on any failure
 * (frames: see libcontainer/channel.py)
 * The mount namespace is joined later, from Python, once the interpreter has
 * loaded what it needs from the host's filesystem: its fd is kept for that.
 *
 * The rest of the file is thin wrappers for syscalls Python lacks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/capability.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define MAX_JOINS 16
#define MAX_BOOTSTRAP 65536

static int initpipe_fd = -1;
static int mntns_fd = -1;

struct ns_join {
	int nstype;
	int fd;
	char path[4096];
};

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* A frame (see libcontainer/channel.py): u32 length, a kind byte, payload. */
static void send_frame(char kind, const char *payload, size_t len)
{
	char frame[8192 + 5];
	uint32_t n = (uint32_t)len;
	if (len > sizeof(frame) - 5)
		n = (uint32_t)(len = sizeof(frame) - 5);
	memcpy(frame, &n, 4);
	frame[4] = kind;
	memcpy(frame + 5, payload, len);
	write_all(initpipe_fd, frame, len + 5);
}

/* Report "<what>: <strerror>" to the parent and exit. */
static void fail(const char *what, int err)
{
	char msg[8192];
	int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	send_frame('E', msg, n < (int)sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	_exit(1);
}

static void send_pid(char kind, pid_t pid)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%d", (int)pid);
	send_frame(kind, text, (size_t)n);
}

static void read_exact(char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(initpipe_fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("reading the bootstrap message", n == 0 ? EPIPE : errno);
		buf += n;
		len -= (size_t)n;
	}
}

static int nstype_of(const char *name)
{
	static const struct { const char *name; int flag; } table[] = {
		{"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
		{"net", CLONE_NEWNET}, {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS},
		{"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].flag;
	return 0;
}

/* Parse the bootstrap text; joins are opened at once, before any is joined,
 * because joining one (a mount or pid namespace) can change what paths mean. */
static int parse_bootstrap(char *text, struct ns_join *joins, int *njoins, int *sync)
{
	int flags = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "flags ", 6) == 0) {
			flags = (int)strtol(line + 6, NULL, 10);
		} else if (strcmp(line, "sync") == 0) {
			*sync = 1;
		} else if (strncmp(line, "join ", 5) == 0 && *njoins < MAX_JOINS) {
			char *type = line + 5, *path = strchr(type, ' ');
			char what[4200];
			if (!path)
				fail("malformed bootstrap line", EINVAL);
			*path++ = '\0';
			struct ns_join *j = &joins[(*njoins)++];
			j->nstype = nstype_of(type);
			snprintf(j->path, sizeof(j->path), "%s", path);
			j->fd = open(path, O_RDONLY | O_CLOEXEC);
			snprintf(what, sizeof(what), "opening the %s namespace %s", type, path);
			if (j->nstype == 0)
				fail(what, EINVAL);
			if (j->fd < 0)
				fail(what, errno);
		}
	}
	return flags;
}

static void join_namespaces(struct ns_join *joins, int njoins, int only_user)
{
	char what[4200];
	for (int i = 0; i < njoins; i++) {
		struct ns_join *j = &joins[i];
		if ((j->nstype == CLONE_NEWUSER) != only_user)
			continue;
		if (j->nstype == CLONE_NEWNS) {
			mntns_fd = j->fd; /* joined from Python, see the header comment */
			continue;
		}
		snprintf(what, sizeof(what), "joining the namespace %s", j->path);
		if (setns(j->fd, j->nstype) < 0)
			fail(what, errno);
		close(j->fd);
	}
}

/* Tell the parent our pid and wait until it has written the id maps. */
static void wait_for_parent(void)
{
	char go;
	send_pid('S', getpid());
	read_exact(&go, 1);
}

/* Read the bootstrap message; returns the clone flags to unshare. */
static int read_bootstrap(struct ns_join *joins, int *njoins, int *sync)
{
	uint32_t len;
	static char text[MAX_BOOTSTRAP + 1];

	read_exact((char *)&len, sizeof(len));
	if (len > MAX_BOOTSTRAP)
		fail("bootstrap message too long", EINVAL);
	read_exact(text, len);
	text[len] = '\0';
	return parse_bootstrap(text, joins, njoins, sync);
}

/* A new or joined pid namespace only applies to children: fork, and the
 * child (pid 1 there, for a new one) is the process Python runs in.
 * CLONE_PARENT makes it a child of pyrunc itself, not of this process,
 * which exits now: pyrunc can wait for it without being a subreaper.
 * (A raw clone is safe here: no other thread exists.) */
static void fork_final_process(void)
{
	pid_t child = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
	if (child < 0)
		fail("clone", errno);
	if (child > 0) {
		send_pid('C', child);
		_exit(0);
	}
}

static void run_bootstrap(void)
{
	struct ns_join joins[MAX_JOINS];
	int njoins = 0, sync = 0;
	int flags = read_bootstrap(joins, &njoins, &sync);

	join_namespaces(joins, njoins, 1);
	if ((flags & CLONE_NEWUSER) && unshare(CLONE_NEWUSER) < 0)
		fail("creating a user namespace", errno);
	if (sync)
		wait_for_parent();
	/* In a user namespace we keep the host's uid 0 for now, though it is
	 * unmapped there: the interpreter still has to read its standard library
	 * from the host, as the owner of root's files (which may sit behind a
	 * 0700 /root). The init takes the namespace's uid 0 once it has
	 * imported everything (libcontainer/init/main.py). */
	join_namespaces(joins, njoins, 0);
	if (unshare(flags & ~CLONE_NEWUSER) < 0)
		fail("creating namespaces", errno);
	fork_final_process();
}

__attribute__((constructor)) static void nsexec(void)
{
	const char *env = getenv("_PYRUNC_INITPIPE");
	if (!env || !*env)
		return;
	initpipe_fd = atoi(env);
	/* Until the container's own program runs, nothing in the container may
	 * ptrace us or open our /proc files (our exe is the host's interpreter). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	run_bootstrap();
	unsetenv("LD_PRELOAD");
	unsetenv("_PYRUNC_INITPIPE");
}

int nsexec_initpipe(void) { return initpipe_fd; }
int nsexec_mntns_fd(void) { return mntns_fd; }

int nsexec_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int nsexec_capget(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	*effective = data[0].effective | ((uint64_t)data[1].effective << 32);
	*permitted = data[0].permitted | ((uint64_t)data[1].permitted << 32);
	*inheritable = data[0].inheritable | ((uint64_t)data[1].inheritable << 32);
	return 0;
}

int nsexec_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {
		{(uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable},
		{(uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32)},
	};
	return (int)syscall(SYS_capset, &hdr, data);
}

int nsexec_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	uint64_t how[3] = {flags, mode, resolve}; /* struct open_how */
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(how));
}
