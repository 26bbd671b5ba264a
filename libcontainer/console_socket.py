"""--console-socket: hand the container's pty master to whoever listens there."""
import _socket
import sys

from libcontainer import errors


def send_master(path, master_fd, name="/dev/console"):
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
        sock.sendmsg([name.encode()], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS,
                                        master_fd.to_bytes(4, sys.byteorder))])
    except OSError as exc:
        raise errors.PyruncError(f"--console-socket {path}: {exc.strerror or exc}") from None
    finally:
        sock.close()
