"""The syscall boundary: Python faces for the syscalls the os module lacks.

Everything here raises OSError(errno, strerror, "<call> <args>") on failure, so
callers can turn it into a message naming what was being done. The wrappers come
from the compiled _nsexec module; tests that need no kernel replace this module
with a fake.
"""
import os

from _nsexec._native import ffi, lib

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_SYNCHRONOUS = 0x10
MS_REMOUNT = 0x20
MS_MANDLOCK = 0x40
MS_DIRSYNC = 0x80
MS_NOSYMFOLLOW = 0x100
MS_NOATIME = 0x400
MS_NODIRATIME = 0x800
MS_BIND = 0x1000
MS_MOVE = 0x2000
MS_REC = 0x4000
MS_SILENT = 0x8000
MS_UNBINDABLE = 1 << 17
MS_PRIVATE = 1 << 18
MS_SLAVE = 1 << 19
MS_SHARED = 1 << 20
MS_RELATIME = 1 << 21
MS_STRICTATIME = 1 << 24
MS_LAZYTIME = 1 << 25
MNT_DETACH = 2

CLONE_NEWTIME = 0x00000080
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

RESOLVE_NO_XDEV = 0x01
RESOLVE_NO_MAGICLINKS = 0x02
RESOLVE_NO_SYMLINKS = 0x04
RESOLVE_BENEATH = 0x08
RESOLVE_IN_ROOT = 0x10

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38


def _check(result, call):
    """OSError(errno, strerror, call): strerror stays the bare reason, so
    callers can name what they were doing; the call is in `filename`."""
    if result < 0:
        err = ffi.errno
        raise OSError(err, os.strerror(err), call)
    return result


def _b(value):
    return ffi.NULL if value is None else os.fsencode(value)


def mount(source, target, fstype, flags, data=None):
    _check(lib.mount(_b(source), _b(target), _b(fstype), flags, _b(data)),
           f"mount {source} on {target}")


def umount2(target, flags=0):
    _check(lib.umount2(_b(target), flags), f"umount {target}")


def pivot_root(new_root, put_old):
    _check(lib.nsexec_pivot_root(_b(new_root), _b(put_old)), f"pivot_root {new_root}")


def setns(fd, nstype=0):
    _check(lib.setns(fd, nstype), "setns")


def unshare(flags):
    _check(lib.unshare(flags), "unshare")


def sethostname(name):
    raw = name.encode()
    _check(lib.sethostname(raw, len(raw)), f"sethostname {name}")


def setdomainname(name):
    raw = name.encode()
    _check(lib.setdomainname(raw, len(raw)), f"setdomainname {name}")


def prctl(option, arg2=0, arg3=0, arg4=0, arg5=0):
    return _check(lib.prctl(option, arg2, arg3, arg4, arg5), f"prctl {option}")


def capget():
    sets = ffi.new("uint64_t[3]")
    _check(lib.nsexec_capget(sets, sets + 1, sets + 2), "capget")
    return sets[0], sets[1], sets[2]


def capset(effective, permitted, inheritable):
    _check(lib.nsexec_capset(effective, permitted, inheritable), "capset")


def openat2(dirfd, path, flags, mode=0, resolve=0):
    return _check(lib.nsexec_openat2(dirfd, _b(path), flags, mode, resolve), f"open {path}")


def initpipe_fd():
    """The init pipe the constructor was given (-1 when not started as an init)."""
    return lib.nsexec_initpipe()


def deferred_mntns_fd():
    """The mount namespace the constructor opened but left for Python to join."""
    return lib.nsexec_mntns_fd()


# --- libseccomp (dlopened on first use by the C side; see _nsexec/seccomp.c) ---

def seccomp_open():
    if lib.nsexec_seccomp_open() < 0:
        raise OSError(2, "libseccomp.so.2 cannot be loaded (apt-get install libseccomp2)",
                      "dlopen libseccomp")


def _seccomp_check(rc, call):
    if rc:
        raise OSError(rc, os.strerror(rc), call)


def seccomp_new(default_action):
    ctx = lib.nsexec_seccomp_init(default_action)
    if ctx == ffi.NULL:
        raise OSError(22, os.strerror(22), "seccomp_init")
    return ctx


def seccomp_arch_add(ctx, name):
    _seccomp_check(lib.nsexec_seccomp_arch_add(ctx, name.encode()), f"seccomp arch {name}")


def seccomp_syscall(name):
    """The syscall's number, or -1 when neither libseccomp nor the kernel knows it."""
    return lib.nsexec_seccomp_syscall(name.encode())


def seccomp_rule(ctx, action, number, args=()):
    """args: (index, op, value, value_two) tuples, libseccomp's comparisons."""
    array = ffi.new("struct nsexec_seccomp_arg[]", [tuple(a) for a in args] or 1)
    _seccomp_check(lib.nsexec_seccomp_rule(ctx, action, number, len(args), array),
                   f"seccomp rule for syscall {number}")


def seccomp_attr(ctx, attr, value):
    _seccomp_check(lib.nsexec_seccomp_attr(ctx, attr, value), f"seccomp attribute {attr}")


def seccomp_load(ctx):
    _seccomp_check(lib.nsexec_seccomp_load(ctx), "seccomp load")


def seccomp_release(ctx):
    lib.nsexec_seccomp_release(ctx)
