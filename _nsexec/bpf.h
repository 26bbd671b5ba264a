/* eBPF for cgroup v2 device rules (bpf.c); cffi's cdef in build.py reads this file. */
#ifndef NSEXEC_BPF_H
#define NSEXEC_BPF_H
#include <stdint.h>

/* Load a BPF_PROG_TYPE_CGROUP_DEVICE program (insns: struct bpf_insn[]);
 * its fd, or -1 with errno (the verifier's words in log). */
int nsexec_bpf_load_device_program(const void *insns, unsigned int count, char *log,
				   unsigned int log_size);
/* Attach it to the cgroup directory open as cgroup_fd (BPF_F_ALLOW_MULTI),
 * then detach every other device program there: exactly one stays. 0 or -1. */
int nsexec_bpf_replace_device_program(int cgroup_fd, int prog_fd);
#endif
