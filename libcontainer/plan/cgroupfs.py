"""The `cgroup` mount type: the container sees its own cgroups at the destination.

v2: the unified hierarchy. v1: a tmpfs with one directory per hierarchy. In a
new cgroup namespace a fresh cgroup mount already shows the container's cgroup
as its root; without one, the container's cgroup directories (made by the
parent; `dirs` names them) are bound in. Only hierarchies the container has a
cgroup in are shown.
"""
from libcontainer.cgroups import mountinfo
from libcontainer.plan.mounts import HOW, NODEV, NOEXEC, NOSUID, RDONLY, MountOptions
from libcontainer.plan.ops import Op

_BIND_ATTRS = RDONLY | NOSUID | NODEV | NOEXEC


def cgroup_mount_ops(index, entry, dirs, namespaced, mounts=None):
    """dirs: {"cpu,cpuacct": host dir, ...} ("" for v2), keyed as mountinfo
    names the hierarchies; mounts: mountinfo.parse() of ours (read if None)."""
    if mounts is None:
        mounts = mountinfo.parse(mountinfo.read_self())
    destination = entry["destination"]
    label = f"mounts[{index}]: mounting cgroups on {destination}"
    attrs = MountOptions(entry.get("options")).set
    v1 = [h for h in mountinfo.v1_hierarchies(mounts) if h.key in dirs]
    if not v1:
        v2 = mountinfo.v2_hierarchy(mounts)
        if v2 is None or "" not in dirs:
            return []
        if namespaced:
            return [Op("OP_MOUNT", label, destination, "cgroup2", "cgroup2", attrs, 0, 0,
                       0, 0, HOW["new"], [])]
        return [Op("OP_MOUNT", label, destination, dirs[""], "", attrs & _BIND_ATTRS, 0,
                   0, 0, 0, HOW["rbind"] | HOW["late_source"], [])]
    ops = [Op("OP_CGROUP_TMPFS", label, destination, attrs & ~RDONLY)]
    for hierarchy in v1:
        name = ",".join(c[5:] if c.startswith("name=") else c for c in hierarchy.controllers)
        source = "" if namespaced else dirs[hierarchy.key]
        ops.append(Op("OP_CGROUP_HIER", f"{label}/{name}", name, source,
                      hierarchy.key.split(","), attrs if namespaced else attrs & _BIND_ATTRS))
    ops.append(Op("OP_CGROUP_DONE", label, attrs & RDONLY))
    return ops
