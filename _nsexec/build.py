"""cffi build of _nsexec._native: the pre-Python constructor plus syscall wrappers.

The compiled module is both a Python extension (imported by the init for the
wrappers) and the shared object the parent LD_PRELOADs into the init's
interpreter so that nsexec.c's constructor runs before CPython starts.
"""
import os

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))

ffibuilder = FFI()
ffibuilder.cdef(
    """
    int nsexec_initpipe(void);
    int nsexec_mntns_fd(void);
    int nsexec_pivot_root(const char *new_root, const char *put_old);
    int nsexec_capget(uint64_t *effective, uint64_t *permitted, uint64_t *inheritable);
    int nsexec_capset(uint64_t effective, uint64_t permitted, uint64_t inheritable);
    int nsexec_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode,
                       uint64_t resolve);
    int mount(const char *source, const char *target, const char *fstype,
              unsigned long flags, const void *data);
    int umount2(const char *target, int flags);
    int setns(int fd, int nstype);
    int unshare(int flags);
    int sethostname(const char *name, size_t len);
    int setdomainname(const char *name, size_t len);
    int prctl(int option, unsigned long arg2, unsigned long arg3,
              unsigned long arg4, unsigned long arg5);

    struct nsexec_seccomp_arg { unsigned int arg; int op; uint64_t datum_a; uint64_t datum_b; };
    int nsexec_seccomp_open(void);
    void *nsexec_seccomp_init(uint32_t default_action);
    int nsexec_seccomp_arch_add(void *ctx, const char *name);
    int nsexec_seccomp_syscall(const char *name);
    int nsexec_seccomp_rule(void *ctx, uint32_t action, int syscall, unsigned int count,
                            const struct nsexec_seccomp_arg *args);
    int nsexec_seccomp_attr(void *ctx, int attr, uint32_t value);
    int nsexec_seccomp_load(void *ctx);
    void nsexec_seccomp_release(void *ctx);
    """
)

with open(os.path.join(HERE, "nsexec.c")) as source:
    ffibuilder.set_source(
        "_nsexec._native",
        source.read() + "\n#include <sys/mount.h>\n#include \"seccomp.h\"\n",
        sources=[os.path.join("_nsexec", "seccomp.c")],
        include_dirs=[HERE],
        libraries=["dl"],
        extra_compile_args=["-O2", "-Wall"],
    )

if __name__ == "__main__":
    ffibuilder.compile(verbose=False)
