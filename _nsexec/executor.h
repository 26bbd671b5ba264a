/* The executor: runs a plan (ops.h) in the process pyrunc spawned, before
 * any interpreter exists, and ends in execve() of the container's process.
 * Shared declarations of its files: executor.c (the constructor, the channel,
 * namespaces, the loop), rootfs.c, idmap.c, copyup.c, process.c, attributes.c. */
#ifndef NSEXEC_EXECUTOR_H
#define NSEXEC_EXECUTOR_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_ARGS 16
#define MAX_OPS 4096

struct arg {
	const char *data; /* NUL-terminated: the plan's bytes are copied with a NUL after each */
	uint32_t len;
};

struct op {
	int code;
	int nargs;
	struct arg args[MAX_ARGS];
};

/* What ops leave for later ops. */
struct executor {
	int initpipe;
	int rootfd;        /* O_PATH of the container's root (before pivot_root) */
	int fifofd;        /* O_PATH of the exec fifo */
	int startfd;       /* the fifo open for writing once start came: errors go there */
	int pty_slave;     /* the container's end of its pty, until it is stdio */
	int cgroup_tmpfs;  /* the v1 cgroup tmpfs mount, for its hierarchies */
	int devnull;       /* the container's /dev/null, checked: the source of masked files */
	int procfd;        /* a procfs of our own (private_proc) */
	int in_userns;
	char *hook_states[2];
	char **env;        /* the process's environment, NULL-terminated */
	char *exec_path;
	mode_t umask;
};

extern struct executor ex;
extern int current_op; /* index, for errors */

/* Report to the parent "<op index> <errno> <detail>" and exit. */
void fail(int err, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void send_frame(char kind, const void *payload, size_t len, int fd_to_pass);
/* The parent's frame of `kind`, waited for if it has not come yet; its
 * payload (NUL-terminated) stays ours to keep. */
char *expect_frame(char kind, uint32_t *len);

int64_t arg_int(const struct op *op, int i);
const char *arg_str(const struct op *op, int i);
/* A NUL-separated list as a NULL-terminated array (malloc'd). */
char **arg_list(const struct op *op, int i);

/* rootfs.c */
void op_root_private(const struct op *op);
void op_bind_rootfs(const struct op *op);
void prepare_bind(const struct op *op);
void op_mount(const struct op *op);
void op_cgroup_tmpfs(const struct op *op);
void op_cgroup_hier(const struct op *op);
void op_cgroup_done(const struct op *op);
void op_mknod(const struct op *op);
void op_bind_device(const struct op *op);
void op_symlink(const struct op *op);
void op_pivot_root(const struct op *op);
void op_check_proc(const struct op *op);
void op_sysctl(const struct op *op);
void op_mask(const struct op *op);
void op_readonly(const struct op *op);
void op_mount_readonly(const struct op *op);
void op_root_readonly(const struct op *op);
int open_in_root(int root, const char *path, int flags, uint64_t resolve);
void refuse_procfs(int fd, const char *dest);
int private_proc(void);
int ensure_dir(int root, const char *path, int depth);
char *fd_path(int fd, char buf[32]);

/* idmap.c */
/* Id-map the detached mount mntfd: with a joined user namespace's mapping
 * (userns_path) or else one made with these maps (text of /proc/PID/uid_map);
 * recursive: every mount of its tree. */
void idmap_mount(int mntfd, const char *uid_map, const char *gid_map, const char *userns_path,
		 int recursive);
/* Close the user namespaces made for mappings (every source is cloned). */
void idmap_release(void);

/* copyup.c */
void copy_tree(int from_dir, int to_dir);

/* process.c */
void op_console(const struct op *op);
void op_hook_states(const struct op *op);
void op_hook(const struct op *op);
void op_setsid(const struct op *op);
void op_rlimit(const struct op *op);
void op_oom_score_adj(const struct op *op);
void op_drop_bounding(const struct op *op);
void op_seccomp(const struct op *op);
void op_capset(const struct op *op);
void op_env(const struct op *op);
void op_close_fds(const struct op *op);
void op_chdir(const struct op *op);
void op_find_exec(const struct op *op);
void op_exec(const struct op *op);
/* 0, or -1 with errno (a short write: ENOSPC, EPIPE...). */
int write_all(int fd, const void *buf, size_t len);

/* attributes.c */
void op_time_offsets(const struct op *op);
void op_keyring(const struct op *op);
void op_personality(const struct op *op);
void op_cpu_affinity(const struct op *op);
void op_scheduler(const struct op *op);
void op_ioprio(const struct op *op);
void op_memory_policy(const struct op *op);

#endif
