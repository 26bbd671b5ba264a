"""Frames over the init pipe, with fd passing.

pyrunc and pyrunc-init (C, _nsexec/executor.c) talk over one unix stream
socket. A frame is a 4-byte native-endian length, a 1-byte kind, and the
payload. From the init (see KINDS):
  S  "<pid>": waiting for its user namespace's id maps
  C  "<pid>": the process that becomes the container's (pyrunc's child)
  E  an error message, UTF-8 text; the init exits
  R  ready: set up, waiting for start (exec: about to execve)
  H  the init wants the hook states: the parent runs its hooks first
  T  a pty master, passed with the frame (SCM_RIGHTS)
  N  a seccomp notification fd, passed with the frame
To the init: P the plan, G id maps written, J in the cgroup, K hook states.
(The init reads them in that order, remembering any that come before it
waits for them.)
"""
import os
import sys

_HEADER = 5
_MAX_FDS = 8
_FD_SIZE = 4
KINDS = {b"S": "stage1", b"C": "child", b"E": "error", b"R": "ready", b"H": "hooks",
         b"T": "console", b"N": "seccomp"}


def socketpair():
    """(ours, the init's): fds of a connected unix stream socket pair."""
    import _socket
    ours, theirs = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM)
    return ours.detach(), theirs.detach()


def frame(kind, payload=b""):
    return len(payload).to_bytes(4, sys.byteorder) + kind + payload


class Channel:
    """Our end of the init pipe, an fd. passes_fds: some frame will come
    with fds (the plan has a pty or a seccomp listener): only then is it read
    with recvmsg (the _socket module costs 0.1 ms to import); read(2) would
    drop them."""

    def __init__(self, fd, passes_fds=False):
        self.fd = fd
        self._sock = None
        if passes_fds:
            import _socket
            self._sock = _socket.socket(fileno=fd)
        self._buffer = b""
        self._fds = []

    def send(self, kind, payload=b""):
        data = memoryview(frame(kind, payload))
        while data:
            data = data[os.write(self.fd, data):]

    def recv(self):
        """The next message as a dict {"type": ..., "pid"/"msg": ...}, or
        None once the other side has closed."""
        if not self._have(_HEADER):
            return None
        length = int.from_bytes(self._buffer[:4], sys.byteorder)
        if not self._have(_HEADER + length):
            return None
        kind, payload = self._buffer[4:5], self._buffer[_HEADER:_HEADER + length]
        self._buffer = self._buffer[_HEADER + length:]
        name = KINDS.get(kind, "unknown")
        if name == "error":
            return {"type": name, "msg": payload.decode(errors="replace")}
        if name in ("stage1", "child"):
            return {"type": name, "pid": int(payload)}
        return {"type": name}

    def has_pending(self):
        """Whether a recv() now would find something without blocking."""
        import select
        if self._buffer:
            return True
        poller = select.poll()  # not select(): fds past 1023
        poller.register(self.fd, select.POLLIN)
        return bool(poller.poll(0))

    def take_fd(self):
        """A descriptor that came with an earlier message, in arrival order."""
        return self._fds.pop(0)

    def _have(self, size):
        while len(self._buffer) < size:
            if not self._fill():
                return False
        return True

    def _fill(self):
        data = self._receive_with_fds() if self._sock else os.read(self.fd, 65536)
        self._buffer += data
        return bool(data)

    def _receive_with_fds(self):
        import _socket
        data, ancillary, flags, _addr = self._sock.recvmsg(
            65536, _socket.CMSG_SPACE(_MAX_FDS * _FD_SIZE), _socket.MSG_CMSG_CLOEXEC)
        for level, kind, payload in ancillary:
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                self._fds += [int.from_bytes(payload[i:i + _FD_SIZE], sys.byteorder)
                              for i in range(0, len(payload) - _FD_SIZE + 1, _FD_SIZE)]
        if flags & _socket.MSG_CTRUNC:
            raise OSError(0, "the container init passed more fds than expected")
        return data

    def close(self):
        for fd in self._fds:
            os.close(fd)
        self._fds = []
        if self._sock:
            self._sock.close()
        else:
            os.close(self.fd)
