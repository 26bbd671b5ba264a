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
    run_poststart_hooks(container)


def run_poststart_hooks(container):
    """Once the process runs, before start (or run's create) returns."""
    if container.spec.get("hooks"):
        from libcontainer import hooks
        hooks.run(container.spec, "poststart", hooks.state_json(
            container.spec, container.id, "running", container.pid, container.record["bundle"]))


def _release_init(container):
    """Open the exec fifo: the init, blocked opening its other end, writes
    "0", then runs the startContainer hooks and execs. Its end is
    close-on-exec: end of file says the process runs; anything more it
    writes is why it could not. Poll, so a dead init can't leave us
    waiting forever."""
    fd = os.open(container.fifo_path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    said, started = b"", False
    poller = select.poll()  # not select(): fds past 1023
    poller.register(fd, select.POLLIN)
    try:
        while True:
            ready = poller.poll(100)  # data, or the hang-up of end of file
            data = os.read(fd, 4096) if ready else b""
            if data:
                said += data
                started = True
            elif ready and started:
                break  # end of file: the init exec'd, or failed and said why
            elif not container.is_alive():
                break
    finally:
        os.close(fd)
    os.unlink(container.fifo_path)
    if not started:
        raise errors.PyruncError(f"container {container.id}: its init exited before start")
    if said[1:]:
        raise errors.PyruncError(said[1:].decode(errors="replace"))
