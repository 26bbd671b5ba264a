"""Device nodes and the standard /dev links inside the rootfs."""
import os
import stat

from libcontainer import errors, syscalls as sc
from libcontainer.init import paths

# runtime-spec config-linux.md "Default Devices"
DEFAULT_DEVICES = [
    {"path": "/dev/null", "type": "c", "major": 1, "minor": 3},
    {"path": "/dev/zero", "type": "c", "major": 1, "minor": 5},
    {"path": "/dev/full", "type": "c", "major": 1, "minor": 7},
    {"path": "/dev/random", "type": "c", "major": 1, "minor": 8},
    {"path": "/dev/urandom", "type": "c", "major": 1, "minor": 9},
    {"path": "/dev/tty", "type": "c", "major": 5, "minor": 0},
]
DEFAULT_LINKS = [
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
    ("pts/ptmx", "/dev/ptmx"),
]
_TYPES = {"c": stat.S_IFCHR, "u": stat.S_IFCHR, "b": stat.S_IFBLK, "p": stat.S_IFIFO}


def create_devices(rootfd, spec_devices, in_userns):
    """The default devices plus linux.devices (the spec's entries win)."""
    wanted = {d["path"]: d for d in DEFAULT_DEVICES}
    wanted.update({d["path"]: d for d in spec_devices or ()})
    for index, device in enumerate(wanted.values()):
        try:
            _create_device(rootfd, device, in_userns)
        except OSError as exc:
            raise errors.PyruncError(f"linux.devices: creating {device['path']}: {exc.strerror}") from None
    for target, link in DEFAULT_LINKS:
        _symlink(rootfd, target, link)


def _create_device(rootfd, device, in_userns):
    parent, name = os.path.split(device["path"])
    dirfd = paths.ensure_dir(rootfd, parent)
    try:
        where = os.path.join(paths.fd_path(dirfd), name)
        if in_userns:
            # mknod is refused in a user namespace: bind the host's node instead.
            fd = paths.ensure_file(rootfd, device["path"])
            try:
                sc.mount(device["path"], paths.fd_path(fd), None, sc.MS_BIND)
            finally:
                os.close(fd)
            return
        if os.path.lexists(where):
            os.unlink(where)
        mode = device.get("fileMode", 0o666) & 0o7777
        os.mknod(where, _TYPES[device["type"]] | mode,
                 os.makedev(device.get("major", 0), device.get("minor", 0)))
        os.chmod(where, mode)  # mknod's mode went through the umask
        os.chown(where, device.get("uid", 0), device.get("gid", 0), follow_symlinks=False)
    finally:
        os.close(dirfd)


def _symlink(rootfd, target, link):
    parent, name = os.path.split(link)
    dirfd = paths.ensure_dir(rootfd, parent)
    try:
        os.symlink(target, os.path.join(paths.fd_path(dirfd), name))
    except FileExistsError:
        pass
    finally:
        os.close(dirfd)
