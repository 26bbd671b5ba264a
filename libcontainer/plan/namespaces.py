"""The namespace part of a plan: what pyrunc-init joins and makes, then the
fork into the pid namespace. The user namespace comes first (the others
belong to it), the mount namespace last of the joins; later the init waits to be in its
cgroup (which a new cgroup namespace takes as its root)."""
import os

from libcontainer import errors
from libcontainer.namespaces import NAMESPACES
from libcontainer.plan.attributes import time_offsets_ops
from libcontainer.plan.ops import Op

_JOIN_ORDER = ["user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount"]


def _ordered(namespaces):
    indexed = list(enumerate(namespaces))
    return sorted(indexed, key=lambda item: _JOIN_ORDER.index(item[1]["type"]))


def _join(index, ns, path):
    kind = ns["type"]
    flag = NAMESPACES[kind][1]
    return Op("OP_JOIN", f"linux.namespaces[{index}]: joining the {kind} namespace {path}",
              flag, path)


def create_ops(linux):
    namespaces = linux.get("namespaces") or []
    ops, flags = [], 0
    for index, ns in _ordered(namespaces):
        kind = ns["type"]
        if kind == "user":
            ops += _user_ops(index, ns)
        elif ns.get("path"):
            ops.append(_join(index, ns, ns["path"]))
        elif kind != "cgroup":
            flags |= NAMESPACES[kind][1]
    if flags:
        ops.append(Op("OP_UNSHARE", "linux.namespaces: creating namespaces", flags))
    ops += time_offsets_ops(linux, bool(flags & NAMESPACES["time"][1]))
    return ops + [Op("OP_FORK", "starting the container's init")]


def join_cgroup_ops(linux):
    """The init waits to be in its cgroup; a new cgroup namespace then has
    that cgroup as its root. The plan puts these before the first op that
    needs the cgroup (plan/create.py): the mounts before them are made while
    pyrunc makes the cgroup."""
    ops = [Op("OP_WAIT_CGROUP", "joining the container's cgroup")]
    if any(ns["type"] == "cgroup" and not ns.get("path")
           for ns in linux.get("namespaces") or []):
        ops.append(Op("OP_UNSHARE", "linux.namespaces: creating the cgroup namespace",
                      NAMESPACES["cgroup"][1]))
    return ops


def _user_ops(index, ns):
    become = Op("OP_BECOME_ROOT", "linux.uidMappings: becoming uid 0 in the user namespace "
                                  "(container uid and gid 0 must be mapped)")
    if ns.get("path"):
        return [_join(index, ns, ns["path"]), become]
    return [Op("OP_UNSHARE", f"linux.namespaces[{index}]: creating the user namespace",
               NAMESPACES["user"][1]),
            Op("OP_USERNS_SYNC", "linux.uidMappings"), become]


def exec_ops(namespaces, init_pid):
    """Join every namespace of the container's init, then fork into its pid one."""
    ops = []
    for index, ns in _ordered(namespaces):
        path = f"/proc/{init_pid}/ns/{NAMESPACES[ns['type']][0]}"
        # Joining the user namespace one is already in fails with EINVAL.
        if ns["type"] == "user" and _same_namespace(path, "/proc/self/ns/user"):
            continue
        ops.append(_join(index, ns, path))
    return ops + [Op("OP_FORK", "starting the process")]


def _same_namespace(a, b):
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError as exc:
        raise errors.PyruncError(f"container namespace {a}: {exc.strerror}") from None
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)
