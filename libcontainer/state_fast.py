"""state.fast: what the C front of the `pyrunc` command (_nsexec/launcher.c)
needs to answer `state`, `kill` and `start` without starting Python, one
item a line: the init's pid and start time, where its cgroup says whether it
is frozen, "start" when a start needs nothing but the exec fifo (a process
to run, no hooks) else "-", and the state JSON as `pyrunc state` prints it,
with markers for the status and the pid, the only fields that change once
the container is created."""
import os

from libcontainer import json_text

STATUS_MARK = "@@STATUS@@"
PID_MARK = -424242
FILE_NAME = "state.fast"


def write(container):
    """Called by create once the record is saved."""
    state = container.oci_state()
    state["status"], state["pid"] = STATUS_MARK, PID_MARK  # same places in the JSON
    simple_start = container.spec.get("process") and not container.spec.get("hooks")
    text = "\n".join([str(container.pid), str(container.record["pidStartTime"]),
                      _freezer(container), "start" if simple_start else "-",
                      json_text.dumps(state, indent=2)]) + "\n"
    path = container.store.path(container.id, FILE_NAME)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def _freezer(container):
    """"v1 FILE" (freezer.state), "v2 FILE" (cgroup.events) or "-"."""
    cgroup = container.cgroup()
    if cgroup.version == 2:
        return f"v2 {cgroup.file('cgroup.events')}"
    freezer = cgroup.cgroup_of("freezer")
    return f"v1 {freezer.dir}/freezer.state" if freezer else "-"
