/*
 * The container's process: its terminal, the hooks run inside, limits,
 * capabilities, user, seccomp, environment, fds, cwd, and the final execve.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "executor.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int cwd_entered;

/* The root the process sees now (the container's, after pivot_root or setns). */
static int here(void)
{
	if (ex.rootfd < 0)
		ex.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return ex.rootfd;
}

/* ptmx of the devpts mounted at pts_dir, opened only once that is checked
 * to be a devpts: in a devpts "ptmx" is always its multiplexer, whereas a
 * container may have made its /dev/ptmx any device it likes. */
static int open_pty_master(const char *pts_dir)
{
	struct statfs fs;
	int pts = open_in_root(here(), pts_dir, O_PATH | O_DIRECTORY, 0);
	if (pts < 0)
		fail(errno, "opening %s (the container needs devpts there for a terminal)", pts_dir);
	if (fstatfs(pts, &fs) < 0 || fs.f_type != DEVPTS_SUPER_MAGIC)
		fail(0, "%s is not a devpts (the container needs one there for a terminal)", pts_dir);
	int fd = openat(pts, "ptmx", O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		fail(errno, "opening a pty in %s", pts_dir);
	close(pts);
	return fd;
}

/* /dev/console in the root becomes the pty. */
static void bind_console(int slave)
{
	char base[] = "console";
	struct stat st;
	int dev = ensure_dir(ex.rootfd, "/dev", 0);
	if (dev < 0)
		fail(errno, "/dev");
	refuse_procfs(dev, "/dev");
	/* Whatever the image has there is replaced, never opened (a device of
	 * its choice) nor followed (a symlink). */
	if (unlinkat(dev, base, 0) < 0 && errno != ENOENT)
		fail(errno, "replacing /dev/console");
	int made = openat(dev, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (made < 0)
		fail(errno, "creating /dev/console");
	close(made);
	int target = openat(dev, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0 || fstat(target, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		fail(errno, "/dev/console");
	int mntfd = open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (mntfd < 0 || move_mount(mntfd, "", target, "",
				    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		fail(errno, "binding the pty on /dev/console");
	close(mntfd);
	close(target);
	close(dev);
}

void op_console(const struct op *op)
{
	int unlock = 0;
	int master = open_pty_master(arg_str(op, 0));
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		fail(errno, "unlocking the pty");
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		fail(errno, "opening the pty's other end");
	struct winsize size = {.ws_row = (unsigned short)arg_int(op, 1),
			       .ws_col = (unsigned short)arg_int(op, 2)};
	if ((size.ws_row || size.ws_col) && ioctl(slave, TIOCSWINSZ, &size) < 0)
		fail(errno, "process.consoleSize");
	/* "\n" passes as it is, as with runc: no "\r" in logs and pipes. */
	struct termios modes;
	if (tcgetattr(slave, &modes) == 0) {
		modes.c_oflag &= ~(tcflag_t)ONLCR;
		tcsetattr(slave, TCSANOW, &modes);
	}
	send_frame('T', "", 0, master);
	close(master);
	if (arg_int(op, 3))
		bind_console(slave);
	ex.pty_slave = slave;
}

void op_setsid(const struct op *op)
{
	(void)op;
	if (setsid() < 0 && errno != EPERM)
		fail(errno, NULL);
	if (ex.pty_slave < 0)
		return;
	if (ioctl(ex.pty_slave, TIOCSCTTY, 0) < 0)
		fail(errno, "taking the pty as controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(ex.pty_slave, fd) < 0)
			fail(errno, "the pty as stdio");
	close(ex.pty_slave);
	ex.pty_slave = -1;
}

void op_hook_states(const struct op *op)
{
	uint32_t len;
	(void)op;
	send_frame('H', "", 0, -1);
	char *states = expect_frame('K', &len);
	ex.hook_states[0] = states;
	ex.hook_states[1] = states + strlen(states) + 1;
	if ((uint32_t)(ex.hook_states[1] - states) > len)
		fail(EPROTO, "hook states");
}

struct hook_io {
	const char *state; /* what is left to write to its stdin */
	size_t left;
	int in, out;       /* our ends of its stdin and stdout+stderr; -1 once closed */
	char said[1024];   /* the tail of what it said */
	size_t used;
};

/* Keep the tail of what the hook says: its last line is what gets reported. */
static void keep_tail(struct hook_io *io, const char *chunk, size_t n)
{
	size_t room = sizeof(io->said) - 1;
	if (n >= room) {
		memcpy(io->said, chunk + n - room, room);
		io->used = room;
		return;
	}
	if (io->used + n > room) {
		size_t drop = io->used + n - room;
		memmove(io->said, io->said + drop, io->used - drop);
		io->used -= drop;
	}
	memcpy(io->said + io->used, chunk, n);
	io->used += n;
}

/* One round of the hook's pipes: feed its stdin, read its output; 0 once
 * its output ends. */
static int pump_hook(struct hook_io *io, int timeout_ms)
{
	struct pollfd p[2] = {{.fd = io->out, .events = POLLIN}, {.fd = io->in, .events = POLLOUT}};
	if (poll(p, io->in >= 0 ? 2 : 1, timeout_ms) <= 0)
		return 1;
	if (io->in >= 0 && p[1].revents) {
		ssize_t n = write(io->in, io->state, io->left);
		if (n > 0) {
			io->state += n;
			io->left -= (size_t)n;
		}
		if (io->left == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			close(io->in); /* all of the state, or a hook that does not read it */
			io->in = -1;
		}
	}
	if (!p[0].revents)
		return 1;
	char chunk[4096];
	ssize_t n = read(io->out, chunk, sizeof(chunk));
	if (n > 0)
		keep_tail(io, chunk, (size_t)n);
	return n > 0 || (n < 0 && errno == EINTR);
}

/* Run the hook's pipes until it is done; 0 when it ran past its timeout
 * (it is killed then). The clock starts before the state is written. */
static int wait_hook(pid_t pid, struct hook_io *io, int timeout, int *status)
{
	struct timespec start, now;
	int output = 1; /* its output is still open */
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int left = 100; /* ms: how often to look whether it has exited */
		if (timeout > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
			if (ms >= timeout * 1000L) {
				kill(pid, SIGKILL);
				waitpid(pid, status, 0);
				return 0;
			}
			if (timeout * 1000L - ms < left)
				left = (int)(timeout * 1000L - ms);
		}
		if (output)
			output = pump_hook(io, left);
		else
			poll(NULL, 0, left < 10 ? left : 10);
		if (waitpid(pid, status, WNOHANG) == pid)
			break;
	}
	/* What it said before it exited (not waiting for children it left). */
	fcntl(io->out, F_SETFL, O_NONBLOCK);
	char chunk[4096];
	ssize_t n;
	while ((n = read(io->out, chunk, sizeof(chunk))) > 0)
		keep_tail(io, chunk, (size_t)n);
	io->said[io->used] = '\0';
	return 1;
}

static const char *last_line(char *text)
{
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	char *nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

static void reset_signals(void);

void op_hook(const struct op *op)
{
	const char *state = ex.hook_states[arg_int(op, 0) ? 1 : 0], *path = arg_str(op, 1);
	int timeout = (int)arg_int(op, 2), in[2], out[2], status = 0;
	char **args = arg_list(op, 3), **env = arg_list(op, 4);
	char *fallback[] = {(char *)path, NULL};
	/* Without an env of its own a hook gets the process's, as runc's init
	 * (its environment is process.env) hands its own to it. */
	char **hook_env = arg_int(op, 5) && ex.env ? ex.env : env;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		fail(errno, NULL);
	pid_t pid = fork();
	if (pid < 0)
		fail(errno, NULL);
	if (pid == 0) {
		reset_signals(); /* a hook starts as any program would */
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		execve(path, args[0] ? args : fallback, hook_env);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	struct hook_io io = {.state = state, .left = strlen(state), .in = in[1], .out = out[0]};
	int finished = wait_hook(pid, &io, timeout, &status);
	if (io.in >= 0)
		close(io.in);
	close(out[0]);
	free(args);
	free(env);
	if (!finished)
		fail(0, "timed out after %d s", timeout);
	if (WIFSIGNALED(status))
		fail(0, "killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0) {
		const char *line = last_line(io.said);
		fail(0, "exit status %d%s%s", WEXITSTATUS(status), *line ? ": " : "", line);
	}
}

void op_rlimit(const struct op *op)
{
	struct rlimit limit = {(rlim_t)arg_int(op, 1), (rlim_t)arg_int(op, 2)};
	if (setrlimit((int)arg_int(op, 0), &limit) < 0)
		fail(errno, NULL);
}

void op_oom_score_adj(const struct op *op)
{
	char text[32];
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	int n = snprintf(text, sizeof(text), "%lld", (long long)arg_int(op, 0));
	if (fd < 0 || write(fd, text, (size_t)n) < 0)
		fail(errno, NULL);
	close(fd);
}

/* Capabilities the thread still has are dropped from the bounding set unless
 * kept; those it lacks need no CAP_SETPCAP (an exec into a small set). */
void op_drop_bounding(const struct op *op)
{
	uint64_t keep = (uint64_t)arg_int(op, 0);
	int last = (int)arg_int(op, 1);
	for (int cap = 0; cap <= last; cap++) {
		if (keep >> cap & 1)
			continue;
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			fail(errno, "dropping capability %d from the bounding set", cap);
	}
}

void op_seccomp(const struct op *op)
{
	struct sock_fprog prog = {
		.len = (unsigned short)(op->args[0].len / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)op->args[0].data,
	};
	unsigned int flags = (unsigned int)arg_int(op, 1);
	int rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (rc < 0)
		fail(errno, "loading the filter");
	if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
		/* The notification fd: pyrunc hands it to linux.seccomp.listenerPath. */
		send_frame('N', "", 0, rc);
		close(rc);
	}
}

void op_capset(const struct op *op)
{
	uint64_t eff = (uint64_t)arg_int(op, 0), prm = (uint64_t)arg_int(op, 1);
	uint64_t inh = (uint64_t)arg_int(op, 2), amb = (uint64_t)arg_int(op, 3);
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {
		{(uint32_t)eff, (uint32_t)prm, (uint32_t)inh},
		{(uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32)},
	};
	if (syscall(SYS_capset, &hdr, data) < 0)
		fail(errno, "capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && amb)
		fail(errno, "clearing the ambient set");
	for (int cap = 0; cap < 64; cap++)
		if ((amb >> cap & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			fail(errno, "raising ambient capability %d", cap);
}

/* HOME of uid in the container's /etc/passwd, "/" when it has none. */
static char *home_of(uid_t uid)
{
	static char home[PATH_MAX + 8];
	char line[4096];
	snprintf(home, sizeof(home), "HOME=/");
	struct stat st;
	/* Not blocking on a fifo the image put there: a regular file or nothing. */
	int fd = open_in_root(here(), "/etc/passwd", O_RDONLY | O_NONBLOCK, 0);
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	while (f && fgets(line, sizeof(line), f)) {
		char *fields[7] = {0}, *p = line;
		int n = 0;
		line[strcspn(line, "\n")] = '\0';
		for (char *tok = strsep(&p, ":"); tok && n < 7; tok = strsep(&p, ":"))
			fields[n++] = tok;
		if (n >= 6 && fields[2] && strtoul(fields[2], NULL, 10) == uid && *fields[2]) {
			snprintf(home, sizeof(home), "HOME=%s", *fields[5] ? fields[5] : "/");
			break;
		}
	}
	if (f)
		fclose(f);
	return home;
}

void op_env(const struct op *op)
{
	char **env = arg_list(op, 0);
	size_t n = 0;
	int has_home = 0;
	for (; env[n]; n++)
		if (strncmp(env[n], "HOME=", 5) == 0)
			has_home = 1;
	if (!has_home) {
		env = realloc(env, (n + 2) * sizeof(char *));
		if (!env)
			fail(ENOMEM, NULL);
		env[n] = home_of((uid_t)arg_int(op, 1));
		env[n + 1] = NULL;
	}
	ex.env = env;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every fd from `first` up but those we still need (all close-on-exec): nothing
 * of the host reaches the container, and none can serve as a way out of
 * the root (a cwd of /proc/self/fd/N) before the chdir. */
void op_close_fds(const struct op *op)
{
	int keep[8], n = 0;
	unsigned int from = (unsigned int)arg_int(op, 0);
	int mine[] = {ex.initpipe, ex.fifofd, ex.rootfd, ex.pty_slave, ex.startfd, ex.procfd};
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		if (mine[i] >= (int)from)
			keep[n++] = mine[i];
	qsort(keep, (size_t)n, sizeof(int), cmp_int);
	for (int i = 0; i <= n; i++) {
		unsigned int to = i < n ? (unsigned int)keep[i] - 1 : ~0U;
		if (to >= from && syscall(SYS_close_range, from, to, 0) < 0)
			fail(errno, NULL);
		if (i < n)
			from = (unsigned int)keep[i] + 1;
	}
	if (ex.devnull >= 0)
		close(ex.devnull);
	ex.devnull = -1;
}

/* The cwd, first as root, again once the user is set (it may only enter
 * as root, as with runc); it must lie inside the container's root. */
void op_chdir(const struct op *op)
{
	const char *cwd = arg_str(op, 0);
	char where[PATH_MAX];
	if (chdir(cwd) < 0) {
		if (arg_int(op, 1) || cwd_entered)
			return;
		fail(errno, "%s", cwd);
	}
	cwd_entered = 1;
	if (!getcwd(where, sizeof(where)) || where[0] != '/')
		fail(0, "%s is outside the container's root", cwd);
}

static int executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

void op_find_exec(const struct op *op)
{
	const char *name = arg_str(op, 0), *path = DEFAULT_PATH;
	static char found[PATH_MAX];
	if (strchr(name, '/')) {
		if (!executable(name))
			fail(0, "exec: \"%s\": executable file not found", name);
		ex.exec_path = (char *)name;
		return;
	}
	for (char **e = ex.env; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	for (const char *dir = path; dir;) {
		const char *colon = strchr(dir, ':');
		int len = colon ? (int)(colon - dir) : (int)strlen(dir);
		snprintf(found, sizeof(found), "%.*s/%s", len, len ? dir : ".", name);
		if (executable(found)) {
			ex.exec_path = found;
			return;
		}
		dir = colon ? colon + 1 : NULL;
	}
	fail(0, "exec: \"%s\": executable file not found in $PATH", name);
}

/* The process starts as a fresh one would: every signal at its default,
 * none blocked, whatever pyrunc's caller had ignored or blocked. */
static void reset_signals(void)
{
	/* The kernel's sigaction, not glibc's: glibc refuses to touch the
	 * signals it keeps for itself (32, 33), which may arrive ignored. */
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } dfl = {0};
	uint64_t none = 0;
	for (int sig = 1; sig < 65; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(uint64_t));
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(uint64_t));
}

void op_exec(const struct op *op)
{
	char **args = arg_list(op, 0);
	if (ex.rootfd >= 0)
		close(ex.rootfd);
	reset_signals();
	umask(ex.umask);
	execve(ex.exec_path, args, ex.env);
	fail(errno, "exec %s", ex.exec_path);
}
