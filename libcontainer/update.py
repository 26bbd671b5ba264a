"""`pyrunc update`: new resource limits for a running (or paused) container.

The changes are a partial linux.resources object (runtime/update_flags.py
makes it from runc's flags or a -r file: what containerd sends for `docker
update`). As in runc, a value of 0 (or "") means "leave as it is". They are
merged into the stored config, the merged resources are written to the
cgroup, and only when that worked is the stored config replaced; when a
write fails the old limits are written back and the error is reported.
"""
from libcontainer import diagnostics, errors

# Fields runc's update takes, besides "unified" (merged file by file); anything
# else in a -r file is ignored, as runc ignores it (containerd sends the whole
# resources object, devices included).
UPDATABLE = {
    "memory": ("limit", "reservation", "swap", "kernel", "kernelTCP"),
    "cpu": ("shares", "quota", "period", "realtimeRuntime", "realtimePeriod", "cpus", "mems"),
    "blockIO": ("weight",),
    "pids": ("limit",),
}


def merged(resources, changes):
    """resources with the updatable fields of changes that are set (not 0/"",
    runc's "unchanged") put over it; a new dict, resources is left as it is."""
    out = {name: dict(value) if isinstance(value, dict) else value
           for name, value in (resources or {}).items()}
    for section, keys in UPDATABLE.items():
        given = changes.get(section)
        if given is None:
            continue
        if not isinstance(given, dict):
            raise errors.PyruncError(f"linux.resources.{section}: must be an object")
        for key in keys:
            value = given.get(key)
            if value is not None and value != 0 and value != "":
                out.setdefault(section, {})[key] = value
    unified = changes.get("unified")
    if unified:
        # cgroup v2 files by name, each replacing its old value (runc 1.1 does).
        if not isinstance(unified, dict):
            raise errors.PyruncError("linux.resources.unified: must be an object")
        out["unified"] = dict(out.get("unified") or {}, **unified)
    return out


def _without_devices(resources):
    # The device rules are set at create and update cannot change them:
    # rewriting them would deny every device for a moment (v1 starts a rule
    # list with "deny all").
    return {k: v for k, v in resources.items() if k != "devices"}


def update(container, changes):
    """Apply changes to the container's cgroup, then store them in its config."""
    store = container.store
    with store.lock(container.id):
        record = store.load(container.id)  # fresh: another update may have run
        status = container.status()
        if status == "stopped":
            raise errors.InvalidState(f"container {container.id} is not running")
        linux = record["config"].setdefault("linux", {})
        old = linux.get("resources") or {}
        new = merged(old, changes)
        manager = container.cgroup()
        diagnostics.debug(f"update {container.id}: resources {new}")
        try:
            manager.apply(_without_devices(new))
        except errors.PyruncError:
            _restore(manager, old)
            raise
        linux["resources"] = new
        store.save(container.id, record)
        container.record = record


def _restore(manager, old):
    try:
        manager.apply(_without_devices(old))
    except errors.PyruncError as exc:
        diagnostics.warning(f"update failed, and setting the old limits back failed too "
                            f"({exc}): the cgroup and the stored config may differ")
