"""--console-socket: hand the container's pty master to whoever listens there."""
import socket

from libcontainer import errors


def send_master(path, master_fd, name="/dev/console"):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        socket.send_fds(sock, [name.encode()], [master_fd])
    except OSError as exc:
        raise errors.PyruncError(f"--console-socket {path}: {exc.strerror or exc}") from None
    finally:
        sock.close()
