"""logs: what a detached container (run-image -d) wrote to its stdout and
stderr, kept in container.log in its state dir."""
import os
import time

from libcontainer import errors

LOG_NAME = "container.log"
_POLL = 0.1


def log_path(container):
    return container.store.path(container.id, LOG_NAME)


def copy_log(container, out_fd=1, follow=False):
    """Copy the log to out_fd; with follow, keep copying what the container
    writes until it has stopped."""
    try:
        source = open(log_path(container), "rb")
    except FileNotFoundError:
        raise errors.PyruncError(f"container {container.id} keeps no log (only a container "
                                 "started by run-image -d has one)") from None
    with source:
        while True:
            running = follow and container.status() != "stopped"
            _copy_available(source, out_fd)
            if not running:
                return
            time.sleep(_POLL)


def _copy_available(source, out_fd):
    while True:
        chunk = source.read(1 << 16)
        if not chunk:
            return
        view = memoryview(chunk)
        while view:
            view = view[os.write(out_fd, view):]
