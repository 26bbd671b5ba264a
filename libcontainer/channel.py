"""Newline-framed JSON messages over the init pipe, with fd passing.

The parent and the init (and the C constructor before it) talk over one unix
stream socket. Each message is one JSON object on one line; a message may carry
file descriptors (SCM_RIGHTS), e.g. a pty master.
"""
import array
import json
import os
import socket

_MAX_FDS = 8


class Channel:
    def __init__(self, sock):
        self.sock = sock
        self._buffer = b""
        self._fds = []

    def send(self, message, fds=()):
        data = json.dumps(message).encode() + b"\n"
        if fds:
            socket.send_fds(self.sock, [data], list(fds))
        else:
            self.sock.sendall(data)

    def send_bytes(self, data):
        self.sock.sendall(data)

    def recv(self):
        """The next message, or None once the other side has closed."""
        while b"\n" not in self._buffer:
            if not self._fill():
                return None
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def take_fd(self):
        """A descriptor that came with an earlier message, in arrival order."""
        return self._fds.pop(0)

    def _fill(self):
        fds = array.array("i")
        data, ancillary, _flags, _addr = self.sock.recvmsg(
            65536, socket.CMSG_SPACE(_MAX_FDS * fds.itemsize))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                usable = len(payload) - len(payload) % fds.itemsize
                fds.frombytes(payload[:usable])
        self._fds.extend(fds)
        self._buffer += data
        return bool(data)

    def close(self):
        for fd in self._fds:
            os.close(fd)
        self._fds = []
        self.sock.close()
