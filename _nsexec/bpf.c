/*
 * cgroup v2 has no devices.allow/deny files: a device access is decided by
 * BPF programs attached to the cgroup. The program itself is generated in
 * Python (libcontainer/cgroups/devices_bpf.py); these wrap bpf(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf.h"

#define MAX_ATTACHED 64

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

int nsexec_bpf_load_device_program(const void *insns, unsigned int count, char *log,
				   unsigned int log_size)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = count;
	attr.license = (uint64_t)(uintptr_t)"Apache";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = log_size;
	attr.log_level = log_size ? 1 : 0;
	strncpy(attr.prog_name, "pyrunc_devices", sizeof(attr.prog_name) - 1);
	return bpf(BPF_PROG_LOAD, &attr);
}

int nsexec_bpf_replace_device_program(int cgroup_fd, int prog_fd)
{
	union bpf_attr attr;
	uint32_t ids[MAX_ATTACHED];
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgroup_fd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = MAX_ATTACHED;
	if (bpf(BPF_PROG_QUERY, &attr) < 0)
		return -1;
	uint32_t old = attr.query.prog_cnt;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (bpf(BPF_PROG_ATTACH, &attr) < 0)
		return -1;
	/* The new program is in place before the old ones go: no moment
	 * without rules. */
	for (uint32_t i = 0; i < old; i++) {
		union bpf_attr get;
		memset(&get, 0, sizeof(get));
		get.prog_id = ids[i];
		int fd = bpf(BPF_PROG_GET_FD_BY_ID, &get);
		if (fd < 0)
			continue;
		memset(&attr, 0, sizeof(attr));
		attr.target_fd = (uint32_t)cgroup_fd;
		attr.attach_bpf_fd = (uint32_t)fd;
		attr.attach_type = BPF_CGROUP_DEVICE;
		int rc = bpf(BPF_PROG_DETACH, &attr);
		int err = errno;
		close(fd);
		if (rc < 0) {
			errno = err;
			return -1;
		}
	}
	return 0;
}
