/*
 * Thin wrappers over libseccomp, loaded with dlopen when a config asks for a
 * seccomp filter, which the parent compiles to BPF: pyrunc builds without libseccomp's headers and runs without
 * the library unless a container needs it (Debian always ships libseccomp2).
 * Prototypes below are libseccomp 2.x's public API.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>

#include "seccomp.h"

static void *(*p_init)(uint32_t);
static int (*p_arch_add)(void *, uint32_t);
static uint32_t (*p_arch_resolve_name)(const char *);
static int (*p_syscall_resolve_name)(const char *);
static int (*p_rule_add_array)(void *, uint32_t, int, unsigned int, const struct nsexec_seccomp_arg *);
static int (*p_attr_set)(void *, int, uint32_t);
static int (*p_load)(void *);
static int (*p_export_bpf)(void *, int);
static void (*p_release)(void *);

/* 0, or -1 when libseccomp.so.2 or one of its functions cannot be found. */
int nsexec_seccomp_open(void)
{
	static int opened;
	void *lib;
	if (opened)
		return 0;
	lib = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return -1;
	p_init = dlsym(lib, "seccomp_init");
	p_arch_add = dlsym(lib, "seccomp_arch_add");
	p_arch_resolve_name = dlsym(lib, "seccomp_arch_resolve_name");
	p_syscall_resolve_name = dlsym(lib, "seccomp_syscall_resolve_name");
	p_rule_add_array = dlsym(lib, "seccomp_rule_add_array");
	p_attr_set = dlsym(lib, "seccomp_attr_set");
	p_load = dlsym(lib, "seccomp_load");
	p_export_bpf = dlsym(lib, "seccomp_export_bpf");
	p_release = dlsym(lib, "seccomp_release");
	if (!p_init || !p_arch_add || !p_arch_resolve_name || !p_syscall_resolve_name ||
	    !p_rule_add_array || !p_attr_set || !p_load || !p_export_bpf || !p_release)
		return -1;
	opened = 1;
	return 0;
}

void *nsexec_seccomp_init(uint32_t default_action) { return p_init(default_action); }

/* libseccomp returns -errno; these return that errno as a positive number. */
int nsexec_seccomp_arch_add(void *ctx, const char *name)
{
	uint32_t token = p_arch_resolve_name(name);
	if (token == 0)
		return EINVAL;
	int rc = p_arch_add(ctx, token);
	return rc == -EEXIST ? 0 : -rc; /* the native arch is there already */
}

int nsexec_seccomp_syscall(const char *name) { return p_syscall_resolve_name(name); }

int nsexec_seccomp_rule(void *ctx, uint32_t action, int syscall, unsigned int count,
			const struct nsexec_seccomp_arg *args)
{
	return -p_rule_add_array(ctx, action, syscall, count, args);
}

int nsexec_seccomp_attr(void *ctx, int attr, uint32_t value) { return -p_attr_set(ctx, attr, value); }
int nsexec_seccomp_load(void *ctx) { return -p_load(ctx); }
/* The filter as BPF (struct sock_filter[]), written to fd: pyrunc-init loads it. */
int nsexec_seccomp_export(void *ctx, int fd) { return -p_export_bpf(ctx, fd); }
void nsexec_seccomp_release(void *ctx) { p_release(ctx); }
