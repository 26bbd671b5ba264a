"""state.fast: what the C front of the `pyrunc` command (_nsexec/launcher.c)
needs to answer `state`, `kill` and `start` without starting Python, one
item a line: the init's pid and start time, where its cgroup says whether it
is frozen, "start" when a start needs nothing but the exec fifo (a process
to run, no poststart hooks) else "-", and the state JSON as `pyrunc state` prints it,
with markers for the status and the pid, the only fields that change once
the container is created."""
import os

from libcontainer import json_text, small_files

STATUS_MARK = "@@STATUS@@"
PID_MARK = -424242
FILE_NAME = "state.fast"
# For `delete` of a stopped container without poststop hooks: the cgroup directories
# to remove, one a line, "C DIR" (the container's: must go) or "P DIR" (a
# parent pyrunc made: goes if empty), in order.
DELETE_FILE = "delete.fast"


def write(container):
    """Called by create once the record is saved."""
    state = container.oci_state()
    state["status"], state["pid"] = STATUS_MARK, PID_MARK  # same places in the JSON
    # Only poststart hooks run at `start` in pyrunc itself, poststop at `delete`
    # (docker's prestart hook, for one, is no reason to start Python).
    hooks = container.spec.get("hooks") or {}
    simple_start = container.spec.get("process") and not hooks.get("poststart")
    text = "\n".join([str(container.pid), str(container.record["pidStartTime"]),
                      _freezer(container), "start" if simple_start else "-",
                      json_text.dumps(state, indent=2)]) + "\n"
    _write_atomically(container.store.path(container.id, FILE_NAME), text)
    if not hooks.get("poststop") and not _has_image_bundle(container):
        _write_atomically(container.store.path(container.id, DELETE_FILE),
                          "".join(f"{kind} {d}\n" for kind, d in _cgroup_dirs(container)))


def _has_image_bundle(container):
    """A run-image container: its delete also unmounts its overlay root
    (libcontainer/images), which only Python's delete does."""
    root = container.store.root
    return os.path.isdir(os.path.join(root, ".images", "containers", container.id))


def _write_atomically(path, text):
    small_files.write_new(path + ".tmp", text)
    os.rename(path + ".tmp", path)


def _cgroup_dirs(container):
    """As the managers' destroy() removes them (cgroups/manager.py)."""
    if not container.record.get("cgroup"):
        return
    cgroup = container.cgroup()
    places = ([(cgroup.mount_point, cgroup.dir)] if cgroup.version == 2
              else [(cg.hierarchy.mount_point, cg.dir) for cg in cgroup.cgroups])
    for mount_point, directory in places:
        yield "C", directory
        for _ in range(cgroup.owned_parent_depth):
            directory = os.path.dirname(directory)
            if not directory.startswith(mount_point.rstrip("/") + "/"):
                break
            yield "P", directory


def _freezer(container):
    """"v1 FILE" (freezer.state), "v2 FILE" (cgroup.events) or "-"."""
    if not container.record.get("cgroup"):
        return "-"
    cgroup = container.cgroup()
    if cgroup.version == 2:
        return f"v2 {cgroup.file('cgroup.events')}"
    freezer = cgroup.cgroup_of("freezer")
    return f"v1 {freezer.dir}/freezer.state" if freezer else "-"
