/*
 * pyrunc, the command: a small C front to the Python command line.
 *
 * Engines call `state` again and again, and `create` and `exec` wait for a
 * kernel grace period; a Python interpreter takes ~7 ms just to start. So:
 *   - `state ID` is answered here when the container has a state.fast file
 *     (written by create, see libcontainer/state_fast.py): the state JSON,
 *     rendered by Python at create time, with the status and pid of now;
 *   - `kill ID [SIGNAL]` of a live container likewise: the init's pid and
 *     start time are in state.fast; and `start ID` when all it takes is
 *     the exec fifo (no poststart hooks); `delete [--force] ID` of a stopped
 *     one without poststop hooks;
 *   - for `create`, `run` and `exec`, what can start before Python does
 *     (early.c): pyrunc-init, waiting for its plan, and a child that keeps
 *     the kernel's cgroup-migration lock warm;
 *   - everything else, and anything unusual here, is the Python command
 *     line's: we exec the interpreter next to us (the venv's) with it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "early.h"

#define DEFAULT_ROOT "/run/pyrunc"
/* Our modules come from one compiled pack where there is one (runtime/code_pack.py). */
#define PYTHON_MAIN "from runtime import code_pack; code_pack.install(); " \
	"from runtime.main import main; main()"
#define STATUS_MARK "\"@@STATUS@@\""
#define PID_MARK "-424242"

struct command_line {
	const char *root, *log, *command, *id, *extra;
	int json_log; /* --log-format json */
	int ps_json;  /* ps --format json */
	int fast;     /* nothing here asks for the Python command line */
};

static char *read_file(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = malloc(max + 1);
	ssize_t n = buf ? read(fd, buf, max) : -1;
	close(fd);
	if (n < 0 || (size_t)n == max) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Global flags, then the command and its arguments. Only what the fast
 * paths understand keeps cl->fast. */
static void parse(int argc, char **argv, struct command_line *cl)
{
	int i = 1;
	static char rootless_root[PATH_MAX];
	const char *runtime_dir = getenv("XDG_RUNTIME_DIR");
	cl->root = DEFAULT_ROOT; /* state.default_root() in Python */
	if (geteuid() != 0 && runtime_dir &&
	    snprintf(rootless_root, sizeof(rootless_root), "%s/pyrunc", runtime_dir) < PATH_MAX)
		cl->root = rootless_root;
	cl->fast = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--root") == 0 && i + 1 < argc)
			cl->root = argv[++i];
		else if (strncmp(a, "--root=", 7) == 0)
			cl->root = a + 7;
		else if (strcmp(a, "--log") == 0 && i + 1 < argc)
			cl->log = argv[++i];
		else if (strncmp(a, "--log=", 6) == 0)
			cl->log = a + 6;
		else if (strcmp(a, "--log-format") == 0 && i + 1 < argc)
			cl->json_log = strcmp(argv[++i], "json") == 0;
		else if (strncmp(a, "--log-format=", 13) == 0)
			cl->json_log = strcmp(a + 13, "json") == 0;
		else if (strcmp(a, "--systemd-cgroup") == 0)
			;
		else
			cl->fast = 0; /* --debug, --help, anything else */
	}
	cl->command = i < argc ? argv[i] : "";
	/* delete --force of a container that is stopped already is plain delete
	 * (engines always ask so); a running one is Python's. */
	if (strcmp(cl->command, "delete") == 0 && i + 1 < argc &&
	    (strcmp(argv[i + 1], "--force") == 0 || strcmp(argv[i + 1], "-f") == 0))
		i++;
	/* ps --format json ID: the pid list engines ask for (containerd's) */
	if (strcmp(cl->command, "ps") == 0 && i + 2 < argc && strcmp(argv[i + 2], "json") == 0 &&
	    (strcmp(argv[i + 1], "--format") == 0 || strcmp(argv[i + 1], "-f") == 0))
		i += 2, cl->ps_json = 1;
	else if (strcmp(cl->command, "ps") == 0 && i + 1 < argc &&
		 strcmp(argv[i + 1], "--format=json") == 0)
		i += 1, cl->ps_json = 1;
	cl->id = i + 1 < argc ? argv[i + 1] : NULL;
	cl->extra = i + 2 < argc ? argv[i + 2] : NULL; /* kill's signal */
	if (i + 2 != argc && !(i + 3 == argc && strcmp(cl->command, "kill") == 0))
		cl->fast = 0;
	if (cl->id && cl->id[0] == '-')
		cl->fast = 0; /* a command's own flag (kill --all ...) */
}

/* Letters, digits and _.+- starting with a letter or digit (state.check_id). */
static int plain_id(const char *id)
{
	if (!id || !((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z') ||
		     (*id >= '0' && *id <= '9')))
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-") ==
	       strlen(id);
}

/* The process `pid` started at `start` (field 22 of its stat) and is no zombie. */
static int alive(long pid, const char *start)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	char *stat = read_file(path, 4096);
	if (!stat)
		return 0;
	char *p = strrchr(stat, ')');
	int ok = 0;
	if (p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X') {
		char *field = p + 2;
		for (int n = 3; n < 22 && field; n++) {
			field = strchr(field, ' ');
			if (field)
				field++;
		}
		ok = field && strncmp(field, start, strlen(start)) == 0 &&
		     field[strlen(start)] == ' ';
	}
	free(stat);
	return ok;
}

/* "v1 PATH" (freezer.state) or "v2 PATH" (cgroup.events); read errors: not frozen. */
static int frozen(const char *how)
{
	char *text = read_file(how + 3, 4096);
	int yes = 0;
	if (text && strncmp(how, "v1 ", 3) == 0)
		yes = strcmp(text, "FROZEN\n") == 0 || strcmp(text, "FROZEN") == 0;
	else if (text && strncmp(how, "v2 ", 3) == 0)
		yes = strstr(text, "frozen 1") != NULL;
	free(text);
	return yes;
}

static void put(const char *from, const char *to)
{
	fwrite(from, 1, (size_t)(to - from), stdout);
}

#define FAST_LINES 5

/* The lines of state.fast (see libcontainer/state_fast.py), or NULL;
 * lines[] point into the result. */
static char *read_state_fast(const struct command_line *cl, char *dir, char *lines[FAST_LINES])
{
	char path[PATH_MAX + 16];
	if (!plain_id(cl->id) || snprintf(dir, PATH_MAX, "%s/%s", cl->root, cl->id) >= PATH_MAX)
		return NULL;
	snprintf(path, sizeof(path), "%s/state.fast", dir);
	char *text = read_file(path, 1 << 20);
	lines[0] = text;
	for (int i = 1; text && i < FAST_LINES; i++)
		if ((lines[i] = strchr(lines[i - 1], '\n')) != NULL)
			*lines[i]++ = '\0';
	if (text && !lines[FAST_LINES - 1]) {
		free(text);
		return NULL;
	}
	return text;
}

static void touch_log(const struct command_line *cl)
{
	if (cl->log) /* runc writes its log file always */
		close(open(cl->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
}

/* The status as Container.status() says it, from the state dir and the
 * lines of its state.fast. */
static const char *status_of(const char *dir, char *lines[FAST_LINES])
{
	char fifo[PATH_MAX + 16];
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
	if (!alive(strtol(lines[0], NULL, 10), lines[1]))
		return "stopped";
	if (access(fifo, F_OK) == 0)
		return "created";
	if (strcmp(lines[2], "-") != 0 && frozen(lines[2]))
		return "paused";
	return "running";
}

/* The state JSON with STATUS_MARK and PID_MARK made what they are now. */
static int state(const struct command_line *cl)
{
	char dir[PATH_MAX], *lines[FAST_LINES];
	char *text = read_state_fast(cl, dir, lines);
	if (!text)
		return -1;
	const char *status = status_of(dir, lines);
	long pid = strcmp(status, "stopped") == 0 ? 0 : strtol(lines[0], NULL, 10);
	/* The first of each marker is the field (the fields before them are
	 * fixed strings of ours), whichever comes first. */
	char *json = lines[4], *smark = strstr(json, STATUS_MARK), *pmark = strstr(json, PID_MARK);
	if (!smark || !pmark)
		return free(text), -1;
	char number[32];
	snprintf(number, sizeof(number), "%ld", pid);
	char quoted[32];
	snprintf(quoted, sizeof(quoted), "\"%s\"", status);
	char *first = smark < pmark ? smark : pmark, *second = smark < pmark ? pmark : smark;
	put(json, first);
	fputs(first == smark ? quoted : number, stdout);
	first += first == smark ? strlen(STATUS_MARK) : strlen(PID_MARK);
	put(first, second);
	fputs(second == smark ? quoted : number, stdout);
	fputs(second + (second == smark ? strlen(STATUS_MARK) : strlen(PID_MARK)), stdout);
	touch_log(cl);
	fflush(stdout);
	free(text);
	return 0;
}

/* An error as the Python command line reports it: "pyrunc: MESSAGE" on
 * stderr and, with --log, a line in its format (runtime/log.py). */
static void report_error(const struct command_line *cl, const char *message)
{
	fprintf(stderr, "pyrunc: %s\n", message);
	if (!cl->log)
		return;
	char stamp[32], escaped[8192];
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)message; *p && n < sizeof(escaped) - 8; p++) {
		if (*p == '"' || *p == '\\')
			n += (size_t)sprintf(escaped + n, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f) /* UTF-8 passes as it is: still JSON */
			n += (size_t)sprintf(escaped + n, "\\u%04x", *p);
		else
			escaped[n++] = (char)*p;
	}
	escaped[n] = '\0';
	FILE *log = fopen(cl->log, "a");
	if (!log)
		return;
	if (cl->json_log)
		fprintf(log, "{\"level\":\"error\",\"msg\":\"%s\",\"time\":\"%s\"}\n", escaped, stamp);
	else
		fprintf(log, "time=\"%s\" level=error msg=\"%s\"\n", stamp, escaped);
	fclose(log);
}

/* start ID of a created container that needs nothing but its exec fifo
 * (state.fast says "start"): open the fifo, read "0" and then whatever the
 * init writes there until it execs (an error after start), as
 * libcontainer/start.py does. Anything unusual before the fifo: Python's. */
static int start_container(const struct command_line *cl)
{
	char dir[PATH_MAX], fifo[PATH_MAX + 16], *lines[FAST_LINES], said[4096];
	char *text = read_state_fast(cl, dir, lines);
	if (!text)
		return -1;
	long pid = strtol(lines[0], NULL, 10);
	int lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
	if (strcmp(lines[3], "start") != 0 || lock < 0 || flock(lock, LOCK_EX) < 0 ||
	    !alive(pid, lines[1]) || access(fifo, F_OK) < 0) {
		free(text);
		return -1; /* the lock goes with exec (close-on-exec) */
	}
	int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return free(text), -1;
	size_t got = 0;
	int started = 0;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int ready = poll(&p, 1, 100);
		ssize_t n = ready > 0 ? read(fd, said + got, sizeof(said) - 1 - got) : 0;
		if (n > 0) {
			got += (size_t)n;
			started = 1;
			if (got < sizeof(said) - 1)
				continue;
		}
		if ((ready > 0 && started) || got >= sizeof(said) - 1 || !alive(pid, lines[1]))
			break; /* end of file: it exec'd, or failed and said why */
	}
	close(fd);
	unlink(fifo);
	said[got] = '\0';
	touch_log(cl);
	if (!started) {
		char message[PATH_MAX + 64];
		snprintf(message, sizeof(message), "container %s: its init exited before start", cl->id);
		report_error(cl, message);
	} else if (got > 1) {
		report_error(cl, said + 1);
	}
	free(text);
	close(lock);
	return started && got <= 1 ? 0 : 1;
}

/* Ask the freezer to freeze or thaw: `how` is state.fast's freezer line,
 * "v1 DIR/freezer.state" or "v2 DIR/cgroup.events" (the request then goes to
 * DIR/cgroup.freeze). 0 or -1 with errno. */
static int request_freeze(const char *how, int freeze)
{
	char path[PATH_MAX];
	const char *word = freeze ? "FROZEN" : "THAWED";
	snprintf(path, sizeof(path), "%s", how + 3);
	if (strncmp(how, "v2 ", 3) == 0) {
		char *slash = strrchr(path, '/');
		if (!slash || (size_t)(slash - path) + 16 > sizeof(path))
			return errno = ENAMETOOLONG, -1;
		strcpy(slash + 1, "cgroup.freeze");
		word = freeze ? "1" : "0";
	}
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ok = fd >= 0 && write(fd, word, strlen(word)) == (ssize_t)strlen(word);
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* pause or resume ID, as libcontainer/pause.py and the cgroup drivers do,
 * when the container is running (pause) or paused (resume) and has a
 * freezer; anything else is Python's to word. On v1 a FREEZING freezer
 * wants the request repeated; 2 s without FROZEN undoes it. */
static int pause_or_resume(const struct command_line *cl, int freeze)
{
	char dir[PATH_MAX], *lines[FAST_LINES];
	char *text = read_state_fast(cl, dir, lines);
	if (!text)
		return -1;
	const char *how = lines[2];
	if (strcmp(how, "-") == 0 || strcmp(status_of(dir, lines), freeze ? "running" : "paused") ||
	    request_freeze(how, freeze) < 0)
		return free(text), -1;
	long waited_us = 0;
	for (long pause_us = 1000; freeze && !frozen(how); pause_us = pause_us < 25000 ? pause_us * 2 : 50000) {
		if (waited_us >= 2000000) {
			request_freeze(how, 0);
			report_error(cl, strncmp(how, "v1 ", 3) == 0
				     ? "cannot freeze the container's cgroup: it stayed FREEZING"
				     : "cannot freeze the container's cgroup: it did not report frozen");
			return free(text), 1;
		}
		if (strncmp(how, "v1 ", 3) == 0)
			request_freeze(how, 1);
		struct timespec nap = {0, pause_us * 1000};
		nanosleep(&nap, NULL);
		waited_us += pause_us;
	}
	free(text);
	touch_log(cl);
	return 0;
}

struct pids {
	long *pid;
	size_t n, room;
};

/* The pids in the cgroup at path and every cgroup below it; -1 if one
 * could not be read. */
static int collect_pids(const char *path, struct pids *p)
{
	char procs[PATH_MAX + 16];
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	char *text = read_file(procs, 1 << 22);
	DIR *d = text ? opendir(path) : NULL;
	if (!d)
		return free(text), -1;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (p->n == p->room) {
			p->room = p->room ? 2 * p->room : 64;
			long *more = realloc(p->pid, p->room * sizeof(long));
			if (!more)
				return free(text), closedir(d), -1;
			p->pid = more;
		}
		p->pid[p->n++] = strtol(line, NULL, 10);
	}
	free(text);
	struct dirent *e;
	int ok = 0;
	while (ok == 0 && (e = readdir(d)) != NULL) {
		char below[PATH_MAX];
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(below, sizeof(below), "%s/%s", path, e->d_name) >= (int)sizeof(below))
			ok = -1;
		else
			ok = collect_pids(below, p);
	}
	closedir(d);
	return ok;
}

static int by_number(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* ps --format json ID, as runtime/ps_command.py prints it: the sorted pids
 * of the container's cgroup (the first of its own that delete.fast lists,
 * and those below it), or null once it has stopped. */
static int ps_json(const struct command_line *cl)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *lines[FAST_LINES];
	char *text = read_state_fast(cl, dir, lines);
	if (!text)
		return -1;
	int running = strcmp(status_of(dir, lines), "stopped") != 0;
	free(text);
	struct pids p = {0};
	if (running) {
		snprintf(path, sizeof(path), "%s/delete.fast", dir);
		char *cgroups = read_file(path, 1 << 20);
		char *own = cgroups ? strstr(cgroups, "C ") : NULL;
		if (own && (own == cgroups || own[-1] == '\n'))
			own[strcspn(own, "\n")] = '\0';
		else
			own = NULL;
		int ok = own ? collect_pids(own + 2, &p) : -1;
		free(cgroups);
		if (ok < 0)
			return free(p.pid), -1;
	}
	qsort(p.pid, p.n, sizeof(long), by_number);
	size_t unique = 0;
	for (size_t i = 0; i < p.n; i++)
		if (p.pid[i] > 0 && (unique == 0 || p.pid[unique - 1] != p.pid[i]))
			p.pid[unique++] = p.pid[i];
	if (unique == 0)
		fputs("null", stdout); /* as runc */
	for (size_t i = 0; i < unique; i++)
		printf("%s%ld%s", i ? "," : "[", p.pid[i], i + 1 == unique ? "]" : "");
	fputc('\n', stdout);
	fflush(stdout);
	free(p.pid);
	touch_log(cl);
	return 0;
}

/* Remove the cgroup dirs delete.fast lists; -1 when one of the container's
 * own will not go (processes left, sub-cgroups): Python's delete then. */
static int remove_cgroups(const char *dir)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/delete.fast", dir);
	char *text = read_file(path, 1 << 20);
	if (!text)
		return -1;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (strlen(line) < 3)
			continue;
		if (rmdir(line + 2) < 0 && errno != ENOENT && line[0] == 'C')
			return free(text), -1;
	}
	free(text);
	return 0;
}

static void remove_state_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

/* delete ID of a stopped container without hooks (delete.fast exists). */
static int delete_container(const struct command_line *cl)
{
	char dir[PATH_MAX], *lines[FAST_LINES];
	char *text = read_state_fast(cl, dir, lines);
	if (!text)
		return -1;
	int lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int stopped = lock >= 0 && flock(lock, LOCK_EX) == 0 &&
		      !alive(strtol(lines[0], NULL, 10), lines[1]);
	free(text);
	if (!stopped || remove_cgroups(dir) < 0)
		return -1; /* the lock goes with exec (close-on-exec) */
	remove_state_dir(dir);
	close(lock);
	touch_log(cl);
	return 0;
}

/* A signal as `kill` takes it: a number or a name, with or without SIG;
 * 0 when it is one for Python to judge (real-time names, odd spellings). */
static int signal_number(const char *text)
{
	static const char *names[] = {NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
		"FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD",
		"CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
		"WINCH", "IO", "PWR", "SYS"};
	char *end;
	long number = strtol(text, &end, 10);
	if (*text && !*end)
		return number > 0 && number < 65 ? (int)number : 0;
	if (strncmp(text, "SIG", 3) == 0)
		text += 3;
	for (int i = 1; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(text, names[i]) == 0)
			return i;
	return 0;
}

/* kill ID [SIGNAL] of a container that is alive; anything else (not
 * running, --all, a signal 0 or a name we do not know) is Python's. */
static int kill_container(const struct command_line *cl)
{
	char dir[PATH_MAX], *lines[FAST_LINES];
	int sig = signal_number(cl->extra ? cl->extra : "TERM");
	char *text = sig ? read_state_fast(cl, dir, lines) : NULL;
	if (!text)
		return -1;
	long pid = strtol(lines[0], NULL, 10);
	int done = alive(pid, lines[1]) && kill((pid_t)pid, sig) == 0;
	free(text);
	if (!done)
		return -1;
	touch_log(cl);
	return 0;
}

/* The venv's site-packages and the paths its editable-install .pth files
 * name, for an interpreter started without its `site` module (~1 ms less);
 * the number found, 0 when the layout is not the usual one. */
static int import_paths(const char *venv, char paths[2][PATH_MAX])
{
	char lib[PATH_MAX + 8];
	snprintf(lib, sizeof(lib), "%s/lib", venv);
	DIR *d = opendir(lib);
	struct dirent *e;
	int found = 0;
	while (d && !found && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "python3.", 8) == 0 &&
		    snprintf(paths[1], PATH_MAX, "%s/%s/site-packages", lib, e->d_name) < PATH_MAX)
			found = access(paths[1], F_OK) == 0;
	if (d)
		closedir(d);
	d = found ? opendir(paths[1]) : NULL;
	found = 0;
	while (d && (e = readdir(d)) != NULL) {
		char pth[PATH_MAX * 2];
		if (strncmp(e->d_name, "__editable__.", 13) != 0 || !strstr(e->d_name, ".pth"))
			continue;
		snprintf(pth, sizeof(pth), "%s/%s", paths[1], e->d_name);
		char *line = read_file(pth, PATH_MAX - 1);
		if (line && line[0] == '/') { /* a path entry, not an import hook */
			line[strcspn(line, "\n")] = '\0';
			snprintf(paths[0], PATH_MAX, "%s", line);
			found = 1;
		}
		free(line);
	}
	if (d)
		closedir(d);
	return found ? 2 : 0; /* a non-editable install: let `site` do it */
}

/* early: start what create, run and exec need before Python (early.c). */
static void exec_python(int argc, char **argv, int early)
{
	char venv[PATH_MAX], python[PATH_MAX + 16], paths[2][PATH_MAX] = {"", ""};
	ssize_t n = readlink("/proc/self/exe", venv, sizeof(venv) - 1);
	if (n < 0) {
		perror("pyrunc: /proc/self/exe");
		exit(1);
	}
	venv[n] = '\0';
	*strrchr(venv, '/') = '\0';
	snprintf(python, sizeof(python), "%s/python3", venv);
	*strrchr(venv, '/') = '\0';
	int extra = import_paths(venv, paths);
	if (early) {
		/* _nsexec is in the editable path, or else in site-packages */
		char init[PATH_MAX + 32];
		snprintf(init, sizeof(init), "%s/_nsexec/pyrunc-init", paths[extra ? 0 : 1]);
		start_early_helpers(init);
	}
	char **args = calloc((size_t)argc + 8, sizeof(char *));
	if (!args)
		exit(1);
	int k = 0;
	args[k++] = python;
	args[k++] = "-I"; /* no cwd on sys.path, no PYTHON* variables */
	if (extra) {
		args[k++] = "-S";
		args[k++] = "-c";
		args[k++] = "import sys; sys.path[:0] = sys.argv[1:3]; del sys.argv[1:3]; " PYTHON_MAIN;
		args[k++] = paths[0];
		args[k++] = paths[1];
	} else {
		args[k++] = "-c";
		args[k++] = PYTHON_MAIN;
	}
	for (int i = 1; i < argc; i++)
		args[k++] = argv[i];
	execv(python, args);
	fprintf(stderr, "pyrunc: %s: %s\n", python, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	struct command_line cl = {0};
	parse(argc, argv, &cl);
	if (cl.fast && strcmp(cl.command, "state") == 0 && state(&cl) == 0)
		return 0;
	if (cl.fast && strcmp(cl.command, "kill") == 0 && kill_container(&cl) == 0)
		return 0;
	if (cl.fast && strcmp(cl.command, "delete") == 0 && delete_container(&cl) == 0)
		return 0;
	if (cl.fast && cl.ps_json && ps_json(&cl) == 0)
		return 0;
	if (cl.fast && (strcmp(cl.command, "pause") == 0 || strcmp(cl.command, "resume") == 0)) {
		int status = pause_or_resume(&cl, cl.command[0] == 'p');
		if (status >= 0)
			return status;
	}
	if (cl.fast && strcmp(cl.command, "start") == 0) {
		int status = start_container(&cl);
		if (status >= 0)
			return status;
	}
	exec_python(argc, argv, !strcmp(cl.command, "create") || !strcmp(cl.command, "run") ||
				!strcmp(cl.command, "exec"));
	return 1;
}
