/*
 * What `pyrunc create`, `run` and `exec` can start before the Python
 * interpreter does (~10 ms of start-up and imports), so that it runs beside
 * it instead of after it. Both are children of ours, and so of the Python
 * command line once we exec it (the same process): Python takes them over
 * from the variables set here (libcontainer/early.py) and reaps them.
 *
 *   - pyrunc-init, spawned as launcher.py would spawn it (a sealed memfd
 *     copy, one end of a socket pair in _PYRUNC_INITPIPE, nothing else in
 *     its environment), waiting for its plan. _PYRUNC_INIT="FD:PID": our end
 *     of the pair and its pid. Unused, it sees the socket close and exits.
 *   - a keeper of the kernel's cgroup-migration lock (cgroups/warmup.py says
 *     why): _PYRUNC_WARM="FD:PID", the write end of a pipe it watches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "early.h"

#define WARM_EVERY_MS 2
#define WARM_AT_MOST_MS 300
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Tell Python of a helper: our end `fd` (kept open across the exec) and its pid. */
static void hand_over(const char *variable, int fd, pid_t pid)
{
	char value[64];
	if (fcntl(fd, F_SETFD, 0) < 0) {
		close(fd); /* the helper sees it closed and goes */
		return;
	}
	snprintf(value, sizeof(value), "%d:%d", fd, (int)pid);
	setenv(variable, value, 1);
}

/* An executable memfd even where vm.memfd_noexec makes them not so by
 * default (Linux 6.3+): MFD_EXEC, which older kernels refuse (EINVAL). */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
static int executable_memfd(void)
{
	const unsigned flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
	int fd = memfd_create("pyrunc-init", flags | MFD_EXEC);
	return fd < 0 && errno == EINVAL ? memfd_create("pyrunc-init", flags) : fd;
}

/* A sealed memfd copy of the file at `path`: nothing can write it, not even
 * through /proc/PID/exe of a process that runs it (CVE-2019-5736). */
static int sealed_copy(const char *path)
{
	int src = open(path, O_RDONLY | O_CLOEXEC);
	int fd = src < 0 ? -1 : executable_memfd();
	char buf[65536];
	ssize_t n = 0;
	while (fd >= 0 && (n = read(src, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			n = -1, errno = EIO;
	if (fd >= 0 && (n < 0 || fcntl(fd, F_ADD_SEALS, SEALS) < 0)) {
		close(fd);
		fd = -1;
	}
	if (src >= 0)
		close(src);
	return fd;
}

static void spawn_init(const char *path)
{
	int image = sealed_copy(path), pair[2];
	if (image < 0)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
		close(image);
		return;
	}
	char exe[64], pipe_var[64];
	snprintf(exe, sizeof(exe), "/proc/self/fd/%d", image);
	snprintf(pipe_var, sizeof(pipe_var), "_PYRUNC_INITPIPE=%d", pair[1]);
	char *argv[] = {"pyrunc-init", NULL}, *envp[] = {pipe_var, NULL};
	/* fork, not posix_spawn's vfork: we go on to exec Python while it execs */
	pid_t pid = fcntl(pair[1], F_SETFD, 0) < 0 ? -1 : fork();
	if (pid == 0) {
		execve(exe, argv, envp);
		_exit(127);
	}
	close(image);
	close(pair[1]);
	if (pid < 0)
		close(pair[0]);
	else
		hand_over("_PYRUNC_INIT", pair[0], pid);
}

/* The cgroup.procs file of the cgroup we are in (the first hierarchy
 * /proc/self/cgroup names), into `path`; 0 when it cannot be told. */
static int own_procs_file(char path[PATH_MAX])
{
	char line[4096];
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	line[n] = '\0';
	char *controllers = strchr(line, ':');
	char *where = controllers ? strchr(controllers + 1, ':') : NULL;
	if (!where)
		return 0;
	*where++ = '\0';
	where[strcspn(where, "\n")] = '\0';
	controllers++;
	if (strncmp(controllers, "name=", 5) == 0)
		controllers += 5;
	return snprintf(path, PATH_MAX, "/sys/fs/cgroup/%s%s/cgroup.procs", controllers,
			where) < PATH_MAX;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The keeper: moves itself into the cgroup it is in (a move that changes
 * nothing) every WARM_EVERY_MS, until the pipe's other end closes or
 * WARM_AT_MOST_MS pass, so that the lock stays warm. */
static void keep_warm(int until_closed)
{
	/* Nothing of the caller's stays open while it runs. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	syscall(SYS_close_range, 3, (unsigned)until_closed - 1, 0);
	syscall(SYS_close_range, (unsigned)until_closed + 1, ~0U, 0);
	char path[PATH_MAX], pid[32];
	int procs = own_procs_file(path) ? open(path, O_WRONLY | O_CLOEXEC) : -1;
	int n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct pollfd closed = {.fd = until_closed, .events = POLLIN};
	long long until = now_ms() + WARM_AT_MOST_MS; /* by the clock: a move may block */
	while (procs >= 0 && now_ms() < until)
		if (write(procs, pid, (size_t)n) < 0 || poll(&closed, 1, WARM_EVERY_MS) != 0)
			break;
	_exit(0);
}

/* The first move of a process into a cgroup waits for an RCU grace period,
 * and so does every cgroup mkdir behind it; the lock cools again a grace
 * period after its last mover. So the keeper moves from now until Python
 * has moved the container's process and closes the pipe. */
static void start_keeper(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	pid_t child = fork();
	if (child == 0) {
		close(fds[1]);
		keep_warm(fds[0]);
	}
	close(fds[0]);
	if (child < 0)
		close(fds[1]);
	else
		hand_over("_PYRUNC_WARM", fds[1], child);
}

void start_early_helpers(const char *init)
{
	/* Only what we start now is named to Python: never a value the
	 * caller's environment happened to have. */
	unsetenv("_PYRUNC_INIT");
	unsetenv("_PYRUNC_WARM");
	/* The init first: it must not inherit the keeper's pipe, which
	 * hand_over() leaves open across exec. */
	spawn_init(init);
	start_keeper();
}
