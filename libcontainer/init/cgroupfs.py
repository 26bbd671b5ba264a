"""The `cgroup` mount type: the container sees its own cgroups at the destination.

v2: the unified hierarchy. v1: a tmpfs with one directory per hierarchy. In a
new cgroup namespace a fresh cgroup mount already shows the container's cgroup
as its root; without one, the container's own cgroup directories are bound in.
"""
import os

from libcontainer import syscalls as sc
from libcontainer.cgroups import mountinfo, paths as cgpaths
from libcontainer.init import paths

_BIND_FLAGS = sc.MS_RDONLY | sc.MS_NOSUID | sc.MS_NODEV | sc.MS_NOEXEC


def mount_cgroupfs(rootfd, destination, flags, cgroupns):
    mounts = mountinfo.parse(mountinfo.read_self())
    v1 = mountinfo.v1_hierarchies(mounts)
    v2 = mountinfo.v2_hierarchy(mounts)
    own = cgpaths.parse_proc_cgroup(cgpaths.read_self())
    if not any(not c.startswith("name=") for h in v1 for c in h.controllers):
        _mount_one(rootfd, destination, v2, "cgroup2", None, flags, cgroupns, own)
        return
    _at(rootfd, destination, lambda t: sc.mount("tmpfs", t, "tmpfs",
                                                 flags & ~sc.MS_RDONLY, "mode=755"))
    for hierarchy in v1:
        name = ",".join(c[5:] if c.startswith("name=") else c for c in hierarchy.controllers)
        _mount_one(rootfd, f"{destination}/{name}", hierarchy, "cgroup",
                   ",".join(hierarchy.controllers), flags, cgroupns, own)
    if v2 is not None:
        _mount_one(rootfd, f"{destination}/unified", v2, "cgroup2", None, flags, cgroupns, own)
    if flags & sc.MS_RDONLY:
        _at(rootfd, destination,
            lambda t: sc.mount(None, t, None, sc.MS_REMOUNT | sc.MS_BIND | flags))


def _mount_one(rootfd, destination, hierarchy, fstype, data, flags, cgroupns, own):
    if cgroupns:
        _at(rootfd, destination, lambda t: sc.mount(fstype, t, fstype, flags, data))
        return
    source = cgpaths.dir_for(hierarchy, cgpaths.path_in_hierarchy(hierarchy, ".", own))

    _at(rootfd, destination, lambda t: sc.mount(source, t, None, sc.MS_BIND | sc.MS_REC))
    _at(rootfd, destination, lambda t: sc.mount(
        None, t, None, sc.MS_BIND | sc.MS_REMOUNT | (flags & _BIND_FLAGS)))


def _at(rootfd, destination, action):
    os.close(paths.ensure_dir(rootfd, destination))
    paths.at(rootfd, destination, action)
