"""start: let a created container's init exec process.args (runtime.md "start")."""
import os
import select

from libcontainer import errors


def start(container):
    with container.store.lock(container.id):
        status = container.status()
        if status != "created":
            raise errors.InvalidState(
                f"container {container.id} is {status}: only a created container can be started")
        if not container.spec.get("process"):
            raise errors.InvalidState(
                f"container {container.id} has no process to start (its config has none)")
        _release_init(container)
    if container.spec.get("hooks"):
        from libcontainer import hooks
        hooks.run(container.spec, "poststart", hooks.state_json(
            container.spec, container.id, "running", container.pid, container.record["bundle"]))


def _release_init(container):
    """Open the exec fifo: the init, blocked opening its other end, writes one
    byte and execs. Poll so a dead init can't leave us waiting forever."""
    fd = os.open(container.fifo_path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 0.1)
            data = os.read(fd, 1) if ready else b""
            if data:
                break
            if not container.is_alive():
                raise errors.PyruncError(f"container {container.id}: its init exited before start")
    finally:
        os.close(fd)
    os.unlink(container.fifo_path)
