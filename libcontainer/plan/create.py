"""The plan of a container's init (create): namespaces, the root filesystem,
the process, and the wait for `start` before execve."""
import os
import stat

from libcontainer import errors
from libcontainer.plan import attributes, cgroupfs, namespaces, process
from libcontainer.plan.mounts import MS_REC, PROPAGATION, RDONLY, MountOptions, mount_ops
from libcontainer.plan.ops import CODES, Op

ROOT_PROPAGATION = dict(PROPAGATION, **{"r" + name: flag | MS_REC
                                         for name, flag in PROPAGATION.items()})
MS_PRIVATE = PROPAGATION["private"]
# runtime-spec config-linux.md "Default Devices", in the order runc makes them
# (in a user namespace each is a bind mount: the order shows in mountinfo)
DEFAULT_DEVICES = [
    {"path": "/dev/null", "type": "c", "major": 1, "minor": 3},
    {"path": "/dev/random", "type": "c", "major": 1, "minor": 8},
    {"path": "/dev/full", "type": "c", "major": 1, "minor": 7},
    {"path": "/dev/tty", "type": "c", "major": 5, "minor": 0},
    {"path": "/dev/zero", "type": "c", "major": 1, "minor": 5},
    {"path": "/dev/urandom", "type": "c", "major": 1, "minor": 9},
]
DEFAULT_LINKS = [
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
    ("pts/ptmx", "/dev/ptmx"),
]
_TYPES = {"c": stat.S_IFCHR, "u": stat.S_IFCHR, "b": stat.S_IFBLK, "p": stat.S_IFIFO}
ROOT_SWITCH = {name[len("ROOT_SWITCH_"):].lower(): code for name, code in CODES.items()
               if name.startswith("ROOT_SWITCH_")}


class CreateContext:
    """What the plan needs besides the spec: paths the parent chose and state
    of the host it read."""

    def __init__(self, bundle, rootfs, fifo, cgroup_dirs, preserve_fds=0, seccomp=None,
                 last_cap=None, mountinfo=None, keyring=None, rootless=False,
                 no_pivot=False):
        self.bundle, self.rootfs, self.fifo = bundle, rootfs, fifo
        self.cgroup_dirs, self.preserve_fds, self.seccomp = cgroup_dirs, preserve_fds, seccomp
        self.last_cap, self.mountinfo = last_cap, mountinfo
        self.keyring = keyring  # a new session keyring's name, or None
        self.rootless = rootless  # an unprivileged caller: setgroups is denied
        self.no_pivot = no_pivot  # --no-pivot: the root moved onto "/" and chrooted into


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
    if ctx.fifo:
        ops.append(Op("OP_CHECK_FIFO", "process.user: the exec fifo"))
    ops.append(Op("OP_READY", "waiting for start" if ctx.fifo else "starting"))
    ops += hook_ops(spec, "startContainer", 1)
    return ops + process.exec_ops(proc, ctx.seccomp, linux)


def rootfs_ops(spec, ctx, in_userns, cgroupns):
    linux = spec.get("linux") or {}
    proc = spec.get("process") or {}
    own = any(ns["type"] == "mount" for ns in linux.get("namespaces") or [])
    if not own:
        refuse_without_mount_namespace(spec, in_userns)
    ops = [Op("OP_ROOT_PRIVATE", "making the mounts private", MS_REC | MS_PRIVATE)] if own else []
    ops.append(Op("OP_BIND_ROOTFS", f"root.path: {ctx.rootfs}", ctx.rootfs, int(not own)))
    # The plain mounts before the first that needs the cgroup are made while
    # pyrunc makes the cgroup; the init then waits to be in it.
    entries = spec.get("mounts") or []
    split = 0 if cgroupns else _first_needing_cgroup(entries)
    ops += entry_ops(spec, ctx, cgroupns, range(split))
    ops += namespaces.join_cgroup_ops(linux)
    ops += entry_ops(spec, ctx, cgroupns, range(split, len(entries)))
    if not _dev_bound(entries):  # a bound /dev is the host's: as it is
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
    if ctx.fifo:  # None: started at once (run), nothing waits for `start`
        ops.append(Op("OP_OPEN_FIFO", f"the exec fifo {ctx.fifo}", ctx.fifo))
    ops += [root_switch_op(linux, ctx, own),
            Op("OP_CHECK_PROC", "mounts", int(not own))]
    return ops + final_ops(spec)


def final_ops(spec):
    """What is done in the container's root: sysctl, then in runc's order the
    read-only paths, the masked ones, a read-only /dev, the root read-only."""
    linux = spec.get("linux") or {}
    ops = []
    for key, value in (linux.get("sysctl") or {}).items():
        ops.append(Op("OP_SYSCTL", f"linux.sysctl.{key}", "sys/" + key.replace(".", "/"),
                      str(value)))
    ops += [Op("OP_READONLY", f"linux.readonlyPaths: {path}", path)
            for path in linux.get("readonlyPaths") or []]
    ops += [Op("OP_MASK", f"linux.maskedPaths: {path}", path)
            for path in linux.get("maskedPaths") or []]
    if _dev_read_only(spec.get("mounts") or []):
        ops.append(Op("OP_MOUNT_READONLY", "mounts: /dev read-only", "/dev"))
    if (spec.get("root") or {}).get("readonly"):
        ops.append(Op("OP_ROOT_READONLY", "root.readonly"))
    return ops


def root_switch_op(linux, ctx, own_mount_namespace):
    """pivot_root; with --no-pivot the root moved onto "/" and a chroot;
    without a mount namespace a chroot alone."""
    propagation = ROOT_PROPAGATION.get(linux.get("rootfsPropagation"), 0)
    if not own_mount_namespace:
        return Op("OP_PIVOT_ROOT", "root.path: chroot", 0, ROOT_SWITCH["chroot"], ctx.rootfs)
    if ctx.no_pivot:
        return Op("OP_PIVOT_ROOT", "--no-pivot: moving the root onto /", propagation,
                  ROOT_SWITCH["move"], ctx.rootfs)
    return Op("OP_PIVOT_ROOT", "pivot_root", propagation, ROOT_SWITCH["pivot"], ctx.rootfs)


def refuse_without_mount_namespace(spec, in_userns):
    """Without a mount namespace of its own (linux.namespaces lists none) the
    container is the host's mount table's: as runc, what would mount there
    is refused, and the root is only chrooted into. In a user namespace even
    the devices would be mounts (bound from the host's: mknod is refused)."""
    linux = spec.get("linux") or {}
    wanted = [("linux.namespaces", in_userns),
              ("mounts", bool(spec.get("mounts"))),
              ("linux.maskedPaths", bool(linux.get("maskedPaths"))),
              ("linux.readonlyPaths", bool(linux.get("readonlyPaths"))),
              ("linux.rootfsPropagation", bool(linux.get("rootfsPropagation"))),
              ("root.readonly", bool((spec.get("root") or {}).get("readonly"))),
              ("process.terminal", bool((spec.get("process") or {}).get("terminal")))]
    for field, asked in wanted:
        if asked:
            raise errors.ConfigError(
                f"{field}: needs a mount namespace (linux.namespaces has no \"mount\"): "
                "it would change the host's mounts")


def _is_dev(entry):
    return "/" + os.path.normpath(entry.get("destination") or "").lstrip("/") == "/dev"


def _dev_entry(entries):
    """The mount of /dev (the last entry for it wins), or None."""
    devs = [entry for entry in entries if _is_dev(entry)]
    return devs[-1] if devs else None


def _dev_bound(entries):
    entry = _dev_entry(entries)
    return entry is not None and (entry.get("type") == "bind"
                                  or MountOptions(entry.get("options")).bind)


def _dev_read_only(entries):
    entry = _dev_entry(entries)
    return entry is not None and bool(MountOptions(entry.get("options")).set & RDONLY)


def _first_needing_cgroup(entries):
    """The index of the first mount to make in the container's cgroup: a
    cgroup filesystem (what it shows depends on the cgroup), a tmpcopyup
    (its copy is charged to the container's memory); len(entries) if none.
    (With a new cgroup namespace every mount waits: it is made once in the
    cgroup, and no mount may come before it.) Devices, the console and the
    hooks come after all mounts, in the cgroup: its device rules guard
    making and opening a node."""
    for index, entry in enumerate(entries):
        if (entry.get("type") in ("cgroup", "cgroup2")
                or "tmpcopyup" in (entry.get("options") or ())):
            return index
    return len(entries)


def entry_ops(spec, ctx, cgroupns, indexes):
    """The ops of the mounts at indexes. A /dev mounted "ro" is mounted
    writable: its devices and links go in first, and it is made read-only at
    the end, as runc does."""
    entries = spec.get("mounts") or []
    ops = []
    for index in indexes:
        entry = entries[index]
        if entry.get("type") == "cgroup":
            ops += cgroupfs.cgroup_mount_ops(index, entry, ctx.cgroup_dirs, cgroupns,
                                             ctx.mountinfo)
            continue
        if _is_dev(entry):
            entry = dict(entry, options=[*(entry.get("options") or ()), "rw"])
        ops += mount_ops(index, entry, ctx.bundle, spec, ctx.rootless)
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
