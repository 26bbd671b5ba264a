"""delete: remove every trace of a container (runtime.md "delete")."""
import os
import _signal as signal  # the C module: signal.py would import enum (~5 ms)
import time

from libcontainer import errors

_DEATH_TIMEOUT = 5.0


def delete(container, force=False):
    with container.store.lock(container.id):
        status = container.status()
        if status in ("running", "paused", "creating") and not force:
            raise errors.InvalidState(
                f"cannot delete container {container.id} that is not stopped: {status} "
                "(use --force)")
        cgroup = container.cgroup() if container.record.get("cgroup") else None
        # Stopped or not, what is left in the cgroup (no pid namespace, or an
        # init that died) must go before the cgroup can.
        if status != "stopped" or (cgroup and cgroup.pids()):
            _kill_everything(container, cgroup)
        _reap_if_ours(container.pid)
        if cgroup:
            cgroup.destroy()
        container.store.remove(container.id)
    if container.spec.get("hooks"):
        from libcontainer import hooks
        hooks.run(container.spec, "poststop", hooks.state_json(
            container.spec, container.id, "stopped", 0, container.record["bundle"]))
    remove_image_bundle(container.store.root, container.id)


def remove_image_bundle(state_root, container_id):
    """A run-image container's overlay root, writable layer and network
    lease (libcontainer/images/containers.py); for any other, one stat."""
    if os.path.isdir(os.path.join(state_root, ".images", "containers", container_id)):
        from libcontainer.images import containers
        containers.remove(state_root, container_id)


def _reap_if_ours(pid):
    """The init is the creating process's child: when that is us (run, or a
    library caller), collect it so no zombie stays behind."""
    if not pid:
        return
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _kill_everything(container, cgroup):
    if cgroup:
        if container.status() == "paused":
            cgroup.thaw()
        cgroup.kill_all(signal.SIGKILL)
    if not container.pid:
        return  # a create killed before its init existed: nothing else runs
    try:
        os.kill(container.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + _DEATH_TIMEOUT
    while container.is_alive():
        if time.monotonic() > deadline:
            raise errors.PyruncError(f"container {container.id}: init {container.pid} did not die")
        time.sleep(0.005)
