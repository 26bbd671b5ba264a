"""Container cgroups, v1 and v2.

    mgr = manager_for(spec_linux.get("cgroupsPath"), container_id)
    mgr.create(); mgr.apply(spec_linux.get("resources") or {}); mgr.add_pid(pid)
    state["cgroups"] = mgr.to_state()        # later: manager_from_state(...)
    mgr.kill_all(signal.SIGKILL); mgr.destroy()

Which driver runs is read from /proc/self/mountinfo: v1 when v1 controllers
are mounted (hybrid hosts included), else the cgroup2 mount.

The drivers are imported inside the functions: the container init imports
this package for mountinfo/paths only, and the drivers pull in `signal` (and
with it `enum`, ~5 ms) that the init never needs.
"""

from libcontainer.errors import PyruncError

from . import mountinfo as _mountinfo
from . import paths as _paths

__all__ = ["manager_for", "manager_from_state"]


def manager_for(cgroups_path, container_id: str, mountinfo: str = None,
                proc_self_cgroup: str = None, fs=None, systemd: bool = False):
    """The Manager for a container's linux.cgroupsPath (None/"" = default).

    mountinfo and proc_self_cgroup replace /proc/self/{mountinfo,cgroup} and fs
    the filesystem, so tests can point this at a fake tree.
    """
    if mountinfo is None:
        mountinfo = _mountinfo.read_self()
    version, hierarchies = _mountinfo.detect(mountinfo)
    path, owned_depth = _paths.requested_path(cgroups_path, container_id, systemd)
    if systemd:
        _paths.check_systemd_running()  # after the path's own check, as runc orders them
    own = {}
    if not path.startswith("/"):
        own = _paths.parse_proc_cgroup(
            proc_self_cgroup if proc_self_cgroup is not None else _paths.read_self())
    located = [(h, _paths.path_in_hierarchy(h, path, own)) for h in hierarchies]
    for _, p in located:
        if p == "/":
            # Its destroy would rmdir, and kill_all would signal, the whole host.
            raise PyruncError(f"linux.cgroupsPath: {cgroups_path!r} is the root cgroup")
    from .fs import REAL_FS
    fs = fs or REAL_FS
    if version == 2:  # each driver imported only where it runs
        from .v2 import V2Manager
        hierarchy, p = located[0]
        return V2Manager(hierarchy.mount_point, p, owned_depth, fs)
    from .v1 import V1Cgroup, V1Manager
    return V1Manager([V1Cgroup(h, p) for h, p in located], owned_depth, fs)


def manager_from_state(data: dict, fs=None):
    """Rebuild a Manager from what its to_state() returned."""
    from .fs import REAL_FS
    fs = fs or REAL_FS
    version = data.get("version")
    if version == 1:
        from .v1 import V1Manager
        return V1Manager.from_state(data, fs)
    if version == 2:
        from .v2 import V2Manager
        return V2Manager.from_state(data, fs)
    raise PyruncError(f"unknown cgroup state version {version!r}")
