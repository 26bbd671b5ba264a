"""Namespace names, flags, and the bootstrap message for the _nsexec constructor."""
import os

from libcontainer import errors

# OCI namespace type -> (name under /proc/PID/ns, clone flag)
NAMESPACES = {
    "user": ("user", 0x10000000),
    "pid": ("pid", 0x20000000),
    "network": ("net", 0x40000000),
    "ipc": ("ipc", 0x08000000),
    "uts": ("uts", 0x04000000),
    "mount": ("mnt", 0x00020000),
    "cgroup": ("cgroup", 0x02000000),
    "time": ("time", 0x00000080),
}
# setns order: user first (the constructor does that itself), mount last
# (joined from Python once the interpreter has loaded what it needs).
_JOIN_ORDER = ["user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount"]


def _ordered(namespaces):
    return sorted(namespaces, key=lambda ns: _JOIN_ORDER.index(ns["type"]))


def bootstrap_for_create(namespaces):
    """Bootstrap lines: new namespaces as flags, `path` ones as joins.

    A new cgroup namespace is left out: the init unshares it itself once the
    parent has moved it into the container's cgroup (see launcher.spawn)."""
    flags, lines = 0, []
    for ns in _ordered(namespaces):
        proc_name, flag = NAMESPACES[ns["type"]]
        if ns.get("path"):
            lines.append(f"join {proc_name} {ns['path']}")
        elif ns["type"] != "cgroup":
            flags |= flag
    return [f"flags {flags}"] + lines


def bootstrap_for_exec(namespaces, init_pid):
    """Bootstrap text joining every namespace the container's init is in."""
    lines = []
    for ns in _ordered(namespaces):
        proc_name, _flag = NAMESPACES[ns["type"]]
        path = f"/proc/{init_pid}/ns/{proc_name}"
        # Joining the user namespace one is already in fails with EINVAL.
        if proc_name == "user" and _same_namespace(path, "/proc/self/ns/user"):
            continue
        lines.append(f"join {proc_name} {path}")
    return ["flags 0"] + lines


def _same_namespace(a, b):
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError as exc:
        raise errors.PyruncError(f"container namespace {a}: {exc.strerror}") from None
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def has_new(namespaces, ns_type):
    return any(ns["type"] == ns_type and not ns.get("path") for ns in namespaces)

