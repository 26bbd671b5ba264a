"""Resolve and create paths inside the container's root without leaving it.

Before pivot_root the init works on host paths, and a hostile rootfs may hold
symlinks like dev -> /etc. Lookups of existing paths use openat2 with
RESOLVE_IN_ROOT, which resolves `..` and absolute symlinks against the rootfs,
never the host; creating missing directories walks the path one component at
a time with the same rules. Results are O_PATH fds: callers mount onto
/proc/self/fd/N.
"""
import os
import stat

from libcontainer import syscalls

_O_PATH = getattr(os, "O_PATH", 0o10000000)
_MAX_SYMLINKS = 40  # as the kernel's own limit (ELOOP)


def open_in_root(rootfd, path, flags=_O_PATH | os.O_CLOEXEC):
    return syscalls.openat2(rootfd, path.lstrip("/") or ".", flags, 0, syscalls.RESOLVE_IN_ROOT)


def ensure_dir(rootfd, path, mode=0o755):
    """O_PATH fd of directory `path` in the root, creating missing levels.

    Symlinks met on the way are followed as the container would see them
    (absolute ones from the root, `..` never above it), and what they point
    to is created inside the root if missing."""
    stack = [os.dup(rootfd)]  # the directories walked so far, root first
    parts = _components(path)
    links = 0
    try:
        while parts:
            part = parts.pop(0)
            if part == "..":
                if len(stack) > 1:
                    os.close(stack.pop())
                continue
            info = _lstat_or_create(stack[-1], part, mode)
            if stat.S_ISLNK(info.st_mode):
                links += 1
                if links > _MAX_SYMLINKS:
                    raise OSError(40, "Too many levels of symbolic links")
                target = os.readlink(part, dir_fd=stack[-1])
                if target.startswith("/"):
                    for fd in stack[1:]:
                        os.close(fd)
                    del stack[1:]
                parts = _components(target) + parts
                continue
            stack.append(os.open(part, _O_PATH | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC,
                                 dir_fd=stack[-1]))
        return os.dup(stack[-1])
    finally:
        for fd in stack:
            os.close(fd)


def _components(path):
    return [p for p in path.split("/") if p not in ("", ".")]


def _lstat_or_create(dirfd, name, mode):
    try:
        return os.stat(name, dir_fd=dirfd, follow_symlinks=False)
    except FileNotFoundError:
        try:
            os.mkdir(name, mode, dir_fd=dirfd)
        except FileExistsError:
            pass
        return os.stat(name, dir_fd=dirfd, follow_symlinks=False)


def ensure_file(rootfd, path, mode=0o644):
    """O_PATH fd of `path` in the root, creating an empty file if missing."""
    try:
        return open_in_root(rootfd, path)
    except FileNotFoundError:
        pass
    parent, name = os.path.split("/" + path.strip("/"))
    dirfd = ensure_dir(rootfd, parent)
    try:
        fd = os.open(os.path.join(fd_path(dirfd), name),
                     os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
        os.close(fd)
    finally:
        os.close(dirfd)
    return open_in_root(rootfd, path)


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
