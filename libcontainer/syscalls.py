"""The parent's C boundary: libseccomp, to compile a profile to BPF, and
bpf(2), for cgroup v2 device programs.

Everything here raises OSError(errno, strerror, "<call>") on failure. The
wrappers come from the compiled _nsexec module (seccomp.c); unit tests that
need no libseccomp pass a fake instead.
"""
import os

from _nsexec._native import ffi, lib


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
    """The syscall's number, -1 when neither libseccomp nor the kernel knows
    it (other negative numbers are libseccomp's pseudo-syscalls)."""
    return lib.nsexec_seccomp_syscall(name.encode())


def seccomp_rule(ctx, action, number, args=()):
    """args: (index, op, value, value_two) tuples, libseccomp's comparisons."""
    array = ffi.new("struct nsexec_seccomp_arg[]", [tuple(a) for a in args] or 1)
    _seccomp_check(lib.nsexec_seccomp_rule(ctx, action, number, len(args), array),
                   f"seccomp rule for syscall {number}")


def seccomp_export(ctx):
    """The filter as BPF: struct sock_filter[] bytes."""
    fd = os.memfd_create("seccomp-bpf", os.MFD_CLOEXEC)
    try:
        _seccomp_check(lib.nsexec_seccomp_export(ctx, fd), "seccomp export")
        size = os.lseek(fd, 0, os.SEEK_CUR)
        return os.pread(fd, size, 0)
    finally:
        os.close(fd)


def seccomp_release(ctx):
    lib.nsexec_seccomp_release(ctx)


def replace_device_program(cgroup_fd, program):
    """Load program (struct bpf_insn[] bytes) as a cgroup device program and
    make it the only one attached to the cgroup open as cgroup_fd."""
    log = ffi.new("char[]", 65536)
    prog_fd = lib.nsexec_bpf_load_device_program(program, len(program) // 8, log, len(log))
    if prog_fd < 0:
        err = ffi.errno
        said = ffi.string(log).decode(errors="replace").strip().splitlines()
        raise OSError(err, os.strerror(err) + (f" ({said[-1]})" if said else ""), "bpf load")
    try:
        if lib.nsexec_bpf_replace_device_program(cgroup_fd, prog_fd) < 0:
            err = ffi.errno
            raise OSError(err, os.strerror(err), "bpf attach")
    finally:
        os.close(prog_fd)
