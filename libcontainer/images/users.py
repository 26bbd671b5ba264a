"""User and group names of an image's config (User "app", "app:staff"),
looked up in the container's own /etc/passwd and /etc/group.

The files are the image's, so untrusted: each is opened one component at
a time below the root, never through a symlink, so a link to the host's
/etc/shadow reads nothing."""
import os

from libcontainer import errors


class Users:
    def __init__(self, rootfs):
        self.rootfs = rootfs

    def user(self, name):
        """(uid, primary gid) of a user name."""
        for fields in self._entries("passwd"):
            if fields[0] == name and len(fields) > 3 and fields[2].isdigit() \
                    and fields[3].isdigit():
                return int(fields[2]), int(fields[3])
        raise errors.PyruncError(f"image config User {name!r}: no such user in the "
                                 "image's /etc/passwd")

    def group(self, name):
        for fields in self._entries("group"):
            if fields[0] == name and len(fields) > 2 and fields[2].isdigit():
                return int(fields[2])
        raise errors.PyruncError(f"image config User: no group {name!r} in the "
                                 "image's /etc/group")

    def _entries(self, database):
        text = _read_below(self.rootfs, ["etc", database])
        return [line.split(":") for line in text.splitlines() if line and line[0] != "#"]


def _read_below(root, parts):
    """The file root/parts..., or "" if any component is missing or a symlink."""
    fds = []
    try:
        fds.append(os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))
        for part in parts[:-1]:
            fds.append(os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW |
                               os.O_CLOEXEC, dir_fd=fds[-1]))
        fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     dir_fd=fds[-1])
        with os.fdopen(fd, "rb") as f:
            return f.read(1 << 20).decode(errors="replace")
    except OSError:
        return ""
    finally:
        for fd in fds:
            os.close(fd)
