"""--log / --log-format: where error and debug lines go besides stderr.

containerd's shim reads `{"level":"error","msg":"...","time":"..."}` lines from
the log file, so the JSON form is what it expects."""
import sys
import time


class Log:
    def __init__(self, path=None, fmt="text", debug=False):
        self.path, self.format, self.debug_enabled = path, fmt, debug

    def error(self, message):
        print(f"pyrunc: {message}", file=sys.stderr)
        self._write("error", message)

    def debug(self, message):
        if self.debug_enabled:
            print(f"pyrunc: debug: {message}", file=sys.stderr)
            self._write("debug", message)

    def _write(self, level, message):
        if not self.path:
            return
        import json
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if self.format == "json":
            line = json.dumps({"level": level, "msg": message, "time": stamp})
        else:
            line = f'time="{stamp}" level={level} msg={json.dumps(message)}'
        try:
            with open(self.path, "a") as f:
                f.write(line + "\n")
        except OSError as exc:
            print(f"pyrunc: --log {self.path}: {exc.strerror}", file=sys.stderr)
