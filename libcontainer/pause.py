"""pause / resume: freeze and thaw every process of a container (its cgroup)."""
from libcontainer import errors


def pause(container):
    _expect(container, "running", "pause")
    container.cgroup().freeze()


def resume(container):
    _expect(container, "paused", "resume")
    container.cgroup().thaw()


def _expect(container, wanted, action):
    status = container.status()
    if status != wanted:
        raise errors.InvalidState(f"cannot {action} container {container.id}: it is {status}")
