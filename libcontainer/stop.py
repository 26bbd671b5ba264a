"""stop: ask the container's init to end (SIGTERM, or the signal its image
names), and kill everything it left after a grace period."""
import os
import _signal as signal  # the C module: signal.py would import enum (~5 ms)
import time

from libcontainer import errors
from libcontainer.signals import parse_signal

STOP_SIGNAL = "org.opencontainers.image.stopSignal"
_POLL = 0.05
_KILL_WAIT = 5.0


def stop_signal(container):
    name = container.spec.get("annotations", {}).get(STOP_SIGNAL)
    return parse_signal(name) if name else signal.SIGTERM


def stop(container, grace_seconds=10):
    """Returns once the container has stopped; a stopped one is left as is."""
    status = container.status()
    if status == "stopped":
        return
    if not container.pid:
        raise errors.InvalidState(f"container {container.id} is still being created")
    _signal_init(container, stop_signal(container))
    if status == "paused":
        container.cgroup().thaw()  # a frozen process cannot act on the signal
    if _wait_stopped(container, grace_seconds):
        return
    if container.record.get("cgroup"):
        container.cgroup().kill_all(signal.SIGKILL)
    _signal_init(container, signal.SIGKILL)
    if not _wait_stopped(container, _KILL_WAIT):
        raise errors.PyruncError(f"container {container.id}: init {container.pid} "
                                 "did not die after SIGKILL")


def _signal_init(container, sig):
    try:
        os.kill(container.pid, sig)
    except ProcessLookupError:
        pass


def _wait_stopped(container, seconds):
    deadline = time.monotonic() + seconds
    while container.is_alive():
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL)
    return True
