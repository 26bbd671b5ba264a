/* The operations of a plan (libcontainer/plan/): the parent compiles a
 * container's config into a list of these, the executor (executor.c) runs
 * them in order. This enum is the one source of the numbers: cffi's cdef
 * reads it too (build.py), and Python takes the values from the module.
 * Arguments: i = integer (8 bytes), s = string, l = string list (NUL-separated),
 * b = bytes. */
#ifndef NSEXEC_OPS_H
#define NSEXEC_OPS_H

enum plan_op {
	/* namespaces, in the process pyrunc spawned */
	OP_JOIN = 1,           /* i nstype, s path (all opened before the first join) */
	OP_UNSHARE = 2,        /* i clone flags */
	OP_USERNS_SYNC = 3,    /* the parent writes the id maps while we wait */
	OP_BECOME_ROOT = 4,    /* uid/gid 0 of the user namespace */
	OP_FORK = 5,           /* CLONE_PARENT child; the rest runs in it */
	OP_WAIT_CGROUP = 6,    /* wait for the parent's word that we are in the cgroup */
	/* the root filesystem */
	OP_ROOT_PRIVATE = 10,  /* i mount flags for "/" (propagation) */
	OP_BIND_ROOTFS = 11,   /* s host path of the rootfs, i 1: only opened, not bound
				  (no mount namespace: no mount is ours to make) */
	OP_MOUNT = 12,         /* s dest, s source, s fstype, i attrs set, i attrs clear,
				  i recursive attrs set, i recursive attrs clear,
				  i propagation, i how (MOUNT_HOW_*), l fs options,
				  s uid map, s gid map (an id-mapped bind: its user
				  namespace's maps, as /proc/PID/uid_map takes them),
				  s user namespace path (instead of the maps: a joined one) */
	OP_CGROUP_TMPFS = 13,  /* s dest, i attrs: the v1 tmpfs that holds the hierarchies */
	OP_CGROUP_HIER = 14,   /* s name, s host dir (bind) or "" (new mount), l fs options,
				  i attrs */
	OP_CGROUP_DONE = 15,   /* i attrs to set on the tmpfs (read-only) */
	OP_MKNOD = 16,         /* s path, i mode with type, i dev, i uid, i gid */
	OP_BIND_DEVICE = 17,   /* s path (same on host and in the root) */
	OP_SYMLINK = 18,       /* s target, s link path */
	OP_HOSTNAME = 19,      /* s name */
	OP_DOMAINNAME = 20,    /* s name */
	OP_CONSOLE = 21,       /* s the devpts dir in the root, i rows, i cols,
				  i bind over /dev/console */
	OP_HOOK_STATES = 22,   /* ask the parent for hook states (it runs its own hooks) */
	OP_HOOK = 23,          /* i which state (0 create, 1 start), s path, i timeout,
				  l args, l env, i 1 = no env of its own: the process's
				  once OP_ENV set it (before: the list) */
	OP_OPEN_FIFO = 24,     /* s host path of the exec fifo */
	OP_PIVOT_ROOT = 25,    /* i propagation flags for the new "/" (0: none),
				  i how (ROOT_SWITCH_*), s host path of the rootfs */
	OP_CHECK_PROC = 26,    /* i 1: /proc is not checked (no mount namespace);
				  0: /proc must be a procfs */
	OP_SYSCTL = 27,        /* s path under /proc/sys, s value */
	OP_MASK = 28,          /* s path */
	OP_READONLY = 29,      /* s path */
	OP_ROOT_READONLY = 30,
	OP_SETSID = 31,        /* a new session; the pty (if any) as controlling tty and stdio */
	OP_RLIMIT = 32,        /* i resource, i soft, i hard */
	OP_OOM_SCORE_ADJ = 33, /* i value */
	OP_DROP_BOUNDING = 34, /* i mask of capabilities to keep, i last cap */
	OP_SECCOMP = 35,       /* b BPF program (struct sock_filter[]), i seccomp(2) flags */
	OP_KEEP_CAPS = 36,     /* i 0/1 */
	OP_SETGROUPS = 37,     /* b u32 gids */
	OP_SETGID = 38,        /* i gid */
	OP_SETUID = 39,        /* i uid */
	OP_CAPSET = 40,        /* i effective, i permitted, i inheritable, i ambient */
	OP_UMASK = 41,         /* i mask */
	OP_NO_NEW_PRIVS = 42,
	OP_ENV = 43,           /* l the environment; i uid whose home is HOME if unset */
	OP_CLOSE_FDS = 44,     /* i first fd to close (keeping the init pipe and the fifo) */
	OP_CHDIR = 45,         /* s cwd, i 1 = may fail (tried again after the user change) */
	OP_FIND_EXEC = 46,     /* s args[0] */
	OP_CHECK_FIFO = 47,    /* the fifo is writable by the process's user */
	OP_READY = 48,         /* create: in the cgroup, tell the parent, wait for start
				  on the fifo; exec: tell the parent, wait to be in the cgroup */
	OP_EXEC = 49,          /* l args */
	/* the root filesystem, at its end */
	OP_MOUNT_READONLY = 50, /* s path: the mount there read-only, not its submounts
				   (a /dev mounted "ro": made so once its devices are in) */
	/* attributes of the process (attributes.c) */
	OP_TIME_OFFSETS = 60,  /* s text for /proc/self/timens_offsets (before the fork) */
	OP_KEYRING = 61,       /* s name of a new session keyring */
	OP_PERSONALITY = 62,   /* i persona */
	OP_CPU_AFFINITY = 63,  /* b cpu mask (empty: every cpu) */
	OP_SCHEDULER = 64,     /* i policy, i nice, i priority, i flags, i runtime,
				  i deadline, i period */
	OP_IOPRIO = 65,        /* i class, i priority */
	OP_MEMORY_POLICY = 66, /* i mode | flags, b node mask (node 0 = bit 0 of byte 0) */
};

/* OP_MOUNT's "how" */
enum mount_how {
	MOUNT_HOW_NEW = 0,        /* a new filesystem of fstype */
	MOUNT_HOW_BIND = 1,       /* source is a host path, bound */
	MOUNT_HOW_RBIND = 2,      /* ... with its submounts */
	MOUNT_HOW_COPYUP = 4,     /* flag: tmpfs gets a copy of what it covers */
	MOUNT_HOW_NO_SYMLINK = 8, /* flag: the destination may not be a symlink (proc, sysfs) */
	MOUNT_HOW_SYSFS_FALLBACK = 16, /* flag: on EPERM bind the host's /sys read-only */
	MOUNT_HOW_LATE_SOURCE = 32, /* flag: a bind source made after the spawn (the cgroup) */
	MOUNT_HOW_IDMAP = 64,     /* flag: the bind is id-mapped (MOUNT_ATTR_IDMAP), its top only */
	MOUNT_HOW_RIDMAP = 128,   /* flag: ... every mount of the bound tree (AT_RECURSIVE) */
	MOUNT_HOW_COVERED_MODE = 256, /* flag: a tmpfs without mode= gets the mode of the
					 directory it covers, if that was there (as runc) */
};

/* OP_PIVOT_ROOT's "how": the way the container's root becomes its "/" */
enum root_switch {
	ROOT_SWITCH_PIVOT = 0,  /* pivot_root(2); the old root is detached */
	ROOT_SWITCH_MOVE = 1,   /* --no-pivot (a ramdisk root): every mount outside the
				   root and its ancestors detached, the root moved onto
				   "/" (MS_MOVE), chroot */
	ROOT_SWITCH_CHROOT = 2, /* no mount namespace: chroot alone, no mount touched */
};

#endif
