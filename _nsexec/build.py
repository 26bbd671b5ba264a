"""cffi build of _nsexec._native: what the parent needs in C.

The libseccomp wrappers that compile a profile to BPF (seccomp.c) for
pyrunc-init, the C program that runs a plan (executor.c; built by setup.py),
and bpf(2) for cgroup v2 device programs (bpf.c).
"""
import os

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))


def _header_declarations(name):
    """A header's declarations for cdef, which takes no preprocessor lines."""
    with open(os.path.join(HERE, name)) as header:
        return "".join(line for line in header if not line.startswith("#"))


ffibuilder = FFI()
ffibuilder.cdef(_header_declarations("seccomp.h") + _header_declarations("bpf.h"))
ffibuilder.set_source(
    "_nsexec._native",
    '#include "seccomp.h"\n#include "bpf.h"\n',
    sources=[os.path.join("_nsexec", "seccomp.c"), os.path.join("_nsexec", "bpf.c")],
    include_dirs=[HERE],
    libraries=["dl"],
    extra_compile_args=["-O2", "-Wall"],
)

LAUNCHER_SOURCES = ("launcher.c", "early.c")


def build_launcher(compiler, temp_dir, output_dir):
    """The `pyrunc` command (launcher.c), linked into output_dir."""
    from distutils.errors import LinkError
    objects = compiler.compile([os.path.join(HERE, name) for name in LAUNCHER_SOURCES],
                               output_dir=temp_dir,
                               extra_postargs=["-O2", "-Wall", "-fPIE"])
    # Static (and position-independent, so ASLR still places it): every call
    # of the command, `state` (~1 ms) as much as `run`, skips the dynamic
    # loader (~0.1 ms). Dynamic where there is no static libc (libc6-dev has it).
    try:
        compiler.link_executable(objects, "pyrunc", output_dir=output_dir,
                                 extra_postargs=["-s", "-static-pie"])
    except LinkError:
        compiler.link_executable(objects, "pyrunc", output_dir=output_dir,
                                 extra_postargs=["-s", "-pie"])


if __name__ == "__main__":
    ffibuilder.compile(verbose=False)
