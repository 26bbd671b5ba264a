"""The `cgroup` mount type: the container sees its own cgroups at the destination.

v2: the unified hierarchy. v1: a tmpfs with one directory per hierarchy. In a
new cgroup namespace a fresh cgroup mount already shows the container's cgroup
as its root; without one, the container's cgroup directories (the parent made
them and names them in the config) are bound in. Either way only hierarchies
the container has a cgroup in are shown, and nothing needs the init to be in
its cgroup yet (the parent may still be moving it: see create.py).
"""
import os

from libcontainer import syscalls as sc
from libcontainer.cgroups import mountinfo
from libcontainer.init import paths

_BIND_FLAGS = sc.MS_RDONLY | sc.MS_NOSUID | sc.MS_NODEV | sc.MS_NOEXEC


class ContainerCgroups:
    """namespaced: a new cgroup namespace; dirs: {"cpu,cpuacct": host dir, ...}
    ("" for v2), keyed as mountinfo names the hierarchies' controllers."""

    def __init__(self, namespaced=False, dirs=None):
        self.namespaced, self.dirs = namespaced, dirs or {}


def mount_cgroupfs(rootfd, destination, flags, cgroups):
    mounts = mountinfo.parse(mountinfo.read_self())
    v1 = [h for h in mountinfo.v1_hierarchies(mounts) if h.key in cgroups.dirs]
    if not v1:
        v2 = mountinfo.v2_hierarchy(mounts)
        if v2 is not None and "" in cgroups.dirs:
            _mount_one(rootfd, destination, v2, "cgroup2", flags, cgroups)
        return
    _at(rootfd, destination, lambda t: sc.mount("tmpfs", t, "tmpfs",
                                                 flags & ~sc.MS_RDONLY, "mode=755"))
    for hierarchy in v1:
        name = ",".join(c[5:] if c.startswith("name=") else c for c in hierarchy.controllers)
        _mount_one(rootfd, f"{destination}/{name}", hierarchy, "cgroup", flags, cgroups)
    if flags & sc.MS_RDONLY:
        _at(rootfd, destination,
            lambda t: sc.mount(None, t, None, sc.MS_REMOUNT | sc.MS_BIND | flags))


def _mount_one(rootfd, destination, hierarchy, fstype, flags, cgroups):
    if cgroups.namespaced:
        data = hierarchy.key or None  # v1: the controllers, e.g. "cpu,cpuacct"
        _at(rootfd, destination, lambda t: sc.mount(fstype, t, fstype, flags, data))
        return
    source = cgroups.dirs[hierarchy.key]
    _at(rootfd, destination, lambda t: sc.mount(source, t, None, sc.MS_BIND | sc.MS_REC))
    _at(rootfd, destination, lambda t: sc.mount(
        None, t, None, sc.MS_BIND | sc.MS_REMOUNT | (flags & _BIND_FLAGS)))


def _at(rootfd, destination, action):
    os.close(paths.ensure_dir(rootfd, destination))
    paths.at(rootfd, destination, action)
