"""The plan of a container's init (create): namespaces, the root filesystem,
the process, and the wait for `start` before execve."""
import os
import stat

from libcontainer.plan import attributes, cgroupfs, namespaces, process
from libcontainer.plan.mounts import MS_REC, PROPAGATION, mount_ops
from libcontainer.plan.ops import Op

ROOT_PROPAGATION = dict(PROPAGATION, **{"r" + name: flag | MS_REC
                                         for name, flag in PROPAGATION.items()})
MS_PRIVATE = PROPAGATION["private"]
# runtime-spec config-linux.md "Default Devices"
DEFAULT_DEVICES = [
    {"path": "/dev/null", "type": "c", "major": 1, "minor": 3},
    {"path": "/dev/zero", "type": "c", "major": 1, "minor": 5},
    {"path": "/dev/full", "type": "c", "major": 1, "minor": 7},
    {"path": "/dev/random", "type": "c", "major": 1, "minor": 8},
    {"path": "/dev/urandom", "type": "c", "major": 1, "minor": 9},
    {"path": "/dev/tty", "type": "c", "major": 5, "minor": 0},
]
DEFAULT_LINKS = [
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
    ("pts/ptmx", "/dev/ptmx"),
]
_TYPES = {"c": stat.S_IFCHR, "u": stat.S_IFCHR, "b": stat.S_IFBLK, "p": stat.S_IFIFO}


class CreateContext:
    """What the plan needs besides the spec: paths the parent chose and state
    of the host it read."""

    def __init__(self, bundle, rootfs, fifo, cgroup_dirs, preserve_fds=0, seccomp=None,
                 last_cap=None, mountinfo=None, keyring=None, rootless=False):
        self.bundle, self.rootfs, self.fifo = bundle, rootfs, fifo
        self.cgroup_dirs, self.preserve_fds, self.seccomp = cgroup_dirs, preserve_fds, seccomp
        self.last_cap, self.mountinfo = last_cap, mountinfo
        self.keyring = keyring  # a new session keyring's name, or None
        self.rootless = rootless  # an unprivileged caller: setgroups is denied


def compile_create(spec, ctx):
    linux = spec.get("linux") or {}
    proc = spec.get("process")
    kinds = {ns["type"]: ns for ns in linux.get("namespaces") or []}
    ops = namespaces.create_ops(linux)
    if ctx.keyring:
        ops.append(Op("OP_KEYRING", "the session keyring", ctx.keyring))
    ops += rootfs_ops(spec, ctx, "user" in kinds,
                      "cgroup" in kinds and not kinds["cgroup"].get("path"))
    if proc is None:  # allowed: start refuses it; the init waits until deleted
        return ops + [Op("OP_READY", "waiting for start")]
    ops.append(Op("OP_SETSID", "process.terminal"))
    ops += process.setup_ops(proc, ctx.seccomp, ctx.preserve_fds, ctx.last_cap, ctx.rootless)
    ops += attributes.memory_policy_ops(linux)  # before ready: a bad node fails create
    ops += [Op("OP_CHECK_FIFO", "process.user: the exec fifo"),
            Op("OP_READY", "waiting for start")]
    ops += hook_ops(spec, "startContainer", 1)
    return ops + process.exec_ops(proc, ctx.seccomp, linux)


def rootfs_ops(spec, ctx, in_userns, cgroupns):
    linux = spec.get("linux") or {}
    proc = spec.get("process") or {}
    ops = [Op("OP_ROOT_PRIVATE", "making the mounts private", MS_REC | MS_PRIVATE),
           Op("OP_BIND_ROOTFS", f"root.path: {ctx.rootfs}", ctx.rootfs)]
    for index, entry in enumerate(spec.get("mounts") or []):
        if entry.get("type") == "cgroup":
            ops += cgroupfs.cgroup_mount_ops(index, entry, ctx.cgroup_dirs, cgroupns,
                                             ctx.mountinfo)
        else:
            ops += mount_ops(index, entry, ctx.bundle, spec, ctx.rootless)
    ops += device_ops(linux.get("devices"), in_userns)
    for key in ("hostname", "domainname"):
        if key in spec:
            ops.append(Op(f"OP_{key.upper()}", f"{key}: {spec[key]}", spec[key]))
    if proc.get("terminal"):
        size = proc.get("consoleSize") or {}
        ops.append(Op("OP_CONSOLE", "process.terminal", "/dev/pts",
                      size.get("height", 0), size.get("width", 0), 1))
    if spec.get("hooks"):
        ops.append(Op("OP_HOOK_STATES", "hooks"))
        ops += hook_ops(spec, "createContainer", 0)
    ops += [Op("OP_OPEN_FIFO", f"the exec fifo {ctx.fifo}", ctx.fifo),
            Op("OP_PIVOT_ROOT", "pivot_root",
               ROOT_PROPAGATION.get(linux.get("rootfsPropagation"), 0)),
            Op("OP_CHECK_PROC", "mounts")]
    for key, value in (linux.get("sysctl") or {}).items():
        ops.append(Op("OP_SYSCTL", f"linux.sysctl.{key}", "sys/" + key.replace(".", "/"),
                      str(value)))
    ops += [Op("OP_MASK", f"linux.maskedPaths: {path}", path)
            for path in linux.get("maskedPaths") or []]
    ops += [Op("OP_READONLY", f"linux.readonlyPaths: {path}", path)
            for path in linux.get("readonlyPaths") or []]
    if (spec.get("root") or {}).get("readonly"):
        ops.append(Op("OP_ROOT_READONLY", "root.readonly"))
    return ops


def device_ops(spec_devices, in_userns):
    """The default devices plus linux.devices (the spec's entries win), then
    the standard links. In a user namespace mknod is refused: the host's
    nodes are bound instead."""
    wanted = {d["path"]: d for d in DEFAULT_DEVICES}
    wanted.update({d["path"]: d for d in spec_devices or ()})
    ops = []
    for path, device in wanted.items():
        label = f"linux.devices: creating {path}"
        if in_userns:
            ops.append(Op("OP_BIND_DEVICE", label, path))
            continue
        mode = _TYPES[device["type"]] | (device.get("fileMode", 0o666) & 0o7777)
        ops.append(Op("OP_MKNOD", label, path, mode,
                      os.makedev(device.get("major", 0), device.get("minor", 0)),
                      device.get("uid", 0), device.get("gid", 0)))
    return ops + [Op("OP_SYMLINK", f"creating {link}", target, link)
                  for target, link in DEFAULT_LINKS]


def hook_ops(spec, kind, which_state):
    """Hooks run by the init itself: which_state 0 is the create state, 1 start's.
    A hook without `env` gets the environment the init has, as runc's init
    (which takes process.env as its own) gives it: process.env for
    createContainer, and for startContainer the process's as OP_ENV made it
    (HOME added). The op's last argument says so (the C side then takes
    the process's environment once OP_ENV has set it, the list before)."""
    process_env = process.unique_env((spec.get("process") or {}).get("env") or [])
    ops = []
    for index, hook in enumerate((spec.get("hooks") or {}).get(kind) or []):
        inherits = "env" not in hook
        ops.append(Op("OP_HOOK", f"hooks.{kind}[{index}] {hook['path']}", which_state,
                      hook["path"], hook.get("timeout") or 0, hook.get("args") or [],
                      process_env if inherits else hook["env"] or [], int(inherits)))
    return ops
