"""Where a container's cgroup lives in each hierarchy.

linux.cgroupsPath follows runc: "/a/b" is taken from the root of each mounted
hierarchy, "a/b" from the cgroup the calling process is in (/proc/self/cgroup),
and an empty path means "pyrunc/<container id>" below the caller's own cgroup
(as runc nests its default under the caller), so a runtime confined to a
cgroup keeps its containers inside it.
"""

import os
import posixpath
import stat

from libcontainer import small_files
from libcontainer.errors import PyruncError

DEFAULT_PARENT = "pyrunc"


def read_self() -> str:
    return small_files.read_text("/proc/self/cgroup")


def parse_proc_cgroup(text: str) -> dict:
    """"4:memory:/x" lines -> {frozenset({"memory"}): "/x"}; v2's "0::/x" has
    the empty set as its key."""
    own = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            names = frozenset(n for n in parts[1].split(",") if n)
            own[names] = parts[2]
    return own


def clean(path: str) -> str:
    """Absolute, normalised, and unable to climb above "/" with "..". """
    return posixpath.normpath("/" + path.lstrip("/"))


# systemd's own mark that it runs as init (sd_booted(3)); runc checks the same.
SYSTEMD_RUNNING_DIR = "/run/systemd/system"


def check_systemd_running() -> None:
    """--systemd-cgroup without systemd as init: an error, as with runc,
    rather than cgroups made where no systemd will look after them."""
    marker = SYSTEMD_RUNNING_DIR
    try:
        running = stat.S_ISDIR(os.lstat(marker).st_mode)
    except OSError:
        running = False
    if not running:
        raise PyruncError("--systemd-cgroup: systemd is not running on this host "
                          f"(no {marker}), cannot use systemd's cgroup manager")


def systemd_path(cgroups_path, container_id: str) -> str:
    """--systemd-cgroup's "slice:prefix:name" as the cgroupfs path systemd
    would give it: "machine.slice:libpod:abc" -> "/machine.slice/libpod-abc.scope",
    a nested slice "a-b.slice" -> "/a.slice/a-b.slice". pyrunc makes the
    directories itself (no D-Bus), where a systemd-managed host expects them."""
    parts = (cgroups_path or f"system.slice:pyrunc:{container_id}").split(":")
    if len(parts) != 3:
        raise PyruncError(f"linux.cgroupsPath: {cgroups_path!r} is not slice:prefix:name "
                          "(needed with --systemd-cgroup)")
    slice_name, prefix, name = parts
    slice_name = slice_name or "system.slice"
    if not slice_name.endswith(".slice") or "/" in slice_name + prefix + name:
        raise PyruncError(f"linux.cgroupsPath: {cgroups_path!r}: bad systemd slice or name")
    words = slice_name[:-len(".slice")].split("-")
    levels = ["-".join(words[:i]) + ".slice" for i in range(1, len(words) + 1)]
    unit = name if name.endswith(".slice") else f"{prefix}-{name}.scope" if prefix else f"{name}.scope"
    return "/" + "/".join(levels + [unit])


def requested_path(cgroups_path, container_id: str, systemd: bool = False):
    """-> (path, owned_parent_depth).

    owned_parent_depth counts the ancestors pyrunc made up itself (the default
    "pyrunc/"), which destroy may remove once they are empty.
    """
    if systemd:
        return systemd_path(cgroups_path, container_id), 0
    if not cgroups_path:
        if not container_id or "/" in container_id or container_id in (".", ".."):
            raise PyruncError(f"cannot derive a cgroup path from container id {container_id!r}")
        return f"{DEFAULT_PARENT}/{container_id}", 1
    return cgroups_path, 0


def path_in_hierarchy(hierarchy, path: str, own_cgroups: dict) -> str:
    """The container's cgroup path as seen from this hierarchy's mount point."""
    if path.startswith("/"):
        return clean(path)
    own = own_cgroups.get(frozenset(hierarchy.controllers), "/")
    # /proc/self/cgroup counts from the hierarchy's true root, the mount may
    # show only a subtree of it (its mountinfo root field).
    root = clean(hierarchy.root)
    own = clean(own)
    if root != "/" and (own == root or own.startswith(root + "/")):
        own = own[len(root):] or "/"
    return clean(posixpath.join(own, path))
