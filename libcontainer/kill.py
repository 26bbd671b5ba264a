"""kill: send a signal to the container's init, or with all=True to every process."""
import os

from libcontainer import errors


def kill(container, sig, all_processes=False):
    status = container.status()
    if status == "stopped":
        raise errors.InvalidState(f"container {container.id} is not running")
    if all_processes:
        container.cgroup().kill_all(sig)
        return
    try:
        os.kill(container.pid, sig)
    except ProcessLookupError:
        raise errors.InvalidState(f"container {container.id} is not running") from None
