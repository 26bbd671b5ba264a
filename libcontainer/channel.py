"""Framed messages over the init pipe, with fd passing.

The parent and the init (and the C constructor before it) talk over one unix
stream socket. A frame is a 4-byte native-endian length, a 1-byte kind, and
the payload:
  M  a dict, marshal-encoded (Python to Python)
  S  stage1: the constructor's pid, as decimal text (C to parent)
  C  child: the pid Python runs in, as decimal text (C to parent)
  E  an error message, UTF-8 text (C to parent)
marshal and _socket rather than json and socket: both sides are our own code,
and the init pays every import on the path of every container start.
A frame may carry file descriptors (SCM_RIGHTS), e.g. a pty master.
"""
import _socket
import marshal
import os
import sys

_HEADER = 5
_MAX_FDS = 8
_FD_SIZE = 4
_C_KINDS = {b"S": "stage1", b"C": "child"}


def socketpair():
    return _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM)


def send_with_fds(sock, data, fds):
    payload = b"".join(fd.to_bytes(_FD_SIZE, sys.byteorder) for fd in fds)
    sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, payload)])


class Channel:
    def __init__(self, sock):
        self.sock = sock
        self._buffer = b""
        self._fds = []

    def send(self, message, fds=()):
        payload = marshal.dumps(message)
        frame = len(payload).to_bytes(4, sys.byteorder) + b"M" + payload
        if fds:
            send_with_fds(self.sock, frame, fds)
        else:
            self.sock.sendall(frame)

    def send_bytes(self, data):
        self.sock.sendall(data)

    def recv(self):
        """The next message as a dict, or None once the other side has closed."""
        if not self._have(_HEADER):
            return None
        length = int.from_bytes(self._buffer[:4], sys.byteorder)
        if not self._have(_HEADER + length):
            return None
        kind, payload = self._buffer[4:5], self._buffer[_HEADER:_HEADER + length]
        self._buffer = self._buffer[_HEADER + length:]
        if kind == b"M":
            return marshal.loads(payload)
        if kind == b"E":
            return {"type": "error", "msg": payload.decode(errors="replace")}
        return {"type": _C_KINDS[kind], "pid": int(payload)}

    def take_fd(self):
        """A descriptor that came with an earlier message, in arrival order."""
        return self._fds.pop(0)

    def _have(self, size):
        while len(self._buffer) < size:
            if not self._fill():
                return False
        return True

    def _fill(self):
        data, ancillary, _flags, _addr = self.sock.recvmsg(
            65536, _socket.CMSG_SPACE(_MAX_FDS * _FD_SIZE))
        for level, kind, payload in ancillary:
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                for i in range(0, len(payload) - _FD_SIZE + 1, _FD_SIZE):
                    self._fds.append(int.from_bytes(payload[i:i + _FD_SIZE], sys.byteorder))
        self._buffer += data
        return bool(data)

    def close(self):
        for fd in self._fds:
            os.close(fd)
        self._fds = []
        self.sock.close()
