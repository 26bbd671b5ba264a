/*
 * pyrunc-init: the container side of pyrunc, in C.
 *
 * pyrunc (Python, the parent) compiles a container's config into a plan
 * (libcontainer/plan/) and spawns this program from a sealed memfd copy, with
 * _PYRUNC_INITPIPE naming the fd of a unix socket to it. The constructor
 * below reads the plan and executes it before main() or anything else runs:
 * namespaces, a fork into the new pid namespace, the root filesystem, the
 * process's user and capabilities, and finally execve() of process.args.
 * No interpreter ever runs in a container's namespaces, and the executable a
 * container could reach through /proc/PID/exe cannot be written.
 *
 * Frames on the init pipe: u32 length (native order), one kind byte, payload.
 *   parent -> us   P plan, G id maps written, J in the cgroup,
 *                  K hook states ("<create state>\0<start state>")
 *   us -> parent   S "<pid>" waiting for id maps, C "<pid>" the final process,
 *                  E "<message>" and exit, R ready, H hooks please, T pty master (fd),
 *                  N seccomp notification fd
 * A plan: ops, each u16 code, u16 nargs, u32 label length, the label (the
 * config field it came from and what it does: errors start with it), then
 * each arg as u32 length and bytes. After `start`, errors go to the exec fifo
 * instead, where `pyrunc start` reads them; the fifo closes on execve.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include "executor.h"
#include "ops.h"

#define MAX_PLAN (16 << 20)

struct executor ex = {.initpipe = -1, .rootfd = -1, .fifofd = -1, .startfd = -1,
		      .pty_slave = -1, .cgroup_tmpfs = -1, .devnull = -1,
		      .procfd = -1};
int current_op = -1;
static struct op *ops;
static const char **labels;
static int nops;
static int ns_fds[MAX_OPS];

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void send_frame(char kind, const void *payload, size_t len, int fd_to_pass)
{
	uint32_t n = (uint32_t)len;
	char header[5];
	memcpy(header, &n, 4);
	header[4] = kind;
	struct iovec iov[2] = {{header, 5}, {(void *)payload, len}};
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	if (fd_to_pass >= 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd_to_pass, sizeof(int));
	}
	while (sendmsg(ex.initpipe, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

void fail(int err, const char *fmt, ...)
{
	char msg[8192];
	size_t n = 0;
	const char *label = current_op >= 0 ? labels[current_op] : "container init";
	n += (size_t)snprintf(msg, sizeof(msg), "%s", label);
	if (fmt && *fmt && n < sizeof(msg)) {
		va_list ap;
		va_start(ap, fmt);
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, ": ");
		if (n < sizeof(msg))
			n += (size_t)vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
		va_end(ap);
	}
	if (err && n < sizeof(msg))
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(err));
	if (n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (ex.startfd >= 0)
		write_all(ex.startfd, msg, n);
	else
		send_frame('E', msg, n, -1);
	_exit(1);
}

static void read_exact(void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(ex.initpipe, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(1); /* pyrunc went away: nobody to report to */
		p += n;
		len -= (size_t)n;
	}
}

/* Frames from the parent come in the order it sends them (P, G, J, K);
 * a wait for one takes any that come first and remembers them. */
static char *arrived[256];
static uint32_t arrived_len[256];

char *expect_frame(char kind, uint32_t *len)
{
	unsigned char k = (unsigned char)kind;
	while (!arrived[k]) {
		char header[5];
		uint32_t n;
		read_exact(header, 5);
		memcpy(&n, header, 4);
		unsigned char got = (unsigned char)header[4];
		if (!got || !strchr("PGJK", got) || arrived[got] || n > MAX_PLAN)
			fail(EPROTO, "unexpected message %c from pyrunc", got);
		char *payload = malloc(n + 1);
		if (!payload)
			fail(ENOMEM, "reading a message");
		read_exact(payload, n);
		payload[n] = '\0';
		arrived[got] = payload;
		arrived_len[got] = n;
	}
	*len = arrived_len[k];
	return arrived[k];
}

int64_t arg_int(const struct op *op, int i)
{
	int64_t v = 0;
	if (i < op->nargs && op->args[i].len == sizeof(v))
		memcpy(&v, op->args[i].data, sizeof(v));
	return v;
}

const char *arg_str(const struct op *op, int i)
{
	return i < op->nargs ? op->args[i].data : "";
}

char **arg_list(const struct op *op, int i)
{
	const char *p = arg_str(op, i), *end = p + (i < op->nargs ? op->args[i].len : 0);
	size_t count = 0;
	for (const char *q = p; q < end; q += strlen(q) + 1)
		count++;
	char **list = calloc(count + 1, sizeof(char *));
	if (!list)
		fail(ENOMEM, NULL);
	count = 0;
	for (const char *q = p; q < end; q += strlen(q) + 1)
		list[count++] = (char *)q;
	return list;
}

/* Split the plan frame into ops. Each string is copied with a NUL after it. */
static void parse_plan(char *raw, uint32_t len)
{
	char *p = raw, *end = raw + len;
	ops = calloc(MAX_OPS, sizeof(struct op));
	labels = calloc(MAX_OPS, sizeof(char *));
	if (!ops || !labels)
		fail(ENOMEM, "reading the plan");
	while (p < end) {
		uint16_t code, nargs;
		uint32_t n;
		if (nops == MAX_OPS || end - p < 8)
			fail(EPROTO, "malformed plan");
		memcpy(&code, p, 2);
		memcpy(&nargs, p + 2, 2);
		memcpy(&n, p + 4, 4);
		p += 8;
		struct op *op = &ops[nops];
		op->code = code;
		op->nargs = nargs;
		if (nargs > MAX_ARGS || (uint32_t)(end - p) < n)
			fail(EPROTO, "malformed plan");
		labels[nops] = strndup(p, n);
		p += n;
		for (int i = 0; i < nargs; i++) {
			if (end - p < 4)
				fail(EPROTO, "malformed plan");
			memcpy(&n, p, 4);
			p += 4;
			if ((uint32_t)(end - p) < n)
				fail(EPROTO, "malformed plan");
			char *copy = malloc(n + 1);
			if (!copy)
				fail(ENOMEM, "reading the plan");
			memcpy(copy, p, n);
			copy[n] = '\0';
			op->args[i].data = copy;
			op->args[i].len = n;
			p += n;
		}
		nops++;
	}
}

static void send_pid(char kind, pid_t pid)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%d", (int)pid);
	send_frame(kind, text, (size_t)n, -1);
}

/* What must be opened while we are still the host's root in the host's
 * namespaces, before any op runs: the namespaces to join (joining one, a
 * mount or pid namespace, can change what the other paths mean) and the
 * sources of bind mounts (see prepare_bind), id-mapped through user
 * namespaces made for that alone and let go of once they are all cloned. */
static void open_host_paths(void)
{
	for (current_op = 0; current_op < nops; current_op++) {
		const struct op *op = &ops[current_op];
		ns_fds[current_op] = -1;
		if (op->code == OP_MOUNT)
			prepare_bind(op);
		if (op->code != OP_JOIN)
			continue;
		ns_fds[current_op] = open(arg_str(op, 1), O_RDONLY | O_CLOEXEC);
		if (ns_fds[current_op] < 0)
			fail(errno, NULL);
	}
	idmap_release();
}

static void op_join(const struct op *op)
{
	int nstype = (int)arg_int(op, 0);
	if (setns(ns_fds[current_op], nstype) < 0)
		fail(errno, NULL);
	close(ns_fds[current_op]);
	if (nstype == CLONE_NEWUSER)
		ex.in_userns = 1;
}

/* A new or joined pid namespace only applies to children: fork. The child
 * (pid 1 of a new one) goes on; CLONE_PARENT makes it pyrunc's child, so
 * pyrunc can wait for it, and this process exits. No other thread exists. */
static void op_fork(void)
{
	int told[2];
	char nothing;
	/* The child writes to the init pipe too: it waits until we have told
	 * pyrunc its pid, so that nothing of it can come first. */
	if (pipe2(told, O_CLOEXEC) < 0)
		fail(errno, NULL);
	pid_t child = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
	if (child < 0)
		fail(errno, NULL);
	if (child > 0) {
		send_pid('C', child);
		_exit(0); /* closes told[1]: the child goes on */
	}
	close(told[1]);
	while (read(told[0], &nothing, 1) < 0 && errno == EINTR)
		;
	close(told[0]);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static void wait_cgroup(void)
{
	uint32_t len;
	expect_frame('J', &len);
}

static void check(int rc)
{
	if (rc < 0)
		fail(errno, NULL);
}

/* Tell the parent we are ready, then wait for `start` to open the fifo. */
static void ready_and_wait(void)
{
	char path[32];
	if (ex.fifofd < 0) {
		/* No fifo: exec, or a create started at once (run). We say so
		 * first, then wait to be in the cgroup (exec: the parent moves us
		 * now, into a cgroup that may be frozen: exec --ignore-paused; run:
		 * its J came before, and expect_frame keeps it), and go on to
		 * execve, which closes the init pipe the parent waits on. */
		send_frame('R', "", 0, -1);
		wait_cgroup(); /* nothing of the container may run outside its cgroup */
		return;
	}
	wait_cgroup();
	send_frame('R', "", 0, -1);
	/* Blocks until `start` opens the other end. */
	snprintf(path, sizeof(path), "self/fd/%d", ex.fifofd);
	int fd = openat(private_proc(), path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, "opening the exec fifo");
	close(ex.fifofd);
	ex.fifofd = -1;
	close(ex.initpipe); /* pyrunc create is gone by now */
	ex.initpipe = -1;
	ex.startfd = fd;
	if (write_all(fd, "0", 1) < 0)
		fail(errno, "writing the exec fifo");
}

/* The process's user must be able to write the fifo it waits on. */
static void check_fifo(void)
{
	char path[32];
	snprintf(path, sizeof(path), "self/fd/%d", ex.fifofd);
	if (faccessat(private_proc(), path, W_OK, 0) < 0)
		fail(errno, "uid %d cannot write the exec fifo", (int)getuid());
}

static void op_setgroups(const struct op *op)
{
	size_t n = op->args[0].len / sizeof(uint32_t);
	gid_t *gids = calloc(n + 1, sizeof(gid_t));
	if (!gids)
		fail(ENOMEM, NULL);
	for (size_t i = 0; i < n; i++) {
		uint32_t g;
		memcpy(&g, op->args[0].data + i * sizeof(g), sizeof(g));
		gids[i] = g;
	}
	check(setgroups(n, gids));
	free(gids);
}

/* A change of credentials resets "dumpable" (to fs.suid_dumpable): set it
 * back, so the container's user cannot ptrace us before execve. */
static void set_ids(const struct op *op)
{
	if (op->code == OP_SETGID) {
		gid_t g = (gid_t)arg_int(op, 0);
		check(setresgid(g, g, g));
	} else {
		uid_t u = (uid_t)arg_int(op, 0);
		check(setresuid(u, u, u));
	}
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static void run_op(const struct op *op)
{
	switch (op->code) {
	case OP_JOIN: op_join(op); break;
	case OP_UNSHARE:
		check(unshare((int)arg_int(op, 0)));
		if (arg_int(op, 0) & CLONE_NEWUSER)
			ex.in_userns = 1;
		break;
	case OP_USERNS_SYNC: {
		/* An unprivileged parent can open our id map files only while we
		 * are dumpable; nobody else sees us yet (a new user namespace, no
		 * other namespace joined, the host's pid namespace). */
		uint32_t len;
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		send_pid('S', getpid());
		expect_frame('G', &len);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		break;
	}
	case OP_BECOME_ROOT:
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			fail(errno, NULL);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* see set_ids */
		break;
	case OP_FORK: op_fork(); break;
	case OP_WAIT_CGROUP: wait_cgroup(); break;
	case OP_ROOT_PRIVATE: op_root_private(op); break;
	case OP_BIND_ROOTFS: op_bind_rootfs(op); break;
	case OP_MOUNT: op_mount(op); break;
	case OP_CGROUP_TMPFS: op_cgroup_tmpfs(op); break;
	case OP_CGROUP_HIER: op_cgroup_hier(op); break;
	case OP_CGROUP_DONE: op_cgroup_done(op); break;
	case OP_MKNOD: op_mknod(op); break;
	case OP_BIND_DEVICE: op_bind_device(op); break;
	case OP_SYMLINK: op_symlink(op); break;
	case OP_HOSTNAME: check(sethostname(arg_str(op, 0), op->args[0].len)); break;
	case OP_DOMAINNAME: check(setdomainname(arg_str(op, 0), op->args[0].len)); break;
	case OP_CONSOLE: op_console(op); break;
	case OP_HOOK_STATES: op_hook_states(op); break;
	case OP_HOOK: op_hook(op); break;
	case OP_OPEN_FIFO:
		ex.fifofd = open(arg_str(op, 0), O_PATH | O_CLOEXEC);
		check(ex.fifofd);
		break;
	case OP_PIVOT_ROOT: op_pivot_root(op); break;
	case OP_CHECK_PROC: op_check_proc(op); break;
	case OP_SYSCTL: op_sysctl(op); break;
	case OP_MASK: op_mask(op); break;
	case OP_READONLY: op_readonly(op); break;
	case OP_ROOT_READONLY: op_root_readonly(op); break;
	case OP_MOUNT_READONLY: op_mount_readonly(op); break;
	case OP_SETSID: op_setsid(op); break;
	case OP_RLIMIT: op_rlimit(op); break;
	case OP_OOM_SCORE_ADJ: op_oom_score_adj(op); break;
	case OP_DROP_BOUNDING: op_drop_bounding(op); break;
	case OP_SECCOMP: op_seccomp(op); break;
	case OP_KEEP_CAPS: check(prctl(PR_SET_KEEPCAPS, (unsigned long)arg_int(op, 0), 0, 0, 0)); break;
	case OP_SETGROUPS: op_setgroups(op); break;
	case OP_SETGID:
	case OP_SETUID: set_ids(op); break;
	case OP_CAPSET: op_capset(op); prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); break;
	case OP_UMASK: ex.umask = (mode_t)arg_int(op, 0); break;
	case OP_NO_NEW_PRIVS: check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)); break;
	case OP_ENV: op_env(op); break;
	case OP_CLOSE_FDS: op_close_fds(op); break;
	case OP_CHDIR: op_chdir(op); break;
	case OP_FIND_EXEC: op_find_exec(op); break;
	case OP_CHECK_FIFO: check_fifo(); break;
	case OP_READY: ready_and_wait(); break;
	case OP_EXEC: op_exec(op); break;
	case OP_TIME_OFFSETS: op_time_offsets(op); break;
	case OP_KEYRING: op_keyring(op); break;
	case OP_PERSONALITY: op_personality(op); break;
	case OP_CPU_AFFINITY: op_cpu_affinity(op); break;
	case OP_SCHEDULER: op_scheduler(op); break;
	case OP_IOPRIO: op_ioprio(op); break;
	case OP_MEMORY_POLICY: op_memory_policy(op); break;
	default: fail(EPROTO, "unknown operation %d", op->code);
	}
}

/* Every fd the caller let us inherit, but stdio, the preserved ones (those
 * below OP_CLOSE_FDS's first) and the init pipe, goes now, before we join
 * or make any namespace: once we are seen in the container's pid namespace,
 * a process there with CAP_SYS_PTRACE could read them in /proc/PID/fd. */
static void close_inherited_fds(void)
{
	unsigned int first = 3;
	for (int i = 0; i < nops; i++)
		if (ops[i].code == OP_CLOSE_FDS)
			first = (unsigned int)arg_int(&ops[i], 0);
	unsigned int pipe = (unsigned int)ex.initpipe;
	if (pipe > first)
		syscall(SYS_close_range, first, pipe - 1, 0);
	syscall(SYS_close_range, pipe >= first ? pipe + 1 : first, ~0U, 0);
}

static void execute_plan(void)
{
	uint32_t len;
	char *raw = expect_frame('P', &len);
	parse_plan(raw, len);
	close_inherited_fds();
	open_host_paths();
	/* Set-up files get exactly the modes the plan names; the process's own
	 * umask (the caller's unless process.user.umask) is restored at execve. */
	ex.umask = umask(0);
	for (current_op = 0; current_op < nops; current_op++)
		run_op(&ops[current_op]);
	current_op = -1;
	fail(EPROTO, "the plan ended without an exec");
}

__attribute__((constructor)) static void pyrunc_init(void)
{
	const char *env = getenv("_PYRUNC_INITPIPE");
	if (!env || !*env)
		return;
	ex.initpipe = atoi(env);
	fcntl(ex.initpipe, F_SETFD, FD_CLOEXEC); /* never the container's */
	/* A hook that does not read the state we write to its stdin must cost
	 * an EPIPE, not our life; whoever started us may have left SIGPIPE at
	 * its default. Hooks and the container's process get every signal at
	 * its default again (reset_signals, process.c). */
	signal(SIGPIPE, SIG_IGN);
	/* Nothing in the container may ptrace us or open our /proc files until
	 * the container's own program runs. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	execute_plan(); /* never returns */
}

int main(void)
{
	fputs("pyrunc-init: this program is started by pyrunc, with a plan to run\n", stderr);
	return 1;
}
