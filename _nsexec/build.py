"""cffi build of _nsexec._native: the pre-Python constructor plus syscall wrappers.

The compiled module is both a Python extension (imported by the init for the
wrappers) and the shared object the parent LD_PRELOADs into the init's
interpreter so that nsexec.c's constructor runs before CPython starts.
"""
import os

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))

def _header_declarations(name):
    """A header's declarations for cdef, which takes no preprocessor lines."""
    with open(os.path.join(HERE, name)) as header:
        return "".join(line for line in header if not line.startswith("#"))


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
    """
    + _header_declarations("seccomp.h")
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
