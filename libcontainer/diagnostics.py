"""Warnings and debug lines from the engine, sent where the caller says.

The command line points this at its --log file: pyrunc's stdio is often the
container's own (under conmon and containerd's shims pyrunc's stderr IS the
container's stderr), so diagnostics must never be printed there. A library
user who sets nothing gets them on stderr, which is theirs.
"""
import sys


class _Stderr:
    def warning(self, message):
        print(f"pyrunc: warning: {message}", file=sys.stderr)

    def debug(self, message):
        pass  # a library user asks for debug lines by setting a sink


_sink = _Stderr()


def set_sink(sink):
    """sink: an object with warning(message) and debug(message)."""
    global _sink
    _sink = sink


def warning(message):
    _sink.warning(message)


def debug(message):
    _sink.debug(message)
