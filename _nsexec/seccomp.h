/* libseccomp wrappers (seccomp.c); cffi's cdef in build.py reads this file. */
#ifndef NSEXEC_SECCOMP_H
#define NSEXEC_SECCOMP_H
#include <stdint.h>

/* The layout of libseccomp's struct scmp_arg_cmp. */
struct nsexec_seccomp_arg {
	unsigned int arg;
	int op;
	uint64_t datum_a;
	uint64_t datum_b;
};

int nsexec_seccomp_open(void);
void *nsexec_seccomp_init(uint32_t default_action);
int nsexec_seccomp_arch_add(void *ctx, const char *name);
int nsexec_seccomp_syscall(const char *name);
int nsexec_seccomp_rule(void *ctx, uint32_t action, int syscall, unsigned int count,
			const struct nsexec_seccomp_arg *args);
int nsexec_seccomp_attr(void *ctx, int attr, uint32_t value);
int nsexec_seccomp_load(void *ctx);
int nsexec_seccomp_export(void *ctx, int fd);
void nsexec_seccomp_release(void *ctx);
#endif
