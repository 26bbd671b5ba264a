/*
 * Attributes of the container's process that the kernel keeps per process:
 * time namespace offsets, the session keyring, personality, CPU affinity,
 * the scheduler, the I/O priority and the NUMA memory policy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "executor.h"

#define KEYCTL_JOIN_SESSION_KEYRING 1
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13
#define MAX_NODES 1024 /* the largest MAX_NUMNODES a kernel has (mempolicy.py) */
#define LONG_BITS (8 * sizeof(unsigned long))

/* The offsets apply to the namespace the next fork enters: written after
 * unshare(CLONE_NEWTIME), before the fork. */
void op_time_offsets(const struct op *op)
{
	const char *text = arg_str(op, 0);
	int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		fail(errno, NULL);
	close(fd);
}

/* A session keyring of the container's own, so it sees none of the host's keys. */
void op_keyring(const struct op *op)
{
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, arg_str(op, 0), 0, 0, 0) < 0 &&
	    errno != ENOSYS)
		fail(errno, NULL);
}

void op_personality(const struct op *op)
{
	if (personality((unsigned long)arg_int(op, 0)) < 0)
		fail(errno, NULL);
}

/* The cpus of the mask (bytes, cpu 0 first), or every cpu when it is empty:
 * the process must not inherit the caller's pinning. */
void op_cpu_affinity(const struct op *op)
{
	cpu_set_t set;
	size_t len = op->args[0].len;
	CPU_ZERO(&set);
	if (len == 0) {
		for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, &set);
	} else {
		memcpy(&set, op->args[0].data, len < sizeof(set) ? len : sizeof(set));
	}
	/* The kernel keeps what the cpuset cgroup allows; EINVAL: none of them. */
	if (sched_setaffinity(0, sizeof(set), &set) < 0 && len)
		fail(errno, NULL);
}

struct sched_attr_v1 {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
};

void op_scheduler(const struct op *op)
{
	struct sched_attr_v1 attr = {
		.size = sizeof(attr), .policy = (uint32_t)arg_int(op, 0),
		.nice = (int32_t)arg_int(op, 1), .priority = (uint32_t)arg_int(op, 2),
		.flags = (uint64_t)arg_int(op, 3), .runtime = (uint64_t)arg_int(op, 4),
		.deadline = (uint64_t)arg_int(op, 5), .period = (uint64_t)arg_int(op, 6),
	};
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		fail(errno, NULL);
}

void op_ioprio(const struct op *op)
{
	int value = (int)(arg_int(op, 0) << IOPRIO_CLASS_SHIFT | arg_int(op, 1));
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, value) < 0)
		fail(errno, NULL);
}

/* set_mempolicy(2) with the nodes of the mask (bytes, node 0 first) as the
 * kernel's array of longs. Its maxnode counts one past the last bit it
 * reads (it drops the last one): numactl passes the bits + 1 too. */
void op_memory_policy(const struct op *op)
{
	unsigned long mask[MAX_NODES / LONG_BITS] = {0};
	const unsigned char *bytes = (const unsigned char *)op->args[1].data;
	size_t nbits = (size_t)op->args[1].len * 8;
	if (nbits > MAX_NODES)
		fail(EINVAL, "node mask too long");
	for (size_t node = 0; node < nbits; node++)
		if (bytes[node / 8] >> (node % 8) & 1)
			mask[node / LONG_BITS] |= 1UL << (node % LONG_BITS);
	if (syscall(SYS_set_mempolicy, (int)arg_int(op, 0), nbits ? mask : NULL,
		    nbits ? nbits + 1 : 0) < 0)
		fail(errno, NULL);
}
