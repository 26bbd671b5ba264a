"""Exclusive flock(2) locks, held for a `with` block: the container's state
dir (start, delete, exec), the image store, the address leases."""
import fcntl
import os


class Held:
    """A locked fd; the end of the `with` closes it, which unlocks it. The
    `with` gives `value` (the locked thing), or the Held itself."""

    def __init__(self, fd, value=None):
        self.fd, self.value = fd, value

    def __enter__(self):
        return self if self.value is None else self.value

    def __exit__(self, *exc):
        os.close(self.fd)


def lock_fd(fd, value=None):
    fcntl.flock(fd, fcntl.LOCK_EX)
    return Held(fd, value)


def lock_file(path, value=None):
    """The lock of a file kept for it (made if missing)."""
    return lock_fd(os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600), value)
