"""The container's pty (process.terminal): made inside the container's devpts."""
import fcntl
import os
import struct
import termios

from libcontainer import errors, syscalls as sc
from libcontainer.init import paths

_TIOCSPTLCK = 0x40045431
_TIOCGPTPEER = 0x5441


class Pty:
    def __init__(self, master, slave):
        self.master = master
        self.slave = slave

    def set_size(self, size):
        if size:
            packed = struct.pack("HHHH", size.get("height", 0), size.get("width", 0), 0, 0)
            fcntl.ioctl(self.slave, termios.TIOCSWINSZ, packed)

    def bind_console(self, rootfd):
        """Make /dev/console in the root the pty, as the spec asks."""
        target = paths.ensure_file(rootfd, "/dev/console", 0o600)
        try:
            sc.mount(paths.fd_path(self.slave), paths.fd_path(target), None, sc.MS_BIND)
        finally:
            os.close(target)

    def become_controlling_terminal(self):
        """Called in the process that will exec: new session, pty as stdio."""
        os.setsid()
        fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(self.slave, fd)
        os.close(self.slave)


def open_pty(ptmx_path, rootfd=None):
    """A new pty from the container's devpts (ptmx looked up inside the root)."""
    flags = os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC
    try:
        if rootfd is None:
            master = os.open(ptmx_path, flags)
        else:
            master = paths.open_in_root(rootfd, ptmx_path, flags)
        fcntl.ioctl(master, _TIOCSPTLCK, struct.pack("i", 0))
        slave = fcntl.ioctl(master, _TIOCGPTPEER, os.O_RDWR | os.O_NOCTTY)
    except OSError as exc:
        raise errors.PyruncError(
            f"process.terminal: opening a pty at {ptmx_path}: {exc.strerror} "
            "(the container needs a devpts mount at /dev/pts)") from None
    return Pty(master, slave)
