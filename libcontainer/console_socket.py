"""--console-socket: hand the container's pty master to whoever listens there."""
import _socket

from libcontainer import errors
from libcontainer.channel import send_with_fds


def send_master(path, master_fd, name="/dev/console"):
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
        send_with_fds(sock, name.encode(), [master_fd])
    except OSError as exc:
        raise errors.PyruncError(f"--console-socket {path}: {exc.strerror or exc}") from None
    finally:
        sock.close()
