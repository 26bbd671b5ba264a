"""--log / --log-format / --debug: where error, warning and debug lines go.

As runc: the --log file is created on every call (containerd's shim opens
it afterwards), errors go to stderr as well, and warnings and debug lines go
only to the log: pyrunc's stdio may belong to the container (see
libcontainer.diagnostics). Without --log, --debug lines go to stderr, where
runc's default log is. containerd's shim reads json lines
`{"level":"error","msg":"...","time":"..."}`.
"""
import os
import sys
import time

from libcontainer.errors import PyruncError


class Log:
    def __init__(self, path=None, fmt="text", debug=False):
        self.path, self.format, self.debug_enabled = path, fmt, debug
        self.fd = None
        if path:
            try:
                self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC,
                                  0o644)
            except OSError as exc:
                raise PyruncError(f"--log {path}: {exc.strerror}") from None

    def error(self, message):
        print(f"pyrunc: {message}", file=sys.stderr)
        self._write("error", message)

    def warning(self, message):
        self._write("warning", message)

    def debug(self, message):
        if not self.debug_enabled:
            return
        if self.fd is None:
            print(f"pyrunc: debug: {message}", file=sys.stderr)
        self._write("debug", message)

    def _write(self, level, message):
        if self.fd is None:
            return
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        from libcontainer import json_text
        if self.format == "json":
            line = json_text.dumps({"level": level, "msg": message, "time": stamp})
        else:
            line = f'time="{stamp}" level={level} msg={json_text.dumps(message)}'
        try:
            os.write(self.fd, (line + "\n").encode())
        except OSError as exc:
            print(f"pyrunc: --log {self.path}: {exc.strerror}", file=sys.stderr)
