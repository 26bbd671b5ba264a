"""Resolve and create paths inside the container's root without leaving it.

Before pivot_root the init works on host paths, and a hostile rootfs may hold
symlinks like dev -> /etc. Every lookup goes through openat2(RESOLVE_IN_ROOT),
which resolves `..` and absolute symlinks against the rootfs, never the host.
The result is an O_PATH fd; callers mount onto /proc/self/fd/N.
"""
import os

from libcontainer import syscalls

_O_PATH = getattr(os, "O_PATH", 0o10000000)


def open_in_root(rootfd, path, flags=_O_PATH | os.O_CLOEXEC):
    return syscalls.openat2(rootfd, path.lstrip("/") or ".", flags, 0, syscalls.RESOLVE_IN_ROOT)


def ensure_dir(rootfd, path, mode=0o755):
    """O_PATH fd of directory `path` in the root, creating missing levels.

    Each prefix is resolved from the root (not from the previous level), so a
    symlink met on the way means what it would mean inside the container."""
    fd, prefix = os.dup(rootfd), ""
    for part in [p for p in path.split("/") if p not in ("", ".")]:
        prefix = f"{prefix}/{part}"
        try:
            child = open_in_root(rootfd, prefix)
        except FileNotFoundError:
            _mkdir_at(fd, part, mode)
            child = open_in_root(rootfd, prefix)
        os.close(fd)
        fd = child
    return fd


def ensure_file(rootfd, path, mode=0o644):
    """O_PATH fd of `path` in the root, creating an empty file if missing."""
    parent, name = os.path.split("/" + path.strip("/"))
    dirfd = ensure_dir(rootfd, parent)
    try:
        try:
            return open_in_root(rootfd, path)
        except FileNotFoundError:
            os.close(_open_at(dirfd, name, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, mode))
            return open_in_root(rootfd, path)
    finally:
        os.close(dirfd)


def at(rootfd, path, action):
    """action("/proc/self/fd/N") with N the existing `path` in the root, looked
    up afresh: an fd taken before a mount points beneath it, so every mount
    call on the same destination needs its own lookup."""
    fd = open_in_root(rootfd, path)
    try:
        action(fd_path(fd))
    finally:
        os.close(fd)


def fd_path(fd):
    return f"/proc/self/fd/{fd}"


def _mkdir_at(dirfd, name, mode):
    # dirfd is O_PATH; mkdir relative to it through its /proc magic link.
    try:
        os.mkdir(os.path.join(fd_path(dirfd), name), mode)
    except FileExistsError:
        pass


def _open_at(dirfd, name, flags, mode):
    return os.open(os.path.join(fd_path(dirfd), name), flags | os.O_NOFOLLOW, mode)
